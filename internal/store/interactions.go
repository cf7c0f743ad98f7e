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
	"time"

	"huajie/internal/alerts"
	"huajie/internal/interactions"
	"huajie/internal/risk"
)

// Interactions returns the interactions.Store backed by db.
func (db *DB) Interactions() interactions.Store { return &interactionRepo{db: db} }

type interactionRepo struct{ db *DB }

var _ interactions.Store = (*interactionRepo)(nil)

// InTx runs fn in one write transaction.
func (r *interactionRepo) InTx(ctx context.Context, fn func(tx interactions.Tx) error) error {
	return r.db.WithTx(ctx, func(tx *Tx) error { return fn(&ingestTx{tx: tx}) })
}

type ingestTx struct{ tx *Tx }

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
		rows, err := t.tx.Tx.QueryContext(ctx, q, args...)
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

const convCols = "id, customer_id, channel, team, agent, started_at, last_at, messages, risk, level, state, alert"

func scanConversation(sc interface{ Scan(...any) error }, withState bool) (*interactions.Conversation, error) {
	var c interactions.Conversation
	var started, last int64
	var state, alert string
	if err := sc.Scan(&c.ID, &c.CustomerID, &c.Channel, &c.Team, &c.Agent, &started, &last, &c.Messages, &c.Risk, &c.Level, &state, &alert); err != nil {
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

func (t *ingestTx) Conversation(ctx context.Context, id string) (*interactions.Conversation, error) {
	c, err := scanConversation(t.tx.QueryRowContext(ctx, `SELECT `+convCols+` FROM conversations WHERE id = ?`, id), true)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: conversation: %w", err)
	}
	return c, nil
}

const msgCols = "id, conversation_id, customer_id, channel, role, at, received_at, team, agent, text, signals, analysis, turn, risk, level, assessment"

func scanStored(sc interface{ Scan(...any) error }) (*interactions.Stored, error) {
	var m interactions.Stored
	var at, recv int64
	var signals, an, as string
	if err := sc.Scan(&m.ID, &m.ConversationID, &m.CustomerID, &m.Channel, &m.Role, &at, &recv, &m.Team, &m.Agent,
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
		m.Assessment = new(risk.Assessment)
		if err := json.Unmarshal([]byte(as), m.Assessment); err != nil {
			return nil, fmt.Errorf("store: message %s assessment: %w", m.ID, err)
		}
	}
	return &m, nil
}

func collectStored(rows *sql.Rows, err error) ([]interactions.Stored, error) {
	if err != nil {
		return nil, fmt.Errorf("store: messages: %w", err)
	}
	defer rows.Close()
	var out []interactions.Stored
	for rows.Next() {
		m, err := scanStored(rows)
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
	return collectStored(rows, err)
}

// historyWindow is how far back other contacts count as recent.
const historyWindow = 30 * 24 * time.Hour

func (t *ingestTx) History(ctx context.Context, customerID, conversationID string, at time.Time) (risk.History, error) {
	var h risk.History
	var last sql.NullInt64
	var open sql.NullInt64
	err := t.tx.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN state <> 'closed' THEN 1 ELSE 0 END), MAX(received_at)
		FROM cases WHERE customer_id = ? AND received_at <= ?`, customerID, micros(at)).Scan(&h.PriorComplaints, &open, &last)
	if err != nil {
		return h, fmt.Errorf("store: customer history: %w", err)
	}
	h.OpenCases = int(open.Int64)
	if last.Valid {
		h.LastComplaintAt = fromMicros(last.Int64)
	}
	err = t.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM conversations WHERE customer_id = ? AND id <> ? AND last_at >= ? AND started_at <= ?`,
		customerID, conversationID, micros(at.Add(-historyWindow)), micros(at)).Scan(&h.RecentContacts)
	if err != nil {
		return h, fmt.Errorf("store: customer history: %w", err)
	}
	return h, nil
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
	const cols = 16
	for len(ms) > 0 {
		n := min(len(ms), chunkRows)
		q := multiRow(t.tx.d, "ins", `INSERT INTO interactions (`+msgCols+`) VALUES `,
			"(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", ` ON CONFLICT (id) DO NOTHING`, n)
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
				m.Team, m.Agent, m.Text, sig, an, m.Turn, m.Risk, m.Level, as)
		}
		if _, err := t.tx.Tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("store: insert interactions: %w", err)
		}
		ms = ms[n:]
	}
	return nil
}

func assessmentJSON(a *risk.Assessment) (string, error) {
	if a == nil {
		return "", nil
	}
	return jsonString(a)
}

func (t *ingestTx) UpdateScores(ctx context.Context, ms []*interactions.Stored) error {
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
	const cols = 13
	now := micros(time.Now())
	for len(cs) > 0 {
		n := min(len(cs), chunkRows)
		q := multiRow(t.tx.d, "conv", `INSERT INTO conversations (`+convCols+`, updated_at) VALUES `,
			"(?,?,?,?,?,?,?,?,?,?,?,?,?)", ` ON CONFLICT (id) DO UPDATE SET team = excluded.team, agent = excluded.agent,
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
			args = append(args, c.ID, c.CustomerID, c.Channel, c.Team, c.Agent, micros(c.StartedAt), micros(c.LastAt),
				c.Messages, c.Risk, c.Level, state, alert, now)
		}
		if _, err := t.tx.Tx.ExecContext(ctx, q, args...); err != nil {
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
	rows, err := r.db.QueryContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE conversation_id = ? ORDER BY at, id LIMIT ?`, id, limit)
	return collectStored(rows, err)
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

func (r *interactionRepo) CustomerMessages(ctx context.Context, customerID string, limit int) ([]interactions.Stored, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE customer_id = ? ORDER BY at DESC LIMIT ?`, customerID, limit)
	return collectStored(rows, err)
}

func (r *interactionRepo) Message(ctx context.Context, id string) (*interactions.Stored, error) {
	m, err := scanStored(r.db.QueryRowContext(ctx, `SELECT `+msgCols+` FROM interactions WHERE id = ?`, id))
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
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO alerts (id, state, conversation_id, customer_id, channel, team, agent, risk,
		case_id, created_at, updated_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ID, string(a.State), a.ConversationID, a.CustomerID, a.Channel, a.Team, a.Agent, a.Risk, a.CaseID,
		micros(a.CreatedAt), micros(a.UpdatedAt), doc); err != nil {
		return alerts.Event{}, fmt.Errorf("store: insert alert: %w", err)
	}
	return appendEvent(ctx, t.tx, alerts.EventOpened, a, a.CreatedAt)
}

func (t *ingestTx) RaiseAlert(ctx context.Context, a *alerts.Alert) (alerts.Event, bool, error) {
	ok, err := saveAlert(ctx, t.tx, a, true)
	if err != nil || !ok {
		return alerts.Event{}, ok, err
	}
	ev, err := appendEvent(ctx, t.tx, alerts.EventRaised, a, a.UpdatedAt)
	return ev, true, err
}

func (t *ingestTx) GetAlert(ctx context.Context, id string) (*alerts.Alert, error) {
	return getAlert(ctx, t.tx.QueryRowContext(ctx, `SELECT doc FROM alerts WHERE id = ?`, id))
}
