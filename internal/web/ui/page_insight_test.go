package ui_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/reports"
)

// chartJSON returns the data of the chart with the given element id.
func chartJSON(t *testing.T, body, id string) map[string]any {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" data-chart-for="` + id + `">(.*?)</script>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart data for %s", id)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
		t.Fatalf("chart %s: %v in %s", id, err, m[1])
	}
	return v
}

// rowNames returns the row headers of a table's body.
func rowNames(body, tableID string) []string {
	i := strings.Index(body, `id="`+tableID+`"`)
	if i < 0 {
		return nil
	}
	tb := body[i:]
	tb = tb[:strings.Index(tb, "</tbody>")]
	var out []string
	for _, m := range regexp.MustCompile(`<th scope="row"[^>]*>(.*?)</th>`).FindAllStringSubmatch(tb, -1) {
		out = append(out, html.UnescapeString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")))
	}
	return out
}

func pastMeasure(t *testing.T, e *env, title string) *measures.Measure {
	t.Helper()
	m, err := e.analyst.CreateMeasure(t.Context(), "analyst", analyst.MeasureInput{Title: title, Owner: "信用卡中心",
		Due: time.Now().UTC().AddDate(0, 0, -3).Format(time.DateOnly), Target: measures.Target{Kind: measures.TargetCause, Value: "C02"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestInsightPagesEveryRole renders every page of the insight section as
// every role in both languages: the status its permission implies, no
// missing catalog key, no read error, the section's navigation (reports
// only with report:read) and the measure forms only with measure:write.
func TestInsightPagesEveryRole(t *testing.T) {
	e := newEnv(t)
	m := pastMeasure(t, e, "账单推送监控")
	pages := []struct {
		path string
		perm auth.Permission
		want []string
	}{
		{"/ui/insight", auth.PermInsightRead, []string{`id="chart-trend"`, `id="trend-table"`, `id="chart-rates"`, `id="pickers"`}},
		{"/ui/insight/trends?by=channel&bucket=day", auth.PermInsightRead, []string{`id="chart-trend"`}},
		{"/ui/insight/spikes", auth.PermInsightRead, []string{`id="ins-spikes"`}},
		{"/ui/insight/clusters", auth.PermInsightRead, []string{`id="clusters-summary"`}},
		{"/ui/insight/servqual", auth.PermInsightRead, []string{`id="sq-complaints"`, `id="attr-table"`, `id="sq-examples"`, `<dd class="small" data-id="case:`, `<mark>`}},
		{"/ui/insight/measures", auth.PermInsightRead, []string{`id="measure-table"`, "账单推送监控"}},
		{"/ui/insight/measures/" + m.ID, auth.PermInsightRead, []string{`id="chart-effect"`, `id="verdict"`, `id="p-poisson"`, `id="p-ztest"`}},
		{"/ui/reports", auth.PermReportRead, []string{`id="reg-cause"`, `id="dl-decided"`, `id="export-regulatory-csv"`, `id="export-deadlines-json"`}},
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
					continue
				}
				if i := strings.Index(body, "⟦"); i >= 0 {
					t.Errorf("%s %s %s: missing catalog key near %q", role, lang, p.path, body[i:min(len(body), i+60)])
				}
				if st != http.StatusOK {
					continue
				}
				for _, s := range p.want {
					if !strings.Contains(body, s) {
						t.Errorf("%s %s %s: page lacks %s", role, lang, p.path, s)
					}
				}
				if strings.Contains(body, "could not be read") || strings.Contains(body, "部分分析暂时无法读取") {
					t.Errorf("%s %s %s: the page reports an error", role, lang, p.path)
				}
				if got := strings.Contains(body, `id="sub-reports"`); got != role.Can(auth.PermReportRead) {
					t.Errorf("%s %s: reports link shown = %v", role, p.path, got)
				}
				if strings.HasPrefix(p.path, "/ui/insight/measures") {
					form := strings.Contains(body, `id="m-form"`) || strings.Contains(body, `id="e-form"`)
					if form != role.Can(auth.PermMeasureWrite) {
						t.Errorf("%s %s: measure form shown = %v", role, p.path, form)
					}
				}
			}
		}
	}
}

// TestInsightTrendsPickers: the pickers are honoured (the table and chart
// are those of the service's answer to the same query), the form shows
// what was chosen, and bad values give a clear message naming the field
// and the value, not a 500 (a 200 for htmx, which swaps only successes).
func TestInsightTrendsPickers(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.lang = "en"
	b.signIn(auth.RoleAnalyst)
	cases := []struct {
		query   string
		q       analyst.VolumeQuery
		buckets int
	}{
		{"source=case&by=channel&bucket=day&days=30", analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimChannel, Bucket: insight.BucketDay, Limit: 8}, 30},
		{"source=case&by=cause&bucket=week&level=detail&limit=3&days=365", analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimCause, Bucket: insight.BucketWeek, Limit: 3}, 0},
		{"source=case&by=servqual&bucket=month&from=2026-01-01&to=2026-06-30", analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimServqual, Bucket: insight.BucketMonth, Limit: 8}, 6},
		{"source=message&by=emotion&bucket=day&days=30", analyst.VolumeQuery{Source: insight.SourceMessage, Dim: insight.DimEmotion, Bucket: insight.BucketDay, Limit: 8}, 30},
	}
	for _, c := range cases {
		st, body := b.get("/ui/insight?" + c.query)
		if st != http.StatusOK {
			t.Fatalf("%s: status %d", c.query, st)
		}
		vals, _ := url.ParseQuery(c.query)
		for _, k := range []string{"source", "by", "bucket"} {
			if !regexp.MustCompile(`<option value="` + vals.Get(k) + `" selected>`).MatchString(body) {
				t.Errorf("%s: %s=%s not selected in the form", c.query, k, vals.Get(k))
			}
		}
		// The same query to the service, for the period the page shows.
		from := regexp.MustCompile(`id="period-shown">[^<]*?(\d{4}-\d{2}-\d{2})[^<]*?(\d{4}-\d{2}-\d{2})`).FindStringSubmatch(body)
		if from == nil {
			t.Fatalf("%s: no period shown", c.query)
		}
		f, _ := time.Parse(time.DateOnly, from[1])
		to, _ := time.Parse(time.DateOnly, from[2])
		q := c.q
		q.Range = analyst.Range{From: f, To: to.AddDate(0, 0, 1)}
		q.Top = vals.Get("level") != "detail"
		v, err := e.analyst.Volumes(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		if c.buckets > 0 && len(v.Buckets) != c.buckets {
			t.Errorf("%s: the service has %d buckets, want %d", c.query, len(v.Buckets), c.buckets)
		}
		ch := chartJSON(t, body, "chart-trend")
		if x, _ := ch["x"].([]any); len(x) != len(v.Buckets) {
			t.Errorf("%s: chart has %d points, the service %d buckets", c.query, len(x), len(v.Buckets))
		}
		series, _ := ch["series"].([]any)
		if len(series) != len(v.Series) {
			t.Errorf("%s: chart has %d series, the service %d", c.query, len(series), len(v.Series))
		}
		rows := rowNames(body, "trend-table")
		if len(rows) != len(v.Series) {
			t.Errorf("%s: table has %d rows %v, the service %d series", c.query, len(rows), rows, len(v.Series))
		}
		var total int64
		for _, tt := range v.Totals {
			total += tt
		}
		if len(v.Series) > 0 && !strings.Contains(body, `id="trend-total">`+itoa(total)+`<`) {
			t.Errorf("%s: total %d not shown", c.query, total)
		}
		risk := strings.Contains(body, `<th scope="col">Mean risk</th>`)
		if risk != (q.Source == insight.SourceMessage && len(v.Series) > 0) {
			t.Errorf("%s: mean risk column shown = %v", c.query, risk)
		}
	}

	bad := []struct{ query, want string }{
		{"by=nonsense", `Breakdown “nonsense” is not one of the choices.`},
		{"source=tweets", `Source “tweets” is not one of the choices.`},
		{"bucket=year", `Bucket “year” is not one of the choices.`},
		{"from=2026-13-01", `From “2026-13-01” is not a date (YYYY-MM-DD).`},
		{"from=2026-05-01&to=2026-04-01", `The start date (2026-05-01) must be before the end date (2026-04-01).`},
		{"from=2020-01-01&to=2026-01-01", `A period may be at most 1100 days.`},
		{"limit=0", `Top N “0” must be a number from 1 to 50.`},
		{"days=abc", `Last “abc” must be a number from 1 to 1100.`},
	}
	for _, c := range bad {
		st, body := b.get("/ui/insight?" + c.query)
		if st != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", c.query, st)
		}
		if !strings.Contains(html.UnescapeString(body), c.want) || !strings.Contains(body, `id="picker-error"`) {
			t.Errorf("%s: page lacks the message %q", c.query, c.want)
		}
		if strings.Contains(body, `id="chart-trend"`) {
			t.Errorf("%s: a chart is drawn for a refused query", c.query)
		}
	}
	// htmx swaps only successful responses: the message comes with 200.
	req, _ := http.NewRequest("GET", e.base+"/ui/insight?by=nonsense", nil)
	req.Header.Set("HX-Request", "true")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("htmx request with a bad value: %d, want 200", resp.StatusCode)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func fmt4(f float64) string { return fmt.Sprintf("%.4f", f) }

