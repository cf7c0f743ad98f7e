package main

import (
	"context"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/store"
)

// TestTokenCommands: create with an expiry, list (never the secret),
// revoke (the token stops working at once), and the usage errors.
func TestTokenCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "tokens.db")
	code, tok, errs := runCmd(t, "", "token", "create", "--user", "ops-bot", "--role", "supervisor", "--expires", "90d", "--db", dsn)
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, auth.TokenPrefix) || !strings.Contains(errs, "api token created") {
		t.Fatalf("token create: %d %q %s", code, tok, errs)
	}
	if code, _, errs := runCmd(t, "", "token", "create", "--user", "ci", "--role", "agent", "--db", dsn); code != 0 {
		t.Fatalf("second token: %d %s", code, errs)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as := auth.New(auth.Opts{Store: db})
	if _, err := as.AuthenticateToken(ctx, tok); err != nil {
		t.Fatalf("new token: %v", err)
	}
	ts, err := as.Tokens(ctx)
	if err != nil || len(ts) != 2 {
		t.Fatalf("tokens: %+v %v", ts, err)
	}
	first := ts[0]
	if d := time.Until(first.ExpiresAt); d < 89*24*time.Hour || d > 90*24*time.Hour || !strings.HasPrefix(first.CreatedBy, "cli") {
		t.Errorf("token 1: expires in %v, by %q; want 90 days, by cli", d, first.CreatedBy)
	}

	code, out, errs := runCmd(t, "", "token", "list", "--db", dsn)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || strings.Contains(out, tok) || strings.Contains(out, auth.TokenPrefix) {
		t.Fatalf("token list: %d\n%s\n%s", code, out, errs)
	}
	id := strconv.FormatInt(first.ID, 10)
	if f := strings.Fields(lines[1]); f[0] != id || f[1] != "ops-bot" || f[2] != "supervisor" || f[len(f)-1] != "active" {
		t.Errorf("token list row: %q", lines[1])
	}

	if code, out, errs := runCmd(t, "", "token", "revoke", "--id", id, "--db", dsn); code != 0 || !strings.Contains(out, "revoked") || !strings.Contains(errs, "api token revoked") {
		t.Fatalf("token revoke: %d %s %s", code, out, errs)
	}
	if _, err := as.AuthenticateToken(ctx, tok); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("revoked token: %v, want ErrBadCredentials", err)
	}
	if _, out, _ := runCmd(t, "", "token", "list", "--db", dsn); !strings.Contains(strings.Split(out, "\n")[1], "revoked") {
		t.Errorf("list after revoke: %s", out)
	}
	if code, _, errs := runCmd(t, "", "token", "revoke", "--id", "999", "--db", dsn); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("revoke unknown id: %d %s", code, errs)
	}

	for _, args := range [][]string{
		{"token", "create", "--user", "x", "--role", "agent", "--expires", "soon"},
		{"token", "create", "--user", "x", "--role", "agent", "--expires", "0d"},
		{"token", "create", "--user", "x", "--role", "agent", "--expires", "2001-01-01"},
		{"token", "revoke", "--id", "abc"},
		{"token", "revoke"},
		{"token", "rotate"},
	} {
		if code, _, errs := runCmd(t, "", append(args, "--db", dsn)...); code != 2 {
			t.Errorf("huajie %v: exit %d, want 2 (%s)", args, code, errs)
		}
	}
	if _, err := db.UserByName(ctx, "x"); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("a refused token created its user: %v", err)
	}
}
