package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os/user"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"huajie/internal/auth"
)

func init() {
	register(command{
		name:    "token",
		summary: "API tokens: token create --user NAME --role ROLE [--expires 90d|DATE], token list, token revoke --id ID",
		run:     runToken,
	})
}

const tokenUsage = "usage: huajie token create --user NAME --role ROLE [--expires 90d|YYYY-MM-DD|RFC3339] [--db DSN]\n" +
	"       huajie token list [--db DSN]\n" +
	"       huajie token revoke --id ID [--db DSN]"

func runToken(ctx context.Context, env *cmdEnv, args []string) error {
	if len(args) == 0 {
		return &exitError{code: 2, msg: tokenUsage}
	}
	switch args[0] {
	case "create":
		return runTokenCreate(ctx, env, args[1:])
	case "list":
		return runTokenList(ctx, env, args[1:])
	case "revoke":
		return runTokenRevoke(ctx, env, args[1:])
	}
	return &exitError{code: 2, msg: tokenUsage}
}

// cliActor is who issues or revokes tokens, or creates and changes users,
// from the command line: "cli" and the operating-system account when
// known. Its role is unknown (whoever can run huajie on the database's
// machine can do anything), so the audit trail records none.
func cliActor() auth.Actor {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return auth.Actor{Name: cutBytes("cli:"+u.Username, 128)}
	}
	return auth.Actor{Name: "cli"}
}

func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// parseExpiry reads --expires: a number of days ("90d"), a Go duration
// ("36h"), a date (YYYY-MM-DD: the token stops at 00:00 UTC that day) or
// an RFC 3339 time.
func parseExpiry(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n <= 0 || n > 3660 {
			return time.Time{}, fmt.Errorf("--expires %q: days must be 1–3660, e.g. 90d", s)
		}
		return now.Add(time.Duration(n) * 24 * time.Hour), nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("--expires %q: must be positive", s)
		}
		return now.Add(d), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--expires %q: expected days (90d), a duration (36h), a date (2027-03-01) or an RFC 3339 time", s)
}

// runTokenCreate prints a new token on stdout and nothing else there, so
// that scripts can capture it: TOKEN=$(huajie token create …).
func runTokenCreate(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	name := fs.String("user", "", "user name (created with the role if it does not exist)")
	roleName := fs.String("role", "", "role: agent, handler, supervisor, analyst, compliance or admin")
	expires := fs.String("expires", "", "expiry: days (90d), a duration (36h), a date (2027-03-01, 00:00 UTC) or RFC 3339; default never")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || *roleName == "" || fs.NArg() > 0 {
		return &exitError{code: 2, msg: "--user and --role are required\n" + tokenUsage}
	}
	role, err := auth.ParseRole(*roleName)
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	exp, err := parseExpiry(*expires, time.Now().UTC())
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	log, _ := newLogger(env.stderr, "info")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	by := cliActor()
	tok, t, u, err := auth.New(auth.Opts{Store: db}).IssueToken(ctx, auth.NewToken{User: *name, Role: role, By: by, ExpiresAt: exp})
	if errors.Is(err, auth.ErrInvalidExpiry) {
		return &exitError{code: 2, msg: err.Error()}
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, tok)
	log.InfoContext(ctx, "api token created", "token", t.ID, "user", u.Name, "role", string(role), "by", by.Name, "expires", fmtTokenTime(t.ExpiresAt, "never"))
	fmt.Fprintf(env.stderr, "huajie: token %d for %s (%s) created; it is shown only once\n", t.ID, u.Name, role)
	return nil
}

func runTokenList(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("token list", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: tokenUsage}
	}
	log, _ := newLogger(env.stderr, "warn")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	ts, err := auth.New(auth.Opts{Store: db}).Tokens(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tabwriter.NewWriter(env.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tROLE\tCREATED\tCREATED BY\tLAST USED\tEXPIRES\tREVOKED\tSTATUS")
	for _, t := range ts {
		revoked := fmtTokenTime(t.RevokedAt, "-")
		if t.RevokedBy != "" {
			revoked += " by " + t.RevokedBy
		}
		createdBy := t.CreatedBy
		if createdBy == "" {
			createdBy = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.UserName, t.Role, fmtTokenTime(t.CreatedAt, "-"), createdBy,
			fmtTokenTime(t.LastUsedAt, "never"), fmtTokenTime(t.ExpiresAt, "never"), revoked, t.Status(now))
	}
	return tw.Flush()
}

func runTokenRevoke(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	idFlag := fs.String("id", "", "the token's id (huajie token list)")
	dsn := fs.String("db", defaultDSN, "database: a SQLite file path, or postgres://…")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	id, err := strconv.ParseInt(strings.TrimSpace(*idFlag), 10, 64)
	if err != nil || id <= 0 || fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("--id %q: expected a token id, a positive integer (huajie token list)\n%s", *idFlag, tokenUsage)}
	}
	log, _ := newLogger(env.stderr, "info")
	db, err := openStore(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	by := cliActor()
	t, err := auth.New(auth.Opts{Store: db}).RevokeToken(ctx, id, by)
	if err != nil {
		return err
	}
	log.InfoContext(ctx, "api token revoked", "token", t.ID, "user", t.UserName, "role", string(t.Role), "by", by.Name)
	fmt.Fprintf(env.stdout, "token %d (%s, %s) revoked at %s by %s\n", t.ID, t.UserName, t.Role, fmtTokenTime(t.RevokedAt, "-"), t.RevokedBy)
	return nil
}

func fmtTokenTime(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.UTC().Format("2006-01-02 15:04Z")
}