// TestInsightOtherPickers: the spikes, clusters, SERVQUAL and reports
// pages honour their pickers and refuse bad values with a message.
func TestInsightOtherPickers(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.lang = "en"
	b.signIn(auth.RoleCompliance)
	for _, c := range []struct{ path, want string }{
		{"/ui/insight/spikes?z=0.5", `Spike threshold z “0.5” must be a number from 1 to 20.`},
		{"/ui/insight/spikes?by=weather", `Breakdown “weather” is not one of the choices.`},
		{"/ui/insight/clusters?threshold=2", `Similarity threshold “2” must be a number from 0.05 to 0.95.`},
		{"/ui/insight/servqual?to=yesterday", `To “yesterday” is not a date (YYYY-MM-DD).`},
		{"/ui/reports?from=2026-02-30", `From “2026-02-30” is not a date (YYYY-MM-DD).`},
		{"/ui/insight/measures?status=finished", `Status “finished” is not one of the choices.`},
	} {
		st, body := b.get(c.path)
		if st != http.StatusBadRequest || !strings.Contains(html.UnescapeString(body), c.want) {
			t.Errorf("%s: status %d, want 400 with %q", c.path, st, c.want)
		}
	}

	// Spikes: z is honoured; each spike row links to its trend.
	_, body := b.get("/ui/insight/spikes?source=case&by=channel&z=1&days=365")
	if !strings.Contains(body, `name="z" min="1" max="20" step="0.5" value="1"`) {
		t.Error("spikes: z not kept in the form")
	}
	sp, err := e.analyst.Spikes(t.Context(), analyst.SpikeQuery{Source: "case", Dim: "channel", Top: true, Z: 1,
		Range: analyst.Range{From: todayDate().AddDate(0, 0, -364), To: todayDate().AddDate(0, 0, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sp.Series {
		n += len(s.Spikes)
	}
	if got := strings.Count(body, `class="spike-trend"`); got != n {
		t.Errorf("spikes page lists %d spikes, the service %d", got, n)
	}

	// Reports: every row of the regulatory report, by axis, and the
	// exports for the period shown.
	_, body = b.get("/ui/reports?from=2025-01-01&to=2026-12-31")
	reg, err := e.analyst.Regulatory(t.Context(), reports.Period{From: date("2025-01-01"), To: date("2027-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(rowNames(body, "reg-channel")) + len(rowNames(body, "reg-business")) + len(rowNames(body, "reg-cause")); got != len(reg.Rows) {
		t.Errorf("regulatory table has %d rows, the report %d", got, len(reg.Rows))
	}
	if !strings.Contains(body, `/api/v1/reports/regulatory?format=csv&amp;from=2025-01-01&amp;to=2027-01-01`) {
		t.Error("the CSV export is not for the period shown")
	}
	if !strings.Contains(body, "received in the period") || !strings.Contains(body, `data-band="within_15_days"`) {
		t.Error("deadline performance missing")
	}
}

func date(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// todayDate is today in China Standard Time as a bare date, as the pages
// count it.
func todayDate() time.Time {
	y, m, d := time.Now().In(time.FixedZone("CST", 8*3600)).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// TestMeasureForms: an analyst creates a measure through the form (a
// missing field is shown next to it and nothing is stored), sees it
// listed and on its page with its effect, moves its status forward (not
// backward); a role without measure:write gets no form and is refused;
// a POST without the CSRF token is refused.
func TestMeasureForms(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	b := e.browser(t)
	b.signIn(auth.RoleAnalyst)
	before, _ := e.analyst.ListMeasures(ctx, "")
	due := time.Now().UTC().AddDate(0, 0, -10).Format(time.DateOnly)
	form := url.Values{"title": {""}, "owner": {"网点运营部"}, "due": {due}, "kind": {"cause"}, "cause_value": {"C02"}, "description": {"排队叫号优化"}}
	st, body := b.post("/ui/insight/measures", form)
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="m-title-err"`) {
		t.Fatalf("empty title: %d", st)
	}
	if !strings.Contains(body, `value="网点运营部"`) || !strings.Contains(body, "排队叫号优化") {
		t.Error("the rejected form is not refilled")
	}
	form.Set("title", "排队叫号优化")
	form.Set("kind", "touchpoint")
	form.Set("touchpoint_value", "nowhere")
	if st, body = b.post("/ui/insight/measures", form); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="m-touchpoint-err"`) {
		t.Fatalf("unknown touchpoint: %d", st)
	}
	form.Set("due", "next week")
	form.Set("kind", "cause")
	if st, body = b.post("/ui/insight/measures", form); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="m-due-err"`) {
		t.Fatalf("bad due date: %d", st)
	}
	if after, _ := e.analyst.ListMeasures(ctx, ""); len(after) != len(before) {
		t.Fatalf("rejected forms stored %d measures", len(after)-len(before))
	}

	form.Set("due", due)
	b.c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	req, _ := http.NewRequest("POST", e.base+"/ui/insight/measures", strings.NewReader(withCSRF(b, form).Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/ui/insight/measures/ms_") {
		t.Fatalf("create: %d %s", resp.StatusCode, loc)
	}
	b.c.CheckRedirect = nil
	id := strings.TrimPrefix(strings.TrimSuffix(loc, "?created=1"), "/ui/insight/measures/")
	stored, err := e.analyst.GetMeasure(ctx, id)
	if err != nil || stored.Title != "排队叫号优化" || stored.Target.Value != "C02" || stored.CreatedBy != "demo-analyst" || stored.Status != measures.StatusPlanned {
		t.Fatalf("stored: %+v %v", stored, err)
	}
	if _, body = b.get("/ui/insight/measures"); !strings.Contains(body, `data-measure="`+id+`"`) {
		t.Error("the new measure is not listed")
	} else if row := body[strings.Index(body, `data-measure="`+id+`"`):]; !strings.Contains(row[:strings.Index(row, "</tr>")], "overdue") {
		t.Error("a planned measure past its due date is not marked overdue")
	}
	if _, body = b.get("/ui/insight/measures?status=done"); strings.Contains(body, `data-measure="`+id+`"`) {
		t.Error("a planned measure is listed under done")
	}
	_, body = b.get(loc)
	eff, err := e.analyst.Effect(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `id="measure-created"`) || !strings.Contains(body, `id="chart-effect"`) {
		t.Fatal("measure page lacks the notice or the effect chart")
	}
	if x, _ := chartJSON(t, body, "chart-effect")["x"].([]any); len(x) != len(eff.Days) {
		t.Errorf("effect chart has %d days, the service %d", len(x), len(eff.Days))
	}
	if m := chartJSON(t, body, "chart-effect")["marker"]; m != eff.Effect.Effective.Format(time.DateOnly) {
		t.Errorf("effective day marked %v, want %s", m, eff.Effect.Effective.Format(time.DateOnly))
	}
	if !strings.Contains(body, `id="p-poisson">`+fmt4(eff.Effect.PerDay.P)) {
		t.Errorf("Poisson P %.4f not shown", eff.Effect.PerDay.P)
	}

	// Status: planned → done is refused; planned → in progress is kept.
	edit := url.Values{"title": {"排队叫号优化"}, "owner": {"网点运营部"}, "due": {due}, "kind": {"cause"}, "cause_value": {"C02"}, "status": {"done"}}
	if st, body = b.post("/ui/insight/measures/"+id, edit); st != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-status-err"`) {
		t.Fatalf("planned → done: %d", st)
	}
	edit.Set("status", "in_progress")
	if st, _ = b.post("/ui/insight/measures/"+id, edit); st != http.StatusOK {
		t.Fatalf("planned → in progress: %d", st)
	}
	if m, _ := e.analyst.GetMeasure(ctx, id); m.Status != measures.StatusInProgress {
		t.Fatalf("status %s", m.Status)
	}

	// Compliance may read, not write.
	c := e.browser(t)
	c.signIn(auth.RoleCompliance)
	if st, _ := c.post("/ui/insight/measures", form); st != http.StatusForbidden {
		t.Errorf("compliance create: %d, want 403", st)
	}
	if st, _ := c.post("/ui/insight/measures/"+id, edit); st != http.StatusForbidden {
		t.Errorf("compliance edit: %d, want 403", st)
	}
	// No CSRF token: refused, nothing stored.
	n, _ := e.analyst.ListMeasures(ctx, "")
	form.Del("csrf_token")
	if st, _ := b.do("POST", "/ui/insight/measures", form); st != http.StatusForbidden {
		t.Errorf("POST without CSRF token: %d, want 403", st)
	}
	if m, _ := e.analyst.ListMeasures(ctx, ""); len(m) != len(n) {
		t.Error("a POST without CSRF token stored a measure")
	}
	if st, _ := b.get("/ui/insight/measures/ms_nope"); st != http.StatusNotFound {
		t.Errorf("unknown measure: %d", st)
	}
}

func withCSRF(b *httpBrowser, f url.Values) url.Values {
	out := url.Values{}
	for k, v := range f {
		out[k] = v
	}
	out.Set("csrf_token", b.csrf())
	return out
}

// TestClusterMeasureAction: a cluster's action opens the measure form
// prefilled with its term; a crafted kind cannot reach the page's script.
func TestClusterMeasureAction(t *testing.T) {
	e := newEnv(t)
	b := e.browser(t)
	b.signIn(auth.RoleAnalyst)
	_, body := b.get("/ui/insight/measures?kind=cluster&value=" + url.QueryEscape("信用卡账单") + "&title=x")
	if !strings.Contains(body, `x-data="{kind: 'cluster'}"`) || !strings.Contains(body, `name="cluster_value" maxlength="200" value="信用卡账单"`) {
		i := strings.Index(body, `id="m-form"`)
		t.Errorf("the form is not prefilled with the cluster's term: %s", body[i:min(len(body), i+1500)])
	}
	if !strings.Contains(body, `<details open id="new-measure-details">`) {
		t.Error("the prefilled form is not open")
	}
	_, body = b.get("/ui/insight/measures?kind=" + url.QueryEscape("'};alert(1);{'"))
	if strings.Contains(body, "alert(1)") {
		t.Error("a crafted kind reached the page")
	}
}

// TestPeakEndPage: a conversation's curve with its worst moment and its
// ending; an unknown conversation is a 404; without conversations the
// page says so.
func TestPeakEndPage(t *testing.T) {
	e := newEnvWith(t, true, nil)
	now := time.Now().UTC()
	msgs := angry("conv-pe-1", "C100001", "demo-agent", now)
	msgs[1].Message.Text = "我的电话是13812345678，请回电。" + msgs[1].Message.Text
	if _, err := e.inter.Ingest(t.Context(), msgs); err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.signIn(auth.RoleAnalyst)
	st, body := b.get("/ui/insight/conversations/conv-pe-1")
	if st != http.StatusOK {
		t.Fatalf("status %d", st)
	}
	ch := chartJSON(t, body, "chart-curve")
	if x, _ := ch["x"].([]any); len(x) != 3 {
		t.Errorf("curve has %d points, want 3", len(x))
	}
	marks, _ := json.Marshal(ch["marks"])
	if !strings.Contains(string(marks), "Worst moment") && !strings.Contains(string(marks), "最糟时刻") ||
		!strings.Contains(string(marks), "Ending") && !strings.Contains(string(marks), "结尾") {
		t.Errorf("marks %s: want the peak and the end", marks)
	}
	for _, s := range []string{`id="peak"`, `id="end"`, `data-messages="3"`} {
		if !strings.Contains(body, s) {
			t.Errorf("page lacks %s", s)
		}
	}
	if strings.Contains(body, "13812345678") {
		t.Error("the analyst (no pii:view) sees a phone number in clear")
	}
	if st, _ := b.get("/ui/insight/conversations/conv-none"); st != http.StatusNotFound {
		t.Errorf("unknown conversation: %d", st)
	}
	// The trends page of messages lists the conversations at risk, each
	// linked to its peak-end view.
	if _, body := b.get("/ui/insight?source=message&by=emotion"); !strings.Contains(body, `href="/ui/insight/conversations/conv-pe-1"`) {
		t.Error("the messages' trends page does not link the high-risk conversation")
	}
	// The conversations alerted in the period are listed apart; a period
	// that ended before the alert does not list it.
	if al, err := e.alerts.List(t.Context(), alerts.Filter{Limit: 10}); err != nil || len(al) == 0 {
		t.Fatalf("the angry conversation raised no alert: %v %d", err, len(al))
	}
	_, body = b.get("/ui/insight?source=message&by=emotion")
	if i := strings.Index(body, `id="alerted-table"`); i < 0 || !strings.Contains(body[i:], `data-conv="conv-pe-1"`) {
		t.Error("the messages' trends page does not list the conversation alerted in the period")
	}
	if _, body := b.get("/ui/insight?source=message&by=emotion&from=2020-01-01&to=2020-02-01"); strings.Contains(body, `id="alerted-table"`) {
		t.Error("a period before the alert lists it")
	}
	if _, body := b.get("/ui/insight?source=case"); strings.Contains(body, `id="ins-highrisk"`) || strings.Contains(body, `id="ins-alerted"`) {
		t.Error("the cases' trends page lists conversations")
	}
	// The workstation links a conversation to its peak-end view for those
	// who may read the insight pages.
	s := e.browser(t)
	s.signIn(auth.RoleSupervisor)
	if _, body := s.get("/ui/workstation/list"); strings.Contains(body, "data-conv=") && !strings.Contains(body, `href="/ui/insight/conversations/`) {
		t.Error("no peak-end link on the supervisor's workstation")
	}

	off := newEnv(t)
	ob := off.browser(t)
	ob.signIn(auth.RoleAnalyst)
	if st, body := ob.get("/ui/insight/conversations/conv-pe-1"); st != http.StatusOK || !strings.Contains(body, `id="insight-off"`) {
		t.Errorf("without conversations: %d", st)
	}
}
