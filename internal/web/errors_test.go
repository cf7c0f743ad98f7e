package web_test

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// TestValidationReasonInBody: a field the case service refuses comes back
// as {"error":{"code":"invalid_field","message","field","reason"}}, the
// reason being the service's stable validation code, for every role
// (masking leaves field and reason alone). Other errors keep the two-key
// shape.
func TestValidationReasonInBody(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	c := e.newCase(t, "柜员态度冷漠，爱答不理")
	cp := "/api/v1/cases/" + c.ID
	sup := auth.RoleSupervisor
	// Two extensions use up the CN policy of this second case.
	full := e.newCase(t, "信用卡账单没有收到")
	for _, body := range []string{`{"reason":"需要调取日志","customer_notified":true}`, `{"reason":"仍在调查","customer_notified":true,"approver":"wu.director"}`} {
		resp, err := e.as[sup].Raw(ctx, "POST", "/api/v1/cases/"+full.ID+"/extend", body, nil)
		if err != nil || resp.Status != 200 {
			t.Fatalf("extension: %v %d %s", err, resp.Status, resp.Body)
		}
	}
	tests := []struct {
		name, path, body string
		role             auth.Role
		status           int
		code             string
		field, reason    string
	}{
		{"missing text", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟"},"text":" "}`, auth.RoleHandler, 422, "invalid_field", "text", cases.CodeRequired},
		{"unknown channel", "/api/v1/cases", `{"channel":"pigeon","customer":{"id":"C1","name":"张伟"},"text":"x"}`, auth.RoleAgent, 422, "invalid_field", "channel", cases.CodeUnknownValue},
		{"ID card check digit", "/api/v1/cases", `{"channel":"phone","customer":{"id":"C1","name":"张伟","id_card":"110101199003071234"},"text":"x"}`, auth.RoleAgent, 422, "invalid_field", "customer.id_card", cases.CodeIDCardCheck},
		{"unknown state", cp + "/transitions", `{"to":"done"}`, auth.RoleHandler, 422, "invalid_field", "to", cases.CodeUnknownValue},
		{"satisfaction", cp + "/follow-ups", `{"satisfaction":9}`, auth.RoleHandler, 422, "invalid_field", "satisfaction", cases.CodeSatisfactionRange},
		{"extension rule", cp + "/extend", `{"customer_notified":true}`, sup, 422, "invalid_field", "reason", cases.CodeExtensionRule},
		{"no more extensions", "/api/v1/cases/" + full.ID + "/extend", `{"reason":"还要","customer_notified":true,"approver":"wu.director"}`, sup, 409, "no_more_extensions", "policy", cases.CodeNoMoreExtensions},
		{"illegal transition has no field", cp + "/transitions", `{"to":"closed"}`, auth.RoleHandler, 409, "illegal_transition", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := e.as[tt.role].Raw(ctx, "POST", tt.path, tt.body, nil)
			if err != nil {
				t.Fatal(err)
			}
			var body struct {
				Error map[string]string `json:"error"`
			}
			if err := json.Unmarshal(resp.Body, &body); err != nil {
				t.Fatalf("status %d, body is not the error shape: %s", resp.Status, resp.Body)
			}
			got := body.Error
			if resp.Status != tt.status || got["code"] != tt.code || got["message"] == "" {
				t.Fatalf("got %d %s, want %d %s", resp.Status, resp.Body, tt.status, tt.code)
			}
			if tt.reason == "" {
				if _, has := got["reason"]; has || len(got) != 2 {
					t.Errorf("a non-field error has more than code and message: %s", resp.Body)
				}
				return
			}
			if got["field"] != tt.field || got["reason"] != tt.reason {
				t.Errorf("field %q reason %q, want %q %q (%s)", got["field"], got["reason"], tt.field, tt.reason, resp.Body)
			}
			if !slices.Contains(cases.ValidationCodes(), got["reason"]) {
				t.Errorf("reason %q is not a documented validation code", got["reason"])
			}
			if !strings.Contains(got["message"], tt.field) {
				t.Errorf("message %q does not name the field", got["message"])
			}
		})
	}
}

// TestBadCursorReason: a list cursor the server did not hand out is refused
// with its own reason, not the generic one.
func TestBadCursorReason(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	resp, err := e.as[auth.RoleHandler].Raw(context.Background(), "GET", "/api/v1/cases?cursor=not-a-cursor", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var body struct {
		Error map[string]string `json:"error"`
	}
	if err := json.Unmarshal(resp.Body, &body); err != nil || resp.Status != 422 ||
		body.Error["field"] != "cursor" || body.Error["reason"] != cases.CodeBadCursor {
		t.Errorf("got %d %s, want 422 with field cursor and reason %s", resp.Status, resp.Body, cases.CodeBadCursor)
	}
}

// TestDocsListEveryValidationCode keeps docs/api.md's table of reasons in
// step with the codes package cases can produce.
func TestDocsListEveryValidationCode(t *testing.T) {
	b, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range cases.ValidationCodes() {
		if !strings.Contains(string(b), "| `"+code+"` |") {
			t.Errorf("docs/api.md lacks the reason %s", code)
		}
	}
}
