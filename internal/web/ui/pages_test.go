package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// TestPagesEveryRole renders every page as every role in both languages:
// each page answers with the status its permission implies, no catalog
// key is missing (a missing one renders as ⟦key⟧), and personal data is
// masked exactly for the roles without the right to see it.
func TestPagesEveryRole(t *testing.T) {
	e := newEnv(t)
	pg, err := e.cases.List(t.Context(), cases.ListFilter{Limit: 100})
	if err != nil || len(pg.Items) == 0 {
		t.Fatal(err)
	}
	// A case with an ID-card number in clear in the store.
	var withID string
	var idCard string
	for _, it := range pg.Items {
		c, err := e.cases.Get(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Customer.IDCard != "" {
			withID, idCard = c.ID, c.Customer.IDCard
			break
		}
	}
	if withID == "" {
		t.Fatal("no demo case with an ID card number")
	}
	pages := []struct {
		path string
		perm auth.Permission
	}{
		{"/ui/", auth.PermPublic},
		{"/ui/workstation", auth.PermCaseContact},
		{"/ui/dashboard", auth.PermCaseAssign},
		{"/ui/cases/" + withID, auth.PermCaseRead},
	}
	for _, q := range []string{"mine", "team", "due_soon", "breached", "difficult", "malicious"} {
		pages = append(pages, struct {
			path string
			perm auth.Permission
		}{"/ui/desk?queue=" + q, auth.PermCaseRead})
	}
	for _, role := range auth.Roles {
		for _, lang := range []string{"zh-CN", "en"} {
			b := e.browser(t)
			b.lang = lang
			b.signIn(role)
			for _, p := range pages {
				st, body := b.get(p.path)
				want := http.StatusOK
				if !role.Can(p.perm) {
					want = http.StatusForbidden
				}
				if st != want {
					t.Errorf("%s %s %s: status %d, want %d", role, lang, p.path, st, want)
				}
				if strings.Contains(body, "⟦") {
					i := strings.Index(body, "⟦")
					t.Errorf("%s %s %s: missing catalog key near %q", role, lang, p.path, body[i:min(len(body), i+60)])
				}
				if strings.HasPrefix(p.path, "/ui/cases/") && st == http.StatusOK {
					clear := strings.Contains(body, idCard)
					if clear != role.Can(auth.PermPIIView) {
						t.Errorf("%s: ID card in clear = %v, want %v", role, clear, role.Can(auth.PermPIIView))
					}
				}
				nav := strings.Contains(body, `id="nav-dashboard"`)
				if st == http.StatusOK && nav != role.Can(auth.PermCaseAssign) {
					t.Errorf("%s %s: dashboard link shown = %v", role, p.path, nav)
				}
			}
		}
	}
}

// TestSignInGuards: wrong passwords are refused with a message in the
// user's language, repeated failures are rate-limited, a POST without the
// CSRF token is refused, and anonymous visitors are sent to sign in.
func TestSignInGuards(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	if st, body := b.get("/ui/desk"); st != http.StatusOK || !strings.Contains(body, `action="/ui/login"`) {
		t.Fatalf("anonymous desk: %d, want the sign-in form", st)
	}
	st, body := b.post("/ui/login", url.Values{"name": {"demo-handler"}, "password": {"wrong"}})
	if st != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码不正确") {
		t.Fatalf("wrong password: %d", st)
	}
	b.lang = "en"
	st, body = b.post("/ui/login", url.Values{"name": {""}, "password": {""}})
	if st != http.StatusUnprocessableEntity || strings.Count(body, "This field is required.") != 2 {
		t.Fatalf("empty form: %d, want both fields marked", st)
	}
	for range 5 {
		b.post("/ui/login", url.Values{"name": {"demo-handler"}, "password": {"wrong"}})
	}
	st, _ = b.post("/ui/login", url.Values{"name": {"demo-handler"}, "password": {e.users[auth.RoleHandler].Password}})
	if st != http.StatusTooManyRequests {
		t.Fatalf("after 6 failures: %d, want 429 even with the right password", st)
	}
	other := e.browser(t)
	st, _ = other.do("POST", "/ui/login", url.Values{"name": {"demo-agent"}, "password": {e.users[auth.RoleAgent].Password}})
	if st != http.StatusForbidden {
		t.Fatalf("sign-in without CSRF token: %d, want 403", st)
	}
	other.signIn(auth.RoleAgent)
	st, _ = other.post("/ui/logout", nil)
	if st != http.StatusOK {
		t.Fatalf("sign out: %d", st)
	}
	if st, body := other.get("/ui/desk"); st != http.StatusOK || !strings.Contains(body, `action="/ui/login"`) {
		t.Fatalf("after sign-out the desk should ask to sign in")
	}
}

