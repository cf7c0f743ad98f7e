package ui_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/demo"
	"huajie/internal/measures"
	"huajie/internal/store"
	"huajie/internal/web/ui"
)

// BenchmarkPages measures each main page, server side, on the demo data
// (signed in as a supervisor, who sees the most). The budget is
// 1 s a page; figures go in the README, not in a timed assertion.
func BenchmarkPages(b *testing.B) {
	e := newEnvWith(b, true, nil)
	pg, err := e.cases.List(b.Context(), cases.ListFilter{States: []cases.State{cases.StateInvestigating}, Limit: 1})
	if err != nil || len(pg.Items) == 0 {
		b.Fatal(err)
	}
	br := e.browser(b)
	br.signIn(auth.RoleSupervisor)
	for _, p := range []struct{ name, path string }{
		{"home", "/ui/"},
		{"workstation", "/ui/workstation"},
		{"desk_team", "/ui/desk?queue=team"},
		{"desk_malicious", "/ui/desk?queue=malicious"},
		{"case", "/ui/cases/" + pg.Items[0].ID},
		{"dashboard", "/ui/dashboard"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if st, _ := br.get(p.path); st != http.StatusOK {
					b.Fatalf("%s: %d", p.path, st)
				}
			}
		})
	}
}

// BenchmarkInsightPages measures the insight section's pages, server side
// (the analyst's views plus the handler and template), as an analyst. On
// the demo data by default; with HUAJIE_BENCH_DB set to a database made by
// `huajie generate` (1,000,000 messages and 100,000 cases), on that — the
// issue's bar is 500 ms a page there. A user bench-analyst is created in it.
func BenchmarkInsightPages(b *testing.B) {
	var e *env
	if dsn := os.Getenv("HUAJIE_BENCH_DB"); dsn != "" {
		e = envOn(b, dsn)
	} else {
		e = newEnv(b)
	}
	m, err := e.analyst.CreateMeasure(b.Context(), "bench", analyst.MeasureInput{Title: "bench", Owner: "bench",
		Due: time.Now().UTC().AddDate(0, 0, -14).Format(time.DateOnly), Target: measures.Target{Kind: measures.TargetCause, Value: "C01"}})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.analyst.DeleteMeasure(context.Background(), m.ID) })
	br := e.browser(b)
	br.signIn(auth.RoleAnalyst)
	for _, p := range []struct{ name, path string }{
		{"trends_case_cause_week_90d", "/ui/insight"},
		{"trends_case_touchpoint_week_365d", "/ui/insight?source=case&by=touchpoint&bucket=week&days=365"},
		{"trends_message_emotion_day_90d", "/ui/insight?source=message&by=emotion&bucket=day&days=90"},
		{"trends_message_team_day_365d", "/ui/insight?source=message&by=team&bucket=day&days=365"},
		{"spikes_case_cause_90d", "/ui/insight/spikes"},
		{"spikes_message_cause_90d", "/ui/insight/spikes?source=message&by=cause"},
		{"clusters_7d", "/ui/insight/clusters"},
		{"clusters_30d", "/ui/insight/clusters?days=30"},
		{"servqual_90d", "/ui/insight/servqual"},
		{"servqual_365d", "/ui/insight/servqual?days=365"},
		{"measures", "/ui/insight/measures"},
		{"measure_effect", "/ui/insight/measures/" + m.ID},
		{"reports_90d", "/ui/reports"},
		{"reports_365d", "/ui/reports?days=365"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if st, _ := br.get(p.path); st != http.StatusOK {
					b.Fatalf("%s: %d", p.path, st)
				}
			}
		})
	}
}

// envOn is the UI over an existing database, with an analyst to sign in.
func envOn(b *testing.B, dsn string) *env {
	ctx := b.Context()
	db, err := store.OpenAndMigrate(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	as := auth.New(auth.Opts{Store: db})
	const name, pw = "bench-analyst", "bench-analyst-password-1"
	if _, err := as.CreateUser(ctx, name, auth.RoleAnalyst, pw); err != nil {
		if err := as.SetPassword(ctx, name, pw); err != nil {
			b.Fatal(err)
		}
	}
	e := &env{db: db, auth: as, cases: cases.New(cases.Opts{Repo: db.Cases()}), users: map[auth.Role]demo.SignIn{auth.RoleAnalyst: {Name: name, Password: pw, Role: auth.RoleAnalyst}}}
	e.analyst = analyst.New(analyst.Opts{Repo: db})
	h, err := ui.New(ui.Opts{Cases: e.cases, Auth: as, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NoAnimation: true, Analyst: e.analyst})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(ui.Mount(http.NotFoundHandler(), h))
	b.Cleanup(srv.Close)
	e.srv, e.base = srv, srv.URL
	return e
}
