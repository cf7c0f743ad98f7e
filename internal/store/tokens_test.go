package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/store"
)

// TestTokenAdmin: tokens are listed without their secret, revocation and
// expiry refuse the very next authentication, last use is written at most
// once a minute, and a token stored before migration 00221 (only the old
// columns) still works.
func TestTokenAdmin(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		clock := func() time.Time { return now }
		svc := auth.New(auth.Opts{Store: db, Now: func() time.Time { return clock() }})

		plain, tok, _, err := svc.IssueToken(ctx, auth.NewToken{User: "ops1", Role: auth.RoleSupervisor, By: auth.Actor{Name: "admin1", Role: auth.RoleAdmin}, ExpiresAt: now.Add(90 * 24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		short, _, _, err := svc.IssueToken(ctx, auth.NewToken{User: "ops2", Role: auth.RoleAgent, By: auth.Actor{Name: "cli"}, ExpiresAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		// A token as migration 00050 stored it.
		legacy := "hj_legacy-token"
		u, err := db.UserByName(ctx, "ops1")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO api_tokens (user_id, role, hash, created_at) VALUES (?, ?, ?, ?)`),
			u.ID, string(auth.RoleSupervisor), auth.HashSecret(legacy), now.Add(-time.Hour).UnixMicro()); err != nil {
			t.Fatal(err)
		}

		for _, tc := range []struct {
			name, plain string
			ok          bool
		}{{"issued", plain, true}, {"short", short, true}, {"legacy", legacy, true}, {"unknown", "hj_nope", false}} {
			if _, err := svc.AuthenticateToken(ctx, tc.plain); (err == nil) != tc.ok {
				t.Errorf("%s: authenticate: %v, want ok %v", tc.name, err, tc.ok)
			}
		}

		list, err := svc.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 3 {
			t.Fatalf("%d tokens listed, want 3", len(list))
		}
		first := list[0]
		if first.ID != tok.ID || first.UserName != "ops1" || first.Role != auth.RoleSupervisor || first.CreatedBy != "admin1" ||
			!first.CreatedAt.Equal(now) || !first.ExpiresAt.Equal(tok.ExpiresAt) || !first.LastUsedAt.Equal(now) || len(first.Hash) != 0 {
			t.Errorf("listed token: %+v, issued %+v", first, tok)
		}
		if l := list[2]; l.CreatedBy != "" || !l.ExpiresAt.IsZero() || !l.RevokedAt.IsZero() || l.Status(now) != "active" {
			t.Errorf("legacy token: %+v", l)
		}

		// Last use: not rewritten within the minute, rewritten after it.
		lastUse := func() time.Time {
			ts, err := svc.Tokens(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return ts[0].LastUsedAt
		}
		now = now.Add(30 * time.Second)
		if _, err := svc.AuthenticateToken(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if got, want := lastUse(), now.Add(-30*time.Second); !got.Equal(want) {
			t.Errorf("last use within the minute: %v, want %v", got, want)
		}
		now = now.Add(31 * time.Second)
		if _, err := svc.AuthenticateToken(ctx, plain); err != nil {
			t.Fatal(err)
		}
		if got := lastUse(); !got.Equal(now) {
			t.Errorf("last use after a minute: %v, want %v", got, now)
		}

		// Revocation and expiry take effect at once.
		rev, err := svc.RevokeToken(ctx, tok.ID, auth.Actor{Name: "admin1", Role: auth.RoleAdmin})
		if err != nil || rev.RevokedAt.IsZero() || rev.RevokedBy != "admin1" || rev.Status(now) != "revoked" {
			t.Fatalf("revoke: %+v %v", rev, err)
		}
		if _, err := svc.AuthenticateToken(ctx, plain); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("revoked token: %v, want ErrBadCredentials", err)
		}
		again, err := svc.RevokeToken(ctx, tok.ID, auth.Actor{Name: "admin2", Role: auth.RoleAdmin})
		if err != nil || again.RevokedBy != "admin1" || !again.RevokedAt.Equal(rev.RevokedAt) {
			t.Errorf("revoking twice: %+v %v, want the first revocation kept", again, err)
		}
		if _, err := svc.RevokeToken(ctx, 99999, auth.Actor{Name: "admin1"}); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("unknown id: %v, want ErrNotFound", err)
		}
		now = now.Add(time.Hour)
		if _, err := svc.AuthenticateToken(ctx, short); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("expired token: %v, want ErrBadCredentials", err)
		}
		if _, err := svc.AuthenticateToken(ctx, legacy); err != nil {
			t.Errorf("legacy token after the others were revoked/expired: %v", err)
		}

		// Bad expiries are refused before anything is written.
		for _, exp := range []time.Time{now, now.Add(-time.Second), now.Add(11 * 366 * 24 * time.Hour)} {
			if _, _, _, err := svc.IssueToken(ctx, auth.NewToken{User: "ops3", Role: auth.RoleAgent, ExpiresAt: exp}); !errors.Is(err, auth.ErrInvalidExpiry) {
				t.Errorf("expiry %v: %v, want ErrInvalidExpiry", exp, err)
			}
		}
		if _, err := db.UserByName(ctx, "ops3"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("a refused token created its user: %v", err)
		}
	})
}

// BenchmarkAuthenticateToken is the per-request token check on SQLite:
// one read, and a write at most once a minute per token.
func BenchmarkAuthenticateToken(b *testing.B) {
	db := openSQLite(b)
	ctx := context.Background()
	svc := auth.New(auth.Opts{Store: db})
	plain, _, err := svc.CreateToken(ctx, "bench", auth.RoleAgent)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := svc.AuthenticateToken(ctx, plain); err != nil {
			b.Fatal(err)
		}
	}
}
