package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/store"
)

// TestCollectAndReport imports surveys and posts (a bad file stores
// nothing and names its lines), generates a small data set and prints the
// reports.
func TestCollectAndReport(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "c.db")
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.jsonl", `{"id":"s1","kind":"nps","at":"2026-03-01","score":9}
{"id":"s2","kind":"nps","at":"2026-03-01","score":"nine"}
{"id":"s3","kind":"csat","at":"2026-03-01","score":6}
`)
	code, _, errs := runCmd(t, "", "collect", "--kind", "survey", "--db", dsn, "--quiet", bad)
	if code != 1 || !strings.Contains(errs, "bad.jsonl: line 2: invalid JSON") || !strings.Contains(errs, "bad.jsonl: line 3: score: 6 out of range 1–5") || !strings.Contains(errs, "nothing imported") {
		t.Fatalf("bad file: %d %s", code, errs)
	}
	count := func(table string) int {
		db, err := store.OpenAndMigrate(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		if err := db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("surveys"); n != 0 {
		t.Fatalf("%d surveys stored from a bad file", n)
	}
	good := write("s.csv", "id,kind,at,touchpoint,score,tangibles1_e,tangibles1_p\na,nps,2026-03-01,counter,10,,\nb,servqual,2026-03-01,atm,,7,4\n")
	if code, out, errs := runCmd(t, "", "collect", "--kind", "survey", "--db", dsn, "--quiet", good); code != 0 || !strings.Contains(out, "2 stored") {
		t.Fatalf("good file: %d %s %s", code, out, errs)
	}
	if code, out, _ := runCmd(t, "", "collect", "--kind", "survey", "--db", dsn, "--quiet", good); code != 0 || !strings.Contains(out, "0 stored, 2 already there") {
		t.Fatalf("re-import: %d %s", code, out)
	}
	posts := write("p.jsonl", `{"id":"p1","platform":"weibo","at":"2026-03-01T08:00:00Z","text":"某银行ATM吞卡了，打客服电话没人接"}`+"\n")
	if code, out, errs := runCmd(t, "", "collect", "--kind", "post", "--db", dsn, "--quiet", posts); code != 0 || !strings.Contains(out, "1 stored") {
		t.Fatalf("posts: %d %s %s", code, out, errs)
	}
	if code, _, _ := runCmd(t, "", "collect", "--kind", "tweet", "--db", dsn, posts); code != 2 {
		t.Errorf("bad kind: %d", code)
	}

	if code, out, errs := runCmd(t, "", "generate", "--interactions", "400", "--cases", "120", "--days", "30", "--db", dsn); code != 0 || !strings.Contains(out, "120 cases") {
		t.Fatalf("generate: %d %s %s", code, out, errs)
	}
	// The period's dates are days in the report's zone (--tz, UTC+8 by
	// default) and --to is exclusive: taking them from UTC dates would end
	// the period at 16:00 UTC today and lose the cases generated after it.
	now := time.Now().In(time.FixedZone("UTC+8", 8*3600))
	from := now.AddDate(-1, 0, 0).Format(time.DateOnly)
	to := now.AddDate(0, 0, 1).Format(time.DateOnly)
	code, out, errs := runCmd(t, "", "report", "--kind", "deadlines", "--from", from, "--to", to, "--tz", "+08:00", "--db", dsn)
	if code != 0 || !strings.Contains(out, "received,120") || !strings.Contains(out, "closed,within_3_business_days,") {
		t.Fatalf("deadlines: %d %s %s", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "report", "--kind", "regulatory", "--format", "json", "--from", from, "--to", to, "--tz", "+08:00", "--db", dsn)
	if code != 0 || !strings.Contains(out, `"standard": "JR/T 0169-2018"`) || !strings.Contains(out, `"total": 120`) {
		t.Fatalf("regulatory: %d %s", code, out)
	}
	if code, _, errs := runCmd(t, "", "report", "--kind", "regulatory", "--from", "2026-02-01", "--to", "2026-01-01", "--db", dsn); code != 2 || !strings.Contains(errs, "bad period") {
		t.Errorf("inverted period: %d %s", code, errs)
	}
	// Bad flags name the flag and what it expects.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--kind", "nope", "--db", dsn}, `--kind "nope": expected regulatory or deadlines`},
		{[]string{"report", "--kind", "deadlines", "--format", "xml", "--db", dsn}, `--format "xml": expected csv or json`},
		{[]string{"generate", "--interactions", "-5", "--db", dsn}, "--interactions -5: expected 0 or more"},
		{[]string{"generate", "--days", "0", "--db", dsn}, "--days 0: expected 1 or more"},
	} {
		if code, _, errs := runCmd(t, "", tc.args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %s, want exit 2 and %q", tc.args, code, errs, tc.want)
		}
	}
}
