package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/deadlines"
	"huajie/internal/insight"
	"huajie/internal/pii"
	"huajie/internal/store"
	"huajie/internal/web"
)

func init() {
	register(command{
		name:    "serve",
		summary: "serve the HTTP API (runs migrations, starts the deadline watcher)",
		run:     runServe,
	})
}

// defaultDSN is a SQLite file in the working directory: nothing to install
// or configure for a first run.
const defaultDSN = "huajie.db"

func runServe(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address HOST:PORT (port 0 picks a free port)")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	interval := fs.Duration("deadline-interval", time.Minute, "how often the deadline watcher scans for warnings and breaches")
	thresholds := fs.String("alert-thresholds", "", "alert thresholds by channel, e.g. default=0.6,phone=0.65,online_chat=0.55 (default: the risk model's)")
	hysteresis := fs.Float64("alert-hysteresis", 0, "how far below its threshold a conversation's risk must fall before it can alert again (default 0.15)")
	tz := fs.String("tz", "", tzUsage)
	spikes := spikeFlags(fs)
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
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := parseThresholds(*thresholds, *hysteresis); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	return serveHTTPSpikes(ctx, env, log, db, *addr, *interval, ingestOpts{thresholds: *thresholds, hysteresis: *hysteresis}, loc, *spikes, nil)
}

// newLogger returns a logger whose output is always masked.
func newLogger(w io.Writer, level string) (*slog.Logger, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: expected debug, info, warn or error", level)
	}
	return slog.New(pii.NewHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))), nil
}

// openStore opens the database and brings its schema up to date: serve and
// demo always run migrations on start, so an upgrade is one restart.
func openStore(ctx context.Context, dsn string, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("opening database %s: %w", redactDSN(dsn), err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrating database %s: %w", redactDSN(dsn), err)
	}
	log.Debug("database ready", "dsn", redactDSN(dsn))
	return db, nil
}

// redactDSN hides a password in a PostgreSQL URL before it is printed.
func redactDSN(dsn string) string {
	if i := strings.Index(dsn, "://"); i >= 0 {
		rest := dsn[i+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if c := strings.Index(rest[:at], ":"); c >= 0 {
				return dsn[:i+3] + rest[:c] + ":****" + rest[at:]
			}
		}
	}
	return dsn
}

// services wires the domain services on a store, counting days in the
// default zone.
func services(db *store.DB, log *slog.Logger) (*cases.Service, *auth.Service) {
	return servicesIn(db, log, insight.DefaultZone())
}

// servicesIn wires the domain services counting days in loc.
func servicesIn(db *store.DB, log *slog.Logger, loc *time.Location) (*cases.Service, *auth.Service) {
	return newCasesServiceIn(db, log, nil, loc), auth.New(auth.Opts{Store: db})
}

// newCasesService is the cases service as served in the default zone; clock
// nil is real time.
func newCasesService(db *store.DB, log *slog.Logger, clock func() time.Time) *cases.Service {
	return newCasesServiceIn(db, log, clock, insight.DefaultZone())
}

// newCasesServiceIn is the cases service counting deadline days in loc
// (--tz; the default policy is China's 2020 Measures, whose "15 days" end
// at midnight in China, so the default zone is UTC+8).
func newCasesServiceIn(db *store.DB, log *slog.Logger, clock func() time.Time, loc *time.Location) *cases.Service {
	return cases.New(cases.Opts{Repo: db.Cases(), Analyze: analyzer(log), Goodwill: casegoodwill.Func(goodwillAssessor(log)),
		Logger: log, ChannelCode: channelCode, Now: clock, Calendar: deadlines.Calendar{Location: loc},
		TeamOf: auth.New(auth.Opts{Store: db}).TeamOf})
}

// serveHTTP serves the API on addr until ctx is done (SIGINT/SIGTERM), then
// shuts down gracefully: in-flight requests finish, new ones are refused.
// ready, when set, is called with the base URL once the listener is bound.
func serveHTTP(ctx context.Context, env *cmdEnv, log *slog.Logger, db *store.DB, addr string, interval time.Duration, ready func(base string)) error {
	return serveHTTPWith(ctx, env, log, db, addr, interval, ingestOpts{}, insight.DefaultZone(), ready)
}

// serveHTTPWith is serveHTTP with the ingest path's options, counting days
// (deadlines, insight) in loc.
func serveHTTPWith(ctx context.Context, env *cmdEnv, log *slog.Logger, db *store.DB, addr string, interval time.Duration, io ingestOpts, loc *time.Location, ready func(base string)) error {
	return serveHTTPSpikes(ctx, env, log, db, addr, interval, io, loc, defaultSpikeOpts(), ready)
}

// serveHTTPSpikes is serveHTTPWith with the spike watch's options.
func serveHTTPSpikes(ctx context.Context, env *cmdEnv, log *slog.Logger, db *store.DB, addr string, interval time.Duration, io ingestOpts, loc *time.Location, so spikeOpts, ready func(base string)) error {
	cs, as := servicesIn(db, log, loc)
	ing, err := newIngest(db, log, io)
	if err != nil {
		return err
	}
	stopIngest := ing.run(ctx)
	defer stopIngest()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", addr, err)
	}
	base := "http://" + ln.Addr().String()
	an := newAnalyst(db, ing.svc, log, loc)
	defer startInsight(ctx, an, log)()
	defer startSpikeWatch(ctx, log, db, an, ing.alerts, so)()
	srv := &http.Server{
		Handler: withUI(web.New(web.Opts{Cases: cs, Auth: as, DB: db, Logger: log, Goodwill: goodwillAssessor(log),
			Interactions: ing.svc, Alerts: ing.alerts, Analyst: an}), cs, as, log, ing.alerts, ing.svc, an),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // evidence uploads
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(env.stdout, "huajie: listening on %s\n", base)
	if ready != nil {
		ready(base)
	}

	// The watcher starts after the banner so its first scan's warnings
	// follow the address rather than bury it.
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() {
		defer close(watchDone)
		cs.RunDeadlineWatcher(watchCtx, interval)
	}()

	select {
	case err := <-errc:
		stopWatch()
		<-watchDone
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	stopWatch()
	<-watchDone
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutting down: %w", err)
	}
	fmt.Fprintln(env.stdout, "huajie: stopped")
	return nil
}

// parseFlags parses a command's flags; -h prints them and exits 0, a bad
// flag exits 2 (the flag package has already said why).
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return &exitError{code: 0}
		}
		return &exitError{code: 2}
	}
	return nil
}
