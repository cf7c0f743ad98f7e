package main

import (
	"context"
	"log/slog"
	"time"

	// The zone database inside the binary: --tz Europe/London works on a
	// host without tzdata (a container, Windows).
	_ "time/tzdata"

	"huajie/internal/analyst"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/store"
)

// tzUsage is the --tz flag's help, the same for every command counting days.
const tzUsage = "time zone days are counted in (deadlines, insight days, weeks, report periods): an IANA name such as Asia/Shanghai or Europe/London, or an offset such as +08:00 (default: China Standard Time, UTC+8)"

// parseZoneFlag reads --tz; a bad zone is a usage error (exit 2).
func parseZoneFlag(s string) (*time.Location, error) {
	loc, err := insight.ParseZone(s)
	if err != nil {
		return nil, &exitError{code: 2, msg: "--tz: " + err.Error()}
	}
	return loc, nil
}

// newAnalyst returns the analyst's service over the store, counting days in
// loc; the peak-end view reads conversations through the ingest service.
func newAnalyst(db *store.DB, in *interactions.Service, log *slog.Logger, loc *time.Location) *analyst.Service {
	o := analyst.Opts{Repo: db, Zone: loc, Logger: log}
	if in != nil {
		o.Messages = func(ctx context.Context, id string) ([]interactions.Stored, error) {
			v, err := in.Conversation(ctx, id)
			if err != nil {
				return nil, err
			}
			return v.Items, nil
		}
	}
	return analyst.New(o)
}

// startInsight brings the insight facts up to date in the background at
// start: when the zone changed since they were built, this is where they are
// rebuilt (and the log says so), rather than in the first view's request.
// The returned function waits for it (ctx's end interrupts it).
func startInsight(ctx context.Context, an *analyst.Service, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		st, err := an.Refresh(ctx, true)
		if err != nil && ctx.Err() == nil {
			log.Warn("insight: refresh at start", "err", err)
			return
		}
		log.Debug("insight: facts up to date", "zone", st.Zone, "messages", st.Messages, "cases", st.Cases)
	}()
	return func() { <-done }
}
