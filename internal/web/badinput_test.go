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

// TestBadInputs checks that every kind of bad request gets the right status,
// code and a message saying what and where.
func TestBadInputs(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	c := e.newCase(t, "柜员态度冷漠，爱答不理")
	cp := "/api/v1/cases/" + c.ID
	newCase := `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":"账单没收到"}`
	tests := []struct {
		name     string
		role     auth.Role
		method   string
		path     string
		body     any
		status   int
		code     string
		contains string
	}{
		{"malformed JSON names the position", auth.RoleHandler, "POST", "/api/v1/cases", "{\n  \"channel\": \"phone\",\n  \"text\": }", 400, "bad_json", "line 3, column"},
		{"truncated JSON", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone"`, 400, "bad_json", "unexpected end"},
		{"unknown field is named", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":"x","priority":1}`, 400, "unknown_field", `"priority"`},
		{"unknown nested field is named", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟","email":"a@b"},"text":"x"}`, 400, "unknown_field", `"email"`},
		{"wrong type names the field", auth.RoleHandler, "POST", cp + "/follow-ups", `{"satisfaction":"five"}`, 400, "bad_field_type", "satisfaction"},
		{"bad time", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":"x","received_at":"yesterday"}`, 400, "bad_json", "yesterday"},
		{"two JSON values", auth.RoleHandler, "POST", "/api/v1/cases", newCase + newCase, 400, "bad_json", "after the JSON value"},
		{"empty body", auth.RoleHandler, "POST", "/api/v1/cases", "", 400, "empty_body", "empty"},
		{"body over 1 MiB", auth.RoleHandler, "POST", "/api/v1/cases", `{"text":"` + strings.Repeat("长", web.MaxJSONBytes/3+10) + `"}`, 413, "too_large", "limit"},
		{"text over the field limit", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":"` + strings.Repeat("x", 70000) + `"}`, 413, "too_large", "text"},
		{"missing text", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":""}`, 422, "invalid_field", "text"},
		{"unknown channel", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"pigeon","customer":{"id":"C1","name":"张伟"},"text":"x"}`, 422, "invalid_field", "channel"},
		{"bad ID card check digit", auth.RoleHandler, "POST", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟","id_card":"110101199003071234"},"text":"x"}`, 422, "invalid_field", "id_card"},
		{"illegal transition names allowed steps", auth.RoleHandler, "POST", cp + "/transitions", `{"to":"closed"}`, 409, "illegal_transition", "allowed next steps: assessing"},
		{"unknown state", auth.RoleHandler, "POST", cp + "/transitions", `{"to":"done"}`, 422, "invalid_field", "done"},
		{"stale version", auth.RoleHandler, "POST", cp + "/transitions", `{"to":"assessing","if_version":99}`, 409, "conflict", "conflict"},
		{"solution in wrong state", auth.RoleHandler, "POST", cp + "/solutions", `{"summary":"道歉","remedies":[{"kind":"apology"}]}`, 409, "illegal_transition", "propose_solution"},
		{"satisfaction out of range", auth.RoleHandler, "POST", cp + "/follow-ups", `{"satisfaction":9}`, 422, "invalid_field", "satisfaction"},
		{"unknown case", auth.RoleHandler, "GET", "/api/v1/cases/no-such-case", nil, 404, "not_found", "not found"},
		{"unknown case on write", auth.RoleHandler, "POST", "/api/v1/cases/no-such-case/transitions", `{"to":"assessing"}`, 404, "not_found", "not found"},
		{"unknown evidence", auth.RoleHandler, "GET", cp + "/evidence/ev-nope", nil, 404, "not_found", "not found"},
		{"unknown list filter", auth.RoleHandler, "GET", "/api/v1/cases?stat=closed", nil, 400, "bad_query", `"stat"`},
		{"bad state filter", auth.RoleHandler, "GET", "/api/v1/cases?state=done", nil, 400, "bad_query", "state"},
		{"bad due_before", auth.RoleHandler, "GET", "/api/v1/cases?due_before=tomorrow", nil, 400, "bad_query", "due_before"},
		{"limit too high", auth.RoleHandler, "GET", "/api/v1/cases?limit=100000", nil, 400, "bad_query", "limit"},
		{"bad deadline status", auth.RoleHandler, "GET", "/api/v1/cases?deadline_status=late", nil, 400, "bad_query", "deadline_status"},
		{"bad sort", auth.RoleHandler, "GET", "/api/v1/cases?sort=priority", nil, 400, "bad_query", "sort"},
		{"bad difficulty flag", auth.RoleHandler, "GET", "/api/v1/cases?difficulty=angry", nil, 400, "bad_query", "difficulty"},
		{"extension without reason", auth.RoleSupervisor, "POST", cp + "/extend", `{"customer_notified":true}`, 422, "", "reason"},
		{"wrong method names the allowed ones", auth.RoleHandler, "DELETE", cp, nil, 405, "method_not_allowed", "allowed: GET"},
		{"unknown route", auth.RoleHandler, "GET", "/api/v1/nothing", nil, 404, "not_found", "no route"},
		{"wrong content type", auth.RoleHandler, "POST", "/api/v1/cases", nil, 415, "unsupported_media_type", "application/json"},
		{"bad bearer scheme", "", "GET", "/api/v1/cases", nil, 401, "unauthenticated", ""},
		{"login with wrong password", "", "POST", "/api/v1/auth/login", `{"name":"test-admin","password":"wrong-password"}`, 401, "unauthenticated", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := e.anon
			if tt.role != "" {
				cl = e.as[tt.role]
			}
			var hdr http.Header
			switch tt.name {
			case "wrong content type":
				hdr = http.Header{"Content-Type": {"text/plain"}}
				tt.body = "x"
			case "bad bearer scheme":
				hdr = http.Header{"Authorization": {"Basic dXNlcjpwdw=="}}
			}
			resp, err := cl.Raw(ctx, tt.method, tt.path, tt.body, hdr)
			if err != nil {
				t.Fatal(err)
			}
			checkError(t, resp, tt.status, tt.code, tt.contains)
		})
	}
}

func checkError(t *testing.T, resp *client.Response, status int, code, contains string) {
	t.Helper()
	var body struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		t.Fatalf("status %d, body is not the error shape: %s", resp.Status, resp.Body)
	}
	if resp.Status != status {
		t.Fatalf("status = %d, want %d (%s)", resp.Status, status, resp.Body)
	}
	if code != "" && body.Error.Code != code {
		t.Errorf("code = %q, want %q (%s)", body.Error.Code, code, body.Error.Message)
	}
	if body.Error.Message == "" || !strings.Contains(body.Error.Message, contains) {
		t.Errorf("message %q does not contain %q", body.Error.Message, contains)
	}
}
