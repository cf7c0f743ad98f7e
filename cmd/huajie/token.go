package main

import (
	"context"
	"flag"
	"fmt"

	"huajie/internal/auth"
)

func init() {
	register(command{
		name:    "token",
		summary: "create API tokens: token create --user NAME --role ROLE",
		run:     runToken,
	})
}

// runToken prints a new token on stdout and nothing else there, so that
// scripts can capture it: TOKEN=$(huajie token create …).
func runToken(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return &exitError{code: 2, msg: "usage: huajie token create --user NAME --role ROLE [--db DSN]"}
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	user := fs.String("user", "", "user name (created with the role if it does not exist)")
	roleName := fs.String("role", "", "role: agent, handler, supervisor, analyst, compliance or admin")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *user == "" || *roleName == "" {
		return &exitError{code: 2, msg: "--user and --role are required"}
	}
	role, err := auth.ParseRole(*roleName)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	tok, u, err := auth.New(auth.Opts{Store: db}).CreateToken(ctx, *user, role)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, tok)
	fmt.Fprintf(env.stderr, "huajie: token for %s (%s) created; it is shown only once\n", u.Name, role)
	return nil
}
