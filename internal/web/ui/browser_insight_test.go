package ui_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"huajie/internal/auth"
	"huajie/internal/demo"
)

// TestBrowserInsightTrends: an analyst changes the breakdown (htmx swaps
// the chart and table in place, the URL follows) and the period (a
// preset), in Chinese and then in English.
func TestBrowserInsightTrends(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleAnalyst)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight?bucket=day&by=cause"))
	poll(t, ctx, `document.body.dataset.chartsReady === "1" && document.querySelector("#chart-trend canvas") !== null`)
	head := func() string {
		return eval[string](t, ctx, `document.querySelector("#trend-table thead th").textContent`)
	}
	series := func() string {
		return eval[string](t, ctx, `document.getElementById("chart-trend").dataset.series || ""`)
	}
	if h := head(); !strings.Contains(h, "投诉原因") {
		t.Fatalf("first column %q, want the cause", h)
	}
	before := series()
	if before == "" {
		t.Fatal("the chart has no series")
	}
	// The breakdown: only #insight-body is swapped (the page is not
	// reloaded: a marker on the body survives).
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.body.dataset.keep = "1"`),
		chromedp.SetValue(chromedp.ID("pk-by"), "channel"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("pk-by").dispatchEvent(new Event("change", {bubbles: true}))`))
	poll(t, ctx, `document.querySelector("#trend-table thead th") && document.querySelector("#trend-table thead th").textContent.includes("渠道") && (document.getElementById("chart-trend").dataset.series || "") !== ""`)
	if got := series(); got == before {
		t.Errorf("the chart's series did not change: %q", got)
	}
	if eval[string](t, ctx, `document.body.dataset.keep || ""`) != "1" {
		t.Error("the page was reloaded instead of swapped")
	}
	if loc := eval[string](t, ctx, `location.search`); !strings.Contains(loc, "by=channel") {
		t.Errorf("the URL does not follow the pickers: %s", loc)
	}
	// The period: the 30-day preset gives 30 daily points.
	do(t, ctx, chromedp.Click(chromedp.ID("preset-30")))
	poll(t, ctx, `location.search.includes("days=30") && document.getElementById("chart-trend") && document.getElementById("chart-trend").dataset.points === "30"`)
	if h := head(); !strings.Contains(h, "渠道") {
		t.Errorf("the preset lost the breakdown: %q", h)
	}

	// English: the same page after the language switch (which keeps the
	// pickers, also after an htmx swap).
	do(t, ctx, chromedp.SetValue(chromedp.ID("pk-bucket"), "week"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("pk-bucket").dispatchEvent(new Event("change", {bubbles: true}))`))
	poll(t, ctx, `location.search.includes("bucket=week")`)
	do(t, ctx, chromedp.Click(chromedp.ID("lang-switch")))
	poll(t, ctx, `document.documentElement.lang === "en" && document.getElementById("chart-trend") && (document.getElementById("chart-trend").dataset.series || "") !== ""`)
	if h := head(); !strings.Contains(h, "Channel") {
		t.Errorf("English first column %q", h)
	}
	if sel := eval[string](t, ctx, `document.getElementById("pk-bucket").value`); sel != "week" {
		t.Errorf("after the language switch the bucket is %q, want week", sel)
	}
	do(t, ctx, chromedp.SetValue(chromedp.ID("pk-by"), "emotion"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("pk-by").dispatchEvent(new Event("change", {bubbles: true}))`))
	poll(t, ctx, `document.querySelector("#trend-table thead th") && document.querySelector("#trend-table thead th").textContent.includes("Emotion")`)
	// A bad value typed into the URL: a message on the page.
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight?by=nonsense"), chromedp.WaitVisible(chromedp.ID("picker-error")))
	if msg := text(t, ctx, "#picker-error"); !strings.Contains(msg, "nonsense") {
		t.Errorf("message %q", msg)
	}
}

