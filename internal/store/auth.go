package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"huajie/internal/audit"
	"huajie/internal/auth"
)

// This file implements auth.Store: users, API tokens and sessions
// (migration 00050). Creating a user, changing a user's role or team and
// issuing or revoking a token append their audit entry (auth builds it)
// in the same transaction, through appendAudit like every case change:
// the chain head is locked, so these appends queue with the cases' ones.

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

// appendAuthAudit appends one entry of package auth's: it concerns no
// case.
func appendAuthAudit(ctx context.Context, tx *Tx, chs ...audit.Change) error {
	for i := range chs {
		chs[i].CaseID = ""
	}
	_, err := appendAudit(ctx, tx, time.Now(), chs)
	return err
}

// CreateUser inserts a user and audits it; auth.ErrExists when the name
// is taken.
func (db *DB) CreateUser(ctx context.Context, u *auth.User, by auth.Actor) error {
	var id int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO users (name, role, password_hash, disabled, team, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			u.Name, string(u.Role), u.PasswordHash, u.Disabled, u.Team, micros(u.CreatedAt)).Scan(&id)
		if err != nil && authDuplicate(err) {
			return fmt.Errorf("user %q: %w", u.Name, auth.ErrExists)
		}
		if err != nil {
			return fmt.Errorf("store: create user: %w", err)
		}
		c := *u
		c.ID = id
		return appendAuthAudit(ctx, tx, auth.UserCreateChange(by, &c))
	})
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

// userForUpdate reads a user in a write transaction, locking the row on
// PostgreSQL so the value before a change is the one changed.
func userForUpdate(ctx context.Context, tx *Tx, id int64) (*auth.User, error) {
	return scanUser(tx.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ?`+tx.ForUpdate(), id))
}

// UserByName returns a user or auth.ErrNotFound.
func (db *DB) UserByName(ctx context.Context, name string) (*auth.User, error) {
	return scanUser(db.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.name = ?`, name))
}

// SetPasswordHash replaces a user's password hash and, because a changed
// password must lock out whoever knew the old one, closes the user's
// sessions in the same transaction; the change is audited (user.password,
// without the hash).
func (db *DB) SetPasswordHash(ctx context.Context, userID int64, hash string, by auth.Actor) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		u, err := userForUpdate(ctx, tx, userID)
		if err != nil {
			return err
		}
		had := u.PasswordHash != ""
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID); err != nil {
			return fmt.Errorf("store: set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID); err != nil {
			return fmt.Errorf("store: close sessions: %w", err)
		}
		return appendAuthAudit(ctx, tx, auth.UserPasswordChange(by, u, had))
	})
}

// SetTeam sets a user's team and audits the change (nothing when the team
// is already that); auth.ErrNotFound for an unknown user.
func (db *DB) SetTeam(ctx context.Context, userID int64, team string, by auth.Actor) error {
	return db.WithTx(ctx, func(tx *Tx) error {
		u, err := userForUpdate(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Team == team {
			return nil
		}
		before := u.Team
		if _, err := tx.ExecContext(ctx, `UPDATE users SET team = ? WHERE id = ?`, team, userID); err != nil {
			return fmt.Errorf("store: set team: %w", err)
		}
		u.Team = team
		return appendAuthAudit(ctx, tx, auth.UserTeamChange(by, u, before))
	})
}

// SetRole sets a user's role, revokes the user's unrevoked tokens of
// another role at at, and audits the change and each revocation (nothing
// when the role is already that); auth.ErrNotFound for an unknown user.
func (db *DB) SetRole(ctx context.Context, userID int64, role auth.Role, by auth.Actor, at time.Time) ([]auth.Token, error) {
	var revoked []auth.Token
	err := db.WithTx(ctx, func(tx *Tx) error {
		revoked = nil
		u, err := userForUpdate(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Role == role {
			return nil
		}
		before := u.Role
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), userID); err != nil {
			return fmt.Errorf("store: set role: %w", err)
		}
		u.Role = role
		chs := []audit.Change{auth.UserRoleChange(by, u, before)}
		olds, err := scanTokens(tx.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id
			WHERE t.user_id = ? AND t.role <> ? AND t.revoked_at IS NULL ORDER BY t.id`+tx.ForUpdate(), userID, string(role)))
		if err != nil {
			return fmt.Errorf("store: set role: %w", err)
		}
		for _, old := range olds {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?`,
				micros(at), by.Name, old.ID); err != nil {
				return fmt.Errorf("store: set role: revoke token %d: %w", old.ID, err)
			}
			rev := old
			rev.RevokedAt, rev.RevokedBy = at.UTC().Truncate(time.Microsecond), by.Name
			chs = append(chs, auth.TokenRevokeChange(by, &old, &rev, auth.ReasonRoleChanged))
			revoked = append(revoked, rev)
		}
		return appendAuthAudit(ctx, tx, chs...)
	})
	if err != nil {
		return nil, err
	}
	return revoked, nil
}

// CreateToken stores a token's hash and audits it (never the hash).
func (db *DB) CreateToken(ctx context.Context, t *auth.Token, by auth.Actor) error {
	var id int64
	err := db.WithTx(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx,
			`INSERT INTO api_tokens (user_id, role, hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			t.UserID, string(t.Role), t.Hash, micros(t.CreatedAt), t.CreatedBy, nullMicros(t.ExpiresAt)).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: create token: %w", err)
		}
		// The user's role is read again under lock: a role changed since
		// the caller looked must not get a token for the old one.
		u, err := userForUpdate(ctx, tx, t.UserID)
		if err != nil {
			return err
		}
		if u.Role != t.Role {
			return fmt.Errorf("%w: user %q has role %s, not %s", auth.ErrRoleMismatch, u.Name, u.Role, t.Role)
		}
		c := *t
		c.ID, c.UserName = id, u.Name
		return appendAuthAudit(ctx, tx, auth.TokenIssueChange(by, &c))
	})
	if err != nil {
		return err
	}
	t.ID = id
	return nil
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
	out, err := scanTokens(db.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id ORDER BY t.id`))
	if err != nil {
		return nil, fmt.Errorf("store: list tokens: %w", err)
	}
	return out, nil
}

// scanTokens reads the rows of a query for tokenCols.
func scanTokens(rows *sql.Rows, err error) ([]auth.Token, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []auth.Token{}
	for rows.Next() {
		var t auth.Token
		var role string
		var times [4]sql.NullInt64
		if err := rows.Scan(tokenDest(&t, &role, &times)...); err != nil {
			return nil, err
		}
		fillToken(&t, role, &times)
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked and audits it (once: a second
// revocation keeps the first's time and author and audits nothing) and
// returns it; auth.ErrNotFound when unknown.
func (db *DB) RevokeToken(ctx context.Context, id int64, by auth.Actor, at time.Time) (*auth.Token, error) {
	var t auth.Token
	err := db.WithTx(ctx, func(tx *Tx) error {
		var role string
		var times [4]sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?`+tx.ForUpdate(), id).
			Scan(tokenDest(&t, &role, &times)...)
		if errors.Is(err, sql.ErrNoRows) {
			return auth.ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		fillToken(&t, role, &times)
		if !t.RevokedAt.IsZero() {
			return nil
		}
		before := t
		if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?`,
			micros(at), by.Name, id); err != nil {
			return fmt.Errorf("store: revoke token: %w", err)
		}
		t.RevokedAt, t.RevokedBy = at.UTC().Truncate(time.Microsecond), by.Name
		return appendAuthAudit(ctx, tx, auth.TokenRevokeChange(by, &before, &t, ""))
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
