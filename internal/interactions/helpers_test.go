package interactions_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

func pgDSN() string {
	if d := os.Getenv("HUAJIE_TEST_POSTGRES"); d != "" {
		return d
	}
	return "postgres://root@127.0.0.1:5432/test?sslmode=disable"
}

func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

func openSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "huajie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a fresh schema; unreachable PostgreSQL fails under CI
// and skips otherwise.
func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", pgDSN())
	if err == nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = admin.PingContext(pctx)
		cancel()
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable at %s (CI is set, so this fails): %v", pgDSN(), err)
		}
		t.Skipf("PostgreSQL unreachable at %s: %v", pgDSN(), err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "huajie_ingest_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, _ := url.Parse(pgDSN())
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	db, err := store.OpenAndMigrate(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// stack is the ingest path wired on a store, as serve wires it.
type stack struct {
	db     *store.DB
	svc    *interactions.Service
	alerts *alerts.Service
	log    *interactions.GroupCommitLog
	scorer *interactions.Scorer
	now    time.Time
}

func newStack(t testing.TB, db *store.DB, pol alerts.Policy) *stack {
	t.Helper()
	an, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	if pol.Default == 0 {
		pol = alerts.NewPolicy(risk.DefaultAlertThreshold, nil)
	}
	s := &stack{db: db, now: time.Now().UTC()}
	s.alerts = alerts.New(alerts.Opts{Store: db.Alerts()})
	s.scorer = interactions.NewScorer(interactions.ScorerOpts{Model: risk.Default(), Analyzer: an, Policy: pol})
	s.alerts.SetOnClosed(s.scorer.AlertClosed)
	s.log = interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: db.Interactions(), Scorer: s.scorer, Publish: s.alerts.Publish})
	t.Cleanup(s.log.Close)
	s.svc = interactions.New(interactions.Opts{Log: s.log, Reader: db.Interactions(), Analyzer: an})
	return s
}

func inputs(ms ...interactions.Message) []interactions.Input {
	out := make([]interactions.Input, len(ms))
	for i, m := range ms {
		out[i].Message = m
	}
	return out
}