// TestSuspectedMaliciousQueue: a case the goodwill assessment flags shows
// in the suspected-malicious queue and its case page shows the result,
// the recommendation and the decision-support notice.
func TestSuspectedMaliciousQueue(t *testing.T) {
	e := newEnv(t)
	pg, err := e.cases.List(t.Context(), cases.ListFilter{States: []cases.State{cases.StateInvestigating}, Limit: 1})
	if err != nil || len(pg.Items) == 0 {
		t.Fatal(err)
	}
	id := pg.Items[0].ID
	gw := []byte(`{"result":"suspected_malicious","confidence":0.8,"route_to_supervisor":true,"reasons":[{"zh":"索要与损失不相称的赔偿","en":"a demand out of proportion"}],"notice":{"zh":"本结果仅为辅助判断","en":"Decision support only"}}`)
	if _, err := e.cases.UpdateAssessment(t.Context(), cases.Actor{Name: "test", Role: "admin"}, id, cases.AssessmentPatch{Goodwill: gw}); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.signIn(auth.RoleSupervisor)
	_, body := b.get("/ui/desk?queue=malicious")
	if !strings.Contains(body, `data-case="`+id+`"`) {
		t.Fatal("the flagged case is not in the suspected-malicious queue")
	}
	if strings.Count(body, `data-case="`) != 1 {
		t.Errorf("the queue lists %d cases, want only the flagged one", strings.Count(body, `data-case="`))
	}
	_, body = b.get("/ui/cases/" + id)
	for _, want := range []string{"疑似恶意", "置信度 80%", "建议主管复核", "索要与损失不相称的赔偿", "本结果仅为辅助判断"} {
		if !strings.Contains(body, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
}

// TestExtendDeadline: the extension form needs a reason and the
// complainant told (messages next to the fields); the first extension
// under the CN policy is granted; the second asks for a senior approver.
func TestExtendDeadline(t *testing.T) {
	e := newEnv(t)
	pg, err := e.cases.List(t.Context(), cases.ListFilter{States: []cases.State{cases.StateInvestigating}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var id string
	for _, it := range pg.Items {
		c, err := e.cases.Get(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Deadline.Extensions) == 0 && c.Deadline.Policy == "cn_nfra_2020" {
			id = c.ID
			break
		}
	}
	if id == "" {
		t.Fatal("no investigating CN case without an extension")
	}
	b := e.browser(t)
	b.signIn(auth.RoleSupervisor)
	_, body := b.get("/ui/cases/" + id)
	if !strings.Contains(body, `id="act-extend"`) || strings.Contains(body, `id="extend-approver"`) {
		t.Fatal("step 1 extension form missing, or asking for an approver")
	}
	st, body := b.post("/ui/cases/"+id+"/extend", url.Values{"reason": {""}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="extend-reason-err"`) || !strings.Contains(body, "延长时限前必须告知投诉人") {
		t.Fatalf("empty extension: %d", st)
	}
	st, _ = b.post("/ui/cases/"+id+"/extend", url.Values{"reason": {"涉及多个部门，需要调取系统日志"}, "customer_notified": {"on"}})
	if st != http.StatusOK {
		t.Fatalf("extension: %d", st)
	}
	c, err := e.cases.Get(t.Context(), id)
	if err != nil || len(c.Deadline.Extensions) != 1 || c.Deadline.Extensions[0].Reason != "涉及多个部门，需要调取系统日志" {
		t.Fatalf("stored extensions: %+v %v", c.Deadline.Extensions, err)
	}
	_, body = b.get("/ui/cases/" + id)
	if !strings.Contains(body, `id="extend-approver"`) || !strings.Contains(body, "涉及多个部门，需要调取系统日志") {
		t.Fatal("step 2 should ask for an approver, and the timeline show the first extension")
	}
	st, body = b.post("/ui/cases/"+id+"/extend", url.Values{"reason": {"仍在调查"}, "customer_notified": {"on"}, "needs_approver": {"1"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "第二次延长需要上级批准人") {
		t.Fatalf("second extension without approver: %d", st)
	}
	// A handler may not extend at all.
	h := e.browser(t)
	h.signIn(auth.RoleHandler)
	if st, _ := h.post("/ui/cases/"+id+"/extend", url.Values{"reason": {"x"}, "customer_notified": {"on"}}); st != http.StatusForbidden {
		t.Errorf("handler extension: %d, want 403", st)
	}
}
