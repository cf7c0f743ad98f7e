package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/spikewatch"
	"huajie/internal/store/storetest"
)

func TestSpikeFlags(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.txt")
	bad := filepath.Join(dir, "bad.txt")
	if err := os.WriteFile(good, []byte("# ours\ncase/cause z=3.5 min=8\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("case/cause\ncase/colour\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args     []string
		interval time.Duration
		watches  int // 0: the defaults (nil)
		err      string
	}{
		{nil, spikewatch.DefaultInterval, 0, ""},
		{[]string{"--spike-interval", "0"}, 0, 0, ""},
		{[]string{"--spike-interval", "2m", "--spike-watches", good}, 2 * time.Minute, 1, ""},
		{[]string{"--spike-watches", bad}, 0, 0, "line 2"},
		{[]string{"--spike-watches", filepath.Join(dir, "missing.txt")}, 0, 0, "missing.txt"},
	}
	for _, c := range cases {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		var stderr bytes.Buffer
		fs.SetOutput(&stderr)
		o := spikeFlags(fs)
		err := parseFlags(fs, c.args)
		if c.err != "" {
			if err == nil || !strings.Contains(stderr.String(), c.err) {
				t.Errorf("%v: %v, stderr %q, want %q", c.args, err, stderr.String(), c.err)
			}
			continue
		}
		if err != nil || o.interval != c.interval || len(o.watches) != c.watches {
			t.Errorf("%v: %v %+v", c.args, err, o)
		}
	}
}

// TestStartSpikeWatch: the spike alerts' service is attached whether the
// runner runs or not, and stop returns.
func TestStartSpikeWatch(t *testing.T) {
	db := storetest.OpenSQLite(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, every := range []time.Duration{0, time.Hour} {
		as := alerts.New(alerts.Opts{Store: db.Alerts()})
		stop := startSpikeWatch(context.Background(), log, db, newAnalyst(db, nil, log, time.UTC), as, spikeOpts{interval: every})
		if as.Spikes() == nil {
			t.Errorf("interval %v: no spike alerts service", every)
		}
		if _, err := as.Spikes().List(context.Background(), alerts.SpikeFilter{}); err != nil {
			t.Error(err)
		}
		stop()
	}
}
