package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"huajie/internal/analysis"
	"huajie/internal/analyst"
	"huajie/internal/collect"
	"huajie/internal/interactions"
	"huajie/internal/store"
	"huajie/internal/touchpoints"
)

func init() {
	register(command{
		name:    "collect",
		summary: "import surveys (CSAT, NPS, SERVQUAL) or social-media posts from CSV or JSONL; a bad line stops the import, nothing is half-written",
		run:     runCollect,
	})
}

func runCollect(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("collect", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database")
	kind := fs.String("kind", "", "survey or post")
	format := fs.String("format", "", "jsonl or csv (default: from the file name; jsonl for stdin)")
	tpFile := fs.String("touchpoints", "", "touchpoint list (code<TAB>zh<TAB>en<TAB>terms); default the built-in list")
	quiet := fs.Bool("quiet", false, "no progress display")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (*kind != "survey" && *kind != "post") {
		return &exitError{code: 2, msg: "usage: huajie collect --kind survey|post [--db DSN] [--format jsonl|csv] [--touchpoints FILE] FILE (- for stdin)"}
	}
	f := collect.Format(*format)
	if f == "" {
		f = collect.FormatOf(fs.Arg(0))
	}
	if f != collect.JSONL && f != collect.CSV {
		return &exitError{code: 2, msg: "--format must be jsonl or csv"}
	}
	tps := touchpoints.Default()
	if *tpFile != "" {
		var err error
		if tps, err = touchpoints.Load(*tpFile); err != nil {
			return err
		}
	}
	var r io.Reader = env.stdin
	source := "standard input"
	if name := fs.Arg(0); name != "-" {
		source = name
		fh, err := os.Open(name)
		if err != nil {
			return err
		}
		defer fh.Close()
		r = fh
	}
	start := time.Now()
	last := time.Time{}
	show := func(stage string, n, total int) {
		if *quiet || (time.Since(last) < 300*time.Millisecond && n != total) {
			return
		}
		last = time.Now()
		if total > 0 {
			fmt.Fprintf(env.stderr, "\rcollect: %s %d/%d (%.0f%%)", stage, n, total, 100*float64(n)/float64(total))
		} else {
			fmt.Fprintf(env.stderr, "\rcollect: %s %d lines", stage, n)
		}
	}
	chk := collect.Checker{Touchpoints: tps}
	log, err := newLogger(env.stderr, "warn")
	if err != nil {
		return err
	}
	var inserted, total int
	switch *kind {
	case "survey":
		ss, err := chk.ReadSurveys(r, f, func(n int) { show("reading", n, 0) })
		if err := lineErrors(env, source, err); err != nil {
			return err
		}
		total = len(ss)
		db, err := openStore(ctx, *dsn, log)
		if err != nil {
			return err
		}
		defer db.Close()
		if inserted, err = db.ImportSurveys(ctx, ss, func(n int) { show("storing", n, total) }); err != nil {
			return err
		}
	case "post":
		ps, err := chk.ReadPosts(r, f, func(n int) { show("reading", n, 0) })
		if err := lineErrors(env, source, err); err != nil {
			return err
		}
		total = len(ps)
		db, err := openStore(ctx, *dsn, log)
		if err != nil {
			return err
		}
		defer db.Close()
		if inserted, err = storePosts(ctx, db, tps, ps, show); err != nil {
			return err
		}
	}
	if !*quiet {
		fmt.Fprintln(env.stderr)
	}
	fmt.Fprintf(env.stdout, "collect: %d %ss read, %d stored, %d already there, in %.1fs\n", total, *kind, inserted, total-inserted, time.Since(start).Seconds())
	return nil
}

// lineErrors prints a file's bad lines, each with the file's name, and
// returns an exit error.
func lineErrors(env *cmdEnv, source string, err error) error {
	if err == nil {
		return nil
	}
	var fe *collect.FileError
	if !errors.As(err, &fe) {
		return err
	}
	fmt.Fprintln(env.stderr)
	for _, le := range fe.Errors {
		fmt.Fprintf(env.stderr, "collect: %s: %s\n", source, le.Error())
	}
	if fe.Truncated {
		fmt.Fprintf(env.stderr, "collect: more than %d bad lines; the rest are not listed\n", collect.MaxErrors)
	}
	return &exitError{code: 1, msg: fmt.Sprintf("%s: %d bad line(s): nothing imported", source, len(fe.Errors))}
}

// storePosts analyses posts like any message (emotion, sentiment, problem,
// cues, touchpoint) and stores them; show, when not nil, follows the
// stages.
func storePosts(ctx context.Context, db *store.DB, tps *touchpoints.List, ps []collect.Post, show func(stage string, n, total int)) (int, error) {
	if show == nil {
		show = func(string, int, int) {}
	}
	eng, err := analysis.Default()
	if err != nil {
		return 0, fmt.Errorf("analysis engine: %w", err)
	}
	var res analysis.Result
	done := 0
	rows := analyst.New(analyst.Opts{Touchpoints: tps}).PostRows(ps, func(text string) interactions.Analysis {
		eng.AnalyzeInto(text, &res, false)
		done++
		show("analysing", done, len(ps))
		return interactions.Summarise(&res)
	})
	return db.ImportPosts(ctx, rows, func(n int) { show("storing", n, len(ps)) })
}
