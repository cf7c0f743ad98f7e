package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"huajie/internal/alerts"
)

// SpikeAlerts returns the spike alerts' storage (spikewatch.Store).
func (db *DB) SpikeAlerts() *SpikeAlertRepo { return &SpikeAlertRepo{db: db} }

// SpikeAlertRepo stores spike alerts; their events share the conversation
// alerts' event log and webhook deliveries.
type SpikeAlertRepo struct{ db *DB }

// RaiseSpike inserts a spike alert unless one with its key exists
// (insert-if-absent on the unique key, so two processes raise it once) and
// returns its spike.raised event. When one exists and a's count is higher,
// the stored count, expected and z are updated and a spike.updated event
// returned. Otherwise it returns nil: nothing changed.
func (r *SpikeAlertRepo) RaiseSpike(ctx context.Context, a *alerts.SpikeAlert) (*alerts.Event, error) {
	var ev *alerts.Event
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		doc, err := jsonString(a)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO spike_alerts (id, alert_key, source, dim, value, day, state, n, z, raised_at, updated_at, doc)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (alert_key) DO NOTHING`,
			a.ID, a.Key, a.Source, a.By, a.Value, a.Day, string(a.State), a.Count, a.Z, micros(a.RaisedAt), micros(a.UpdatedAt), doc)
		if err != nil {
			return fmt.Errorf("store: insert spike alert: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 1 {
			e, err := appendSpikeEvent(ctx, tx, alerts.EventSpikeRaised, a, a.RaisedAt)
			ev = &e
			return err
		}
		old, err := getSpike(tx.QueryRowContext(ctx, `SELECT doc FROM spike_alerts WHERE alert_key = ?`+tx.ForUpdate(), a.Key))
		if err != nil {
			return err
		}
		if a.Count <= old.Count {
			return nil
		}
		old.Count, old.Expected, old.Z, old.UpdatedAt = a.Count, a.Expected, a.Z, a.UpdatedAt
		if err := saveSpike(ctx, tx, old, old.State); err != nil {
			return err
		}
		e, err := appendSpikeEvent(ctx, tx, alerts.EventSpikeUpdated, old, a.UpdatedAt)
		ev = &e
		return err
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// saveSpike writes a spike alert whose stored state is still from
// (optimistic check); alerts.ErrSpikeState when it changed meanwhile.
func saveSpike(ctx context.Context, tx *Tx, a *alerts.SpikeAlert, from alerts.SpikeState) error {
	doc, err := jsonString(a)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx, `UPDATE spike_alerts SET state = ?, n = ?, z = ?, updated_at = ?, doc = ? WHERE id = ? AND state = ?`,
		string(a.State), a.Count, a.Z, micros(a.UpdatedAt), doc, a.ID, string(from))
	if err != nil {
		return fmt.Errorf("store: update spike alert: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return fmt.Errorf("%w: %s changed meanwhile", alerts.ErrSpikeState, a.ID)
	}
	return nil
}

// appendSpikeEvent adds a spike alert's event to the alert event log and
// queues it for every webhook that is not limited to a team (a spike
// belongs to none), in the caller's transaction.
func appendSpikeEvent(ctx context.Context, tx *Tx, kind string, a *alerts.SpikeAlert, at time.Time) (alerts.Event, error) {
	snap := *a
	ev := alerts.Event{Kind: kind, At: at, Spike: &snap}
	doc, err := jsonString(a)
	if err != nil {
		return ev, err
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO alert_events (alert_id, kind, at, doc) VALUES (?, ?, ?, ?) RETURNING seq`,
		a.ID, kind, micros(at), doc).Scan(&ev.Seq); err != nil {
		return ev, fmt.Errorf("store: append spike alert event: %w", err)
	}
	payload, err := jsonString(ev)
	if err != nil {
		return ev, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO webhook_deliveries (webhook_id, event_seq, kind, payload, state, attempts,
		next_at, created_at, updated_at) SELECT id, ?, ?, ?, 'pending', 0, ?, ?, ? FROM webhooks WHERE team = ''`,
		ev.Seq, ev.Kind, payload, micros(at), micros(at), micros(at)); err != nil {
		return ev, fmt.Errorf("store: queue webhook deliveries: %w", err)
	}
	return ev, nil
}

var errSpikeNotFound = fmt.Errorf("%w: spike alert", alerts.ErrNotFound)

func getSpike(row *sql.Row) (*alerts.SpikeAlert, error) {
	return getDoc[alerts.SpikeAlert](row, "spike alert", errSpikeNotFound)
}

// GetSpikeAlert returns a spike alert; alerts.ErrNotFound.
func (r *SpikeAlertRepo) GetSpikeAlert(ctx context.Context, id string) (*alerts.SpikeAlert, error) {
	a, err := getSpike(r.db.QueryRowContext(ctx, `SELECT doc FROM spike_alerts WHERE id = ?`, id))
	if errors.Is(err, alerts.ErrNotFound) {
		return nil, fmt.Errorf("%w: spike alert %q", alerts.ErrNotFound, id)
	}
	return a, err
}

// ListSpikeAlerts lists spike alerts, newest first.
func (r *SpikeAlertRepo) ListSpikeAlerts(ctx context.Context, f alerts.SpikeFilter) ([]alerts.SpikeAlert, error) {
	where, args := stateAndEquals(f.States, [][2]string{{"source", f.Source}, {"dim", f.By}, {"value", f.Value}})
	return listDocs[alerts.SpikeAlert](ctx, r.db, "spike_alerts", "raised_at", where, args, f.Limit)
}

// SetSpikeAlertState acknowledges or dismisses a spike alert
// (alerts.SpikeAlert.Transition decides), appends the event and returns
// it; alerts.ErrNotFound, alerts.ErrSpikeState, alerts.ErrInvalid.
func (r *SpikeAlertRepo) SetSpikeAlertState(ctx context.Context, id string, to alerts.SpikeState, by, note string, at time.Time) (*alerts.Event, error) {
	var ev alerts.Event
	err := r.db.WithTx(ctx, func(tx *Tx) error {
		a, err := getSpike(tx.QueryRowContext(ctx, `SELECT doc FROM spike_alerts WHERE id = ?`+tx.ForUpdate(), id))
		if errors.Is(err, alerts.ErrNotFound) {
			return fmt.Errorf("%w: spike alert %q", alerts.ErrNotFound, id)
		}
		if err != nil {
			return err
		}
		from := a.State
		kind, err := a.Transition(to, by, note, at)
		if err != nil {
			return err
		}
		if err := saveSpike(ctx, tx, a, from); err != nil {
			return err
		}
		ev, err = appendSpikeEvent(ctx, tx, kind, a, at)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// Events returns up to limit alert events with Seq > seq, oldest first:
// a conversation alert's document goes to Event.Alert, a spike alert's
// (kind spike.*) to Event.Spike.
func (r *alertRepo) Events(ctx context.Context, seq int64, limit int) ([]alerts.Event, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT seq, kind, at, doc FROM alert_events WHERE seq > ? ORDER BY seq LIMIT ?`, seq, limit)
	if err != nil {
		return nil, fmt.Errorf("store: alert events: %w", err)
	}
	defer rows.Close()
	var out []alerts.Event
	for rows.Next() {
		var ev alerts.Event
		var at int64
		var doc string
		if err := rows.Scan(&ev.Seq, &ev.Kind, &at, &doc); err != nil {
			return nil, err
		}
		ev.At = fromMicros(at)
		var target any = &ev.Alert
		if alerts.IsSpikeEvent(ev.Kind) {
			ev.Spike = &alerts.SpikeAlert{}
			target = ev.Spike
		}
		if err := json.Unmarshal([]byte(doc), target); err != nil {
			return nil, fmt.Errorf("store: alert event %d document: %w", ev.Seq, err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}
