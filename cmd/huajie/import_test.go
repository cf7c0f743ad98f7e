package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/store"
)

// TestImport imports a JSONL and a CSV file with bad lines into SQLite:
// each bad line is named with its number and reason, the good ones are
// stored, a second import reports them as duplicates.
func TestImport(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "imp.db")
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	jsonl := strings.Join([]string{
		`{"id":"j1","conversation_id":"jc","customer_id":"ju","channel":"phone","role":"customer","time":"` + at + `","text":"我的卡被吞了"}`,
		`{"id":"j2","conversation_id":"jc","customer_id":"ju","channel":"phone","role":"agent","time":"` + at + `","text":"请您稍等"}`,
		`not json`,
		``,
		`{"id":"j3","conversation_id":"jc","customer_id":"ju","channel":"fax","role":"customer","time":"` + at + `","text":"x"}`,
		`{"id":"j4","conversation_id":"jc","customer_id":"ju","channel":"phone","role":"customer","time":"` + at + `","text":"x","mood":"bad"}`,
		`{"id":"j1","conversation_id":"jc","customer_id":"ju","channel":"phone","role":"customer","time":"` + at + `","text":"我的卡被吞了"}`,
	}, "\n") + "\n"
	jf := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(jf, []byte(jsonl), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "import", "--db", dsn, jf)
	if code != 1 || !strings.Contains(out, "6 lines: 2 accepted, 1 duplicates, 3 failed") {
		t.Fatalf("jsonl: %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"line 3: bad_json", `line 5 id "j3": invalid_field: channel "fax"`, `line 6 id "j4": unknown_field: unknown field "mood"`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "line 4") || strings.Contains(errs, "line 1 ") {
		t.Errorf("a good or blank line reported:\n%s", errs)
	}

	csvf := filepath.Join(dir, "in.csv")
	csv := "id,conversation_id,customer_id,channel,role,time,text,wait_seconds,interruptions\n" +
		"k1,kc,ku,branch,customer," + at + ",\"排队等了一个多小时，还说系统坏了\",3600,\n" +
		"k2,kc,ku,branch,customer,yesterday,x,,\n" +
		"k3,kc,ku,branch,customer," + at + ",x,soon,\n" +
		"k4,kc,ku,branch,agent," + at + ",\"抱歉，我马上帮您办理\",,2\n"
	if err := os.WriteFile(csvf, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "", "import", "--db", dsn, csvf)
	if code != 1 || !strings.Contains(out, "4 lines: 2 accepted, 0 duplicates, 2 failed") ||
		!strings.Contains(errs, `line 3 id "k2": invalid_field: time "yesterday"`) || !strings.Contains(errs, `line 4 id "k3": invalid_field: wait_seconds "soon"`) {
		t.Fatalf("csv: %d\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "import: 100%") {
		t.Errorf("no progress display:\n%s", errs)
	}
	// Everything good again: all duplicates, exit 0.
	good := filepath.Join(dir, "good.jsonl")
	os.WriteFile(good, []byte(strings.SplitN(jsonl, "\n", 3)[0]+"\n"+strings.SplitN(jsonl, "\n", 3)[1]+"\n"), 0o600)
	if code, out, errs := runCmd(t, "", "import", "--db", dsn, "--quiet", good); code != 0 || !strings.Contains(out, "0 accepted, 2 duplicates, 0 failed") {
		t.Fatalf("re-import: %d %s %s", code, out, errs)
	}
	// A CSV header with an unknown column stops before importing anything.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,conversation_id,customer_id,channel,role,time,text,colour\n"), 0o600)
	if code, _, errs := runCmd(t, "", "import", "--db", dsn, bad); code != 1 || !strings.Contains(errs, `line 1: unknown column "colour"`) {
		t.Fatalf("bad header: %d %s", code, errs)
	}

	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM interactions`).Scan(&n); err != nil || n != 4 {
		t.Fatalf("%d interactions stored (%v), want 4", n, err)
	}
}

// TestImportAndLoadgenThroughServer runs a real server in process and
// drives it with huajie import --url and a small, bounded loadgen in each
// mode (figures are printed, not asserted).
func TestImportAndLoadgenThroughServer(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	dir := t.TempDir()
	dsn := filepath.Join(dir, "srv.db")
	ctx, cancel := context.WithCancel(context.Background())
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := openStore(ctx, dsn, log)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, as := services(db, log)
	tok, _, err := as.CreateToken(ctx, "loadgen", auth.RoleAdmin)
	if err != nil {
		t.Fatal(err)
	}
	baseC := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serveHTTP(ctx, &cmdEnv{stdout: io.Discard, stderr: io.Discard}, log, db, "127.0.0.1:0", time.Hour, func(b string) { baseC <- b })
	}()
	var base string
	select {
	case base = <-baseC:
	case err := <-done:
		t.Fatal(err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}()

	f := filepath.Join(dir, "in.jsonl")
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	os.WriteFile(f, []byte(fmt.Sprintf(`{"id":"s1","conversation_id":"sc","customer_id":"su","channel":"app","role":"customer","time":"%s","text":"转账失败三次了"}
{"id":"s2","conversation_id":"sc","customer_id":"su","channel":"app","role":"robot","time":"%s","text":"x"}
`, at, at)), 0o600)
	code, out, errs := runCmd(t, "", "import", "--url", base, "--token", tok, f)
	if code != 1 || !strings.Contains(out, "2 lines: 1 accepted, 0 duplicates, 1 failed") || !strings.Contains(errs, `line 2 id "s2": invalid_field: role "robot"`) {
		t.Fatalf("import --url: %d\n%s\n%s", code, out, errs)
	}

	for _, args := range [][]string{
		{"--mode", "batch", "--n", "2000", "--batch", "500", "--concurrency", "2"},
		{"--mode", "single", "--n", "200", "--concurrency", "4"},
		{"--mode", "alert", "--n", "20", "--concurrency", "2"},
	} {
		code, out, errs := runCmd(t, "", append([]string{"loadgen", "--url", base, "--token", tok, "--max-duration", "60s"}, args...)...)
		if code != 0 || strings.Contains(out, "errors=0") == false {
			t.Fatalf("loadgen %v: %d\n%s\n%s", args, code, out, errs)
		}
		t.Logf("loadgen %v:\n%s", args, out)
		if args[1] == "alert" && !strings.Contains(out, "alerts_received=20 missing=0") {
			t.Errorf("alert mode: %s", out)
		}
	}
	// Loopback only.
	if code, _, errs := runCmd(t, "", "loadgen", "--url", "http://10.1.2.3:8080", "--token", tok); code != 2 || !strings.Contains(errs, "loopback") {
		t.Errorf("non-loopback target: %d %s", code, errs)
	}
}
