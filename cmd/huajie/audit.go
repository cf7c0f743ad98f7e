package main

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	register(command{
		name:    "audit",
		summary: "audit verify: check the audit trail's hash chain (exit 1 on a break)",
		run:     runAudit,
	})
}

func runAudit(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return &exitError{code: 2, msg: "usage: huajie audit verify [--db DSN]"}
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if !rep.OK {
		return &exitError{code: 1, msg: fmt.Sprintf("audit chain broken at entry %d (of %d): %s", rep.FirstBroken, rep.Entries, rep.Problem)}
	}
	fmt.Fprintf(env.stdout, "huajie: audit chain verified: %d entries, no break\n", rep.Entries)
	return nil
}
