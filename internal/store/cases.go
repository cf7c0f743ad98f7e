package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"huajie/internal/audit"
	"huajie/internal/cases"
)

// Cases returns the cases.Repo backed by db.
func (db *DB) Cases() cases.Repo { return &caseRepo{db: db} }

type caseRepo struct{ db *DB }

var _ cases.Repo = (*caseRepo)(nil)

// searchText is what full-text search looks at.
func searchText(c *cases.Case) string {
	return c.Customer.Name + "\n" + c.ProductRef + "\n" + c.Text
}

func nullMicros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// indexArgs are the filter columns of a case, in updateCols order.
func indexArgs(c *cases.Case) []any {
	s := c.Summary()
	return []any{c.Version, string(c.State), micros(c.UpdatedAt), s.Assignee, string(s.Severity),
		s.CauseCode, s.BusinessCode, s.Difficulty.Bits(), s.EscalationLevel, nullMicros(s.NextDue),
		string(s.DeadlineStatus), c.MergedInto, string(s.Goodwill), boolInt(s.NeedsSupervisorReview), s.GoodwillReviews,
		c.Team, c.Branch}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

const updateCols = "version = ?, state = ?, updated_at = ?, assignee = ?, severity = ?, cause_code = ?, " +
	"business_code = ?, difficulty = ?, escalation = ?, next_due = ?, deadline_status = ?, merged_into = ?, " +
	"goodwill_result = ?, goodwill_pending = ?, goodwill_reviews = ?, team = ?, branch = ?"

func (r *caseRepo) Insert(ctx context.Context, c *cases.Case, m cases.Mutation) error {
	doc, err := json.Marshal(c)
	if err != nil {
		return fmt.Errorf("store: encode case: %w", err)
	}
	err = r.db.WithTx(ctx, func(tx *Tx) error {
		var source any
		if c.SourceAlert != "" {
			source = c.SourceAlert
			if id, err := caseFromSource(ctx, tx, c.SourceAlert); err != nil || id != "" {
				return sourceErr(c.SourceAlert, id, err)
			}
		}
		args := append([]any{c.ID, string(c.Channel), c.Customer.ID, c.Customer.Name, micros(c.ReceivedAt),
			micros(c.CreatedAt), cases.Title(c.Text), searchText(c), SearchGrams(searchText(c)), source}, indexArgs(c)...)
		_, err := tx.ExecContext(ctx, `INSERT INTO cases (id, channel, customer_id, customer_name, received_at,
			created_at, title, search, grams, source_alert, version, state, updated_at, assignee, severity, cause_code, business_code,
			difficulty, escalation, next_due, deadline_status, merged_into, goodwill_result, goodwill_pending, goodwill_reviews, team, branch)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if err != nil {
			if isUniqueViolation(err) {
				return cases.ErrConflict
			}
			return fmt.Errorf("store: insert case: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_docs (id, doc) VALUES (?, ?)`, c.ID, string(doc)); err != nil {
			return fmt.Errorf("store: insert case: %w", err)
		}
		return r.applyMutation(ctx, tx, m)
	})
	if errors.Is(err, cases.ErrConflict) && c.SourceAlert != "" {
		var dup *cases.DuplicateSourceError
		if errors.As(err, &dup) {
			return err
		}
		// Another insert from the same alert committed between the check
		// and the insert: answer with its case.
		id, qerr := caseFromSource(ctx, r.db, c.SourceAlert)
		if qerr != nil || id != "" {
			return sourceErr(c.SourceAlert, id, qerr)
		}
	}
	return err
}

// caseFromSource is the id of the case opened from alert, "" when none.
func caseFromSource(ctx context.Context, q queryer, alert string) (string, error) {
	var id string
	err := q.QueryRowContext(ctx, `SELECT id FROM cases WHERE source_alert = ?`, alert).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: case from alert %s: %w", alert, err)
	}
	return id, nil
}

