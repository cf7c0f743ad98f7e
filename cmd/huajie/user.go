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
		summary: "manage users: user create --name NAME --role ROLE [--team TEAM] | user passwd --name NAME (password on stdin) | user team --name NAME --team TEAM | user role --name NAME --role ROLE",
		run:     runUser,
	})
}

const userUsage = "usage: huajie user create (or add) --name NAME --role ROLE [--team TEAM] [--db DSN] | huajie user passwd --name NAME [--db DSN] | huajie user team --name NAME --team TEAM [--db DSN] (--team '' for none) | huajie user role --name NAME --role ROLE [--db DSN] (revokes the user's tokens for the old role); the password is read from the first line of stdin"

// runUser reads passwords from stdin, never from flags: a flag would be
// visible to every user of the machine in the process list. Creating a
// user and changing a role or team are audited (user.create, user.role,
// user.team) with the command line as the actor.
func runUser(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "add" && args[0] != "passwd" && args[0] != "team" && args[0] != "role") {
		return &exitError{code: 2, msg: userUsage}
	}
	sub := args[0]
	if sub == "add" {
		sub = "create"
	}
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	name := fs.String("name", "", "user name")
	roleName := fs.String("role", "", "role (create, role): agent, handler, supervisor, analyst, compliance or admin")
	noPassword := fs.Bool("no-password", false, "create a user without a password (API tokens only)")
	team := fs.String("team", "", "the user's team (create, team): a case assigned to the user is counted for it; the case desk's team queue shows its cases")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *name == "" {
		return &exitError{code: 2, msg: "--name is required\n" + userUsage}
	}
	teamSet := false
	fs.Visit(func(f *flag.Flag) { teamSet = teamSet || f.Name == "team" })
	if sub == "team" && !teamSet {
		return &exitError{code: 2, msg: "--team is required (--team '' for none)\n" + userUsage}
	}
	if err := auth.CheckTeam(*team); err != nil {
		return &exitError{code: 2, msg: "--team: " + err.Error()}
	}
	var role auth.Role
	if sub == "create" || sub == "role" {
		r, err := auth.ParseRole(*roleName)
		if err != nil {
			return &exitError{code: 2, msg: err.Error()}
		}
		role = r
	}
	password := ""
	if sub == "passwd" || (sub == "create" && !*noPassword) {
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
	level := "warn"
	if sub == "role" {
		level = "info" // the tokens revoked with the old role are logged
	}
	log, _ := newLogger(env.stderr, level)
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := auth.New(auth.Opts{Store: db})
	by := cliActor()
	switch sub {
	case "create":
		u, err := svc.AddUser(ctx, auth.NewUser{Name: *name, Role: role, Password: password, Team: *team, By: by})
		if err != nil {
			return err
		}
		if u.Team != "" {
			fmt.Fprintf(env.stdout, "huajie: user %s (%s, team %s) created\n", u.Name, u.Role, u.Team)
		} else {
			fmt.Fprintf(env.stdout, "huajie: user %s (%s) created\n", u.Name, u.Role)
		}
		return nil
	case "team":
		if err := svc.SetUserTeam(ctx, by, *name, *team); err != nil {
			return err
		}
		if *team == "" {
			fmt.Fprintf(env.stdout, "huajie: %s is in no team\n", *name)
		} else {
			fmt.Fprintf(env.stdout, "huajie: %s is in team %s\n", *name, *team)
		}
		return nil
	case "role":
		revoked, err := svc.SetUserRole(ctx, by, *name, role)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "huajie: %s has role %s\n", *name, role)
		for _, t := range revoked {
			log.InfoContext(ctx, "api token revoked", "token", t.ID, "user", t.UserName, "role", string(t.Role), "by", by.Name, "reason", auth.ReasonRoleChanged)
			fmt.Fprintf(env.stdout, "token %d (%s, %s) revoked: the user's role changed\n", t.ID, t.UserName, t.Role)
		}
		return nil
	}
	if err := svc.SetPasswordBy(ctx, cliActor(), *name, password); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "huajie: password of %s changed\n", *name)
	return nil
}
