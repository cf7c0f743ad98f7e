package cases

import (
	"context"
	"slices"
	"time"

	"huajie/internal/deadlines"
)

// ScanDeadlines raises a warning or breach event for every pending deadline
// that has reached one, once: the repo refuses a second event with the same
// case, kind, due time and level, so rescanning after a restart (or two
// servers scanning) raises nothing twice. It returns the events raised now.
func (s *Service) ScanDeadlines(ctx context.Context) ([]DeadlineEvent, error) {
	now := s.clock()
	ids, err := s.repo.DueBefore(ctx, now.Add(s.lead))
	if err != nil {
		return nil, err
	}
	var raised []DeadlineEvent
	for _, id := range ids {
		c, err := s.repo.Get(ctx, id)
		if err != nil {
			if err == ErrNotFound {
				continue
			}
			return raised, err
		}
		s.refreshDeadline(c, now)
		if !c.State.Open() {
			continue
		}
		// Overdue cases come back on every scan; reading what was raised
		// keeps those scans off the (single) writer.
		have, err := s.repo.DeadlineEvents(ctx, c.ID)
		if err != nil {
			return raised, err
		}
		for _, d := range c.Deadline.Deadlines {
			st := deadlines.StatusOf(d, c.Deadline.Milestones, now, s.lead)
			if st != deadlines.StatusWarning && st != deadlines.StatusBreached {
				continue
			}
			if slices.ContainsFunc(have, func(e DeadlineEvent) bool {
				return e.Kind == d.Kind && e.Due.Equal(d.Due) && e.Level == st
			}) {
				continue
			}
			ev := DeadlineEvent{CaseID: c.ID, Kind: d.Kind, Due: d.Due, Level: st, At: now}
			ok, err := s.repo.RaiseDeadlineEvent(ctx, ev,
				change(System, c.ID, "deadline."+string(st), nil, ev))
			if err != nil {
				return raised, err
			}
			if ok {
				raised = append(raised, ev)
				s.log.Warn("deadline "+string(st), "case", c.ID, "kind", d.Kind, "due", d.Due)
			}
		}
	}
	return raised, nil
}

// RunDeadlineWatcher scans at start and then every interval until ctx is
// done. Its state is in the database, so a restart rescans and carries on.
func (s *Service) RunDeadlineWatcher(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = time.Minute
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := s.ScanDeadlines(ctx); err != nil && ctx.Err() == nil {
			s.log.Error("deadline scan failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
