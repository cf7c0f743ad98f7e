package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"huajie/internal/cases"
	"huajie/internal/store"
)

const killChildEnv = "HUAJIE_TEST_KILL9_DSN"

// TestKill9LosesNoAcknowledgedWrite runs a writer in a child process that
// prints "ack <case> <state>" after each committed change, kills it with
// SIGKILL mid-stream, and checks that every acknowledged change is in the
// database and the audit chain is whole.
func TestKill9LosesNoAcknowledgedWrite(t *testing.T) {
	if dsn := os.Getenv(killChildEnv); dsn != "" {
		killChild(dsn)
		return
	}
	t.Run("sqlite", func(t *testing.T) {
		kill9(t, "sqlite:"+filepath.Join(t.TempDir(), "kill.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		openPostgres(t) // skips or fails as the suite does when PostgreSQL is away
		kill9(t, postgresSchemaDSN(t))
	})
}

func kill9(t *testing.T, dsn string) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestKill9LosesNoAcknowledgedWrite$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dsn)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]cases.State{}
	sc := bufio.NewScanner(out)
	n := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 || f[0] != "ack" {
			continue
		}
		acked[f[1]] = cases.State(f[2])
		if n++; n == 300 {
			_ = cmd.Process.Kill() // SIGKILL
			break
		}
	}
	_ = cmd.Wait()
	if n < 300 {
		t.Fatalf("child stopped after %d acknowledgements", n)
	}
	db, err = store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := cases.New(cases.Opts{Repo: db.Cases()})
	for id, st := range acked {
		c, err := s.Get(ctx, id)
		if err != nil {
			t.Fatalf("acknowledged case %s lost: %v", id, err)
		}
		if st == cases.StateAssessing && c.State != cases.StateAssessing {
			t.Fatalf("acknowledged transition of %s lost: state %s", id, c.State)
		}
	}
	rep := mustVerify(t, db)
	if rep.Entries < int64(n) {
		t.Fatalf("%d audit entries for %d acknowledged changes", rep.Entries, n)
	}
}

func killChild(dsn string) {
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	s := cases.New(cases.Opts{Repo: db.Cases()})
	w := bufio.NewWriter(os.Stdout)
	for i := 0; ; i++ {
		in := intake(fmt.Sprintf("第%d号投诉", i))
		in.Customer.ID = fmt.Sprintf("K%05d", i)
		c, err := s.Create(ctx, agent, in)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "ack %s %s\n", c.ID, c.State)
		w.Flush()
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Fprintf(w, "ack %s %s\n", c.ID, cases.StateAssessing)
		w.Flush()
	}
}
