package web_test

import (
	"context"
	"net/http"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/web/client"
)

// TestSessions signs in with a password, uses the cookie, checks that a
// cross-site browser request is refused, and signs out.
func TestSessions(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if _, err := e.auth.CreateUser(ctx, "李娜", auth.RoleSupervisor, "主管的密码真的很长"); err != nil {
			t.Fatal(err)
		}
		cl := client.New(e.base, "")
		if _, err := cl.Login(ctx, "李娜", "wrong password"); err == nil {
			t.Fatal("wrong password accepted")
		}
		if _, err := cl.Login(ctx, "nobody", "whatever1"); err == nil {
			t.Fatal("unknown user accepted")
		}
		me, err := cl.Login(ctx, "李娜", "主管的密码真的很长")
		if err != nil {
			t.Fatal(err)
		}
		if me.Role != "supervisor" || me.Via != "session" {
			t.Fatalf("login: %+v", me)
		}
		me, err = cl.Me(ctx)
		if err != nil || me.Name != "李娜" {
			t.Fatalf("me via cookie: %+v %v", me, err)
		}
		hasExtend := false
		for _, p := range me.Permissions {
			hasExtend = hasExtend || p == string(auth.PermCaseExtend)
		}
		if !hasExtend {
			t.Errorf("supervisor's permissions lack case:extend: %v", me.Permissions)
		}
		// A cross-site browser request with the cookie is refused.
		resp, err := cl.Raw(ctx, "POST", "/api/v1/cases", `{}`, http.Header{"Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}})
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != http.StatusForbidden {
			t.Errorf("cross-site POST: %d, want 403", resp.Status)
		}
		// Same-origin requests go through.
		if _, err := cl.CreateCase(ctx, casesInput()); err != nil {
			t.Errorf("same-origin create with session: %v", err)
		}
		if err := cl.Logout(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := cl.Me(ctx); err == nil {
			t.Fatal("session still valid after logout")
		} else if ce, ok := err.(*client.Error); !ok || ce.Status != 401 {
			t.Fatalf("after logout: %v", err)
		}
	})
}
