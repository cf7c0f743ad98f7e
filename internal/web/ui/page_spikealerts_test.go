package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/spikewatch"
)

// withSpikeAlerts attaches a spike watch service to the env's alerts
// service (as serve does) and raises two alerts: the cause C01 yesterday
// and C05 today.
func withSpikeAlerts(t *testing.T, e *env) (*spikewatch.Service, []alerts.SpikeAlert) {
	t.Helper()
	sw := spikewatch.New(spikewatch.Opts{Store: e.db.SpikeAlerts(), Publish: e.alerts.Publish})
	e.alerts.SetSpikes(sw)
	now := time.Now().UTC()
	var cands []alerts.SpikeAlert
	for i, v := range []string{"C01", "C05"} {
		day := now.AddDate(0, 0, i-1).Format(time.DateOnly)
		cands = append(cands, alerts.SpikeAlert{Key: spikewatch.Key("case", "cause", v, day), Source: "case", By: "cause", Value: v,
			Day: day, Count: float64(20 + i), Expected: 4, Z: 6.5, Link: spikewatch.Link("case", "cause", now)})
	}
	if _, err := sw.Raise(t.Context(), cands); err != nil {
		t.Fatal(err)
	}
	list, err := sw.List(t.Context(), alerts.SpikeFilter{})
	if err != nil || len(list) != 2 {
		t.Fatalf("raised %d alerts: %v", len(list), err)
	}
	return sw, list
}

// TestSpikeAlertsPanel: the spikes page lists the raised spike alerts;
// roles with measure:write acknowledge (with a note) and dismiss them,
// others see them without buttons and are refused; a second
// acknowledgement is a conflict with a message; the state filter; CSRF.
func TestSpikeAlertsPanel(t *testing.T) {
	e := newEnvWith(t, true, nil)
	sw, list := withSpikeAlerts(t, e)
	id := list[0].ID

	c := e.browser(t)
	c.signIn(auth.RoleCompliance)
	_, body := c.get("/ui/insight/spikes")
	if strings.Count(body, `data-spike-alert="`) != 2 || strings.Contains(body, `id="ack-`+id+`"`) {
		t.Fatal("compliance: want both alerts listed, no buttons")
	}
	if st, _ := c.post("/ui/insight/spike-alerts/"+id+"/acknowledge", nil); st != http.StatusForbidden {
		t.Errorf("compliance acknowledge: %d, want 403", st)
	}

	s := e.browser(t)
	s.signIn(auth.RoleSupervisor)
	_, body = s.get("/ui/insight/spikes")
	for _, a := range list {
		if !strings.Contains(body, `data-spike-alert="`+a.ID+`" data-state="open"`) || !strings.Contains(body, `id="ack-`+a.ID+`"`) {
			t.Errorf("supervisor: alert %s not listed open with its button", a.ID)
		}
	}
	if !strings.Contains(body, "服务态度及服务质量") {
		t.Error("the cause is not named")
	}
	if st, _ := s.do("POST", "/ui/insight/spike-alerts/"+id+"/acknowledge", url.Values{"note": {"x"}}); st != http.StatusForbidden {
		t.Errorf("without CSRF token: %d, want 403", st)
	}
	if st, _ := s.post("/ui/insight/spike-alerts/"+id+"/acknowledge", url.Values{"note": {"系统故障导致账单未寄出，已通知运维"}}); st != http.StatusOK {
		t.Fatalf("acknowledge: %d", st)
	}
	a, err := sw.Get(t.Context(), id)
	if err != nil || a.State != alerts.SpikeAcknowledged || a.AcknowledgedBy != "demo-supervisor" || a.Note != "系统故障导致账单未寄出，已通知运维" {
		t.Fatalf("after acknowledge: %+v %v", a, err)
	}
	st, body := s.post("/ui/insight/spike-alerts/"+id+"/acknowledge", nil)
	if st != http.StatusConflict || !strings.Contains(body, "状态已变化") {
		t.Errorf("second acknowledge: %d", st)
	}
	if st, _ := s.post("/ui/insight/spike-alerts/"+id+"/dismiss", nil); st != http.StatusOK {
		t.Fatalf("dismiss: %d", st)
	}
	if _, body = s.get("/ui/insight/spikes"); strings.Contains(body, `data-spike-alert="`+id+`"`) {
		t.Error("a dismissed alert is in the default list")
	}
	if _, body = s.get("/ui/insight/spikes?alerts=dismissed"); !strings.Contains(body, `data-spike-alert="`+id+`" data-state="dismissed"`) {
		t.Error("the dismissed alert is not under dismissed")
	}
	if st, _ := s.post("/ui/insight/spike-alerts/sa_none/acknowledge", nil); st != http.StatusNotFound {
		t.Errorf("unknown alert: %d", st)
	}
	if st, _ := s.post("/ui/insight/spike-alerts/"+id+"/explode", nil); st != http.StatusNotFound {
		t.Errorf("unknown action: %d", st)
	}
	if st, _ := s.post("/ui/insight/spike-alerts/"+list[1].ID+"/acknowledge", url.Values{"note": {strings.Repeat("长", 2000)}}); st != http.StatusUnprocessableEntity {
		t.Errorf("note over the limit: %d", st)
	}

	// Without spike alerts configured there is no panel.
	off := newEnv(t)
	ob := off.browser(t)
	ob.signIn(auth.RoleSupervisor)
	if _, body := ob.get("/ui/insight/spikes"); strings.Contains(body, `id="spike-alerts"`) {
		t.Error("a panel without spike alerts configured")
	}
}

// TestBrowserSpikeAlert: a supervisor acknowledges a spike alert from the
// spikes page, then dismisses it.
func TestBrowserSpikeAlert(t *testing.T) {
	e := newEnvWith(t, true, nil)
	_, list := withSpikeAlerts(t, e)
	id := list[0].ID
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleSupervisor)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight/spikes"), chromedp.WaitVisible(chromedp.ID("spike-alerts")))
	do(t, ctx, chromedp.SendKeys(chromedp.ID("note-"+id), "已通知运维"))
	click(t, ctx, "ack-"+id)
	poll(t, ctx, `document.querySelector('[data-spike-alert="`+id+`"]') && document.querySelector('[data-spike-alert="`+id+`"]').dataset.state === "acknowledged"`)
	if got := text(t, ctx, `[data-spike-alert="`+id+`"]`); !strings.Contains(got, "已通知运维") || !strings.Contains(got, "demo-supervisor") {
		t.Errorf("row after acknowledging: %q", got)
	}
	click(t, ctx, "dismiss-"+id)
	poll(t, ctx, `document.getElementById("spike-alerts") !== null && document.querySelector('[data-spike-alert="`+id+`"]') === null`)
}