// TestBrowserInsightMeasure: an analyst creates a measure through the
// form (a missing owner first, shown next to the field), then sees its
// page with the effect chart and the verdict, and the measure in the list.
func TestBrowserInsightMeasure(t *testing.T) {
	e := newEnv(t)
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleAnalyst)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight/measures"), chromedp.WaitVisible(chromedp.ID("h-new")))
	do(t, ctx, chromedp.Click(chromedp.CSS("#new-measure summary")), chromedp.WaitVisible(chromedp.ID("m-title")))
	// The target picker follows the kind (Alpine).
	if !eval[bool](t, ctx, `getComputedStyle(document.getElementById("m-cause").closest(".field")).display !== "none"`) ||
		eval[bool](t, ctx, `getComputedStyle(document.getElementById("m-touchpoint").closest(".field")).display !== "none"`) {
		t.Error("kind cause: the cause picker should be the one shown")
	}
	due := time.Now().UTC().AddDate(0, 0, -7).Format(time.DateOnly)
	do(t, ctx,
		chromedp.SendKeys(chromedp.ID("m-title"), "账单短信提醒"),
		chromedp.SetValue(chromedp.ID("m-cause"), "C02"),
		chromedp.SetValue(chromedp.ID("m-due"), due),
	)
	click(t, ctx, "m-submit")
	if !has(t, ctx, "#m-owner-err") {
		t.Fatal("a missing owner is not shown next to the field")
	}
	do(t, ctx, chromedp.SendKeys(chromedp.ID("m-owner"), "信用卡中心"))
	click(t, ctx, "m-submit")
	poll(t, ctx, `document.getElementById("measure-created") !== null && document.querySelector("#chart-effect canvas") !== null`)
	if v := eval[string](t, ctx, `document.getElementById("verdict").dataset.verdict`); v != "fall" && v != "rise" && v != "none" {
		t.Errorf("verdict %q", v)
	}
	if m := eval[string](t, ctx, `document.getElementById("measure-target").textContent`); !strings.Contains(m, "C02") {
		t.Errorf("target %q", m)
	}
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight/measures"), chromedp.WaitVisible(chromedp.ID("measure-table")))
	if got := text(t, ctx, "#measure-table"); !strings.Contains(got, "账单短信提醒") {
		t.Error("the new measure is not listed")
	}
}

// TestBrowserInsightWidth: no insight page is wider than the window at
// 1280 and 768 pixels, and every form control has a label.
func TestBrowserInsightWidth(t *testing.T) {
	e := newEnv(t)
	m := pastMeasure(t, e, "宽度检查")
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleAdmin)
	for _, w := range []int64{1280, 768} {
		do(t, ctx, chromedp.EmulateViewport(w, 1024))
		for _, p := range []string{"/ui/insight", "/ui/insight/spikes", "/ui/insight/clusters?days=90", "/ui/insight/servqual",
			"/ui/insight/measures", "/ui/insight/measures/" + m.ID, "/ui/reports?days=365"} {
			do(t, ctx, chromedp.Navigate(e.base+p), chromedp.WaitVisible(chromedp.CSS("main")))
			if sw := eval[int64](t, ctx, `document.documentElement.scrollWidth`); sw > w {
				t.Errorf("%s at %d px: page is %d px wide", p, w, sw)
			}
			unlabelled := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("input:not([type=hidden]), select, textarea")).filter(el => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")).map(el => el.id || el.name)`)
			if len(unlabelled) > 0 {
				t.Errorf("%s: controls without a label: %v", p, unlabelled)
			}
		}
	}
}

// TestBrowserInsightServqualRadar: with survey answers stored, the
// SERVQUAL page draws its radar of expectation and perception.
func TestBrowserInsightServqualRadar(t *testing.T) {
	e := newEnv(t)
	if _, err := e.db.ImportSurveys(t.Context(), demo.Surveys(time.Now()), nil); err != nil {
		t.Fatal(err)
	}
	ctx := tab(t)
	signIn(t, ctx, e, auth.RoleAnalyst)
	do(t, ctx, chromedp.Navigate(e.base+"/ui/insight/servqual"), chromedp.WaitVisible(chromedp.ID("sq-radar")))
	poll(t, ctx, `document.body.dataset.chartsReady === "1" && document.querySelector("#chart-radar canvas") !== null`)
	if got := eval[string](t, ctx, `document.getElementById("chart-radar").dataset.series || ""`); got != "期望|感知" {
		t.Errorf("radar series %q, want expectation and perception", got)
	}
}
