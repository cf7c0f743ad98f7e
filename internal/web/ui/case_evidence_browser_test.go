package ui_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
)

// TestBrowserEvidenceUpload: a handler uploads a file with the case page's
// form (no script involved) and sees it listed with a download link; then
// the case is closed by someone else, and the same page's form is refused
// by the service with a message wholly in Chinese naming the state.
func TestBrowserEvidenceUpload(t *testing.T) {
	e := newEnv(t)
	c := findCase(t, e, func(c *cases.Case) bool { return c.State == cases.StateFollowUp && c.MergedInto == "" })
	sup := cases.Actor{Name: e.users[auth.RoleSupervisor].Name, Role: string(auth.RoleSupervisor)}
	if len(c.FollowUps) == 0 {
		if _, err := e.cases.RecordFollowUp(t.Context(), sup, c.ID, cases.FollowUpInput{Satisfaction: 4}); err != nil {
			t.Fatal(err)
		}
	}
	file := filepath.Join(t.TempDir(), "通话录音说明.txt")
	if err := os.WriteFile(file, []byte("客户于 3 月 2 日来电，要求退还年费。\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleHandler)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/cases/"+c.ID), chromedp.WaitVisible(chromedp.ID("case-state")))
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#act-evidence summary")),
		chromedp.WaitVisible(chromedp.ID("evidence-file")),
		chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{file}),
		chromedp.SendKeys(chromedp.ID("evidence-description"), "通话记录摘要"),
	)
	click(t, ctx, "evidence-submit")
	list := text(t, ctx, "#evidence-list")
	if !strings.Contains(list, "通话录音说明.txt") || !strings.Contains(list, "通话记录摘要") || !strings.Contains(list, i18n.T(i18n.ZH, "mime.text/plain; charset=utf-8")) {
		t.Fatalf("the uploaded file is not listed: %q", list)
	}
	got, err := e.cases.Get(t.Context(), c.ID)
	if err != nil || len(got.Evidence) != len(c.Evidence)+1 {
		t.Fatalf("stored evidence: %d, %v", len(got.Evidence), err)
	}
	ev := got.Evidence[len(got.Evidence)-1]
	if href := eval[string](t, ctx, `document.querySelector("#ev-`+ev.ID+` a.ev-download").getAttribute("href")`); href != "/api/v1/cases/"+c.ID+"/evidence/"+ev.ID {
		t.Errorf("download link %q", href)
	}

	// Someone closes the case while the page is open; the page's form is
	// now stale and the service refuses it.
	if _, err := e.cases.Transition(t.Context(), sup, c.ID, cases.TransitionInput{To: cases.StateClosed}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx,
		chromedp.Click(chromedp.CSS("#act-evidence summary")),
		chromedp.WaitVisible(chromedp.ID("evidence-file")),
		chromedp.SetUploadFiles(chromedp.ID("evidence-file"), []string{file}),
	)
	click(t, ctx, "evidence-submit")
	msg := text(t, ctx, "#form-error")
	if !chineseOnly(msg) || !strings.Contains(msg, i18n.T(i18n.ZH, "state.closed")) || !strings.Contains(msg, i18n.T(i18n.ZH, "refuse.act.add_evidence")) {
		t.Errorf("refusal on the zh page: %q", msg)
	}
	if st := state(t, ctx); st != "closed" {
		t.Errorf("state shown after the refusal: %s", st)
	}
	if has(t, ctx, "#act-evidence") {
		t.Error("a closed case still offers the upload form")
	}
	if got, _ := e.cases.Get(t.Context(), c.ID); len(got.Evidence) != len(c.Evidence)+1 {
		t.Errorf("the refused upload was stored: %d files", len(got.Evidence))
	}
}
