package web_test

import (
	"log/slog"
	"testing"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

// ingestEnv is the ingest path as serve wires it (without the webhook
// worker, which tests run themselves).
type ingestEnv struct {
	svc    *interactions.Service
	alerts *alerts.Service
	log    *interactions.GroupCommitLog
}

func newIngest(t testing.TB, db *store.DB, log *slog.Logger) *ingestEnv {
	t.Helper()
	an, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	asvc := alerts.New(alerts.Opts{Store: db.Alerts()})
	sc := interactions.NewScorer(interactions.ScorerOpts{Model: risk.Default(), Analyzer: an, Policy: alerts.NewPolicy(risk.DefaultAlertThreshold, nil)})
	asvc.SetOnClosed(sc.AlertClosed)
	gl := interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: db.Interactions(), Scorer: sc, Publish: asvc.Publish, Logger: log})
	t.Cleanup(gl.Close)
	return &ingestEnv{svc: interactions.New(interactions.Opts{Log: gl, Reader: db.Interactions(), Analyzer: an}), alerts: asvc, log: gl}
}
