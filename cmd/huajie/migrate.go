package main

import (
	"context"
	"flag"
	"fmt"
)

func init() {
	register(command{
		name:    "migrate",
		summary: "bring the database schema up to date",
		run:     runMigrate,
	})
}

func runMigrate(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	fmt.Fprintf(env.stdout, "huajie: database %s is up to date\n", redactDSN(*dsn))
	return nil
}
