package ui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/measures"
)

// TestInsightPage: the insight page for every role in both languages (no
// missing catalog key, the nav link only with insight:read), with its
// charts' data, a measure's effect and the reports' CSV links.
func TestInsightPage(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	if _, err := e.analyst.CreateMeasure(ctx, "analyst", analyst.MeasureInput{Title: "账单推送监控", Owner: "信用卡中心",
		Due: time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly), Target: measures.Target{Kind: measures.TargetCause, Value: "C02"}}); err != nil {
		t.Fatal(err)
	}
	for _, role := range auth.Roles {
		for _, lang := range []string{"zh-CN", "en"} {
			b := e.browser(t)
			b.lang = lang
			b.signIn(role)
			st, body := b.get("/ui/insight")
			want := http.StatusOK
			if !role.Can(auth.PermInsightRead) {
				want = http.StatusForbidden
			}
			if st != want {
				t.Fatalf("%s %s: status %d, want %d", role, lang, st, want)
			}
			if i := strings.Index(body, "⟦"); i >= 0 {
				t.Errorf("%s %s: missing catalog key near %q", role, lang, body[i:min(len(body), i+60)])
			}
			if st != http.StatusOK {
				continue
			}
			for _, s := range []string{`id="chart-trend"`, `id="insight-data"`, `id="nav-insight"`, "账单推送监控", `id="chart-effect"`} {
				if !strings.Contains(body, s) {
					t.Errorf("%s %s: page lacks %s", role, lang, s)
				}
			}
			if strings.Contains(body, "could not be read") || strings.Contains(body, "部分分析暂时无法读取") {
				t.Errorf("%s %s: the page reports an error", role, lang)
			}
			csv := strings.Contains(body, `id="csv-regulatory"`)
			if csv != role.Can(auth.PermReportRead) {
				t.Errorf("%s: CSV links shown = %v", role, csv)
			}
		}
		// The nav link is on other pages too, only for those who may see it.
		b := e.browser(t)
		b.signIn(role)
		if _, body := b.get("/ui/desk"); strings.Contains(body, `id="nav-insight"`) != role.Can(auth.PermInsightRead) {
			t.Errorf("%s: insight link on the desk", role)
		}
	}
}
