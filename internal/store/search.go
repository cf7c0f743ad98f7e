package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Full-text search for Chinese has no words to split on, so it indexes
// character n-grams:
//
//   - three characters or more: SQLite FTS5's trigram tokenizer, PostgreSQL
//     pg_trgm (GIN), both substring matches;
//   - exactly two letters, digits or ideographs (most Chinese words and
//     names, which trigrams cannot index): the grams column holds one token
//     per distinct character bigram, indexed by an FTS5 table (SQLite) or a
//     GIN tsvector index (PostgreSQL); the candidates are confirmed with LIKE;
//   - anything else (one character, punctuation): LIKE over the table.
//
// A term matching a large share of the cases is found faster by walking the
// list order's index and testing each row with LIKE until the page is full,
// so SQLite first asks the FTS index whether the term is common.

// gramToken encodes a character bigram as an ASCII token both FTS5's ascii
// tokenizer and PostgreSQL's simple parser keep whole: g<hex>x<hex>.
func gramToken(a, b rune) string {
	return "g" + strconv.FormatInt(int64(a), 16) + "x" + strconv.FormatInt(int64(b), 16)
}

func isGramRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// SearchGrams returns the grams column for a case's search text: its
// distinct bigram tokens separated by spaces ("-" when there are none, so
// a filled row is distinguishable from one written before the column).
// Exported for bulk loaders that insert cases with SQL.
func SearchGrams(text string) string {
	seen := map[string]bool{}
	var b strings.Builder
	prev := rune(-1)
	for _, r := range strings.ToLower(text) {
		if !isGramRune(r) {
			prev = -1
			continue
		}
		if prev >= 0 {
			t := gramToken(prev, r)
			if !seen[t] {
				seen[t] = true
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t)
			}
		}
		prev = r
	}
	if b.Len() == 0 {
		return "-"
	}
	return b.String()
}

// queryGram returns the bigram token of a two-character query, or "".
func queryGram(q string) string {
	q = strings.ToLower(q)
	if utf8.RuneCountInString(q) != 2 {
		return ""
	}
	a, n := utf8.DecodeRuneInString(q)
	b, _ := utf8.DecodeRuneInString(q[n:])
	if !isGramRune(a) || !isGramRune(b) {
		return ""
	}
	return gramToken(a, b)
}

// searchCond returns the WHERE condition and arguments for a search term.
func (r *caseRepo) searchCond(ctx context.Context, q string) (string, []any, error) {
	like := "%" + likeEscape(q) + "%"
	if r.db.dialect == Postgres {
		if g := queryGram(q); g != "" {
			return `to_tsvector('simple', grams) @@ to_tsquery('simple', ?) AND search ILIKE ? ESCAPE '\'`, []any{g, like}, nil
		}
		// pg_trgm's GIN index serves ILIKE for three characters or more.
		return `search ILIKE ? ESCAPE '\'`, []any{like}, nil
	}
	likeCond := `search LIKE ? ESCAPE '\'`
	var table, match string
	switch {
	case utf8.RuneCountInString(q) >= 3:
		table, match = "cases_fts", `"`+strings.ReplaceAll(q, `"`, `""`)+`"` // FTS5 phrase, quotes doubled
	case queryGram(q) != "":
		table, match = "cases_grams", queryGram(q)
	default:
		return likeCond, []any{like}, nil
	}
	common, err := r.commonTerm(ctx, table, match)
	if err != nil {
		return "", nil, err
	}
	if common {
		return likeCond, []any{like}, nil
	}
	return "rowid IN (SELECT rowid FROM " + table + " WHERE " + table + " MATCH ?) AND " + likeCond, []any{match, like}, nil
}

// commonTermLimit is the number of FTS matches above which a search term
// counts as common.
const commonTermLimit = 1000

// commonTerm reports whether an FTS5 query matches more than
// commonTermLimit cases; FTS5 stops counting at the limit.
func (r *caseRepo) commonTerm(ctx context.Context, table, match string) (bool, error) {
	var n int
	err := r.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM `+table+` WHERE `+table+` MATCH ? LIMIT ?)`,
		match, commonTermLimit+1).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: search: %w", err)
	}
	return n > commonTermLimit, nil
}

// backfillGrams fills the grams column of cases written before it existed.
func (db *DB) backfillGrams(ctx context.Context) error {
	for {
		rows, err := db.w.QueryContext(ctx, db.Rebind(`SELECT id, search FROM cases WHERE grams = '' LIMIT 500`))
		if err != nil {
			return fmt.Errorf("store: backfill search index: %w", err)
		}
		type row struct{ id, search string }
		var batch []row
		for rows.Next() {
			var x row
			if err := rows.Scan(&x.id, &x.search); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		err = db.WithTx(ctx, func(tx *Tx) error {
			for _, x := range batch {
				if _, err := tx.ExecContext(ctx, `UPDATE cases SET grams = ? WHERE id = ?`, SearchGrams(x.search), x.id); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: backfill search index: %w", err)
		}
	}
}
