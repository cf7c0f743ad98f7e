package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/cases"
	"huajie/internal/collect"
	"huajie/internal/demo"
	"huajie/internal/spikewatch"
	"huajie/internal/store"
	"huajie/internal/touchpoints"
)

func init() {
	register(command{
		name:    "demo",
		summary: "serve with demo data (a fresh SQLite file in --dir; prints sign-ins and a token)",
		run:     runDemo,
	})
}

// demoDBName is the demo's database file inside --dir. Only this file (and
// its WAL companions) is ever removed.
const demoDBName = "huajie-demo.db"

// runDemo rebuilds the demo database from scratch on every run: the cases'
// deadlines are relative to now, so reusing an old file would show every
// case overdue, and a fresh file makes re-running idempotent.
func runDemo(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address HOST:PORT (port 0 picks a free port)")
	dir := fs.String("dir", "huajie-demo", "directory for the demo database (created if missing)")
	logLevel := fs.String("log-level", "warn", "debug, info, warn or error")
	tz := fs.String("tz", "", tzUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	loc, err := parseZoneFlag(*tz)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	log, err := newLogger(env.stderr, *logLevel)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(*dir, demoDBName)
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the previous demo database: %w", err)
		}
	}
	db, err := openStore(ctx, path, log)
	if err != nil {
		return err
	}
	defer db.Close()
	_, as := services(db, log)
	fmt.Fprintf(env.stderr, "huajie demo: building demo data in %s …\n", path)
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: time.Now(), NewCases: func(clock func() time.Time) *cases.Service {
		return newCasesServiceIn(db, log, clock, loc)
	}})
	if err != nil {
		return err
	}
	ins, err := seedDemoInsight(ctx, db, loc)
	if err != nil {
		return err
	}
	return serveHTTPWith(ctx, env, log, db, *addr, time.Minute, ingestOpts{}, loc, func(base string) {
		w := env.stdout
		// Live conversations for the agent's workstation, posted through
		// the API as a contact-centre integration would.
		if err := postDemoConversations(ctx, base, res.Token); err != nil {
			fmt.Fprintf(env.stderr, "huajie demo: %v\n", err)
		}
		fmt.Fprintf(w, "\nHuajie (化解) demo: %d cases, %d survey answers, %d social-media posts, a prevention measure and a spike alert for the insight pages\n\n", res.Cases, ins.Surveys, ins.Posts)
		fmt.Fprintf(w, "  open:       %s/   (the web UI: what Huajie does, then sign in with one of the users below)\n", base)
		fmt.Fprintf(w, "  API:        %s/api/v1/cases   (OpenAPI: %s/api/v1/openapi.json)\n", base, base)
		fmt.Fprintf(w, "  database:   %s\n\n", path)
		fmt.Fprintln(w, "  sign-ins (the UI's sign-in page, or POST /api/v1/auth/login {\"name\":…,\"password\":…}):")
		for _, u := range res.Users {
			team := ""
			if u.Team != "" {
				team = "   team " + u.Team
			}
			fmt.Fprintf(w, "    %-12s %-18s password %s%s\n", u.Role, u.Name, u.Password, team)
		}
		fmt.Fprintf(w, "\n  API token (admin): %s\n", res.Token)
		fmt.Fprintf(w, "  try: curl -H 'Authorization: Bearer %s' '%s/api/v1/cases?state=investigating'\n\n", res.Token, base)
		fmt.Fprintln(w, "  Ctrl-C stops the server.")
	})
}

// seedDemoInsight adds the surveys, the prevention measure and the spike
// alert of demo.SeedInsight to the demo database.
func seedDemoInsight(ctx context.Context, db *store.DB, loc *time.Location) (*demo.InsightResult, error) {
	return demo.SeedInsight(ctx, demo.InsightOpts{
		Now:  time.Now(),
		Zone: loc,
		Surveys: func(ctx context.Context, ss []collect.Survey) (int, error) {
			return db.ImportSurveys(ctx, ss, nil)
		},
		Posts: func(ctx context.Context, ps []collect.Post) (int, error) {
			return storePosts(ctx, db, touchpoints.Default(), ps, nil)
		},
		Analyst: analyst.New(analyst.Opts{Repo: db, Zone: loc}),
		Spikes:  spikewatch.New(spikewatch.Opts{Store: db.SpikeAlerts()}),
	})
}