func sourceErr(alert, id string, err error) error {
	if err != nil {
		return err
	}
	return &cases.DuplicateSourceError{SourceAlert: alert, CaseID: id}
}

func isUniqueViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

func (r *caseRepo) applyMutation(ctx context.Context, tx *Tx, m cases.Mutation) error {
	for _, b := range m.Blobs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO evidence_blobs (case_id, evidence_id, content) VALUES (?, ?, ?)`,
			b.CaseID, b.EvidenceID, b.Content); err != nil {
			return fmt.Errorf("store: insert evidence: %w", err)
		}
	}
	if len(m.Changes) > 0 {
		if _, err := appendAudit(ctx, tx, time.Now(), m.Changes); err != nil {
			return err
		}
	}
	return nil
}

// appendAudit appends changes to the chain. The head row is read (and on
// PostgreSQL locked) in the caller's transaction, so concurrent appends
// queue on it and each sees the head the previous one committed.
func appendAudit(ctx context.Context, tx *Tx, now time.Time, chs []audit.Change) ([]audit.Entry, error) {
	var head audit.Entry
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`+tx.ForUpdate()).
		Scan(&head.Seq, &head.Hash); err != nil {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	prev := &head
	if head.Seq == 0 {
		prev = nil
	}
	out := make([]audit.Entry, 0, len(chs))
	for _, ch := range chs {
		e := audit.Entry{At: now, CaseID: ch.CaseID, Actor: ch.Actor, Role: ch.Role, Action: ch.Action,
			Before: ch.Before, After: ch.After}
		e.Seal(prev)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, case_id, actor, role, action, before, after, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, e.At.UnixMicro(), e.CaseID, e.Actor, e.Role, e.Action,
			string(nullJSON(e.Before)), string(nullJSON(e.After)), e.PrevHash, e.Hash); err != nil {
			return nil, fmt.Errorf("store: append audit: %w", err)
		}
		out = append(out, e)
		prev = &out[len(out)-1]
	}
	res, err := tx.ExecContext(ctx, `UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?`, prev.Seq, prev.Hash, head.Seq)
	if err != nil {
		return nil, fmt.Errorf("store: audit head: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		// Another writer moved the head: never expected with the lock,
		// but refusing beats forking the chain.
		return nil, fmt.Errorf("store: audit head moved during append: %w", cases.ErrConflict)
	}
	return out, nil
}

func nullJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return json.RawMessage("null")
	}
	return b
}

func (r *caseRepo) Get(ctx context.Context, id string) (*cases.Case, error) {
	return getCase(ctx, r.db.Reader(), r.db.dialect, id, "")
}

type queryer interface {
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
}

func getCase(ctx context.Context, q queryer, d Dialect, id, suffix string) (*cases.Case, error) {
	var doc string
	var version int64
	err := q.QueryRowContext(ctx, rebind(d, `SELECT c.version, d.doc FROM cases c JOIN case_docs d ON d.id = c.id WHERE c.id = ?`+suffix), id).Scan(&version, &doc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cases.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get case %s: %w", id, err)
	}
	var c cases.Case
	if err := json.Unmarshal([]byte(doc), &c); err != nil {
		return nil, fmt.Errorf("store: decode case %s: %w", id, err)
	}
	c.Version = version
	return &c, nil
}

