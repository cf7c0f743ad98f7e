package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"huajie/internal/alerts"
)

// Alerts returns the alerts.Store backed by db.
func (db *DB) Alerts() alerts.Store { return &alertRepo{db: db} }

type alertRepo struct{ db *DB }

var _ alerts.Store = (*alertRepo)(nil)

// appendEvent adds an event to the log and queues its webhook deliveries,
// in the caller's transaction.
func appendEvent(ctx context.Context, tx *Tx, kind string, a *alerts.Alert, at time.Time) (alerts.Event, error) {
	ev := alerts.Event{Kind: kind, At: at, Alert: *a}
	doc, err := jsonString(a)
	if err != nil {
		return ev, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO alert_events (alert_id, kind, at, doc) VALUES (?, ?, ?, ?) RETURNING seq`,
		a.ID, kind, micros(at), doc).Scan(&ev.Seq); err != nil {
		return ev, fmt.Errorf("store: append alert event: %w", err)
	}
	return ev, queueDeliveries(ctx, tx, &ev)
}

// queueDeliveries inserts the event's deliveries, one per webhook whose
// team matches.
func queueDeliveries(ctx context.Context, tx *Tx, ev *alerts.Event) error {
	at := ev.At
	payload, err := jsonString(ev)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_seq, kind, payload, state, attempts,
		next_at, created_at, updated_at) SELECT id, ?, ?, ?, 'pending', 0, ?, ?, ? FROM webhooks WHERE team = '' OR team = ?`,
		ev.Seq, ev.Kind, payload, micros(at), micros(at), micros(at), ev.Alert.Team); err != nil {
		return fmt.Errorf("store: queue webhook deliveries: %w", err)
	}
	return nil
}

// saveAlert writes an alert's columns and document; with notClosed it
// refuses (ok false) an alert that is closed in the store.
func saveAlert(ctx context.Context, tx *Tx, a *alerts.Alert, notClosed bool) (bool, error) {
	doc, err := jsonString(a)
	if err != nil {
		return false, err
	}
	q := `UPDATE alerts SET state = ?, team = ?, agent = ?, risk = ?, case_id = ?, updated_at = ?, doc = ? WHERE id = ?`
	if notClosed {
		q += ` AND state <> 'closed'`
	}
	res, err := tx.ExecContext(ctx, q, string(a.State), a.Team, a.Agent, a.Risk, a.CaseID, micros(a.UpdatedAt), doc, a.ID)
	if err != nil {
		return false, fmt.Errorf("store: update alert: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func getAlert(_ context.Context, row *sql.Row) (*alerts.Alert, error) {
	return getDoc[alerts.Alert](row, "alert", alerts.ErrNotFound)
}

// getDoc reads the one JSON document column of row into a T; notFound
// when there is no row.
func getDoc[T any](row *sql.Row, what string, notFound error) (*T, error) {
	var doc string
	if err := row.Scan(&doc); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, notFound
		}
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	var v T
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return nil, fmt.Errorf("store: %s document: %w", what, err)
	}
	return &v, nil
}

func (r *alertRepo) GetAlert(ctx context.Context, id string) (*alerts.Alert, error) {
	return getAlert(ctx, r.db.QueryRowContext(ctx, `SELECT doc FROM alerts WHERE id = ?`, id))
}

func (r *alertRepo) ListAlerts(ctx context.Context, f alerts.Filter) ([]alerts.Alert, error) {
	where, args := stateAndEquals(f.States, [][2]string{{"team", f.Team}, {"agent", f.Agent}, {"channel", f.Channel}, {"customer_id", f.Customer}})
	if !f.Before.IsZero() {
		where = append(where, "created_at < ?")
		args = append(args, micros(f.Before))
	}
	return listDocs[alerts.Alert](ctx, r.db, "alerts", "created_at", where, args, f.Limit)
}

// stateAndEquals is the WHERE conditions of an alert list: state among
// states (when any), and each column equal to its value (when not empty).
func stateAndEquals[S ~string](states []S, eq [][2]string) (where []string, args []any) {
	if len(states) > 0 {
		ph := make([]string, len(states))
		for i, s := range states {
			ph[i] = "?"
			args = append(args, string(s))
		}
		where = append(where, "state IN ("+strings.Join(ph, ",")+")")
	}
	for _, c := range eq {
		if c[1] != "" {
			where = append(where, c[0]+" = ?")
			args = append(args, c[1])
		}
	}
	return where, args
}

