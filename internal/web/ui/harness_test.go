package ui_test

import (
	"context"
	"huajie/internal/analyst"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/demo"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
	"huajie/internal/web/ui"
)

// env is the UI over a real SQLite store holding the demo data.
type env struct {
	alerts *alerts.Service
	inter  *interactions.Service
	srv    *httptest.Server
	base   string
	db     *store.DB
	cases  *cases.Service
	auth   *auth.Service
	users  map[auth.Role]demo.SignIn
	// analyst feeds the insight page.
	analyst *analyst.Service
}

func newEnv(t testing.TB) *env { return newEnvWith(t, false, nil) }

// newEnvWith optionally wires the live side (interactions ingest, risk,
// alerts) as serve does, and an API handler to mount next to the UI
// (built by api from the env's services).
func newEnvWith(t testing.TB, live bool, api func(e *env) http.Handler) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "ui.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	as := auth.New(auth.Opts{Store: db})
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: time.Now(), NewCases: func(clock func() time.Time) *cases.Service {
		return cases.New(cases.Opts{Repo: db.Cases(), Now: clock, TeamOf: as.TeamOf})
	}})
	if err != nil {
		t.Fatal(err)
	}
	cs := cases.New(cases.Opts{Repo: db.Cases(), TeamOf: as.TeamOf})
	e := &env{db: db, cases: cs, auth: as, users: map[auth.Role]demo.SignIn{}}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if live {
		an, err := analysis.Default()
		if err != nil {
			t.Fatal(err)
		}
		e.alerts = alerts.New(alerts.Opts{Store: db.Alerts()})
		scorer := interactions.NewScorer(interactions.ScorerOpts{Model: risk.Default(), Analyzer: an, Policy: alerts.NewPolicy(risk.DefaultAlertThreshold, nil)})
		gl := interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: db.Interactions(), Scorer: scorer, Publish: e.alerts.Publish, Logger: log})
		t.Cleanup(gl.Close)
		e.inter = interactions.New(interactions.Opts{Log: gl, Reader: db.Interactions(), Analyzer: an})
	}
	e.analyst = analyst.New(analyst.Opts{Repo: db, RefreshEvery: time.Nanosecond})
	h, err := ui.New(ui.Opts{Cases: cs, Auth: as, Logger: log, Alerts: e.alerts, Interactions: e.inter, NoAnimation: true, Analyst: e.analyst})
	if err != nil {
		t.Fatal(err)
	}
	apiH := http.NotFoundHandler()
	if api != nil {
		apiH = api(e)
	}
	srv := httptest.NewServer(ui.Mount(apiH, h))
	t.Cleanup(srv.Close)
	e.srv, e.base = srv, srv.URL
	for _, u := range res.Users {
		e.users[u.Role] = u
	}
	return e
}

// browser is a plain HTTP client with cookies, for the fast page tests.
type httpBrowser struct {
	t    testing.TB
	e    *env
	c    *http.Client
	lang string
}

func (e *env) browser(t testing.TB) *httpBrowser {
	jar, _ := cookiejar.New(nil)
	return &httpBrowser{t: t, e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}}
}

func (b *httpBrowser) do(method, path string, form url.Values) (int, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.e.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

func (b *httpBrowser) get(path string) (int, string) { return b.do("GET", path, nil) }

// csrf returns the token of the browser's CSRF cookie (a GET first sets it).
func (b *httpBrowser) csrf() string {
	u, _ := url.Parse(b.e.base + "/ui/")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "huajie_csrf" {
			return c.Value
		}
	}
	b.get("/ui/login")
	for _, c := range b.c.Jar.Cookies(u) {
		if c.Name == "huajie_csrf" {
			return c.Value
		}
	}
	b.t.Fatal("no CSRF cookie")
	return ""
}

func (b *httpBrowser) post(path string, form url.Values) (int, string) {
	if form == nil {
		form = url.Values{}
	}
	if form.Get("csrf_token") == "" {
		form.Set("csrf_token", b.csrf())
	}
	return b.do("POST", path, form)
}

func (b *httpBrowser) signIn(role auth.Role) {
	b.t.Helper()
	u := b.e.users[role]
	st, body := b.post("/ui/login", url.Values{"name": {u.Name}, "password": {u.Password}})
	if st != http.StatusOK || strings.Contains(body, `id="login-error"`) {
		b.t.Fatalf("sign-in as %s: %d %s", role, st, body)
	}
}
