package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/store"
)

// TestUserTeam: user add/create --team, user team to move or clear, a bad
// team refused before anything is stored.
func TestUserTeam(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "team.db")
	for _, tc := range []struct {
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"一二三四五六七八\n", []string{"user", "add", "--name", "王芳", "--role", "handler", "--team", "投诉处理一组"}, 0, "team 投诉处理一组"},
		{"", []string{"user", "create", "--name", "李强", "--role", "handler", "--no-password"}, 0, "created"},
		{"", []string{"user", "create", "--name", "坏", "--role", "handler", "--no-password", "--team", "a\tb"}, 2, "--team"},
		{"", []string{"user", "create", "--name", "坏", "--role", "handler", "--no-password", "--team", strings.Repeat("组", 43)}, 2, "over the limit of 128"},
		{"", []string{"user", "team", "--name", "李强", "--team", "投诉处理二组"}, 0, "in team 投诉处理二组"},
		{"", []string{"user", "team", "--name", "王芳", "--team", ""}, 0, "in no team"},
		{"", []string{"user", "team", "--name", "王芳"}, 2, "--team is required"},
		{"", []string{"user", "team", "--name", "nobody", "--team", "x"}, 1, "not found"},
	} {
		code, out, errs := runCmd(t, tc.stdin, append(tc.args, "--db", dsn)...)
		if code != tc.code || !strings.Contains(out+errs, tc.out) {
			t.Errorf("huajie %v: exit %d %q %q, want %d and %q", tc.args, code, out, errs, tc.code, tc.out)
		}
	}
	db, err := store.OpenAndMigrate(context.Background(), "sqlite:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for name, team := range map[string]string{"王芳": "", "李强": "投诉处理二组"} {
		u, err := db.UserByName(context.Background(), name)
		if err != nil || u.Team != team {
			t.Errorf("%s: %+v %v, want team %q", name, u, err, team)
		}
	}
	if _, err := db.UserByName(context.Background(), "坏"); err == nil {
		t.Error("a user with a bad team was stored")
	}
}

// TestUserCommandsAudited: user create, team and role, token create and
// revoke from the command line each leave their audit entry with the
// command line as the actor (no role); a role change revokes the user's
// tokens for the old role; huajie audit verify passes over the whole
// chain; the token's secret is nowhere in the log.
func TestUserCommandsAudited(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "audited.db")
	run := func(stdin string, code int, want string, args ...string) string {
		t.Helper()
		got, out, errs := runCmd(t, stdin, append(args, "--db", dsn)...)
		if got != code || !strings.Contains(out+errs, want) {
			t.Fatalf("huajie %v: exit %d %q %q, want %d and %q", args, got, out, errs, code, want)
		}
		return out
	}
	run("", 0, "created", "user", "create", "--name", "王芳", "--role", "handler", "--no-password", "--team", "投诉处理一组")
	tok := strings.TrimSpace(run("", 0, auth.TokenPrefix, "token", "create", "--user", "王芳", "--role", "handler"))
	run("", 0, "in team 投诉处理二组", "user", "team", "--name", "王芳", "--team", "投诉处理二组")
	run("", 0, "in team 投诉处理二组", "user", "team", "--name", "王芳", "--team", "投诉处理二组") // unchanged: no entry
	out := run("", 0, "has role supervisor", "user", "role", "--name", "王芳", "--role", "supervisor")
	if !strings.Contains(out, "token 1 (王芳, handler) revoked") {
		t.Errorf("role change did not report the revoked token: %q", out)
	}
	run("", 0, "has role supervisor", "user", "role", "--name", "王芳", "--role", "supervisor") // unchanged: no entry
	run("", 2, "unknown role", "user", "role", "--name", "王芳", "--role", "root")
	run("", 2, "unknown role", "user", "role", "--name", "王芳")
	run("", 1, "not found", "user", "role", "--name", "nobody", "--role", "agent")
	run("", 0, auth.TokenPrefix, "token", "create", "--user", "ci-bot", "--role", "analyst")
	run("", 0, "revoked", "token", "revoke", "--id", "2")
	run("", 0, "verified", "audit", "verify")

	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := auth.New(auth.Opts{Store: db}).AuthenticateToken(ctx, tok); !errors.Is(err, auth.ErrBadCredentials) {
		t.Errorf("handler token after the role change: %v, want ErrBadCredentials", err)
	}
	es, err := db.AuditEntries(ctx, auth.AuditQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append(got, e.Action)
		if !strings.HasPrefix(e.Actor, "cli") || e.Role != "" || e.CaseID != "" {
			t.Errorf("entry %d %s: actor %q role %q case %q, want the command line, no role, no case", e.Seq, e.Action, e.Actor, e.Role, e.CaseID)
		}
		if strings.Contains(string(e.Before)+string(e.After), tok) || strings.Contains(string(e.Before)+string(e.After), strings.TrimPrefix(tok, auth.TokenPrefix)) {
			t.Errorf("entry %d %s holds the token", e.Seq, e.Action)
		}
	}
	want := "user.create,token.issue,user.team,user.role,token.revoke,user.create,token.issue,token.revoke"
	if strings.Join(got, ",") != want {
		t.Errorf("audit actions %s, want %s", strings.Join(got, ","), want)
	}
}
