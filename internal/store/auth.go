package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huajie/internal/auth"
)

// This file implements auth.Store: users, API tokens and sessions
// (migration 00050).

var _ auth.Store = (*DB)(nil)

func authDuplicate(err error) bool {
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

const userCols = "u.id, u.name, u.role, u.password_hash, u.disabled, u.team, u.created_at"

func scanUser(row interface{ Scan(...any) error }, extra ...any) (*auth.User, error) {
	var u auth.User
	var role string
	var created int64
	dest := append([]any{&u.ID, &u.Name, &role, &u.PasswordHash, &u.Disabled, &u.Team, &created}, extra...)
	if err := row.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, auth.ErrNotFound
		}
		return nil, fmt.Errorf("store: %w", err)
	}
	u.Role = auth.Role(role)
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

// CreateUser inserts a user; auth.ErrExists when the name is taken.
func (db *DB) CreateUser(ctx context.Context, u *auth.User) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO users (name, role, password_hash, disabled, team, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.Team, micros(u.CreatedAt)).Scan(&u.ID)
		if err != nil && authDuplicate(err) {
			return fmt.Errorf("user %q: %w", u.Name, auth.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		return nil
	})
}

// UserByName returns a user or auth.ErrNotFound.
func (db *DB) UserByName(ctx context.Context, name string) (*auth.User, error) {
	return scanUser(db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, name))
}

// SetPasswordHash replaces a user's password hash and, because a changed
// password must lock out whoever knew the old one, closes the user's
// sessions in the same transaction.
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return auth.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: close sessions: %w", err)
		}
		return nil
	})
}

// SetTeam sets a user's team; auth.ErrNotFound for an unknown user.
func (db *DB) SetTeam(ctx context.Context, userID int64, team string) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET team = ? WHERE id = ?`, team, userID)
		if err != nil {
			return fmt.Errorf("store: set team: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return auth.ErrNotFound
		}
		return nil
	})
}

// CreateToken stores a token's hash.
func (db *DB) CreateToken(ctx context.Context, t *auth.Token) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO api_tokens (user_id, role, hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.UserID, string(t.Role), t.Hash, micros(t.CreatedAt), t.CreatedBy, nullMicros(t.ExpiresAt)).Scan(&t.ID)
		if err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		return nil
	})
}

// tokenCols are a token's columns but its hash, for scanToken.
const tokenCols = "t.id, t.user_id, u.name, t.role, t.created_at, t.created_by, t.last_used_at, t.expires_at, t.revoked_at, t.revoked_by"

func tokenDest(t *auth.Token, role *string, times *[4]sql.NullInt64) []any {
	return []any{&t.ID, &t.UserID, &t.UserName, role, &times[0], &t.CreatedBy, &times[1], &times[2], &times[3], &t.RevokedBy}
}

func fillToken(t *auth.Token, role string, times *[4]sql.NullInt64) {
	t.Role = auth.Role(role)
	for i, dst := range []*time.Time{&t.CreatedAt, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt} {
		if times[i].Valid {
			*dst = fromMicros(times[i].Int64)
		}
	}
}

// UserByTokenHash returns a token and its user, or auth.ErrNotFound.
func (db *DB) UserByTokenHash(ctx context.Context, hash []byte) (*auth.User, *auth.Token, error) {
	var t auth.Token
	var role string
	var times [4]sql.NullInt64
	u, err := scanUser(db.QueryRowContext(ctx,
		`SELECT `+userCols+`, `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = ?`, hash),
		tokenDest(&t, &role, &times)...)
	if err != nil {
		return nil, nil, err
	}
	fillToken(&t, role, &times)
	t.Hash = hash
	return u, &t, nil
}

// ListTokens returns every token without its hash, oldest first.
func (db *DB) ListTokens(ctx context.Context) ([]auth.Token, error) {
	rows, err := db.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		var t auth.Token
		var role string
		var times [4]sql.NullInt64
		if err := rows.Scan(tokenDest(&t, &role, &times)...); err != nil {
			return nil, fmt.Errorf("store: list tokens: %w", err)
		}
		fillToken(&t, role, &times)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked (once: a second revocation keeps the
// first's time and author) and returns it; auth.ErrNotFound when unknown.
func (db *DB) RevokeToken(ctx context.Context, id int64, by string, at time.Time) (*auth.Token, error) {
	var t auth.Token
	err := db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL`,
			micros(at), by, id); err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		var role string
		var times [4]sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`, id).
			Scan(tokenDest(&t, &role, &times)...)
		if errors.Is(err, sql.ErrNoRows) {
			return auth.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		fillToken(&t, role, &times)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// TouchToken records a token's use at at unless it was recorded at or
// after notBefore.
func (db *DB) TouchToken(ctx context.Context, id int64, at, notBefore time.Time) error {
	_, err := db.Writer().ExecContext(ctx, db.Rebind(`UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`),
		micros(at), id, micros(notBefore))
	if err != nil {
		return fmt.Errorf("store: token last use: %w", err)
	}
	return nil
}

// CreateSession stores a session's hash, and removes expired sessions on
// the way so the table does not grow without bound.
func (db *DB) CreateSession(ctx context.Context, s *auth.Session) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(s.CreatedAt)); err != nil {
			return fmt.Errorf("store: expire sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			s.Hash, s.UserID, micros(s.CreatedAt), micros(s.ExpiresAt)); err != nil {
			return fmt.Errorf("store: create session: %w", err)
		}
		return nil
	})
}

// UserBySessionHash returns the user of a session open at now, or
// auth.ErrNotFound.
func (db *DB) UserBySessionHash(ctx context.Context, hash []byte, now time.Time) (*auth.User, error) {
	return scanUser(db.QueryRowContext(ctx,
		`SELECT `+userCols+` FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.hash = ? AND s.expires_at > ?`,
		hash, micros(now)))
}

// DeleteSession closes a session (no error if it does not exist).
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash)
		if err != nil {
			return fmt.Errorf("store: delete session: %w", err)
		}
		return nil
	})
}
