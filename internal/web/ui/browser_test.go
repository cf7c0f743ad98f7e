package ui_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/web"
	"huajie/internal/web/ui/browser"
)

// The browser tests drive headless Chromium through chromedp. Without a
// Chromium they fail when CI is set and skip otherwise.

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
)

// tab returns a browser tab in a browser context of its own (its own
// cookies), 1280×800, bounded by a timeout.
func tab(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ui-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		// The browser outlives single tests; it ends with the test binary.
		var actx context.Context
		actx, _, browserErr = browser.Start(context.Background(), dir, 1280, 800)
		if browserErr != nil {
			return
		}
		// The first context starts the browser; tabs are opened from it.
		browserCtx, _ = chromedp.NewContext(actx)
		browserErr = chromedp.Do(browserCtx)
	})
	if browserErr != nil {
		if errors.Is(browserErr, browser.ErrNoBrowser) && os.Getenv("CI") == "" {
			t.Skip(browserErr)
		}
		t.Fatal(browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancel2 := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	// A browser set up for a Chinese user (the headless default is en-US).
	if _, err := chromedp.Call(ctx, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{Headers: network.Headers{"Accept-Language": "zh-CN,zh;q=0.9"}}); err != nil {
		t.Fatal(err)
	}
	return ctx
}

func do(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("at %s: %v", loc, err)
	}
}

