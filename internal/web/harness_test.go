package web_test

import (
	"context"
	"huajie/internal/analyst"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/goodwill"
	"huajie/internal/pii"
	"huajie/internal/store"
	"huajie/internal/store/storetest"
	"huajie/internal/web"
	"huajie/internal/web/client"
)

// testEvidenceLimit is small so the 413 path is cheap to reach.
const testEvidenceLimit = 64 << 10

// env is a running API over a real store, with one client per role.
type env struct {
	base  string
	db    *store.DB
	cases *cases.Service
	auth  *auth.Service
	as    map[auth.Role]*client.Client
	anon  *client.Client
	ing   *ingestEnv
}

// forEachDB runs fn against SQLite and PostgreSQL (a schema of its own).
// PostgreSQL that cannot be reached fails the test under CI and skips it
// otherwise.
func forEachDB(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, openSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnv(t, openPostgres(t))) })
}

func openSQLite(t testing.TB) *store.DB { return storetest.OpenSQLite(t) }

func openPostgres(t testing.TB) *store.DB { return storetest.OpenPostgres(t) }

func newEnv(t testing.TB, db *store.DB) *env {
	t.Helper()
	ctx := context.Background()
	log := slog.New(pii.NewHandler(slog.NewTextHandler(io.Discard, nil)))
	gw, err := goodwill.Default()
	if err != nil {
		t.Fatal(err)
	}
	cs := cases.New(cases.Opts{Repo: db.Cases(), Logger: log, MaxEvidenceBytes: testEvidenceLimit, Goodwill: casegoodwill.Func(gw)})
	as := auth.New(auth.Opts{Store: db})
	ing := newIngest(t, db, log)
	h := web.New(web.Opts{Cases: cs, Auth: as, DB: db, Logger: log, Registry: prometheus.NewRegistry(), Goodwill: gw,
		Interactions: ing.svc, Alerts: ing.alerts, Heartbeat: 200 * time.Millisecond, Analyst: analyst.New(analyst.Opts{Repo: db, RefreshEvery: time.Nanosecond})})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{base: srv.URL, db: db, cases: cs, auth: as, as: map[auth.Role]*client.Client{}, anon: client.New(srv.URL, ""), ing: ing}
	for _, r := range auth.Roles {
		tok, _, err := as.CreateToken(ctx, "test-"+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		e.as[r] = client.New(srv.URL, tok)
	}
	return e
}

// newCase opens a case directly through the API as a handler.
func (e *env) newCase(t *testing.T, text string) *cases.Case {
	t.Helper()
	c, err := e.as[auth.RoleHandler].CreateCase(context.Background(), cases.NewCase{
		Channel:  cases.ChannelPhone,
		Customer: cases.Customer{ID: "C1", Name: "张伟", Phone: "13812345678", IDCard: "110101199003071233"},
		Text:     text,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func casesInput() cases.NewCase {
	return cases.NewCase{Channel: cases.ChannelBranch, Customer: cases.Customer{ID: "C9", Name: "黄强"}, Text: "排队等了一个多小时"}
}
