package interactions_test

import (
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
	"huajie/internal/store/storetest"
)

func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

func openSQLite(t testing.TB) *store.DB { return storetest.OpenSQLite(t) }

func openPostgres(t testing.TB) *store.DB { return storetest.OpenPostgres(t) }

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
