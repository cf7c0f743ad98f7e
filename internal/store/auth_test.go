package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/store"
)

func TestAuthStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		u := &auth.User{Name: "王丽", Role: auth.RoleHandler, PasswordHash: "h1", CreatedAt: now}
		if err := db.CreateUser(ctx, u, auth.Actor{Name: "cli"}); err != nil {
			t.Fatal(err)
		}
		if u.ID == 0 {
			t.Fatal("CreateUser did not set the ID")
		}
		if err := db.CreateUser(ctx, &auth.User{Name: "王丽", Role: auth.RoleAgent, CreatedAt: now}, auth.Actor{Name: "cli"}); !errors.Is(err, auth.ErrExists) {
			t.Fatalf("duplicate name: err = %v, want ErrExists", err)
		}
		got, err := db.UserByName(ctx, "王丽")
		if err != nil || got.ID != u.ID || got.Role != auth.RoleHandler || got.PasswordHash != "h1" || !got.CreatedAt.Equal(now) || got.Disabled {
			t.Fatalf("UserByName = %+v, %v", got, err)
		}
		if _, err := db.UserByName(ctx, "nobody"); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("unknown user: %v", err)
		}

		tok := &auth.Token{UserID: u.ID, Role: auth.RoleHandler, Hash: auth.HashSecret("hj_x"), CreatedAt: now}
		if err := db.CreateToken(ctx, tok, auth.Actor{Name: "cli"}); err != nil {
			t.Fatal(err)
		}
		tu, tt, err := db.UserByTokenHash(ctx, auth.HashSecret("hj_x"))
		if err != nil || tu.Name != "王丽" || tt.Role != auth.RoleHandler || tt.ID != tok.ID {
			t.Fatalf("UserByTokenHash = %+v %+v %v", tu, tt, err)
		}
		if _, _, err := db.UserByTokenHash(ctx, auth.HashSecret("hj_y")); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("unknown token: %v", err)
		}

		s := &auth.Session{Hash: auth.HashSecret("s1"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if su, err := db.UserBySessionHash(ctx, s.Hash, now.Add(59*time.Minute)); err != nil || su.ID != u.ID {
			t.Fatalf("open session: %+v %v", su, err)
		}
		if _, err := db.UserBySessionHash(ctx, s.Hash, now.Add(time.Hour)); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("expired session still valid: %v", err)
		}
		// A password change closes the user's sessions.
		if err := db.SetPasswordHash(ctx, u.ID, "h2", auth.Actor{Name: "cli:ops"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySessionHash(ctx, s.Hash, now); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("session survived a password change: %v", err)
		}
		if got, _ := db.UserByName(ctx, "王丽"); got.PasswordHash != "h2" {
			t.Fatalf("password hash = %q", got.PasswordHash)
		}
		if err := db.SetPasswordHash(ctx, 99999, "x", auth.Actor{}); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("unknown user id: %v", err)
		}
		s2 := &auth.Session{Hash: auth.HashSecret("s2"), UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, s2); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, s2.Hash); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySessionHash(ctx, s2.Hash, now); !errors.Is(err, auth.ErrNotFound) {
			t.Fatalf("deleted session still valid: %v", err)
		}
	})
}