// listDocs reads the JSON documents of table's rows matching where (joined
// by AND), newest first by the time column then id, at most limit (50
// when not positive): the alert lists of both kinds.
func listDocs[T any](ctx context.Context, db *DB, table, timeCol string, where []string, args []any, limit int) ([]T, error) {
	q := `SELECT doc FROM ` + table
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	if limit <= 0 {
		limit = 50
	}
	q += ` ORDER BY ` + timeCol + ` DESC, id DESC LIMIT ?`
	args = append(args, limit)
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list %s: %w", table, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		var doc string
		if err := rows.Scan(&doc); err != nil {
			return nil, err
		}
		var v T
		if err := json.Unmarshal([]byte(doc), &v); err != nil {
			return nil, fmt.Errorf("store: %s document: %w", table, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func (r *alertRepo) SetAlertState(ctx context.Context, id string, to alerts.State, by, note string, at time.Time) (*alerts.Event, error) {
	var ev alerts.Event
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		a, err := getAlert(ctx, tx.QueryRowContext(ctx, `SELECT doc FROM alerts WHERE id = ?`+tx.ForUpdate(), id))
		if err != nil {
			return err
		}
		if a.State == alerts.StateClosed {
			return fmt.Errorf("%w: %s was closed by %s", alerts.ErrClosed, id, a.ClosedBy)
		}
		kind := alerts.EventAcknowledged
		switch to {
		case alerts.StateAcknowledged:
			if a.State == alerts.StateAcknowledged {
				ev = alerts.Event{Kind: kind, At: a.AcknowledgedAt, Alert: *a}
				return nil // acknowledging twice changes nothing
			}
			a.AcknowledgedBy, a.AcknowledgedAt = by, at
		case alerts.StateClosed:
			kind = alerts.EventClosed
			a.ClosedBy, a.ClosedAt, a.CloseNote = by, at, note
		default:
			return fmt.Errorf("%w: state %q", alerts.ErrInvalid, to)
		}
		a.State, a.UpdatedAt = to, at
		if _, err := saveAlert(ctx, tx, a, false); err != nil {
			return err
		}
		if to == alerts.StateClosed {
			if err := clearConversationAlert(ctx, tx, a.ConversationID, a.ID); err != nil {
				return err
			}
		}
		ev, err = appendEvent(ctx, tx, kind, a, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// clearConversationAlert forgets a closed alert in its conversation's
// stored alert state (the conversation stays disarmed until its risk falls
// below the re-arm level).
func clearConversationAlert(ctx context.Context, tx *Tx, convID, alertID string) error {
	var doc string
	err := tx.QueryRowContext(ctx, `SELECT alert FROM conversations WHERE id = ?`+tx.ForUpdate(), convID).Scan(&doc)
	if errors.Is(err, sql.ErrNoRows) || doc == "" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("store: conversation alert state: %w", err)
	}
	var st alerts.ConvState
	if err := json.Unmarshal([]byte(doc), &st); err != nil {
		return fmt.Errorf("store: conversation alert state: %w", err)
	}
	if st.AlertID != alertID {
		return nil
	}
	b, err := json.Marshal(st.Closed())
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE conversations SET alert = ? WHERE id = ?`, string(b), convID); err != nil {
		return fmt.Errorf("store: conversation alert state: %w", err)
	}
	return nil
}

func (r *alertRepo) LinkCase(ctx context.Context, id, caseID, by string, at time.Time) (*alerts.Event, error) {
	var ev alerts.Event
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		a, err := getAlert(ctx, tx.QueryRowContext(ctx, `SELECT doc FROM alerts WHERE id = ?`+tx.ForUpdate(), id))
		if err != nil {
			return err
		}
		if a.CaseID != "" {
			return fmt.Errorf("%w: %s", alerts.ErrHasCase, a.CaseID)
		}
		a.CaseID, a.UpdatedAt = caseID, at
		if a.State == alerts.StateOpen {
			a.State, a.AcknowledgedBy, a.AcknowledgedAt = alerts.StateAcknowledged, by, at
		}
		if _, err := saveAlert(ctx, tx, a, false); err != nil {
			return err
		}
		ev, err = appendEvent(ctx, tx, alerts.EventCase, a, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

func (r *alertRepo) CreateWebhook(ctx context.Context, w *alerts.Webhook) error {
	_, err := r.db.Writer().ExecContext(ctx, r.db.Rebind(`INSERT INTO webhooks (id, url, secret, team, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`),
		w.ID, w.URL, w.Secret, w.Team, w.CreatedBy, micros(w.CreatedAt))
	if err != nil {
		return fmt.Errorf("store: create webhook: %w", err)
	}
	return nil
}

func (r *alertRepo) ListWebhooks(ctx context.Context) ([]alerts.Webhook, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id, url, team, created_by, created_at FROM webhooks ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	out := []alerts.Webhook{}
	for rows.Next() {
		var w alerts.Webhook
		var at int64
		if err := rows.Scan(&w.ID, &w.URL, &w.Team, &w.CreatedBy, &at); err != nil {
			return nil, err
		}
		w.CreatedAt = fromMicros(at)
		out = append(out, w)
	}
	return out, rows.Err()
}

func (r *alertRepo) DeleteWebhook(ctx context.Context, id string) error {
	res, err := r.db.Writer().ExecContext(ctx, r.db.Rebind(`DELETE FROM webhooks WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("store: delete webhook: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: webhook %q", alerts.ErrNotFound, id)
	}
	return nil
}

func (r *alertRepo) DueDeliveries(ctx context.Context, now time.Time, limit int) ([]alerts.Delivery, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT d.id, d.webhook_id, d.event_seq, d.kind, d.payload, d.state, d.attempts, d.next_at,
		d.last_status, d.last_error, d.created_at, d.updated_at, w.url, w.secret
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
		WHERE d.state = 'pending' AND d.next_at <= ? ORDER BY d.next_at, d.id LIMIT ?`, micros(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due deliveries: %w", err)
	}
	defer rows.Close()
	var out []alerts.Delivery
	for rows.Next() {
		var d alerts.Delivery
		var payload string
		var next, created, updated int64
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.EventSeq, &d.Kind, &payload, &d.State, &d.Attempts, &next,
			&d.LastStatus, &d.LastError, &created, &updated, &d.URL, &d.Secret); err != nil {
			return nil, err
		}
		d.Payload = []byte(payload)
		d.NextAt, d.CreatedAt, d.UpdatedAt = fromMicros(next), fromMicros(created), fromMicros(updated)
		out = append(out, d)
	}
	return out, rows.Err()
}

func (r *alertRepo) NextDue(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	if err := r.db.QueryRowContext(ctx, `SELECT MIN(next_at) FROM webhook_deliveries WHERE state = 'pending'`).Scan(&next); err != nil {
		return time.Time{}, fmt.Errorf("store: next delivery: %w", err)
	}
	if !next.Valid {
		return time.Time{}, nil
	}
	return fromMicros(next.Int64), nil
}

func (r *alertRepo) RecordAttempt(ctx context.Context, d *alerts.Delivery, a alerts.Attempt) error {
	return r.db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms, outcome, next_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, d.ID, micros(a.At), a.Status, a.Error, a.DurationMS, a.Outcome, micros(a.NextAt)); err != nil {
			return fmt.Errorf("store: log delivery attempt: %w", err)
		}
		next := micros(a.NextAt)
		_, err := tx.ExecContext(ctx, `UPDATE webhook_deliveries SET state = ?, attempts = ?, next_at = ?, last_status = ?,
			last_error = ?, updated_at = ? WHERE id = ?`, a.Outcome, d.Attempts, next, a.Status, a.Error, micros(a.At), d.ID)
		if err != nil {
			return fmt.Errorf("store: update delivery: %w", err)
		}
		return nil
	})
}

func (r *alertRepo) Deliveries(ctx context.Context, webhookID string, limit int) ([]alerts.Delivery, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := r.db.QueryContext(ctx, `SELECT id, webhook_id, event_seq, kind, state, attempts, next_at, last_status, last_error,
		created_at, updated_at FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?`, webhookID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	var out []alerts.Delivery
	for rows.Next() {
		var d alerts.Delivery
		var next, created, updated int64
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.EventSeq, &d.Kind, &d.State, &d.Attempts, &next, &d.LastStatus,
			&d.LastError, &created, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		d.NextAt, d.CreatedAt, d.UpdatedAt = fromMicros(next), fromMicros(created), fromMicros(updated)
		out = append(out, d)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if out == nil {
		out = []alerts.Delivery{}
	}
	for i := range out {
		rows, err := r.db.QueryContext(ctx, `SELECT at, status, error, duration_ms, outcome, next_at FROM webhook_attempts
			WHERE delivery_id = ? ORDER BY at`, out[i].ID)
		if err != nil {
			return nil, fmt.Errorf("store: delivery attempts: %w", err)
		}
		for rows.Next() {
			var a alerts.Attempt
			var at, next int64
			if err := rows.Scan(&at, &a.Status, &a.Error, &a.DurationMS, &a.Outcome, &next); err != nil {
				rows.Close()
				return nil, err
			}
			a.At, a.NextAt = fromMicros(at), fromMicros(next)
			out[i].Log = append(out[i].Log, a)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