func (r *caseRepo) Update(ctx context.Context, ids []string, fn func(cs []*cases.Case) (cases.Mutation, error)) ([]*cases.Case, error) {
	sorted := slices.Clone(ids)
	slices.Sort(sorted)
	var out []*cases.Case
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		byID := map[string]*cases.Case{}
		for _, id := range sorted {
			c, err := getCase(ctx, tx.Tx, tx.d, id, tx.ForUpdate())
			if err != nil {
				return err
			}
			byID[id] = c
		}
		cs := make([]*cases.Case, len(ids))
		before := make([]int64, len(ids))
		for i, id := range ids {
			cs[i] = byID[id]
			before[i] = cs[i].Version
		}
		m, err := fn(cs)
		if err != nil {
			return err
		}
		for i, c := range cs {
			c.Version = before[i] + 1
			doc, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("store: encode case: %w", err)
			}
			args := append(indexArgs(c), c.ID, before[i])
			res, err := tx.ExecContext(ctx, `UPDATE cases SET `+updateCols+` WHERE id = ? AND version = ?`, args...)
			if err != nil {
				return fmt.Errorf("store: update case %s: %w", c.ID, err)
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return cases.ErrConflict
			}
			if _, err := tx.ExecContext(ctx, `UPDATE case_docs SET doc = ? WHERE id = ?`, string(doc), c.ID); err != nil {
				return fmt.Errorf("store: update case %s: %w", c.ID, err)
			}
		}
		if err := r.applyMutation(ctx, tx, m); err != nil {
			return err
		}
		out = cs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const summaryCols = `id, state, channel, customer_id, customer_name, received_at, updated_at, title, assignee,
	severity, cause_code, business_code, difficulty, escalation, next_due, deadline_status,
	goodwill_result, goodwill_pending, goodwill_reviews, team, branch`

func scanSummary(rows *sql.Rows) (cases.Summary, error) {
	var s cases.Summary
	var recv, upd int64
	var due sql.NullInt64
	var diff, pending int
	err := rows.Scan(&s.ID, &s.State, &s.Channel, &s.CustomerID, &s.CustomerName, &recv, &upd, &s.Title,
		&s.Assignee, &s.Severity, &s.CauseCode, &s.BusinessCode, &diff, &s.EscalationLevel, &due, &s.DeadlineStatus,
		&s.Goodwill, &pending, &s.GoodwillReviews, &s.Team, &s.Branch)
	s.NeedsSupervisorReview = pending != 0
	if err != nil {
		return s, fmt.Errorf("store: scan case: %w", err)
	}
	s.ReceivedAt, s.UpdatedAt = fromMicros(recv), fromMicros(upd)
	if due.Valid {
		s.NextDue = fromMicros(due.Int64)
	}
	s.Difficulty = cases.Difficulty{StrongEmotion: diff&1 != 0, SeveralDepartments: diff&2 != 0,
		UnclearDemands: diff&4 != 0, WideImpact: diff&8 != 0}
	return s, nil
}

// A cursor is the sort key of the last item: "r<received µs>_<id>" or
// "d<next due µs>_<id>".
func encodeCursor(sort string, s cases.Summary) string {
	if sort == cases.SortDue {
		return "d" + strconv.FormatInt(s.NextDue.UnixMicro(), 10) + "_" + s.ID
	}
	return "r" + strconv.FormatInt(s.ReceivedAt.UnixMicro(), 10) + "_" + s.ID
}

func decodeCursor(sort, c string) (int64, string, error) {
	bad := &cases.ValidationError{Field: "cursor", Code: cases.CodeBadCursor, Message: "is not a cursor this server returned for this order"}
	want := "r"
	if sort == cases.SortDue {
		want = "d"
	}
	if !strings.HasPrefix(c, want) {
		return 0, "", bad
	}
	us, id, ok := strings.Cut(c[1:], "_")
	n, err := strconv.ParseInt(us, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", bad
	}
	return n, id, nil
}

