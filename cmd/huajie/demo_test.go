package main

import (
	"bufio"
	"context"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"huajie/internal/web/client"
)

var tokenRE = regexp.MustCompile(`API token \(admin\): (hj_\S+)`)

// TestDemoCommand runs `huajie demo` twice on one directory: each run
// starts from a fresh file (so re-running is idempotent), serves, prints a
// URL, sign-ins and a working token, and stops cleanly when cancelled.
func TestDemoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo; skipped with -short")
	}
	dir := t.TempDir()
	for round := 1; round <= 2; round++ {
		ctx, cancel := context.WithCancel(context.Background())
		pr, pw := io.Pipe()
		done := make(chan int, 1)
		go func() {
			env := &cmdEnv{stdin: strings.NewReader(""), stdout: pw, stderr: io.Discard}
			done <- run(ctx, env, []string{"demo", "--addr", "127.0.0.1:0", "--dir", dir})
			pw.Close()
		}()
		var base, tok string
		var out strings.Builder
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			line := sc.Text()
			out.WriteString(line + "\n")
			if m := listenRE.FindStringSubmatch(line); m != nil {
				base = m[1]
			}
			if m := tokenRE.FindStringSubmatch(line); m != nil {
				tok = m[1]
			}
			if strings.Contains(line, "Ctrl-C") {
				break
			}
		}
		go io.Copy(io.Discard, pr)
		if base == "" || tok == "" {
			t.Fatalf("round %d: no URL or token in the output:\n%s", round, out.String())
		}
		for _, role := range []string{"agent", "handler", "supervisor", "analyst", "compliance", "admin"} {
			if !strings.Contains(out.String(), "demo-"+role) {
				t.Errorf("round %d: no sign-in for %s", round, role)
			}
		}
		cl := client.New(base, tok)
		page, err := cl.ListCases(context.Background(), url.Values{"limit": {"500"}})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(page.Items); n < 30 || n > 60 {
			t.Errorf("round %d: %d demo cases, want a few dozen (and the same number each run)", round, n)
		}
		rep, err := cl.VerifyAudit(context.Background())
		if err != nil || !rep.OK {
			t.Errorf("round %d: audit %+v %v", round, rep, err)
		}
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("round %d: demo exited %d after cancel", round, code)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("round %d: demo did not stop after cancel", round)
		}
	}
}
