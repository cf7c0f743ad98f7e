package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/store"
)

func runCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &cmdEnv{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

// TestAdminCommands runs migrate, user, token and audit verify in process
// against one SQLite file, and then breaks the audit chain by hand.
func TestAdminCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "admin.db")
	if code, out, errs := runCmd(t, "", "migrate", "--db", dsn); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	// Re-running is a no-op.
	if code, _, errs := runCmd(t, "", "migrate", "--db", dsn); code != 0 {
		t.Fatalf("second migrate: %d %s", code, errs)
	}

	if code, out, errs := runCmd(t, "一二三四五六七八\n", "user", "create", "--name", "王丽", "--role", "supervisor", "--db", dsn); code != 0 || !strings.Contains(out, "created") {
		t.Fatalf("user create: %d %s %s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "short\n", "user", "create", "--name", "x", "--role", "agent", "--db", dsn); code != 2 || !strings.Contains(errs, "at least") {
		t.Errorf("short password: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "longenough\n", "user", "create", "--name", "x", "--role", "root", "--db", dsn); code != 2 || !strings.Contains(errs, "unknown role") {
		t.Errorf("bad role: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "longenough\n", "user", "create", "--name", "王丽", "--role", "agent", "--db", dsn); code != 1 || !strings.Contains(errs, "exists") {
		t.Errorf("duplicate user: %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "新的密码也很长的\n", "user", "passwd", "--name", "王丽", "--db", dsn); code != 0 {
		t.Fatalf("passwd: %d %s", code, errs)
	}

	code, tok, errs := runCmd(t, "", "token", "create", "--user", "ci-bot", "--role", "analyst", "--db", dsn)
	tok = strings.TrimSpace(tok)
	if code != 0 || !strings.HasPrefix(tok, auth.TokenPrefix) || strings.Contains(tok, "\n") {
		t.Fatalf("token create: %d %q %s", code, tok, errs)
	}
	// A token cannot carry a role other than its user's.
	if code, _, errs := runCmd(t, "", "token", "create", "--user", "ci-bot", "--role", "admin", "--db", dsn); code == 0 || !strings.Contains(errs, "role") {
		t.Errorf("token with another role: %d %s", code, errs)
	}

	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	as := auth.New(auth.Opts{Store: db})
	if id, err := as.AuthenticateToken(ctx, tok); err != nil || id.Name != "ci-bot" || id.Role != auth.RoleAnalyst {
		t.Errorf("printed token does not authenticate: %+v %v", id, err)
	}
	if _, _, err := as.Login(ctx, "王丽", "新的密码也很长的"); err != nil {
		t.Errorf("login with the changed password: %v", err)
	}
	cs := cases.New(cases.Opts{Repo: db.Cases()})
	c, err := cs.Create(ctx, cases.Actor{Name: "王丽", Role: "supervisor"}, cases.NewCase{Channel: cases.ChannelBranch, Customer: cases.Customer{ID: "C1", Name: "黄强"}, Text: "柜员态度冷漠"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Transition(ctx, cases.Actor{Name: "王丽", Role: "supervisor"}, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	if code, out, errs := runCmd(t, "", "audit", "verify", "--db", dsn); code != 0 || !strings.Contains(out, "verified") {
		t.Fatalf("audit verify on an intact chain: %d %s %s", code, out, errs)
	}
	// Tamper with the first entry, as someone with database access might.
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_log SET actor = 'someone-else' WHERE seq = 1`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errs = runCmd(t, "", "audit", "verify", "--db", dsn)
	if code != 1 || !strings.Contains(errs, "entry 1") {
		t.Errorf("audit verify on a tampered chain: exit %d, %q (want 1 naming entry 1)", code, errs)
	}

	// Usage errors exit 2.
	for _, args := range [][]string{{"token"}, {"token", "create", "--user", "x"}, {"audit"}, {"user", "delete"}, {"serve", "extra"}} {
		if code, _, _ := runCmd(t, "", args...); code != 2 {
			t.Errorf("huajie %v: exit %d, want 2", args, code)
		}
	}
}

func TestRedactDSN(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@db:5432/x": "postgres://u:****@db:5432/x",
		"postgres://u@db/x":             "postgres://u@db/x",
		"huajie.db":                     "huajie.db",
	} {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}