// likeEscape escapes LIKE wildcards; queries use ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (r *caseRepo) List(ctx context.Context, f cases.ListFilter) (cases.ListPage, error) {
	var where []string
	var args []any
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	in := func(col string, vals []string) {
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")
		a := make([]any, len(vals))
		for i, v := range vals {
			a[i] = v
		}
		add(col+" IN ("+ph+")", a...)
	}
	if len(f.States) > 0 {
		ss := make([]string, len(f.States))
		for i, s := range f.States {
			ss[i] = string(s)
		}
		in("state", ss)
	}
	if len(f.Channels) > 0 {
		ss := make([]string, len(f.Channels))
		for i, s := range f.Channels {
			ss[i] = string(s)
		}
		in("channel", ss)
	}
	if f.CauseCode != "" {
		add("cause_code = ?", f.CauseCode)
	}
	if f.Business != "" {
		add("business_code = ?", f.Business)
	}
	if f.Assignee != "" {
		add("assignee = ?", f.Assignee)
	}
	if f.Unassigned {
		add("assignee = ''")
	}
	if f.Team != "" {
		add("team = ?", f.Team)
	}
	if f.Branch != "" {
		add("branch = ?", f.Branch)
	}
	if f.CustomerID != "" {
		add("customer_id = ?", f.CustomerID)
	}
	if f.Severity != "" {
		add("severity = ?", string(f.Severity))
	}
	if len(f.Difficulty) > 0 {
		bits := 0
		for _, fl := range f.Difficulty {
			bits |= cases.FlagBit(fl)
		}
		add("(difficulty & ?) = ?", bits, bits)
	}
	if f.Difficult {
		add("difficulty <> 0")
	}
	if !f.DueBefore.IsZero() {
		add("next_due IS NOT NULL AND next_due < ?", f.DueBefore.UnixMicro())
	}
	if !f.ReceivedFrom.IsZero() {
		add("received_at >= ?", f.ReceivedFrom.UnixMicro())
	}
	if !f.ReceivedTo.IsZero() {
		add("received_at < ?", f.ReceivedTo.UnixMicro())
	}
	if f.Escalated {
		add("escalation > 0")
	}
	if f.DeadlineStatus != "" {
		add("deadline_status = ?", string(f.DeadlineStatus))
	}
	if f.Goodwill != "" {
		add("goodwill_result = ?", string(f.Goodwill))
	}
	switch f.GoodwillReview {
	case cases.GoodwillReviewPending:
		add("goodwill_pending = 1")
	case cases.GoodwillReviewReviewed:
		add("goodwill_reviews > 0")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		cond, a, err := r.searchCond(ctx, q)
		if err != nil {
			return cases.ListPage{}, err
		}
		add(cond, a...)
	}
	byDue := f.Sort == cases.SortDue
	if byDue {
		add("next_due IS NOT NULL")
	}
	if f.Cursor != "" {
		us, id, err := decodeCursor(f.Sort, f.Cursor)
		if err != nil {
			return cases.ListPage{}, err
		}
		if byDue {
			add("(next_due > ? OR (next_due = ? AND id > ?))", us, us, id)
		} else {
			add("(received_at < ? OR (received_at = ? AND id < ?))", us, us, id)
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT ` + summaryCols + ` FROM cases`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if byDue {
		q += " ORDER BY next_due, id"
	} else {
		q += " ORDER BY received_at DESC, id DESC"
	}
	q += " LIMIT " + strconv.Itoa(limit+1)
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		return cases.ListPage{}, fmt.Errorf("store: list cases: %w", err)
	}
	defer rows.Close()
	page := cases.ListPage{Items: []cases.Summary{}}
	for rows.Next() {
		s, err := scanSummary(rows)
		if err != nil {
			return cases.ListPage{}, err
		}
		page.Items = append(page.Items, s)
	}
	if err := rows.Err(); err != nil {
		return cases.ListPage{}, fmt.Errorf("store: list cases: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		page.Next = encodeCursor(f.Sort, page.Items[limit-1])
	}
	return page, nil
}

func (r *caseRepo) Candidates(ctx context.Context, customerID string, since time.Time, exclude string) ([]*cases.Case, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT c.version, d.doc FROM cases c JOIN case_docs d ON d.id = c.id
		WHERE c.customer_id = ? AND c.received_at >= ? AND c.id <> ? AND c.state <> 'closed' AND c.merged_into = ''
		ORDER BY c.received_at DESC LIMIT 100`, customerID, since.UnixMicro(), exclude)
	if err != nil {
		return nil, fmt.Errorf("store: repeat candidates: %w", err)
	}
	defer rows.Close()
	var out []*cases.Case
	for rows.Next() {
		var v int64
		var doc string
		if err := rows.Scan(&v, &doc); err != nil {
			return nil, fmt.Errorf("store: repeat candidates: %w", err)
		}
		var c cases.Case
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("store: decode case: %w", err)
		}
		c.Version = v
		out = append(out, &c)
	}
	return out, rows.Err()
}

