package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/clusters"
	"huajie/internal/insight"
	"huajie/internal/reports"
	"huajie/internal/store"
)

func init() {
	register(command{
		name:    "generate",
		summary: "write a synthetic data set (interactions, cases) for speed measurements, and time the analyst's views on it",
		run:     runGenerate,
	})
}

func runGenerate(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("generate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database (a fresh one: generated ids must not exist)")
	nInter := fs.Int("interactions", 1_000_000, "messages to write (0: none)")
	nCases := fs.Int("cases", 100_000, "cases to write (0: none)")
	days := fs.Int("days", 365, "days the data spans, ending now")
	seed := fs.Uint64("seed", 1, "random seed")
	timeIt := fs.Bool("time", false, "then time every analysis view and report (each run 3 times; the slowest is shown)")
	tz := fs.String("tz", "", tzUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	const usage = "usage: huajie generate [--interactions N] [--cases N] [--days D] [--seed S] [--time] [--tz ZONE] --db DSN"
	switch {
	case fs.NArg() != 0:
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ") + "\n" + usage}
	case *nInter < 0:
		return &exitError{code: 2, msg: fmt.Sprintf("--interactions %d: expected 0 or more\n%s", *nInter, usage)}
	case *nCases < 0:
		return &exitError{code: 2, msg: fmt.Sprintf("--cases %d: expected 0 or more\n%s", *nCases, usage)}
	case *days <= 0:
		return &exitError{code: 2, msg: fmt.Sprintf("--days %d: expected 1 or more\n%s", *days, usage)}
	}
	loc, err := parseZoneFlag(*tz)
	if err != nil {
		return err
	}
	log, err := newLogger(env.stderr, "warn")
	if err != nil {
		return err
	}
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	if *nInter > 0 || *nCases > 0 {
		err = db.Generate(ctx, store.GenerateOpts{Interactions: *nInter, Cases: *nCases, Days: *days, Seed: *seed, Zone: loc,
			Progress: func(kind string, done, total int) {
				fmt.Fprintf(env.stderr, "\rgenerate: %s %d/%d (%.0f%%) %.0fs", kind, done, total, 100*float64(done)/float64(max(total, 1)), time.Since(start).Seconds())
				if done == total {
					fmt.Fprintln(env.stderr)
				}
			}})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "generate: %d interactions and %d cases in %.1fs\n", *nInter, *nCases, time.Since(start).Seconds())
	}
	if !*timeIt {
		return nil
	}
	return timeViews(ctx, env, db, *days, loc)
}

// timeViews runs every analysis view and report of the analyst's service
// over the last 90 days (reports: the whole year) and prints the slowest of
// three runs of each.
func timeViews(ctx context.Context, env *cmdEnv, db *store.DB, days int, loc *time.Location) error {
	svc := analyst.New(analyst.Opts{Repo: db, RefreshEvery: time.Nanosecond, Zone: loc})
	now := time.Now().UTC()
	r90 := analyst.Range{From: now.AddDate(0, 0, -90), To: now}
	year := reports.Period{From: now.AddDate(0, 0, -days), To: now.AddDate(0, 0, 1)}
	views := []struct {
		name string
		fn   func() error
	}{
		{"refresh (nothing new)", func() error { _, err := svc.Refresh(ctx, true); return err }},
		{"volumes cases by cause, day, 90 d", func() error {
			_, err := svc.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimCause, Range: r90})
			return err
		}},
		{"volumes cases by touchpoint, week, 1 y", func() error {
			_, err := svc.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimTouchpoint, Bucket: "week", Range: analyst.Range{From: year.From, To: year.To}})
			return err
		}},
		{"volumes messages by team, day, 1 y", func() error {
			_, err := svc.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceMessage, Dim: insight.DimTeam, Range: analyst.Range{From: year.From, To: year.To}})
			return err
		}},
		{"emotion and risk (messages by emotion), 90 d", func() error {
			_, err := svc.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceMessage, Dim: insight.DimEmotion, Range: r90})
			return err
		}},
		{"spikes messages by cause, 90 d", func() error {
			_, err := svc.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceMessage, Dim: insight.DimCause, Range: r90})
			return err
		}},
		{"spikes cases by touchpoint, 90 d", func() error {
			_, err := svc.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceCase, Dim: insight.DimTouchpoint, Range: r90})
			return err
		}},
		{"clusters, last 7 d", func() error {
			_, err := svc.Clusters(ctx, analyst.Range{From: now.AddDate(0, 0, -7), To: now}, clusters.Opts{})
			return err
		}},
		{"servqual, 90 d", func() error { _, err := svc.Servqual(ctx, r90); return err }},
		{"report regulatory, 1 y", func() error { _, err := svc.Regulatory(ctx, year); return err }},
		{"report deadlines, 1 y", func() error { _, err := svc.Deadlines(ctx, year); return err }},
	}
	fmt.Fprintf(env.stdout, "%-46s %10s\n", "view ("+string(db.Dialect())+")", "slowest ms")
	for _, v := range views {
		var worst time.Duration
		for range 3 {
			t0 := time.Now()
			if err := v.fn(); err != nil {
				return fmt.Errorf("%s: %w", v.name, err)
			}
			worst = max(worst, time.Since(t0))
		}
		fmt.Fprintf(env.stdout, "%-46s %10.1f\n", v.name, float64(worst.Microseconds())/1000)
	}
	return nil
}
