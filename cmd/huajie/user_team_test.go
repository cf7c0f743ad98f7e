package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

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