func (r *caseRepo) EvidenceContent(ctx context.Context, caseID, evidenceID string) ([]byte, error) {
	var b []byte
	err := r.db.QueryRowContext(ctx, `SELECT content FROM evidence_blobs WHERE case_id = ? AND evidence_id = ?`,
		caseID, evidenceID).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, cases.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: evidence: %w", err)
	}
	return b, nil
}

const auditCols = `seq, at, case_id, actor, role, action, before, after, prev_hash, hash`

func scanEntry(rows *sql.Rows) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var before, after string
	if err := rows.Scan(&e.Seq, &at, &e.CaseID, &e.Actor, &e.Role, &e.Action, &before, &after, &e.PrevHash, &e.Hash); err != nil {
		return e, fmt.Errorf("store: scan audit entry: %w", err)
	}
	e.At = fromMicros(at)
	e.Before, e.After = json.RawMessage(before), json.RawMessage(after)
	return e, nil
}

func (r *caseRepo) AuditTrail(ctx context.Context, caseID string) ([]audit.Entry, error) {
	return r.db.AuditTrail(ctx, caseID)
}

// AuditTrail returns the audit entries of one case in order.
func (db *DB) AuditTrail(ctx context.Context, caseID string) ([]audit.Entry, error) {
	return db.queryEntries(ctx, "audit trail", `SELECT `+auditCols+` FROM audit_log WHERE case_id = ? ORDER BY seq`, caseID)
}

