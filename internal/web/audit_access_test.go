package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"huajie/internal/audit"
	"huajie/internal/auth"
)

// TestAccessAuditAPI: a token revoked through the API is audited with the
// caller as the actor; GET /api/v1/audit lists the users' and tokens'
// entries (never a secret), filtered by action and paged; a case's trail
// does not hold them; the chain verifies; bad queries are 400.
func TestAccessAuditAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, comp := e.as[auth.RoleAdmin], e.as[auth.RoleCompliance]
		plain, tok, _, err := e.auth.IssueToken(ctx, auth.NewToken{User: "bot-1", Role: auth.RoleHandler, By: auth.Actor{Name: "cli:ops"}})
		if err != nil {
			t.Fatal(err)
		}
		c := e.newCase(t, "信用卡被盗刷，客服推诿")
		resp, err := admin.Raw(ctx, "DELETE", "/api/v1/tokens/"+strconv.FormatInt(tok.ID, 10), nil, nil)
		if err != nil || resp.Status != http.StatusOK {
			t.Fatalf("revoke: %v %+v", err, resp)
		}

		list := func(query string) ([]audit.Entry, int64) {
			t.Helper()
			r, err := comp.Raw(ctx, "GET", "/api/v1/audit"+query, nil, nil)
			if err != nil || r.Status != http.StatusOK {
				t.Fatalf("GET /api/v1/audit%s: %v %+v", query, err, r)
			}
			if strings.Contains(string(r.Body), plain) || strings.Contains(string(r.Body), auth.TokenPrefix) {
				t.Errorf("GET /api/v1/audit%s shows a secret: %s", query, r.Body)
			}
			var out struct {
				Items     []audit.Entry `json:"items"`
				NextAfter int64         `json:"next_after"`
			}
			if err := json.Unmarshal(r.Body, &out); err != nil {
				t.Fatal(err)
			}
			return out.Items, out.NextAfter
		}

		// The harness issued one token per role (creating its user), then
		// bot-1's user and token, then the revocation.
		toks, next := list("?action=token.")
		if len(toks) != len(auth.Roles)+2 || next != 0 {
			t.Fatalf("%d token entries (next_after %d), want %d", len(toks), next, len(auth.Roles)+2)
		}
		rev := toks[len(toks)-1]
		if rev.Action != "token.revoke" || rev.Actor != "test-admin" || rev.Role != "admin" || rev.CaseID != "" {
			t.Errorf("revocation entry: %s by %s (%s), case %q", rev.Action, rev.Actor, rev.Role, rev.CaseID)
		}
		var before, after struct {
			TokenID   int64  `json:"token_id"`
			User      string `json:"user"`
			Status    string `json:"status"`
			RevokedBy string `json:"revoked_by"`
		}
		if json.Unmarshal(rev.Before, &before) != nil || json.Unmarshal(rev.After, &after) != nil ||
			before.TokenID != tok.ID || before.Status != "active" || after.Status != "revoked" || after.RevokedBy != "test-admin" || after.User != "bot-1" {
			t.Errorf("revocation before %s after %s", rev.Before, rev.After)
		}
		issued := toks[len(toks)-2]
		if issued.Action != "token.issue" || issued.Actor != "cli:ops" || issued.Role != "" || !strings.Contains(string(issued.After), `"user":"bot-1"`) {
			t.Errorf("issue entry: %s by %s (%s) %s", issued.Action, issued.Actor, issued.Role, issued.After)
		}
		for _, en := range toks {
			if !strings.HasPrefix(en.Action, "token.") {
				t.Errorf("action=token. listed %s", en.Action)
			}
		}

		// Paging through the users' entries two at a time.
		var users []audit.Entry
		q := "?action=user.create&limit=2"
		for range 10 {
			page, next := list(q)
			users = append(users, page...)
			if next == 0 {
				break
			}
			if len(page) != 2 || next != page[1].Seq {
				t.Fatalf("page %s: %d items, next_after %d", q, len(page), next)
			}
			q = "?action=user.create&limit=2&after=" + strconv.FormatInt(next, 10)
		}
		if len(users) != len(auth.Roles)+1 || users[len(users)-1].Actor != "cli:ops" {
			t.Errorf("%d user.create entries, want %d, the last by cli:ops", len(users), len(auth.Roles)+1)
		}
		all, _ := list("")
		if len(all) != len(toks)+len(users) {
			t.Errorf("%d entries without a filter, want %d", len(all), len(toks)+len(users))
		}

		trail, err := comp.AuditTrail(ctx, c.ID)
		if err != nil || len(trail) == 0 {
			t.Fatalf("case trail: %v %v", trail, err)
		}
		for _, en := range trail {
			if en.CaseID != c.ID {
				t.Errorf("case trail holds %s for case %q", en.Action, en.CaseID)
			}
		}
		rep, err := comp.VerifyAudit(ctx)
		if err != nil || !rep.OK || rep.Entries != int64(len(all)+len(trail)) {
			t.Errorf("verify: %+v %v, want OK with %d entries", rep, err, len(all)+len(trail))
		}

		for _, bad := range []string{"?action=token.%25", "?action=Token.", "?limit=0", "?limit=1001", "?after=-1", "?after=x", "?case=1"} {
			r, err := comp.Raw(ctx, "GET", "/api/v1/audit"+bad, nil, nil)
			if err != nil || r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"bad_query"`) {
				t.Errorf("GET /api/v1/audit%s: %v %+v, want 400 bad_query", bad, err, r)
			}
		}
		for _, role := range auth.Roles {
			if role.Can(auth.PermAuditRead) {
				continue
			}
			if r, err := e.as[role].Raw(ctx, "GET", "/api/v1/audit", nil, nil); err != nil || r.Status != http.StatusForbidden {
				t.Errorf("%s: %v %+v, want 403", role, err, r)
			}
		}
	})
}
