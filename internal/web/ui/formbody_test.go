package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huajie/internal/auth"
)

// TestPostedBodiesAreBounded: who may post is decided before the body is
// read, and a form's body is bounded before the CSRF check parses it — an
// anonymous post is refused without the server taking its file, an
// over-long text form is 413 in the user's language, and a form within
// the bound still works.
func TestPostedBodiesAreBounded(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	big := strings.Repeat("长", 1<<20) // 3 bytes a character: three times the bound

	// Anonymous: 401 whatever the body, before the CSRF check.
	if st, _ := b.post("/ui/cases/x/contact", url.Values{"text": {big}}); st != http.StatusUnauthorized {
		t.Errorf("anonymous over-long post: %d, want 401", st)
	}
	b.signIn(auth.RoleHandler)
	// A role without the permission: 403 before the body is read.
	agent := e.browser(t)
	agent.signIn(auth.RoleAgent)
	if st, _ := agent.post("/ui/cases/x/assign", url.Values{"assignee": {big}}); st != http.StatusForbidden {
		t.Errorf("agent assigning with an over-long body: %d, want 403", st)
	}
	// Signed in and allowed, but over the bound: 413, in Chinese.
	st, body := b.post("/ui/cases/x/contact", url.Values{"text": {big}})
	if st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "内容过大") {
		t.Errorf("over-long text form: %d, want 413 with 内容过大", st)
	}
	// Without the CSRF token, within the bound: still 403.
	if st, _ := b.do("POST", "/ui/cases/x/contact", url.Values{"text": {"hi"}}); st != http.StatusForbidden {
		t.Errorf("post without CSRF token: %d, want 403", st)
	}
	// Within the bound, with the token: the handler answers (an unknown
	// case here), so the bound does not stop ordinary forms.
	if st, _ := b.post("/ui/cases/x/contact", url.Values{"text": {"客户来电"}}); st == http.StatusRequestEntityTooLarge || st == http.StatusForbidden {
		t.Errorf("ordinary form: %d", st)
	}
}