// queryEntries reads the audit entries a query of auditCols selects; what
// names the read in errors.
func (db *DB) queryEntries(ctx context.Context, what, q string, args ...any) ([]audit.Entry, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := []audit.Entry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

func (r *caseRepo) VerifyAudit(ctx context.Context) (audit.Report, error) {
	return r.db.VerifyAudit(ctx)
}

// VerifyAudit streams the whole audit chain through an audit.Verifier and
// checks that the chain head matches its last entry (so a truncated tail is
// found too). It reads in one transaction for a consistent snapshot.
func (db *DB) VerifyAudit(ctx context.Context) (audit.Report, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect == Postgres {
		// One snapshot for the head and the log: under READ COMMITTED an
		// append committed between the two reads would look like a break.
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.r.BeginTx(ctx, opts)
	if err != nil {
		return audit.Report{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer tx.Rollback()
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return audit.Report{}, fmt.Errorf("store: verify audit: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return audit.Report{}, fmt.Errorf("store: verify audit: %w", err)
	}
	defer rows.Close()
	v := audit.NewVerifier()
	var last audit.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return audit.Report{}, err
		}
		if !v.Add(&e) {
			break
		}
		last = e
	}
	if err := rows.Err(); err != nil {
		return audit.Report{}, fmt.Errorf("store: verify audit: %w", err)
	}
	rep := v.Report()
	if rep.OK && (last.Seq != headSeq || (headSeq > 0 && last.Hash != headHash)) {
		rep = audit.Report{OK: false, Entries: rep.Entries, FirstBroken: last.Seq + 1,
			Problem: fmt.Sprintf("chain head is at entry %d but the log ends at %d", headSeq, last.Seq)}
	}
	return rep, nil
}

func (r *caseRepo) DueBefore(ctx context.Context, t time.Time) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id FROM cases WHERE next_due IS NOT NULL AND next_due < ? AND state <> 'closed' ORDER BY next_due`, t.UnixMicro())
	if err != nil {
		return nil, fmt.Errorf("store: due cases: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func (r *caseRepo) RaiseDeadlineEvent(ctx context.Context, ev cases.DeadlineEvent, ch audit.Change) (bool, error) {
	raised := false
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO deadline_events (case_id, kind, due, level, at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (case_id, kind, due, level) DO NOTHING`, ev.CaseID, string(ev.Kind), ev.Due.UnixMicro(), string(ev.Level), ev.At.UnixMicro())
		if err != nil {
			return fmt.Errorf("store: deadline event: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		raised = true
		// Lists show the deadline status stored with the case; a breach
		// (or a first warning) found by the watcher updates it.
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET deadline_status = ? WHERE id = ? AND (? = 'breached' OR deadline_status IN ('', 'ok'))`,
			string(ev.Level), ev.CaseID, string(ev.Level)); err != nil {
			return fmt.Errorf("store: deadline event: %w", err)
		}
		_, err = appendAudit(ctx, tx, time.Now(), []audit.Change{ch})
		return err
	})
	return raised, err
}

func (r *caseRepo) DeadlineEvents(ctx context.Context, caseID string) ([]cases.DeadlineEvent, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id, case_id, kind, due, level, at FROM deadline_events WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, fmt.Errorf("store: deadline events: %w", err)
	}
	defer rows.Close()
	out := []cases.DeadlineEvent{}
	for rows.Next() {
		var ev cases.DeadlineEvent
		var due, at int64
		if err := rows.Scan(&ev.ID, &ev.CaseID, &ev.Kind, &due, &ev.Level, &at); err != nil {
			return nil, err
		}
		ev.Due, ev.At = fromMicros(due), fromMicros(at)
		out = append(out, ev)
	}
	return out, rows.Err()
}

// CustomerCases returns a customer's cases received in [from, to), newest
// first: the history the goodwill assessment and the serial-complainers
// report read.
func (r *caseRepo) CustomerCases(ctx context.Context, customerID string, from, to time.Time, limit int) ([]*cases.Case, error) {
	q := `SELECT c.version, d.doc FROM cases c JOIN case_docs d ON d.id = c.id WHERE c.customer_id = ?`
	args := []any{customerID}
	if !from.IsZero() {
		q += ` AND c.received_at >= ?`
		args = append(args, from.UnixMicro())
	}
	if !to.IsZero() {
		q += ` AND c.received_at < ?`
		args = append(args, to.UnixMicro())
	}
	if limit <= 0 {
		limit = cases.MaxHistoryCases
	}
	q += ` ORDER BY c.received_at DESC, c.id DESC LIMIT ` + strconv.Itoa(limit)
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: customer cases: %w", err)
	}
	defer rows.Close()
	var out []*cases.Case
	for rows.Next() {
		var v int64
		var doc string
		if err := rows.Scan(&v, &doc); err != nil {
			return nil, fmt.Errorf("store: customer cases: %w", err)
		}
		var c cases.Case
		if err := json.Unmarshal([]byte(doc), &c); err != nil {
			return nil, fmt.Errorf("store: decode case: %w", err)
		}
		c.Version = v
		out = append(out, &c)
	}
	return out, rows.Err()
}

// Complainers returns the customers with at least min cases received at or
// after since, most cases first (then customer ID).
func (r *caseRepo) Complainers(ctx context.Context, since time.Time, min, limit int) ([]string, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT customer_id FROM cases WHERE received_at >= ?
		GROUP BY customer_id HAVING COUNT(*) >= ? ORDER BY COUNT(*) DESC, customer_id LIMIT `+strconv.Itoa(limit),
		since.UnixMicro(), min)
	if err != nil {
		return nil, fmt.Errorf("store: complainers: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: complainers: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
