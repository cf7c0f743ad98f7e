package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"huajie/internal/measures"
)

const measureCols = `id, version, title, description, target_kind, target_value, owner, due, status, effective_from, created_by, created_at, updated_at`

func scanMeasure(sc interface{ Scan(...any) error }) (*measures.Measure, error) {
	var m measures.Measure
	var due, eff, created, updated int64
	var kind string
	if err := sc.Scan(&m.ID, &m.Version, &m.Title, &m.Description, &kind, &m.Target.Value, &m.Owner, &due, &m.Status, &eff, &m.CreatedBy, &created, &updated); err != nil {
		return nil, err
	}
	m.Target.Kind = measures.TargetKind(kind)
	m.Due, m.EffectiveFrom, m.CreatedAt, m.UpdatedAt = fromMicros(due), fromMicros(eff), fromMicros(created), fromMicros(updated)
	return &m, nil
}

// CreateMeasure stores a new measure (version 1).
func (db *DB) CreateMeasure(ctx context.Context, m *measures.Measure) error {
	m.Version = 1
	_, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO measures (`+measureCols+`) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`),
		m.ID, m.Version, m.Title, m.Description, string(m.Target.Kind), m.Target.Value, m.Owner, micros(m.Due), string(m.Status), micros(m.EffectiveFrom),
		m.CreatedBy, micros(m.CreatedAt), micros(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("store: create measure: %w", err)
	}
	return nil
}

// GetMeasure returns a measure or measures.ErrNotFound.
func (db *DB) GetMeasure(ctx context.Context, id string) (*measures.Measure, error) {
	m, err := scanMeasure(db.QueryRowContext(ctx, `SELECT `+measureCols+` FROM measures WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: %q", measures.ErrNotFound, id)
	}
	return m, err
}

// ListMeasures returns the measures, open ones first by due date. status
// filters when not empty.
func (db *DB) ListMeasures(ctx context.Context, status string) ([]measures.Measure, error) {
	q := `SELECT ` + measureCols + ` FROM measures`
	var args []any
	if status != "" {
		q += ` WHERE status = ?`
		args = append(args, status)
	}
	q += ` ORDER BY CASE WHEN status IN ('done', 'cancelled') THEN 1 ELSE 0 END, due, id LIMIT 1000`
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []measures.Measure{}
	for rows.Next() {
		m, err := scanMeasure(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *m)
	}
	return out, rows.Err()
}

// UpdateMeasure writes a measure if its stored version is m.Version, and
// increments the version; measures.ErrConflict otherwise.
func (db *DB) UpdateMeasure(ctx context.Context, m *measures.Measure) error {
	res, err := db.Writer().ExecContext(ctx, db.Rebind(`UPDATE measures SET version = version + 1, title = ?, description = ?, target_kind = ?, target_value = ?, owner = ?, due = ?, status = ?, effective_from = ?, updated_at = ?
WHERE id = ? AND version = ?`), m.Title, m.Description, string(m.Target.Kind), m.Target.Value, m.Owner, micros(m.Due), string(m.Status), micros(m.EffectiveFrom), micros(m.UpdatedAt), m.ID, m.Version)
	if err != nil {
		return fmt.Errorf("store: update measure: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := db.GetMeasure(ctx, m.ID); err != nil {
			return err
		}
		return fmt.Errorf("%w: measure %q is not at version %d", measures.ErrConflict, m.ID, m.Version)
	}
	m.Version++
	return nil
}

// DeleteMeasure removes a measure.
func (db *DB) DeleteMeasure(ctx context.Context, id string) error {
	res, err := db.Writer().ExecContext(ctx, db.Rebind(`DELETE FROM measures WHERE id = ?`), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%w: %q", measures.ErrNotFound, id)
	}
	return nil
}
