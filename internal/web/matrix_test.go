package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/web"
	"huajie/internal/web/client"
)

// TestRoleRouteMatrix walks every route for no identity and for every role:
// 401 without credentials, 403 for a role without the route's permission,
// neither for a role with it. The expectations come from the permission
// table, so a route added without the right permission shows up here.
func TestRoleRouteMatrix(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	c := e.newCase(t, "ATM吞卡，客服电话没人接")
	ev, err := e.as[auth.RoleHandler].UploadEvidence(ctx, c.ID, "note.txt", []byte("吞卡记录"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	path := func(p string) string {
		return strings.NewReplacer("{id}", c.ID, "{evidence_id}", ev.ID).Replace(p)
	}
	routes := web.Routes()
	if len(routes) < 25 {
		t.Fatalf("only %d routes", len(routes))
	}
	for _, rt := range routes {
		if rt.Path == "/api/v1/auth/logout" {
			continue // would end the session of the client; checked in TestSessions
		}
		t.Run(rt.Method+" "+rt.Path, func(t *testing.T) {
			// The body does not matter: authorisation comes before decoding,
			// and with the permission any answer but 401/403 will do.
			body := "{}"
			if rt.Method == "GET" {
				body = ""
			}
			send := func(role auth.Role) int {
				cl := e.anon
				if role != "" {
					cl = e.as[role]
				}
				var b any
				if body != "" {
					b = body
				}
				var resp *client.Response
				var err error
				if strings.HasSuffix(rt.Path, "/stream") {
					// An event stream does not end: read its status only.
					resp = &client.Response{}
					resp.Status, resp.Body, err = cl.StreamStatus(ctx, path(rt.Path))
				} else {
					resp, err = cl.Raw(ctx, rt.Method, path(rt.Path), b, nil)
				}
				if err != nil {
					t.Fatal(err)
				}
				if resp.Status == 401 || resp.Status == 403 {
					var eb struct{ Error struct{ Code string } }
					if json.Unmarshal(resp.Body, &eb) != nil || eb.Error.Code == "" {
						t.Errorf("%s: %d without the error shape: %s", role, resp.Status, resp.Body)
					}
				}
				return resp.Status
			}
			if rt.Perm != auth.PermPublic {
				if got := send(""); got != http.StatusUnauthorized {
					t.Errorf("no credentials: %d, want 401", got)
				}
			}
			for _, role := range auth.Roles {
				got := send(role)
				if role.Can(rt.Perm) {
					if got == http.StatusUnauthorized || got == http.StatusForbidden {
						t.Errorf("%s has %s but got %d", role, rt.Perm, got)
					}
				} else if got != http.StatusForbidden {
					t.Errorf("%s lacks %s but got %d, want 403", role, rt.Perm, got)
				}
			}
		})
	}

	// An invalid token is 401 even on a route every role may use.
	resp, err := e.anon.WithToken("hj_not-a-token").Raw(ctx, "GET", "/api/v1/auth/me", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusUnauthorized {
		t.Errorf("invalid token: %d, want 401", resp.Status)
	}
}
