package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"huajie/internal/cases"
	"huajie/internal/clusters"
	"huajie/internal/collect"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/measures"
	"huajie/internal/reports"
	"huajie/internal/servqual"
)

// The analyst's side (issue 7): surveys and posts, the daily roll-up of
// messages by breakdown, case facts, prevention measures. See
// migrations/*/00200_insight.sql.

// ImportSurveys stores survey answers in one transaction; answers whose id
// is already stored are skipped (a re-import is harmless). progress is
// called with the number done after each chunk.
func (db *DB) ImportSurveys(ctx context.Context, ss []collect.Survey, progress func(done int)) (inserted int, err error) {
	now := micros(time.Now())
	err = db.WithTx(ctx, func(tx *Tx) error {
		loc, err := db.rollupZone(ctx, tx)
		if err != nil {
			return err
		}
		for done := 0; done < len(ss); {
			n := min(len(ss)-done, chunkRows)
			q := multiRow(db.dialect, "surveys", `INSERT INTO surveys (id, kind, at, day, touchpoint, branch, product, team, channel, score, items, comment, imported_at) VALUES `,
				"(?,?,?,?,?,?,?,?,?,?,?,?,?)", ` ON CONFLICT (id) DO NOTHING`, n)
			args := make([]any, 0, n*13)
			for _, s := range ss[done : done+n] {
				var score any
				if s.Score != nil {
					score = *s.Score
				}
				items := ""
				if len(s.Items) > 0 {
					b, err := json.Marshal(s.Items)
					if err != nil {
						return err
					}
					items = string(b)
				}
				args = append(args, s.ID, s.Kind, micros(s.At), insight.DayIn(s.At, loc), s.Touchpoint, s.Branch, s.Product, s.Team, s.Channel, score, items, s.Comment, now)
			}
			res, err := tx.Tx.ExecContext(ctx, q, args...)
			if err != nil {
				return fmt.Errorf("store: insert surveys: %w", err)
			}
			k, _ := res.RowsAffected()
			inserted += int(k)
			done += n
			if progress != nil {
				progress(done)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

// PostRow is a post with its analysis and derived fact.
type PostRow = insight.PostRow

// ImportPosts stores posts and adds them to the daily roll-up, in one
// transaction; posts already stored are skipped and not counted twice. The
// days are counted in the roll-up's zone (see RefreshInsight), whatever
// zone the facts were derived in.
func (db *DB) ImportPosts(ctx context.Context, ps []PostRow, progress func(done int)) (inserted int, err error) {
	now := micros(time.Now())
	err = db.WithTx(ctx, func(tx *Tx) error {
		loc, err := db.rollupZone(ctx, tx)
		if err != nil {
			return err
		}
		for done := 0; done < len(ps); {
			n := min(len(ps)-done, 300)
			chunk := ps[done : done+n]
			// Which ids are new decides what the roll-up counts.
			ids := make([]any, n)
			for i := range chunk {
				ids[i] = chunk[i].Post.ID
			}
			rows, err := tx.QueryContext(ctx, `SELECT id FROM posts WHERE id IN (`+placeholders(n)+`)`, ids...)
			if err != nil {
				return err
			}
			have := map[string]bool{}
			for rows.Next() {
				var id string
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				have[id] = true
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			var facts []insight.Fact
			for _, p := range chunk {
				if have[p.Post.ID] {
					continue
				}
				an, err := json.Marshal(p.Analysis)
				if err != nil {
					return err
				}
				f := p.Fact
				f.Day = insight.DayIn(f.At, loc)
				_, err = tx.ExecContext(ctx, `INSERT INTO posts (id, platform, at, day, author, url, text, touchpoint, branch, product, team, channel, emotion, negative, cause_code, business_code, dimension, analysis, imported_at)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, p.Post.ID, p.Post.Platform, micros(p.Post.At), f.Day, p.Post.Author, p.Post.URL, p.Post.Text,
					f.Values[insight.DimTouchpoint], p.Post.Branch, p.Post.Product, p.Post.Team, f.Values[insight.DimChannel], f.Values[insight.DimEmotion], f.Negative,
					f.Values[insight.DimCause], f.Values[insight.DimBusiness], f.Values[insight.DimServqual], string(an), now)
				if err != nil {
					return fmt.Errorf("store: insert post %q: %w", p.Post.ID, err)
				}
				facts = append(facts, f)
				have[p.Post.ID] = true
				inserted++
			}
			if err := addDaily(ctx, tx, insight.SourcePost, facts); err != nil {
				return err
			}
			done += n
			if progress != nil {
				progress(done)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return inserted, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// dailyKey is one roll-up row.
type dailyKey struct {
	dim, value string
	day        int64
}

type dailyVal struct {
	n, neg, high int64
	negSum, risk float64
}

// Rollup accumulates facts into roll-up rows.
type Rollup map[dailyKey]*dailyVal

// Add counts one fact on every breakdown.
func (r Rollup) Add(f insight.Fact) {
	day := f.Day
	for _, dim := range insight.Dims {
		v := ""
		if dim != insight.DimAll {
			v = f.Values[dim]
		}
		k := dailyKey{dim, v, day}
		x := r[k]
		if x == nil {
			x = &dailyVal{}
			r[k] = x
		}
		x.n++
		if f.Negative >= insight.NegativeThreshold {
			x.neg++
		}
		if f.High {
			x.high++
		}
		x.negSum += f.Negative
		x.risk += f.Risk
	}
}

func addDaily(ctx context.Context, tx *Tx, source string, facts []insight.Fact) error {
	r := Rollup{}
	for _, f := range facts {
		r.Add(f)
	}
	return writeRollup(ctx, tx.Tx, tx.d, source, r)
}

type execer interface {
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

func writeRollup(ctx context.Context, ex execer, d Dialect, source string, r Rollup) error {
	rows := make([]any, 0, chunkRows*9)
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		q := multiRow(d, "daily", `INSERT INTO insight_daily (source, dim, day, value, n, negative, negative_sum, risk_sum, high) VALUES `, "(?,?,?,?,?,?,?,?,?)",
			` ON CONFLICT (source, dim, day, value) DO UPDATE SET n = insight_daily.n + excluded.n, negative = insight_daily.negative + excluded.negative,
negative_sum = insight_daily.negative_sum + excluded.negative_sum, risk_sum = insight_daily.risk_sum + excluded.risk_sum, high = insight_daily.high + excluded.high`, n)
		_, err := ex.ExecContext(ctx, q, rows...)
		rows = rows[:0]
		if err != nil {
			return fmt.Errorf("store: roll-up: %w", err)
		}
		return nil
	}
	n := 0
	for k, v := range r {
		rows = append(rows, source, k.dim, k.day, k.value, v.n, v.neg, v.negSum, v.risk, v.high)
		n++
		if n == chunkRows {
			if err := flush(n); err != nil {
				return err
			}
			n = 0
		}
	}
	return flush(n)
}

// RefreshLag keeps the incremental refresh behind the newest interactions:
// a batch committed late with an earlier receive time is still counted.
const RefreshLag = 5 * time.Second

// RefreshStats says what a refresh added.
type RefreshStats = insight.RefreshStats

func (db *DB) watermark(ctx context.Context, q queryer, source string) (int64, string, error) {
	var at int64
	var id string
	err := q.QueryRowContext(ctx, db.Rebind(`SELECT at, id FROM insight_watermarks WHERE source = ?`), source).Scan(&at, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return at, id, err
}

func setWatermark(ctx context.Context, tx *Tx, source string, at int64, id string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO insight_watermarks (source, at, id) VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET at = excluded.at, id = excluded.id`, source, at, id)
	return err
}

// messageAnalysis is the part of a stored analysis the facts need.
type messageAnalysis = interactions.Analysis

// RefreshInsight brings the roll-up and the case facts up to date:
// customer messages received since the last refresh (up to RefreshLag ago)
// and cases updated since it. It runs in chunks; each chunk commits with
// its watermark, so an interrupted refresh resumes where it stopped.
func (db *DB) RefreshInsight(ctx context.Context, d *insight.Deriver, now time.Time) (RefreshStats, error) {
	var st RefreshStats
	var err error
	if st.Rebuilt, st.PreviousZone, err = db.ensureZone(ctx, d); err != nil {
		return st, err
	}
	st.Zone = insight.ZoneName(d.Zone())
	limit := micros(now.Add(-RefreshLag))
	for {
		n, err := db.refreshMessages(ctx, d, limit)
		st.Messages += n
		if err != nil || n == 0 {
			if err != nil {
				return st, err
			}
			break
		}
	}
	for {
		n, err := db.refreshCases(ctx, d)
		st.Cases += n
		if err != nil {
			return st, err
		}
		if n == 0 {
			break
		}
	}
	return st, nil
}

const refreshChunk = 2000

func (db *DB) refreshMessages(ctx context.Context, d *insight.Deriver, limit int64) (int, error) {
	done := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := lockInsight(ctx, tx); err != nil {
			return err
		}
		at, id, err := db.watermark(ctx, tx, "interactions")
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, received_at, at, channel, team, branch, product, role, text, analysis, risk, level FROM interactions
WHERE (received_at, id) > (?, ?) AND received_at <= ? ORDER BY received_at, id LIMIT `+fmt.Sprint(refreshChunk), at, id, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		r := Rollup{}
		var lastAt int64
		var lastID string
		for rows.Next() {
			var mid, channel, team, branch, product, role, text, an, level string
			var recv, mat int64
			var rk float64
			if err := rows.Scan(&mid, &recv, &mat, &channel, &team, &branch, &product, &role, &text, &an, &rk, &level); err != nil {
				return err
			}
			done++
			lastAt, lastID = recv, mid
			if role != "customer" {
				continue
			}
			var a messageAnalysis
			if an != "" {
				if err := json.Unmarshal([]byte(an), &a); err != nil {
					return fmt.Errorf("store: interaction %q analysis: %w", mid, err)
				}
			}
			r.Add(d.Message(insight.Place{Channel: channel, Team: team, Branch: branch, Product: product}, text, fromMicros(mat), a, rk, level))
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		if done == 0 {
			return nil
		}
		if err := writeRollup(ctx, tx, tx.d, insight.SourceMessage, r); err != nil {
			return err
		}
		return setWatermark(ctx, tx, "interactions", lastAt, lastID)
	})
	return done, err
}

func (db *DB) refreshCases(ctx context.Context, d *insight.Deriver) (int, error) {
	done := 0
	err := db.WithTx(ctx, func(tx *Tx) error {
		if err := lockInsight(ctx, tx); err != nil {
			return err
		}
		at, id, err := db.watermark(ctx, tx, "cases")
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT c.id, c.updated_at, d.doc FROM cases c JOIN case_docs d ON d.id = c.id WHERE (c.updated_at, c.id) > (?, ?) ORDER BY c.updated_at, c.id LIMIT 500`, at, id)
		if err != nil {
			return err
		}
		var facts []insight.CaseFact
		var lastAt int64
		var lastID string
		for rows.Next() {
			var cid, doc string
			var up int64
			if err := rows.Scan(&cid, &up, &doc); err != nil {
				rows.Close()
				return err
			}
			var c cases.Case
			if err := json.Unmarshal([]byte(doc), &c); err != nil {
				rows.Close()
				return fmt.Errorf("store: case %q: %w", cid, err)
			}
			c.ID = cid
			facts = append(facts, d.Case(&c))
			lastAt, lastID = up, cid
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		done = len(facts)
		if done == 0 {
			return nil
		}
		if err := upsertCaseFacts(ctx, tx.Tx, tx.d, facts); err != nil {
			return err
		}
		return setWatermark(ctx, tx, "cases", lastAt, lastID)
	})
	return done, err
}

const caseFactCols = `case_id, received_at, day, channel, channel_code, business_code, cause_code, touchpoint, branch, product, team, dimension, emotion, negative, decided_at, closed_at, upheld, redress, updated_at, decided_band, closed_band, redress_cny, redress_other`

func upsertCaseFacts(ctx context.Context, ex execer, d Dialect, facts []insight.CaseFact) error {
	for len(facts) > 0 {
		n := min(len(facts), 400)
		q := multiRow(d, "casefacts", `INSERT INTO insight_case_facts (`+caseFactCols+`) VALUES `, "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
			` ON CONFLICT (case_id) DO UPDATE SET received_at = excluded.received_at, day = excluded.day, channel = excluded.channel, channel_code = excluded.channel_code,
business_code = excluded.business_code, cause_code = excluded.cause_code, touchpoint = excluded.touchpoint, branch = excluded.branch, product = excluded.product,
team = excluded.team, dimension = excluded.dimension, emotion = excluded.emotion, negative = excluded.negative, decided_at = excluded.decided_at,
closed_at = excluded.closed_at, upheld = excluded.upheld, redress = excluded.redress, updated_at = excluded.updated_at,
decided_band = excluded.decided_band, closed_band = excluded.closed_band, redress_cny = excluded.redress_cny, redress_other = excluded.redress_other`, n)
		args := make([]any, 0, n*23)
		texts := make([]any, 0, n*3)
		for _, f := range facts[:n] {
			upheld := -1
			if f.Upheld != nil {
				upheld = 0
				if *f.Upheld {
					upheld = 1
				}
			}
			red := ""
			other := 0
			if len(f.Redress) > 0 {
				b, _ := json.Marshal(f.Redress)
				red = string(b)
				for cur := range f.Redress {
					if cur != "CNY" {
						other = 1
					}
				}
			}
			args = append(args, f.CaseID, micros(f.ReceivedAt), f.Day, f.Channel, f.ChannelCode, f.BusinessCode, f.CauseCode, f.Touchpoint,
				f.Branch, f.Product, f.Team, f.Dimension, f.Emotion, f.Negative, micros(f.DecidedAt), micros(f.ClosedAt), upheld, red, micros(f.UpdatedAt),
				f.DecidedBand, f.ClosedBand, f.Redress["CNY"], other)
			texts = append(texts, f.CaseID, micros(f.ReceivedAt), f.Text)
		}
		if _, err := ex.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: case facts: %w", err)
		}
		q = multiRow(d, "casetexts", `INSERT INTO insight_case_texts (case_id, received_at, text) VALUES `, "(?,?,?)",
			` ON CONFLICT (case_id) DO UPDATE SET received_at = excluded.received_at, text = excluded.text`, n)
		if _, err := ex.ExecContext(ctx, q, texts...); err != nil {
			return fmt.Errorf("store: case texts: %w", err)
		}
		facts = facts[n:]
	}
	return nil
}

// DailyRow is one day's counts of one value.
type DailyRow = insight.DailyRow

// caseColumns maps breakdowns to insight_case_facts columns.
var caseColumns = map[string]string{
	insight.DimAll: "''", insight.DimChannel: "channel", insight.DimChannelCode: "channel_code", insight.DimBusiness: "business_code",
	insight.DimCause: "cause_code", insight.DimTouchpoint: "touchpoint", insight.DimBranch: "branch", insight.DimProduct: "product",
	insight.DimTeam: "team", insight.DimEmotion: "emotion", insight.DimServqual: "dimension",
}

// ErrBadQuery is returned for an unknown source or breakdown.
var ErrBadQuery = errors.New("store: bad query")

// DailySeries returns the daily counts of a source (message, post, case)
// by a breakdown for days [fromDay, toDay).
func (db *DB) DailySeries(ctx context.Context, source, dim string, fromDay, toDay int64) ([]DailyRow, error) {
	var rows *sql.Rows
	var err error
	switch source {
	case insight.SourceMessage, insight.SourcePost:
		if !insight.ValidDim(dim) {
			return nil, fmt.Errorf("%w: breakdown %q", ErrBadQuery, dim)
		}
		rows, err = db.QueryContext(ctx, `SELECT day, value, n, negative, negative_sum, risk_sum, high FROM insight_daily
WHERE source = ? AND dim = ? AND day >= ? AND day < ? ORDER BY day, value`, source, dim, fromDay, toDay)
	case insight.SourceCase:
		col, ok := caseColumns[dim]
		if !ok {
			return nil, fmt.Errorf("%w: breakdown %q", ErrBadQuery, dim)
		}
		rows, err = db.QueryContext(ctx, `SELECT day, `+col+`, COUNT(*), SUM(CASE WHEN negative >= 0.5 THEN 1 ELSE 0 END), SUM(negative), 0, 0 FROM insight_case_facts
WHERE day >= ? AND day < ? GROUP BY 1, 2 ORDER BY 1, 2`, fromDay, toDay) // by position: "all" is a constant
	default:
		return nil, fmt.Errorf("%w: source %q", ErrBadQuery, source)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []DailyRow
	for rows.Next() {
		var r DailyRow
		var negSum, riskSum sql.NullFloat64
		if err := rows.Scan(&r.Day, &r.Value, &r.N, &r.Negative, &negSum, &riskSum, &r.High); err != nil {
			return nil, err
		}
		r.NegativeSum, r.RiskSum = negSum.Float64, riskSum.Float64
		out = append(out, r)
	}
	return out, rows.Err()
}

// CaseFacts returns the facts of the cases received in [from, to), without
// their texts.
func (db *DB) CaseFacts(ctx context.Context, from, to time.Time) ([]insight.CaseFact, error) {
	rows, err := db.QueryContext(ctx, `SELECT case_id, received_at, channel, channel_code, business_code, cause_code, touchpoint, branch, product, team, dimension, emotion, negative, decided_at, closed_at, upheld, redress
FROM insight_case_facts WHERE received_at >= ? AND received_at < ?`, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []insight.CaseFact
	for rows.Next() {
		var f insight.CaseFact
		var recv, dec, closed int64
		var upheld int
		var red string
		if err := rows.Scan(&f.CaseID, &recv, &f.Channel, &f.ChannelCode, &f.BusinessCode, &f.CauseCode, &f.Touchpoint, &f.Branch, &f.Product, &f.Team, &f.Dimension, &f.Emotion, &f.Negative, &dec, &closed, &upheld, &red); err != nil {
			return nil, err
		}
		f.ReceivedAt, f.DecidedAt, f.ClosedAt = fromMicros(recv), fromMicros(dec), fromMicros(closed)
		if upheld >= 0 {
			b := upheld == 1
			f.Upheld = &b
		}
		if red != "" {
			if err := json.Unmarshal([]byte(red), &f.Redress); err != nil {
				return nil, fmt.Errorf("store: case %q redress: %w", f.CaseID, err)
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ClusterDocs returns the texts of the cases and posts of [from, to),
// newest first, at most limit.
func (db *DB) ClusterDocs(ctx context.Context, from, to time.Time, limit int) ([]clusters.Doc, error) {
	var out []clusters.Doc
	for _, q := range []string{
		`SELECT 'case:' || case_id, text, received_at FROM insight_case_texts WHERE received_at >= ? AND received_at < ? AND text <> '' ORDER BY received_at DESC LIMIT ?`,
		`SELECT 'post:' || id, text, at FROM posts WHERE at >= ? AND at < ? ORDER BY at DESC LIMIT ?`,
	} {
		rows, err := db.QueryContext(ctx, q, micros(from), micros(to), limit-len(out))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var d clusters.Doc
			var at int64
			if err := rows.Scan(&d.ID, &d.Text, &at); err != nil {
				rows.Close()
				return nil, err
			}
			d.At = fromMicros(at)
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(out) >= limit {
			break
		}
	}
	return out, nil
}

// ServqualGaps computes the questionnaires' gaps for [from, to).
func (db *DB) ServqualGaps(ctx context.Context, from, to time.Time) (servqual.Gaps, int, error) {
	rows, err := db.QueryContext(ctx, `SELECT touchpoint, items FROM surveys WHERE kind = 'servqual' AND at >= ? AND at < ?`, micros(from), micros(to))
	if err != nil {
		return servqual.Gaps{}, 0, err
	}
	defer rows.Close()
	acc := servqual.NewAccumulator()
	for rows.Next() {
		var r servqual.Response
		var items string
		if err := rows.Scan(&r.Touchpoint, &items); err != nil {
			return servqual.Gaps{}, 0, err
		}
		if err := json.Unmarshal([]byte(items), &r.Items); err != nil {
			return servqual.Gaps{}, 0, err
		}
		acc.Add(r)
	}
	return acc.Result(), acc.Invalid(), rows.Err()
}

// ScoreRow is the CSAT or NPS of one value of a breakdown.
type ScoreRow = insight.ScoreRow

var surveyColumns = map[string]string{insight.DimAll: "''", insight.DimTouchpoint: "touchpoint", insight.DimBranch: "branch",
	insight.DimProduct: "product", insight.DimTeam: "team", insight.DimChannel: "channel"}

// SurveyScores returns the CSAT and NPS of [from, to) by a breakdown.
func (db *DB) SurveyScores(ctx context.Context, dim string, from, to time.Time) ([]ScoreRow, error) {
	col, ok := surveyColumns[dim]
	if !ok {
		return nil, fmt.Errorf("%w: survey breakdown %q", ErrBadQuery, dim)
	}
	rows, err := db.QueryContext(ctx, `SELECT kind, `+col+`, COUNT(*),
SUM(CASE WHEN (kind = 'nps' AND score >= 9) OR (kind = 'csat' AND score >= 4) THEN 1 ELSE 0 END),
SUM(CASE WHEN kind = 'nps' AND score <= 6 THEN 1 ELSE 0 END)
FROM surveys WHERE kind IN ('nps', 'csat') AND at >= ? AND at < ? GROUP BY kind, `+col+` ORDER BY kind, `+col, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ScoreRow
	for rows.Next() {
		var r ScoreRow
		var good, bad int64
		if err := rows.Scan(&r.Kind, &r.Value, &r.N, &good, &bad); err != nil {
			return nil, err
		}
		if r.Kind == collect.KindNPS {
			r.Score = collect.NPS(int(good), int(r.N-good-bad), int(bad))
		} else {
			r.Score = collect.CSAT(int(good), int(r.N))
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// TargetCounts counts the cases received in [from, to) that a measure
// targets, and all cases then. A cause target matches the code and its
// sub-codes; a cluster target, cases whose text contains the term.
func (db *DB) TargetCounts(ctx context.Context, t measures.Target, from, to time.Time) (targeted, total int64, err error) {
	cond, arg, err := targetCond(t)
	if err != nil {
		return 0, 0, err
	}
	err = db.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN `+cond+` THEN 1 ELSE 0 END), 0), COUNT(*) FROM insight_case_facts WHERE received_at >= ? AND received_at < ?`,
		arg, micros(from), micros(to)).Scan(&targeted, &total)
	return targeted, total, err
}

// targetCond is the SQL condition on insight_case_facts for a target.
func targetCond(t measures.Target) (string, any, error) {
	switch t.Kind {
	case measures.TargetCause:
		col := "cause_code"
		switch {
		case strings.HasPrefix(t.Value, "A"):
			col = "channel_code"
		case strings.HasPrefix(t.Value, "B"):
			col = "business_code"
		}
		return col + " LIKE ?", escapeLike(t.Value) + "%", nil
	case measures.TargetTouchpoint:
		return "touchpoint = ?", t.Value, nil
	case measures.TargetCluster:
		return "case_id IN (SELECT case_id FROM insight_case_texts WHERE text LIKE ?)", "%" + escapeLike(t.Value) + "%", nil
	}
	return "", nil, fmt.Errorf("%w: target %q", ErrBadQuery, t.Kind)
}

func escapeLike(s string) string {
	// LIKE without ESCAPE: keep the wildcards out of user text.
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// DailyTargeted returns the targeted cases per day in [from, to), for the
// measure's before/after chart.
func (db *DB) DailyTargeted(ctx context.Context, t measures.Target, from, to time.Time) (map[int64][2]int64, error) {
	out := map[int64][2]int64{}
	cond, arg, err := targetCond(t)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, `SELECT day, SUM(CASE WHEN `+cond+` THEN 1 ELSE 0 END), COUNT(*) FROM insight_case_facts WHERE received_at >= ? AND received_at < ? GROUP BY day`,
		arg, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var day, k, n int64
		if err := rows.Scan(&day, &k, &n); err != nil {
			return nil, err
		}
		out[day] = [2]int64{k, n}
	}
	return out, rows.Err()
}

// ReportGroups returns the cases received in [from, to) grouped by their
// codes, deadline bands and upheld, as weighted report records (without
// redress; see Redress). A year of 100,000 cases is a few hundred groups.
func (db *DB) ReportGroups(ctx context.Context, from, to time.Time) ([]reports.Case, error) {
	rows, err := db.QueryContext(ctx, `SELECT channel_code, business_code, cause_code, decided_band, closed_band, upheld, COUNT(*) FROM insight_case_facts
WHERE received_at >= ? AND received_at < ? GROUP BY channel_code, business_code, cause_code, decided_band, closed_band, upheld`, micros(from), micros(to))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reports.Case
	for rows.Next() {
		var c reports.Case
		var b [2]int
		var upheld int
		if err := rows.Scan(&c.ChannelCode, &c.BusinessCode, &c.CauseCode, &b[0], &b[1], &upheld, &c.Weight); err != nil {
			return nil, err
		}
		c.Bands = &b
		if upheld >= 0 {
			u := upheld == 1
			c.Upheld = &u
		}
		c.ReceivedAt = from
		out = append(out, c)
	}
	return out, rows.Err()
}

// Redress returns the number of cases received in [from, to) with redress
// paid and the amounts per currency.
func (db *DB) Redress(ctx context.Context, from, to time.Time) (int, map[string]int64, error) {
	var n int
	var cny sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*), SUM(redress_cny) FROM insight_case_facts WHERE received_at >= ? AND received_at < ? AND (redress_cny > 0 OR redress_other = 1)`,
		micros(from), micros(to)).Scan(&n, &cny); err != nil {
		return 0, nil, err
	}
	out := map[string]int64{}
	if cny.Int64 > 0 {
		out["CNY"] = cny.Int64
	}
	rows, err := db.QueryContext(ctx, `SELECT redress FROM insight_case_facts WHERE received_at >= ? AND received_at < ? AND redress_other = 1`, micros(from), micros(to))
	if err != nil {
		return 0, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var m map[string]int64
		if err := rows.Scan(&s); err != nil {
			return 0, nil, err
		}
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			return 0, nil, err
		}
		for cur, v := range m {
			if cur != "CNY" {
				out[cur] += v
			}
		}
	}
	return n, out, rows.Err()
}