// poll waits until a JavaScript condition holds, across a navigation
// (which ends a poll running in the old page).
func poll(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	var err error
	for range 50 {
		if _, err = chromedp.Run(ctx, chromedp.Poll[bool](cond)); err == nil {
			return
		}
		if ctx.Err() != nil {
			break
		}
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	t.Fatalf("at %s, waiting for %s: %v", loc, cond, err)
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func has(t *testing.T, ctx context.Context, sel string) bool {
	return eval[bool](t, ctx, `document.querySelector(`+jsString(sel)+`) !== null`)
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// signIn fills the sign-in form with the keyboard (Enter submits) and
// waits for the start page.
func signIn(t *testing.T, ctx context.Context, e *env, role auth.Role) {
	t.Helper()
	u := e.users[role]
	do(t, ctx,
		chromedp.Navigate(e.base+"/ui/login"),
		chromedp.WaitVisible(chromedp.ID("name")),
		chromedp.SendKeys(chromedp.ID("name"), u.Name),
		chromedp.SendKeys(chromedp.ID("password"), u.Password+"\r"),
		chromedp.WaitReady(chromedp.ID("whoami")),
	)
}

// TestBrowserRoles signs in as each role and checks it sees only what it
// may: navigation, the dashboard, the case actions, personal data.
func TestBrowserRoles(t *testing.T) {
	e := newEnv(t)
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateInvestigating && c.Customer.IDCard != "" })
	for _, role := range auth.Roles {
		t.Run(string(role), func(t *testing.T) {
			ctx := tab(t)
			signIn(t, ctx, e, role)
			for sel, perm := range map[string]auth.Permission{"#nav-workstation": auth.PermCaseContact, "#nav-desk": auth.PermCaseRead, "#nav-dashboard": auth.PermCaseAssign} {
				if got := has(t, ctx, sel); got != role.Can(perm) {
					t.Errorf("%s shown = %v", sel, got)
				}
			}
			do(t, ctx, chromedp.Navigate(e.base+"/ui/dashboard"), chromedp.WaitReady(chromedp.CSS("main")))
			if forbidden := has(t, ctx, `#error-message[data-status="403"]`); forbidden == role.Can(auth.PermCaseAssign) {
				t.Errorf("dashboard forbidden = %v", forbidden)
			}
			do(t, ctx, chromedp.Navigate(e.base+"/ui/cases/"+c.ID), chromedp.WaitVisible(chromedp.ID("case-state")))
			idShown := text(t, ctx, "#customer-idcard")
			if clear := idShown == c.Customer.IDCard; clear != role.Can(auth.PermPIIView) {
				t.Errorf("ID card shown as %q", idShown)
			}
			if got := has(t, ctx, "#act-solution"); got != role.Can(auth.PermCaseWork) {
				t.Errorf("solution form shown = %v", got)
			}
			if got := has(t, ctx, "#act-extend"); got != role.Can(auth.PermCaseExtend) {
				t.Errorf("extension form shown = %v", got)
			}
			if got := has(t, ctx, "#act-contact"); got != role.Can(auth.PermCaseContact) {
				t.Errorf("contact form shown = %v", got)
			}
			if role == auth.RoleAnalyst || role == auth.RoleCompliance {
				if !has(t, ctx, "#no-actions") {
					t.Errorf("read-only role: expected the no-actions note")
				}
			}
		})
	}
}

func findCase(t *testing.T, e *env, ok func(*cases.Case) bool) *cases.Case {
	t.Helper()
	pg, err := e.cases.List(t.Context(), cases.ListFilter{Limit: cases.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range pg.Items {
		c, err := e.cases.Get(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ok(c) {
			return c
		}
	}
	t.Fatal("no demo case fits")
	return nil
}

func state(t *testing.T, ctx context.Context) string {
	return eval[string](t, ctx, `document.getElementById("case-state").dataset.state`)
}

// click clicks a button that submits a form and waits for the next page.
func click(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.body.dataset.old = "1"`))
	do(t, ctx, chromedp.Click(chromedp.ID(id)))
	poll(t, ctx, `document.readyState === "complete" && document.body && !document.body.dataset.old`)
}

// TestBrowserWorkCase works a received case to closed through the pages,
// as a handler: assess, draft a reply from a template, propose a solution
// (first empty, to see the message next to the field), tell the customer,
// record the acceptance and the follow-up visit, close.
func TestBrowserWorkCase(t *testing.T) {
	e := newEnv(t)
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateReceived })
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleHandler)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/cases/"+c.ID), chromedp.WaitVisible(chromedp.ID("case-state")))
	if st := state(t, ctx); st != "received" {
		t.Fatalf("state %s", st)
	}
	if has(t, ctx, "#act-solution") || has(t, ctx, "#act-response") {
		t.Error("a received case offers a solution or a response")
	}
	click(t, ctx, "to-assessing")
	if st := state(t, ctx); st != "assessing" {
		t.Fatalf("after start assessment: %s", st)
	}

	// Reply drafting: the empathy template fills the text (Alpine).
	do(t, ctx,
		chromedp.SetValue(chromedp.ID("draft-pick"), "empathy"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("draft-pick").dispatchEvent(new Event("change"))`),
	)
	draft, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("contact-content")))
	if err != nil || !strings.Contains(draft, "我理解您的感受") || !strings.Contains(draft, c.Customer.Name) {
		t.Fatalf("empathy draft: %q %v", draft, err)
	}
	click(t, ctx, "contact-submit")
	if got := text(t, ctx, "#timeline-list"); !strings.Contains(got, "我理解您的感受") {
		t.Errorf("the reply is not on the timeline")
	}

	// An empty proposal: the message is next to the summary field.
	click(t, ctx, "solution-submit")
	if got := text(t, ctx, "#solution-summary-err"); got != "此项为必填项。" {
		t.Errorf("empty summary: %q", got)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("solution-summary"), "退还误收的年费并致歉"),
		chromedp.SetValue(chromedp.ID("solution-remedy"), "fee_waiver"),
	)
	click(t, ctx, "solution-submit")
	if got := text(t, ctx, "#solution-amount-err"); !strings.Contains(got, "金额") {
		t.Errorf("fee waiver without amount: %q", got)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("solution-amount"), "200"))
	click(t, ctx, "solution-submit")
	if st := state(t, ctx); st != "resolution_proposed" {
		t.Fatalf("after proposing: %s", st)
	}
	click(t, ctx, "to-awaiting_customer")
	if st := state(t, ctx); st != "awaiting_customer" {
		t.Fatalf("after telling the customer: %s", st)
	}
	do(t, ctx, chromedp.Click(chromedp.ID("response-yes")))
	click(t, ctx, "response-submit")
	if st := state(t, ctx); st != "follow_up" {
		t.Fatalf("after acceptance: %s", st)
	}
	if has(t, ctx, "#to-closed") {
		t.Error("close offered before a follow-up visit")
	}
	do(t, ctx, chromedp.SetValue(chromedp.ID("followup-satisfaction"), "5"))
	click(t, ctx, "followup-submit")
	click(t, ctx, "to-closed")
	if st := state(t, ctx); st != "closed" {
		t.Fatalf("after closing: %s", st)
	}
	got, err := e.cases.Get(t.Context(), c.ID)
	if err != nil || got.State != cases.StateClosed || len(got.FollowUps) != 1 || got.Solutions[0].Remedies[0].AmountMinor != 20000 {
		t.Fatalf("stored case: %+v %v", got, err)
	}
	tl := text(t, ctx, "#timeline-list")
	for _, want := range []string{"已受理 → 评估中", "解决方案", "接受", "满意度 5/5", "回访中 → 已结案"} {
		if !strings.Contains(tl, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
}

// TestBrowserLanguage switches to English and back with the header's
// button, on the desk.
func TestBrowserLanguage(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleSupervisor)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/desk?queue=team"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h := text(t, ctx, "h1"); h != "案件台" {
		t.Fatalf("default language heading %q", h)
	}
	click(t, ctx, "lang-switch")
	if h := text(t, ctx, "h1"); h != "Case desk" {
		t.Fatalf("after switching: %q", h)
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/ui/desk?queue=team") {
		t.Errorf("the switch returned to %s", loc)
	}
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("html lang %q", lang)
	}
	click(t, ctx, "lang-switch")
	if h := text(t, ctx, "h1"); h != "案件台" {
		t.Fatalf("after switching back: %q", h)
	}
}

