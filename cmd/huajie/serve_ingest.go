package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strconv"
	"strings"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

// ingestStack is the live pre-identification path as served: the ingest
// service over the in-process group-commit log, the alerts service with its
// SSE broker, and the webhook delivery worker.
type ingestStack struct {
	svc    *interactions.Service
	alerts *alerts.Service
	log    *interactions.GroupCommitLog
	worker *alerts.Worker
}

// ingestOpts are the serve flags of the ingest path.
type ingestOpts struct {
	// thresholds is "channel=0.7,phone=0.65"; "default=…" sets the default.
	thresholds string
	hysteresis float64
	maxGroup   int
}

// parseThresholds reads "default=0.6,phone=0.7" into a policy.
func parseThresholds(s string, hysteresis float64) (alerts.Policy, error) {
	p := alerts.NewPolicy(risk.DefaultAlertThreshold, nil)
	if hysteresis > 0 {
		p.Hysteresis = hysteresis
	}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || err != nil || f <= 0 || f > 1 {
			return p, fmt.Errorf("--alert-thresholds %q: expected CHANNEL=RISK with 0 < RISK <= 1", part)
		}
		k = strings.TrimSpace(k)
		if k == "default" {
			p.Default = f
			continue
		}
		known := false
		for _, c := range interactions.Channels {
			known = known || c == k
		}
		if !known {
			return p, fmt.Errorf("--alert-thresholds: unknown channel %q (one of default, %s)", k, strings.Join(interactions.Channels, ", "))
		}
		if p.Thresholds == nil {
			p.Thresholds = map[string]float64{}
		}
		p.Thresholds[k] = f
	}
	return p, nil
}

func describePolicy(p alerts.Policy) string {
	var parts []string
	for k, v := range p.Thresholds {
		parts = append(parts, fmt.Sprintf("%s=%.2f", k, v))
	}
	sort.Strings(parts)
	return fmt.Sprintf("default=%.2f %s hysteresis=%.2f", p.Default, strings.Join(parts, " "), p.Hysteresis)
}

// newIngest wires the ingest path on db. The worker is not started: call
// run.
func newIngest(db *store.DB, log *slog.Logger, o ingestOpts) (*ingestStack, error) {
	an, err := analysis.Default()
	if err != nil {
		return nil, fmt.Errorf("ingest needs the analysis engine: %w", err)
	}
	pol, err := parseThresholds(o.thresholds, o.hysteresis)
	if err != nil {
		return nil, &exitError{code: 2, msg: err.Error()}
	}
	st := db.Interactions()
	as := db.Alerts()
	worker := alerts.NewWorker(alerts.WorkerOpts{Store: as, Logger: log})
	asvc := alerts.New(alerts.Opts{Store: as, Wake: worker.Wake})
	scorer := interactions.NewScorer(interactions.ScorerOpts{Model: risk.Default(), Analyzer: an, Policy: pol})
	asvc.SetOnClosed(scorer.AlertClosed)
	gl := interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: st, Scorer: scorer, Publish: asvc.Publish, MaxGroup: o.maxGroup, Logger: log})
	svc := interactions.New(interactions.Opts{Log: gl, Reader: st, Analyzer: an})
	log.Debug("alert policy", "policy", describePolicy(pol))
	return &ingestStack{svc: svc, alerts: asvc, log: gl, worker: worker}, nil
}

// run starts the webhook worker; the returned function stops it and the
// log's writer (after the HTTP server has drained).
func (s *ingestStack) run(ctx context.Context) (stop func()) {
	wctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.worker.Run(wctx)
	}()
	return func() {
		s.log.Close()
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
		}
	}
}
