package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/store"
)

// TestZoneFlag: --tz is read by every command that counts days; a bad zone
// is a usage error naming it; the report counts a complaint of 23:30 UTC
// on the next day in UTC+8 (the default) and on its own day in UTC, and
// says when it rebuilt the facts for the zone.
func TestZoneFlag(t *testing.T) {
	dir := t.TempDir()
	dsn := filepath.Join(dir, "tz.db")
	for _, args := range [][]string{
		{"serve", "--tz", "Mars/Olympus", "--db", dsn},
		{"report", "--kind", "regulatory", "--from", "2026-03-01", "--to", "2026-03-02", "--tz", "+25:00", "--db", dsn},
		{"generate", "--interactions", "0", "--cases", "0", "--tz", "Local", "--db", dsn},
		{"demo", "--tz", "nowhere", "--dir", filepath.Join(dir, "demo")},
	} {
		code, _, errs := runCmd(t, "", args...)
		if code != 2 || !strings.Contains(errs, "--tz") || !strings.Contains(errs, args[len(args)-3]) {
			t.Errorf("huajie %v: exit %d, %q (want 2 naming the zone)", args, code, errs)
		}
	}

	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, "sqlite:"+dsn)
	if err != nil {
		t.Fatal(err)
	}
	late := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	log, _ := newLogger(io.Discard, "error")
	cs := newCasesServiceIn(db, log, func() time.Time { return late }, time.UTC)
	if _, err := cs.Create(ctx, cases.Actor{Name: "a", Role: "agent"}, cases.NewCase{Channel: cases.ChannelPhone,
		Customer: cases.Customer{ID: "c1", Name: "张"}, Text: "ATM吞卡了"}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for i, tc := range []struct {
		tz      []string
		day     string
		rebuilt bool
	}{
		{nil, "2026-03-02", true},
		{[]string{"--tz", "UTC"}, "2026-03-01", true},
		{[]string{"--tz", "Z"}, "2026-03-01", false},
		{[]string{"--tz", "Asia/Shanghai"}, "2026-03-02", true},
	} {
		for _, day := range []string{"2026-03-01", "2026-03-02"} {
			next, _ := time.Parse(time.DateOnly, day)
			args := append([]string{"report", "--kind", "regulatory", "--format", "json", "--from", day, "--to", next.AddDate(0, 0, 1).Format(time.DateOnly), "--db", dsn}, tc.tz...)
			code, out, errs := runCmd(t, "", args...)
			if code != 0 {
				t.Fatalf("%v: exit %d %s", args, code, errs)
			}
			var r struct{ Total int }
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatal(err)
			}
			want := 0
			if day == tc.day {
				want = 1
			}
			if r.Total != want {
				t.Errorf("%d %v: %d cases on %s, want %d", i, tc.tz, r.Total, day, want)
			}
			// Only the first report in a new zone rebuilds.
			if got := strings.Contains(errs, "rebuilt"); got != (tc.rebuilt && day == "2026-03-01") {
				t.Errorf("%d %v %s: stderr %q", i, tc.tz, day, errs)
			}
		}
	}
}