// TestBrowserDashboardAndTablet: the dashboard draws its charts, and the
// main pages fit a 768-pixel-wide tablet without sideways scrolling.
func TestBrowserDashboardAndTablet(t *testing.T) {
	e := newEnv(t)
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateInvestigating })
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleSupervisor)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/dashboard"))
	poll(t, ctx, `document.body.dataset.chartsReady === "1"`)
	for _, id := range []string{"chart-volume", "chart-emotion", "chart-channel"} {
		if n := eval[int](t, ctx, `document.querySelectorAll("#`+id+` canvas").length`); n == 0 {
			t.Errorf("%s has no canvas", id)
		}
	}
	for _, w := range []int64{1280, 768} {
		do(t, ctx, chromedp.EmulateViewport(w, 1024))
		for _, p := range []string{"/ui/", "/ui/desk?queue=team", "/ui/cases/" + c.ID, "/ui/dashboard", "/ui/workstation"} {
			do(t, ctx, chromedp.Navigate(e.base+p), chromedp.WaitVisible(chromedp.CSS("main")))
			if sw := eval[int64](t, ctx, `document.documentElement.scrollWidth`); sw > w {
				t.Errorf("%s at %d px: page is %d px wide", p, w, sw)
			}
		}
	}
}

// TestBrowserKeyboard: the case page's forms are reachable with Tab, in
// order, and every form control has a label.
func TestBrowserKeyboard(t *testing.T) {
	e := newEnv(t)
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateInvestigating })
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleSupervisor)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/cases/"+c.ID), chromedp.WaitVisible(chromedp.ID("case-state")))
	unlabelled := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea")).filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map(el => el.id || el.name)`)
	if len(unlabelled) > 0 {
		t.Errorf("controls without a label: %v", unlabelled)
	}
	// Tab from the content textarea reaches its submit button.
	do(t, ctx, chromedp.Focus(chromedp.ID("contact-content")), chromedp.SendKeys(chromedp.ID("contact-content"), "\t"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "contact-submit" {
		t.Errorf("Tab from the contact text went to %q", id)
	}
}

// TestBrowserLiveAlert: an agent has the workstation open; a customer's
// messages are posted to the API; the alert arrives on the page over the
// alerts stream without a reload, with its risk, reasons and
// interventions; one click opens a case from it.
func TestBrowserLiveAlert(t *testing.T) {
	e := newEnvWith(t, true, func(e *env) http.Handler {
		return web.New(web.Opts{Cases: e.cases, Auth: e.auth, DB: e.db, Interactions: e.inter, Alerts: e.alerts,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Heartbeat: time.Second})
	})
	tok, _, err := e.auth.CreateToken(t.Context(), "demo-agent", auth.RoleAgent)
	if err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleAgent)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/workstation"))
	poll(t, ctx, `document.getElementById("workstation").dataset.live === "1"`)
	if has(t, ctx, `li.conv[data-conv="conv-live-1"]`) {
		t.Fatal("the conversation is listed before any message")
	}

	for _, in := range angry("conv-live-1", "C100001", "demo-agent", time.Now().UTC()) {
		body, _ := json.Marshal(in.Message)
		req, _ := http.NewRequest("POST", e.base+"/api/v1/interactions", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("POST /api/v1/interactions: %d", resp.StatusCode)
		}
	}
	poll(t, ctx, `document.querySelector('li.conv[data-conv="conv-live-1"]') !== null`)
	card := `li.conv[data-conv="conv-live-1"] `
	if r := text(t, ctx, card+"[data-risk]"); r == "" || r < "0.5" {
		t.Errorf("risk shown %q", r)
	}
	if got := text(t, ctx, card+"[data-interventions]"); !strings.Contains(got, "我理解您的感受") {
		t.Errorf("interventions %q", got)
	}
	if got := text(t, ctx, card+"[data-reasons]"); got == "" {
		t.Error("no reasons shown")
	}

	do(t, ctx, chromedp.Click(chromedp.CSS(card+"[data-show-customer]")))
	poll(t, ctx, `document.querySelector('#customer-panel [data-customer-panel="C100001"]') !== null`)

	do(t, ctx, chromedp.Click(chromedp.CSS(card+"[data-open-case]")))
	poll(t, ctx, `location.pathname.startsWith("/ui/cases/") && document.getElementById("case-state") !== null`)
	if got := text(t, ctx, "#customer-name"); !strings.Contains(got, "C100001") {
		t.Errorf("the case opened from the alert is for %q", got)
	}
}
