package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
)

// Interactions returns the interactions.Store backed by db.
func (db *DB) Interactions() interactions.Store { return &interactionRepo{db: db} }

type interactionRepo struct{ db *DB }

var _ interactions.Store = (*interactionRepo)(nil)

// InTx runs fn in one write transaction.
func (r *interactionRepo) InTx(ctx context.Context, fn func(tx interactions.Tx) error) error {
	r.prepareChunk(ctx)
	var it *ingestTx
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		it = &ingestTx{tx: tx, db: r.db, hooks: -1}
		defer it.close()
		return fn(it)
	})
	if err != nil && it != nil {
		for _, f := range it.onRollback {
			f()
		}
	}
	if it != nil && len(it.toPrepare) > 0 {
		r.prepareLater(ctx, it.toPrepare)
	}
	return err
}

type ingestTx struct {
	tx *Tx
	db *DB
	// stmts are statements prepared once per transaction (SQLite parses a
	// statement on every Exec otherwise).
	stmts map[string]*sql.Stmt
	// hooks: whether any webhook exists (-1 not yet known).
	hooks int
	// onRollback undoes in-memory bookkeeping when the transaction fails.
	onRollback []func()
	// toPrepare are statements to prepare on the pool after the
	// transaction.
	toPrepare []string
}

