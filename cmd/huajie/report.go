package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/reports"
)

func init() {
	register(command{
		name:    "report",
		summary: "regulatory statistics (JR/T 0169-2018) or deadline performance of a period, as CSV or JSON",
		run:     runReport,
	})
}

func runReport(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database")
	kind := fs.String("kind", "", "regulatory or deadlines")
	from := fs.String("from", "", "start of the period (YYYY-MM-DD or RFC 3339)")
	to := fs.String("to", "", "end of the period, exclusive")
	format := fs.String("format", "csv", "csv or json")
	tz := fs.String("tz", "", tzUsage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	const usage = "usage: huajie report --kind regulatory|deadlines --from DATE --to DATE [--format csv|json] [--tz ZONE] [--db DSN]"
	switch {
	case fs.NArg() != 0:
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ") + "\n" + usage}
	case *kind != "regulatory" && *kind != "deadlines":
		return &exitError{code: 2, msg: fmt.Sprintf("--kind %q: expected regulatory or deadlines\n%s", *kind, usage)}
	case *format != "csv" && *format != "json":
		return &exitError{code: 2, msg: fmt.Sprintf("--format %q: expected csv or json\n%s", *format, usage)}
	}
	loc, err := parseZoneFlag(*tz)
	if err != nil {
		return err
	}
	// A date is the start of that day in the zone.
	parse := func(name, s string) (time.Time, error) {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			return t.UTC(), nil
		}
		if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
			return t, nil
		}
		return time.Time{}, &exitError{code: 2, msg: "--" + name + " " + s + ": expected YYYY-MM-DD or RFC 3339"}
	}
	var p reports.Period
	if p.From, err = parse("from", *from); err != nil {
		return err
	}
	if p.To, err = parse("to", *to); err != nil {
		return err
	}
	if err := p.Check(); err != nil {
		return &exitError{code: 2, msg: err.Error()}
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
	// The analyst says on stderr when it rebuilds the facts for the zone.
	info, _ := newLogger(env.stderr, "info")
	svc := analyst.New(analyst.Opts{Repo: db, Zone: loc, Logger: info})
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	switch *kind {
	case "regulatory":
		r, err := svc.Regulatory(ctx, p)
		if err != nil {
			return err
		}
		if *format == "json" {
			return enc.Encode(r)
		}
		return r.WriteCSV(env.stdout)
	default:
		d, err := svc.Deadlines(ctx, p)
		if err != nil {
			return err
		}
		if *format == "json" {
			return enc.Encode(d)
		}
		return d.WriteCSV(env.stdout)
	}
}
