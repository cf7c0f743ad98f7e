package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/dataset"
)

func init() {
	register(command{
		name:    "goodwill",
		summary: "goodwill export: the supervisors' goodwill decisions as labelled JSONL (for huajie assess --measure)",
		run:     runGoodwill,
	})
}

const goodwillUsage = "usage: huajie goodwill export [--db DSN] --out FILE"

// runGoodwill exports the supervisors' decisions on goodwill assessments,
// with the same code as GET /api/v1/goodwill/reviews/export. The file is
// written atomically: a failed export leaves the previous file alone.
func runGoodwill(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || args[0] != "export" {
		return &exitError{code: 2, msg: goodwillUsage}
	}
	fs := flag.NewFlagSet("goodwill export", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	out := fs.String("out", "", "output file (labelled JSONL; \"-\" for standard output)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ") + "\n" + goodwillUsage}
	}
	if *out == "" {
		return &exitError{code: 2, msg: "--out is required\n" + goodwillUsage}
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := cases.New(cases.Opts{Repo: db.Cases(), Logger: log})
	n := 0
	write := func(w io.Writer) error {
		var err error
		n, err = casegoodwill.Export(ctx, svc, w)
		return err
	}
	if *out == "-" {
		err = write(env.stdout)
	} else {
		err = dataset.AtomicWrite(*out, write)
	}
	if err != nil {
		return fmt.Errorf("goodwill export: %w", err)
	}
	fmt.Fprintf(env.stderr, "huajie: %d supervisor decisions exported\n", n)
	return nil
}
