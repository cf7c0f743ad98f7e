package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/spikewatch"
	"huajie/internal/store"
)

// spikeOpts are the serve flags of the spike watch.
type spikeOpts struct {
	// interval between looks for spikes; 0 disables the watch (the spike
	// alerts already raised can still be listed and acted on).
	interval time.Duration
	// watches from --spike-watches; nil means spikewatch.DefaultWatches.
	watches []spikewatch.Watch
}

// defaultSpikeOpts is what serve runs without flags (and demo).
func defaultSpikeOpts() spikeOpts { return spikeOpts{interval: spikewatch.DefaultInterval} }

// spikeFlags registers --spike-interval and --spike-watches on fs; the
// watch file is read and checked while the flags are parsed, so a bad line
// stops serve before it listens.
func spikeFlags(fs *flag.FlagSet) *spikeOpts {
	o := defaultSpikeOpts()
	fs.DurationVar(&o.interval, "spike-interval", o.interval, "how often the spike watch looks for waves of one cause or touchpoint and raises spike alerts (0 disables it)")
	fs.Func("spike-watches", "file of watched series, one per line: source/by [z=N] [min=N] (default: case/cause, message/cause, post/cause, case/touchpoint, message/touchpoint)", func(path string) error {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		ws, err := spikewatch.ParseWatches(f)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		o.watches = ws
		return nil
	})
	return &o
}

// startSpikeWatch attaches the spike alerts' service to the alerts service
// (so the API serves them) and, unless the interval is 0, starts the
// runner: once now, then every interval. stop ends it and waits.
func startSpikeWatch(ctx context.Context, log *slog.Logger, db *store.DB, an *analyst.Service, as *alerts.Service, o spikeOpts) (stop func()) {
	svc := spikewatch.New(spikewatch.Opts{Store: db.SpikeAlerts(), Publish: as.Publish})
	as.SetSpikes(svc)
	if o.interval <= 0 {
		return func() {}
	}
	r := spikewatch.NewRunner(spikewatch.RunnerOpts{Service: svc, Analyst: an, Watches: o.watches, Interval: o.interval, Logger: log})
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
