package spikewatch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"huajie/internal/analyst"
)

// Spiker finds spikes (analyst.Service).
type Spiker interface {
	Spikes(ctx context.Context, q analyst.SpikeQuery) (*analyst.SpikesResult, error)
}

// RunnerOpts configures a Runner.
type RunnerOpts struct {
	Service *Service
	Analyst Spiker
	// Watches default to DefaultWatches.
	Watches []Watch
	// Interval between runs (default 15 min); the first run is at start.
	Interval time.Duration
	Logger   *slog.Logger
}

// DefaultInterval is how often the runner looks for spikes.
const DefaultInterval = 15 * time.Minute

// Runner looks for spikes on the watched series every interval and raises
// their alerts.
type Runner struct {
	o RunnerOpts
}

// NewRunner returns a runner; call Run to start it.
func NewRunner(o RunnerOpts) *Runner {
	if len(o.Watches) == 0 {
		o.Watches = DefaultWatches()
	}
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	return &Runner{o: o}
}

// RunOnce checks every watch once. The analyst's default period (the last
// 90 days, plus the weeks before it that the weekly baseline needs) is
// read, up to 100 values per watch. A failing watch does not stop the
// others; their errors are joined.
func (r *Runner) RunOnce(ctx context.Context) (RaiseResult, error) {
	var total RaiseResult
	var errs []error
	for _, w := range r.o.Watches {
		res, err := r.o.Analyst.Spikes(ctx, analyst.SpikeQuery{Source: w.Source, Dim: w.By, Z: w.Z, Values: 100})
		if err != nil {
			errs = append(errs, fmt.Errorf("spikes of %s/%s: %w", w.Source, w.By, err))
			continue
		}
		got, err := r.o.Service.Raise(ctx, Decide(w, res))
		total.Raised += got.Raised
		total.Updated += got.Updated
		if err != nil {
			errs = append(errs, err)
		}
	}
	return total, errors.Join(errs...)
}

// Run checks at start and then every interval until ctx is done.
func (r *Runner) Run(ctx context.Context) {
	t := time.NewTicker(r.o.Interval)
	defer t.Stop()
	for {
		res, err := r.RunOnce(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			r.o.Logger.Warn("spike watch", "err", err, "raised", res.Raised, "updated", res.Updated)
		case res.Raised+res.Updated > 0:
			r.o.Logger.Info("spike watch", "raised", res.Raised, "updated", res.Updated)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
