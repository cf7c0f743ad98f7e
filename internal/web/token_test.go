package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"huajie/internal/auth"
)

// TestTokenAdminAPI: admins list tokens (never a secret) and revoke one;
// the revoked token, and an expired one, get 401 on their very next
// request; other roles get 403; bad and unknown ids are 422 and 404.
func TestTokenAdminAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin := e.as[auth.RoleAdmin]
		plain, tok, _, err := e.auth.IssueToken(ctx, auth.NewToken{User: "bot-1", Role: auth.RoleHandler, By: auth.Actor{Name: "test"}, ExpiresAt: time.Now().Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		bot := e.anon.WithToken(plain)
		me := func() int {
			resp, err := bot.Raw(ctx, "GET", "/api/v1/auth/me", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			return resp.Status
		}
		if got := me(); got != http.StatusOK {
			t.Fatalf("fresh token: %d", got)
		}

		resp, err := admin.Raw(ctx, "GET", "/api/v1/tokens", nil, nil)
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("list: %v %+v", err, resp)
		}
		if strings.Contains(string(resp.Body), auth.TokenPrefix) || strings.Contains(string(resp.Body), "hash") {
			t.Errorf("the list shows secrets: %s", resp.Body)
		}
		var list struct {
			Items []struct {
				ID         int64
				User       string
				Role       string
				CreatedBy  string    `json:"created_by"`
				LastUsedAt time.Time `json:"last_used_at"`
				ExpiresAt  time.Time `json:"expires_at"`
				Status     string
			}
		}
		if err := json.Unmarshal(resp.Body, &list); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range list.Items {
			if it.ID == tok.ID {
				found = true
				if it.User != "bot-1" || it.Role != "handler" || it.CreatedBy != "test" || it.LastUsedAt.IsZero() ||
					!it.ExpiresAt.Equal(tok.ExpiresAt) || it.Status != "active" {
					t.Errorf("listed token: %+v, issued %+v", it, tok)
				}
			}
		}
		if !found || len(list.Items) != len(auth.Roles)+1 {
			t.Errorf("%d tokens listed (bot-1 found: %v), want %d", len(list.Items), found, len(auth.Roles)+1)
		}

		for _, role := range auth.Roles {
			if role.Can(auth.PermTokenAdmin) {
				continue
			}
			r, err := e.as[role].Raw(ctx, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(tok.ID, 10), nil, nil)
			if err != nil || r.Status != http.StatusForbidden {
				t.Errorf("%s revoking: %v %d, want 403", role, err, r.Status)
			}
		}
		if got := me(); got != http.StatusOK {
			t.Fatalf("token after refused revocations: %d", got)
		}

		resp, err = admin.Raw(ctx, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(tok.ID, 10), nil, nil)
		if err != nil || resp.Status != http.StatusOK || !strings.Contains(string(resp.Body), `"status":"revoked"`) ||
			!strings.Contains(string(resp.Body), `"revoked_by":"test-admin"`) {
			t.Fatalf("revoke: %v %+v", err, resp)
		}
		if got := me(); got != http.StatusUnauthorized {
			t.Errorf("revoked token: %d, want 401", got)
		}

		for _, tc := range []struct {
			id   string
			want int
		}{{"abc", http.StatusUnprocessableEntity}, {"0", http.StatusUnprocessableEntity}, {"987654", http.StatusNotFound}} {
			r, err := admin.Raw(ctx, "DELETE", "/api/v1/tokens/"+tc.id, nil, nil)
			if err != nil || r.Status != tc.want || !strings.Contains(string(r.Body), `"code"`) {
				t.Errorf("revoke %q: %v %+v, want %d", tc.id, err, r, tc.want)
			}
		}

		// Expiry: a token whose time has come is refused on its next request.
		plain2, tok2, _, err := e.auth.IssueToken(ctx, auth.NewToken{User: "bot-2", Role: auth.RoleAgent, ExpiresAt: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		bot = e.anon.WithToken(plain2)
		if got := me(); got != http.StatusOK {
			t.Fatalf("token before its expiry: %d", got)
		}
		if _, err := e.db.Writer().ExecContext(ctx, e.db.Rebind(`UPDATE api_tokens SET expires_at = ? WHERE id = ?`),
			time.Now().Add(-time.Second).UnixMicro(), tok2.ID); err != nil {
			t.Fatal(err)
		}
		if got := me(); got != http.StatusUnauthorized {
			t.Errorf("expired token: %d, want 401", got)
		}
	})
}
