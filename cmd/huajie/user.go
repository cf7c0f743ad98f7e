package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"huajie/internal/auth"
)

func init() {
	register(command{
		name:    "user",
		summary: "manage users: user create --name NAME --role ROLE | user passwd --name NAME (password on stdin)",
		run:     runUser,
	})
}

const userUsage = "usage: huajie user create --name NAME --role ROLE [--db DSN] | huajie user passwd --name NAME [--db DSN]; the password is read from the first line of stdin"

// runUser reads passwords from stdin, never from flags: a flag would be
// visible to every user of the machine in the process list.
func runUser(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "passwd") {
		return &exitError{code: 2, msg: userUsage}
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	name := fs.String("name", "", "user name")
	roleName := fs.String("role", "", "role (create): agent, handler, supervisor, analyst, compliance or admin")
	noPassword := fs.Bool("no-password", false, "create a user without a password (API tokens only)")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *name == "" {
		return &exitError{code: 2, msg: "--name is required\n" + userUsage}
	}
	var role auth.Role
	if sub == "create" {
		r, err := auth.ParseRole(*roleName)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		role = r
	}
	password := ""
	if sub == "passwd" || !*noPassword {
		fmt.Fprintf(env.stderr, "password for %s (one line on stdin): ", *name)
		line, err := bufio.NewReader(env.stdin).ReadString('\n')
		if err != nil && line == "" {
			return &exitError{code: 2, msg: "no password on stdin"}
		}
		password = strings.TrimRight(line, "\r\n")
		fmt.Fprintln(env.stderr)
		if err := auth.CheckPassword(password); err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.New(auth.Opts{Store: db})
	if sub == "create" {
		u, err := svc.CreateUser(ctx, *name, role, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "huajie: user %s (%s) created\n", u.Name, u.Role)
		return nil
	}
	if err := svc.SetPassword(ctx, *name, password); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "huajie: password of %s changed\n", *name)
	return nil
}