// query runs q (already rebound) through a prepared statement.
func (t *ingestTx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// exec runs q (already rebound) through a prepared statement.
func (t *ingestTx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (t *ingestTx) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.stmt(ctx, rebind(t.tx.d, q))
}

// preparedRaw prepares q (already rebound) for this transaction only.
func (t *ingestTx) preparedRaw(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := t.stmts[q]; ok {
		return st, nil
	}
	st, err := t.tx.Tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if t.stmts == nil {
		t.stmts = map[string]*sql.Stmt{}
	}
	t.stmts[q] = st
	return st, nil
}

// dbStmts are the writer pool's prepared full-chunk INSERTs, kept across
// transactions (SQLite would otherwise parse a 500-row INSERT per batch).
// They are prepared before a transaction begins: preparing on the pool
// inside one would wait for the single SQLite writer connection the
// transaction holds.
var dbStmts sync.Map

type stmtKey struct {
	db *DB
	q  string
}

func insertChunkSQL(d Dialect, n int) string {
	return multiRow(d, "ins", `INSERT INTO interactions (`+msgCols+`) VALUES `,
		"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ` ON CONFLICT (id) DO NOTHING`, n)
}

func (r *interactionRepo) prepareChunk(ctx context.Context) {
	k := stmtKey{r.db, insertChunkSQL(r.db.dialect, chunkRows)}
	if _, ok := dbStmts.Load(k); ok {
		return
	}
	st, err := r.db.w.PrepareContext(ctx, k.q)
	if err != nil {
		return // the transaction prepares its own
	}
	if _, loaded := dbStmts.LoadOrStore(k, st); loaded {
		st.Close()
	}
}

// stmt returns q (already rebound) bound to this transaction: the pool's
// prepared statement when there is one; otherwise one prepared for this
// transaction, and q is noted to be prepared on the pool once the
// transaction is over (it cannot be while the transaction holds SQLite's
// single writer connection).
func (t *ingestTx) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if v, ok := dbStmts.Load(stmtKey{t.db, q}); ok {
		return t.tx.Tx.StmtContext(ctx, v.(*sql.Stmt)), nil
	}
	t.toPrepare = append(t.toPrepare, q)
	return t.preparedRaw(ctx, q)
}

// maxPoolStmts bounds the statements kept prepared per database.
const maxPoolStmts = 256

var poolStmtCount sync.Map // *DB → *atomic.Int64

// prepareLater prepares on the pool the statements a transaction missed.
func (r *interactionRepo) prepareLater(ctx context.Context, qs []string) {
	v, _ := poolStmtCount.LoadOrStore(r.db, new(atomic.Int64))
	n := v.(*atomic.Int64)
	for _, q := range qs {
		k := stmtKey{r.db, q}
		if _, ok := dbStmts.Load(k); ok || n.Load() >= maxPoolStmts {
			continue
		}
		st, err := r.db.w.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		if _, loaded := dbStmts.LoadOrStore(k, st); loaded {
			st.Close()
		} else {
			n.Add(1)
		}
	}
}

func (t *ingestTx) close() {
	for _, st := range t.stmts {
		st.Close()
	}
}

// Statement texts by row count, built once: a batch's multi-row INSERT is
// the same text every time for the same count, so the driver and the
// server see few distinct statements.
var stmtCache sync.Map

func multiRow(d Dialect, key, head, row, tail string, n int) string {
	k := string(d) + "|" + key + "|" + strconv.Itoa(n)
	if q, ok := stmtCache.Load(k); ok {
		return q.(string)
	}
	var b strings.Builder
	b.WriteString(head)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	q := rebind(d, b.String())
	stmtCache.Store(k, q)
	return q
}

// rows per multi-row statement: under SQLite's and PostgreSQL's parameter
// limits for the widest row (16 columns).
const chunkRows = 500

func (t *ingestTx) Existing(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for len(ids) > 0 {
		n := min(len(ids), chunkRows)
		q := multiRow(t.tx.d, "exist", "SELECT id FROM interactions WHERE id IN (", "?", ")", n)
		args := make([]any, n)
		for i := range n {
			args[i] = ids[i]
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store: existing interactions: %w", err)
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

const convCols = "id, customer_id, channel, team, agent, branch, product, started_at, last_at, messages, risk, level, state, alert"

func scanConversation(sc interface{ Scan(...any) error }, withState bool) (*interactions.Conversation, error) {
	var c interactions.Conversation
	var started, last int64
	var state, alert string
	if err := sc.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Team, &c.Agent, &c.Branch, &c.Product, &started, &last, &c.Messages, &c.Risk, &c.Level, &state, &alert); err != nil {
		return nil, err
	}
	c.StartedAt, c.LastAt = fromMicros(started), fromMicros(last)
	if withState {
		var meta struct {
			LastID string          `json:"last_id"`
			Risk   json.RawMessage `json:"risk"`
		}
		if state != "" {
			if err := json.Unmarshal([]byte(state), &meta); err != nil {
				return nil, fmt.Errorf("store: conversation %s state: %w", c.ID, err)
			}
			c.LastID = meta.LastID
			if len(meta.Risk) > 0 {
				if err := json.Unmarshal(meta.Risk, &c.State); err != nil {
					return nil, fmt.Errorf("store: conversation %s risk state: %w", c.ID, err)
				}
			}
		}
		if alert != "" {
			if err := json.Unmarshal([]byte(alert), &c.Alert); err != nil {
				return nil, fmt.Errorf("store: conversation %s alert state: %w", c.ID, err)
			}
		}
	}
	return &c, nil
}

func (t *ingestTx) Conversations(ctx context.Context, ids []string) (map[string]*interactions.Conversation, error) {
	out := make(map[string]*interactions.Conversation, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), chunkRows)
		q := multiRow(t.tx.d, "convs", `SELECT `+convCols+` FROM conversations WHERE id IN (`, "?", ")", n)
		args := make([]any, n)
		for i := range n {
			args[i] = ids[i]
		}
		rows, err := t.query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("store: conversations: %w", err)
		}
		for rows.Next() {
			c, err := scanConversation(rows, true)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[c.ID] = c
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
}

const msgCols = "id, conversation_id, customer_id, channel, role, at, received_at, team, agent, branch, product, text, signals, analysis, turn, risk, level, assessment"

func scanStored(sc interface{ Scan(...any) error }, texts map[string][2]string) (*interactions.Stored, error) {
	var m interactions.Stored
	var at, recv int64
	var signals, an, as string
	if err := sc.Scan(&m.ID, &m.ConversationID, &m.CustomerID, &m.Channel, &m.Role, &at, &recv, &m.Team, &m.Agent, &m.Branch, &m.Product,
		&m.Text, &signals, &an, &m.Turn, &m.Risk, &m.Level, &as); err != nil {
		return nil, err
	}
	m.Time, m.ReceivedAt = fromMicros(at), fromMicros(recv)
	if signals != "" {
		if err := json.Unmarshal([]byte(signals), &m.Signals); err != nil {
			return nil, fmt.Errorf("store: message %s signals: %w", m.ID, err)
		}
	}
	if an != "" {
		if err := json.Unmarshal([]byte(an), &m.Analysis); err != nil {
			return nil, fmt.Errorf("store: message %s analysis: %w", m.ID, err)
		}
	}
	if as != "" {
		a, err := decodeAssessment(as, &m, texts)
		if err != nil {
			return nil, fmt.Errorf("store: message %s assessment: %w", m.ID, err)
		}
		m.Assessment = a
	}
	return &m, nil
}

func collectStored(rows *sql.Rows, err error, texts map[string][2]string) ([]interactions.Stored, error) {
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	defer rows.Close()
	var out []interactions.Stored
	for rows.Next() {
		m, err := scanStored(rows, texts)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

func (t *ingestTx) Messages(ctx context.Context, conversationID string, limit int) ([]interactions.Stored, error) {
	// The latest limit messages, returned oldest first.
	rows, err := t.tx.QueryContext(ctx, `SELECT `+msgCols+` FROM (SELECT `+msgCols+` FROM interactions
		WHERE conversation_id = ? ORDER BY at DESC, id DESC LIMIT ?) AS m ORDER BY at, id`, conversationID, limit)
	return collectStored(rows, err, nil)
}

// historyWindow is how far back other contacts count as recent.
const historyWindow = 30 * 24 * time.Hour

// Histories reads, per customer, the cases and the other conversations
// of the keys in two queries, then counts per key in memory.
func (t *ingestTx) Histories(ctx context.Context, keys []interactions.HistoryKey) ([]risk.History, error) {
	out := make([]risk.History, len(keys))
	var custs []string
	seen := map[string]bool{}
	oldest := time.Time{}
	for _, k := range keys {
		if !seen[k.CustomerID] {
			seen[k.CustomerID] = true
			custs = append(custs, k.CustomerID)
		}
		if from := k.At.Add(-historyWindow); oldest.IsZero() || from.Before(oldest) {
			oldest = from
		}
	}
	type caseRow struct {
		received int64
		open     bool
	}
	type convRow struct {
		id            string
		started, last int64
	}
	caseRows := map[string][]caseRow{}
	convRows := map[string][]convRow{}
	for len(custs) > 0 {
		n := min(len(custs), chunkRows)
		args := make([]any, n)
		for i := range n {
			args[i] = custs[i]
		}
		rows, err := t.query(ctx, multiRow(t.tx.d, "hcases",
			`SELECT customer_id, received_at, state FROM cases WHERE customer_id IN (`, "?", ")", n), args...)
		if err != nil {
			return nil, fmt.Errorf("store: customer history: %w", err)
		}
		for rows.Next() {
			var c string
			var r caseRow
			var st string
			if err := rows.Scan(&c, &r.received, &st); err != nil {
				rows.Close()
				return nil, err
			}
			r.open = st != "closed"
			caseRows[c] = append(caseRows[c], r)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		rows, err = t.query(ctx, multiRow(t.tx.d, "hconvs",
			`SELECT customer_id, id, started_at, last_at FROM conversations WHERE customer_id IN (`, "?", ") AND last_at >= ?", n),
			append(args, micros(oldest))...)
		if err != nil {
			return nil, fmt.Errorf("store: customer history: %w", err)
		}
		for rows.Next() {
			var c string
			var r convRow
			if err := rows.Scan(&c, &r.id, &r.started, &r.last); err != nil {
				rows.Close()
				return nil, err
			}
			convRows[c] = append(convRows[c], r)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		custs = custs[n:]
	}
	for i, k := range keys {
		h := &out[i]
		at := micros(k.At)
		var last int64
		for _, r := range caseRows[k.CustomerID] {
			if r.received > at {
				continue
			}
			h.PriorComplaints++
			if r.open {
				h.OpenCases++
			}
			last = max(last, r.received)
		}
		if last > 0 {
			h.LastComplaintAt = fromMicros(last)
		}
		from := micros(k.At.Add(-historyWindow))
		for _, r := range convRows[k.CustomerID] {
			if r.id != k.ConversationID && r.last >= from && r.started <= at {
				h.RecentContacts++
			}
		}
	}
	return out, nil
}

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func signalsJSON(s *risk.Signals) (string, error) {
	if *s == (risk.Signals{}) {
		return "", nil
	}
	return jsonString(s)
}

func (t *ingestTx) InsertMessages(ctx context.Context, ms []*interactions.Stored) error {
	const cols = 18
	if err := t.saveTexts(ctx, ms); err != nil {
		return err
	}
	for len(ms) > 0 {
		n := min(len(ms), chunkRows)
		q := insertChunkSQL(t.tx.d, n)
		args := make([]any, 0, n*cols)
		for _, m := range ms[:n] {
			sig, err := signalsJSON(&m.Signals)
			if err != nil {
				return err
			}
			an, err := jsonString(&m.Analysis)
			if err != nil {
				return err
			}
			as, err := assessmentJSON(m.Assessment)
			if err != nil {
				return err
			}
			args = append(args, m.ID, m.ConversationID, m.CustomerID, m.Channel, m.Role, micros(m.Time), micros(m.ReceivedAt),
				m.Team, m.Agent, m.Branch, m.Product, m.Text, sig, an, m.Turn, m.Risk, m.Level, as)
		}
		st, err := t.stmt(ctx, q)
		if err != nil {
			return fmt.Errorf("store: insert interactions: %w", err)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("store: insert interactions: %w", err)
		}
		ms = ms[n:]
	}
	return nil
}

// Messages store their assessment compactly: reason and intervention codes
// with weights, values and spans; the texts of each code are stored once in
// risk_texts (riskTextsSeen remembers, per database, which are there).
type compactReason struct {
	C string         `json:"c"`
	W float64        `json:"w"`
	V float64        `json:"v,omitempty"`
	S *analysis.Span `json:"s,omitempty"`
	T int            `json:"t,omitempty"`
}

type compactAssessment struct {
	R []compactReason `json:"r,omitempty"`
	I []string        `json:"i,omitempty"`
}

var riskTextsSeen sync.Map

func assessmentJSON(a *risk.Assessment) (string, error) {
	if a == nil {
		return "", nil
	}
	var c compactAssessment
	for _, r := range a.Reasons {
		c.R = append(c.R, compactReason{C: r.Code, W: r.Weight, V: r.Value, S: r.Span, T: r.SpanTurn})
	}
	for _, iv := range a.Interventions {
		c.I = append(c.I, iv.Code)
	}
	return jsonString(&c)
}

// textCache is, per database, the texts known to be stored by code.
type textCache struct {
	mu sync.Mutex
	m  map[string][2]string
}

// saveTexts stores the texts of the assessments' codes not yet known to
// be stored.
func (t *ingestTx) saveTexts(ctx context.Context, ms []*interactions.Stored) error {
	v, _ := riskTextsSeen.LoadOrStore(t.db, &textCache{m: map[string][2]string{}})
	tc := v.(*textCache)
	var todo []riskText
	tc.mu.Lock()
	check := func(code, zh, en string) {
		if x, ok := tc.m[code]; ok && x[0] == zh && x[1] == en {
			return
		}
		tc.m[code] = [2]string{zh, en}
		todo = append(todo, riskText{code, zh, en})
	}
	for _, m := range ms {
		if m.Assessment == nil {
			continue
		}
		for _, r := range m.Assessment.Reasons {
			check(r.Code, r.Zh, r.En)
		}
		for _, iv := range m.Assessment.Interventions {
			check("intervention:"+iv.Code, iv.Zh, iv.En)
		}
	}
	tc.mu.Unlock()
	for i, x := range todo {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO risk_texts (code, zh, en) VALUES (?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET zh = excluded.zh, en = excluded.en`, x.code, x.zh, x.en); err != nil {
			t.forgetTexts(tc, todo[i:])
			return fmt.Errorf("store: risk texts: %w", err)
		}
	}
	// If the transaction later rolls back, the texts were not stored
	// after all: forget them then.
	if len(todo) > 0 {
		t.onRollback = append(t.onRollback, func() {
			tc.mu.Lock()
			for _, x := range todo {
				delete(tc.m, x.code)
			}
			tc.mu.Unlock()
		})
	}
	return nil
}

type riskText struct{ code, zh, en string }

func (t *ingestTx) forgetTexts(tc *textCache, xs []riskText) {
	tc.mu.Lock()
	for _, x := range xs {
		delete(tc.m, x.code)
	}
	tc.mu.Unlock()
}

// riskTexts reads the stored texts by code.
func (db *DB) riskTexts(ctx context.Context) (map[string][2]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT code, zh, en FROM risk_texts`)
	if err != nil {
		return nil, fmt.Errorf("store: risk texts: %w", err)
	}
	defer rows.Close()
	out := map[string][2]string{}
	for rows.Next() {
		var c, zh, en string
		if err := rows.Scan(&c, &zh, &en); err != nil {
			return nil, err
		}
		out[c] = [2]string{zh, en}
	}
	return out, rows.Err()
}

// decodeAssessment rebuilds a stored assessment; texts nil leaves the
// texts empty.
func decodeAssessment(s string, m *interactions.Stored, texts map[string][2]string) (*risk.Assessment, error) {
	var c compactAssessment
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return nil, err
	}
	a := &risk.Assessment{Risk: m.Risk, Level: m.Level, Turn: m.Turn, Reasons: []risk.Reason{}, Interventions: []risk.Intervention{}}
	for _, r := range c.R {
		t := texts[r.C]
		a.Reasons = append(a.Reasons, risk.Reason{Code: r.C, Zh: t[0], En: t[1], Weight: r.W, Value: r.V, Span: r.S, SpanTurn: r.T})
	}
	for _, code := range c.I {
		t := texts["intervention:"+code]
		a.Interventions = append(a.Interventions, risk.Intervention{Code: code, Zh: t[0], En: t[1]})
	}
	return a, nil
}

func (t *ingestTx) UpdateScores(ctx context.Context, ms []*interactions.Stored) error {
	if err := t.saveTexts(ctx, ms); err != nil {
		return err
	}
	for _, m := range ms {
		as, err := assessmentJSON(m.Assessment)
		if err != nil {
			return err
		}
		if _, err := t.tx.ExecContext(ctx, `UPDATE interactions SET turn = ?, risk = ?, level = ?, assessment = ? WHERE id = ?`,
			m.Turn, m.Risk, m.Level, as, m.ID); err != nil {
			return fmt.Errorf("store: update interaction scores: %w", err)
		}
	}
	return nil
}

func (t *ingestTx) SaveConversations(ctx context.Context, cs []*interactions.Conversation) error {
	const cols = 15
	now := micros(time.Now())
	for len(cs) > 0 {
		n := min(len(cs), chunkRows)
		q := multiRow(t.tx.d, "conv", `INSERT INTO conversations (`+convCols+`, updated_at) VALUES `,
			"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ` ON CONFLICT (id) DO UPDATE SET team = excluded.team, agent = excluded.agent,
			branch = excluded.branch, product = excluded.product,
			started_at = excluded.started_at, last_at = excluded.last_at, messages = excluded.messages, risk = excluded.risk,
			level = excluded.level, state = excluded.state, alert = excluded.alert, updated_at = excluded.updated_at`, n)
		args := make([]any, 0, n*cols)
		for _, c := range cs[:n] {
			state, err := jsonString(struct {
				LastID string      `json:"last_id"`
				Risk   *risk.State `json:"risk"`
			}{c.LastID, &c.State})
			if err != nil {
				return fmt.Errorf("store: encode conversation state: %w", err)
			}
			alert, err := jsonString(c.Alert)
			if err != nil {
				return err
			}
			args = append(args, c.ID, c.CustomerID, c.Channel, c.Team, c.Agent, c.Branch, c.Product, micros(c.StartedAt), micros(c.LastAt),
				c.Messages, c.Risk, c.Level, state, alert, now)
		}
		if _, err := t.exec(ctx, q, args...); err != nil {
			return fmt.Errorf("store: save conversations: %w", err)
		}
		cs = cs[n:]
	}
	return nil
}

// Read side.

func (r *interactionRepo) GetConversation(ctx context.Context, id string) (*interactions.Conversation, error) {
	c, err := scanConversation(r.db.QueryRowContext(ctx, `SELECT `+convCols+` FROM conversations WHERE id = ?`, id), false)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: conversation %q", interactions.ErrNotFound, id)
	}
	if err != nil {
		return nil, fmt.Errorf("store: conversation: %w", err)
	}
	return c, nil
}

func (r *interactionRepo) ConversationMessages(ctx context.Context, id string, limit int) ([]interactions.Stored, error) {
	texts, err := r.db.riskTexts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := r.db.QueryContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE conversation_id = ? ORDER BY at, id LIMIT ?`, id, limit)
	return collectStored(rows, err, texts)
}

func (r *interactionRepo) CustomerConversations(ctx context.Context, customerID string, limit int) ([]interactions.Conversation, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT `+convCols+` FROM conversations WHERE customer_id = ? ORDER BY last_at DESC LIMIT ?`, customerID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: customer conversations: %w", err)
	}
	defer rows.Close()
	var out []interactions.Conversation
	for rows.Next() {
		c, err := scanConversation(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// CustomerMessages reads the latest messages of the customer's 20 latest
// conversations (messages are indexed by conversation, not customer: one
// index less on the hot insert path).
func (r *interactionRepo) CustomerMessages(ctx context.Context, customerID string, limit int) ([]interactions.Stored, error) {
	texts, err := r.db.riskTexts(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := r.db.QueryContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE conversation_id IN
		(SELECT id FROM conversations WHERE customer_id = ? ORDER BY last_at DESC LIMIT 20) ORDER BY at DESC, id DESC LIMIT ?`, customerID, limit)
	return collectStored(rows, err, texts)
}

// LiveConversations reads the recent conversations of an agent (every
// agent's when agent is empty), then the latest assessed message of each
// in one more query (assessments are stored per message).
func (r *interactionRepo) LiveConversations(ctx context.Context, agent string, since time.Time, limit int) ([]interactions.LiveConversation, error) {
	q := `SELECT ` + convCols + ` FROM conversations WHERE last_at >= ? ORDER BY last_at DESC, id LIMIT ?`
	args := []any{micros(since), limit}
	if agent != "" {
		q = `SELECT ` + convCols + ` FROM conversations WHERE agent = ? AND last_at >= ? ORDER BY last_at DESC, id LIMIT ?`
		args = []any{agent, micros(since), limit}
	}
	rows, err := r.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: live conversations: %w", err)
	}
	out := []interactions.LiveConversation{}
	idx := map[string]int{}
	for rows.Next() {
		c, err := scanConversation(rows, false)
		if err != nil {
			rows.Close()
			return nil, err
		}
		idx[c.ID] = len(out)
		out = append(out, interactions.LiveConversation{Conversation: *c})
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	texts, err := r.db.riskTexts(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]any, len(out))
	marks := make([]string, len(out))
	for i := range out {
		ids[i], marks[i] = out[i].ID, "?"
	}
	// The latest assessed message of each conversation, found through
	// interactions_conversation (conversation_id, at, id).
	mrows, err := r.db.QueryContext(ctx, `SELECT `+msgCols+` FROM interactions m WHERE conversation_id IN (`+
		strings.Join(marks, ",")+`) AND id = (SELECT l.id FROM interactions l WHERE l.conversation_id = m.conversation_id
		AND l.assessment <> '' ORDER BY l.at DESC, l.id DESC LIMIT 1)`, ids...)
	ms, err := collectStored(mrows, err, texts)
	if err != nil {
		return nil, fmt.Errorf("store: live conversations: %w", err)
	}
	for i := range ms {
		if j, ok := idx[ms[i].ConversationID]; ok {
			out[j].Assessment = ms[i].Assessment
		}
	}
	return out, nil
}

func (r *interactionRepo) Message(ctx context.Context, id string) (*interactions.Stored, error) {
	texts, err := r.db.riskTexts(ctx)
	if err != nil {
		return nil, err
	}
	m, err := scanStored(r.db.QueryRowContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE id = ?`, id), texts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: message %q", interactions.ErrNotFound, id)
	}
	return m, err
}

// Alerts inside the ingest transaction.

func (t *ingestTx) OpenAlert(ctx context.Context, a *alerts.Alert) (alerts.Event, error) {
	doc, err := jsonString(a)
	if err != nil {
		return alerts.Event{}, err
	}
	st, err := t.prepared(ctx, `INSERT INTO alerts (id, state, conversation_id, customer_id, channel, team, agent, risk,
		case_id, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return alerts.Event{}, fmt.Errorf("store: insert alert: %w", err)
	}
	if _, err := st.ExecContext(ctx,
		a.ID, string(a.State), a.ConversationID, a.CustomerID, a.Channel, a.Team, a.Agent, a.Risk, a.CaseID,
		micros(a.CreatedAt), micros(a.UpdatedAt), doc); err != nil {
		return alerts.Event{}, fmt.Errorf("store: insert alert: %w", err)
	}
	return t.appendEvent(ctx, alerts.EventOpened, a, a.CreatedAt)
}

// appendEvent is store.appendEvent with prepared statements, and without
// the deliveries statement while no webhook exists.
func (t *ingestTx) appendEvent(ctx context.Context, kind string, a *alerts.Alert, at time.Time) (alerts.Event, error) {
	if t.hooks < 0 {
		var n int
		rows, err := t.query(ctx, rebind(t.tx.d, `SELECT COUNT(*) FROM webhooks`))
		if err != nil {
			return alerts.Event{}, fmt.Errorf("store: webhooks: %w", err)
		}
		for rows.Next() {
			err = rows.Scan(&n)
		}
		if cerr := rows.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return alerts.Event{}, fmt.Errorf("store: webhooks: %w", err)
		}
		t.hooks = min(n, 1)
	}
	ev := alerts.Event{Kind: kind, At: at, Alert: *a}
	doc, err := jsonString(a)
	if err != nil {
		return ev, err
	}
	st, err := t.prepared(ctx, `INSERT INTO alert_events (alert_id, kind, at, doc) VALUES (?, ?, ?, ?) RETURNING seq`)
	if err != nil {
		return ev, fmt.Errorf("store: append alert event: %w", err)
	}
	if err := st.QueryRowContext(ctx, a.ID, kind, micros(at), doc).Scan(&ev.Seq); err != nil {
		return ev, fmt.Errorf("store: append alert event: %w", err)
	}
	if t.hooks == 0 {
		return ev, nil
	}
	return ev, queueDeliveries(ctx, t.tx, &ev)
}

func (t *ingestTx) RaiseAlert(ctx context.Context, a *alerts.Alert) (alerts.Event, bool, error) {
	ok, err := saveAlert(ctx, t.tx, a, true)
	if err != nil || !ok {
		return alerts.Event{}, ok, err
	}
	ev, err := t.appendEvent(ctx, alerts.EventRaised, a, a.UpdatedAt)
	return ev, true, err
}

func (t *ingestTx) GetAlert(ctx context.Context, id string) (*alerts.Alert, error) {
	return getAlert(ctx, t.tx.QueryRowContext(ctx, `SELECT doc FROM alerts WHERE id = ?`, id))
}
