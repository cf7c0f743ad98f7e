package spikewatch

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"huajie/internal/alerts"
)

// Store is the spike alerts' persistence (store.SpikeAlertRepo). Every
// change appends its event to the alert event log (and queues its webhook
// deliveries) in the same transaction.
type Store interface {
	// RaiseSpike inserts the alert unless its key exists (its spike.raised
	// event returned); if it exists with a lower count, updates count,
	// expected and z (spike.updated); else returns nil.
	RaiseSpike(ctx context.Context, a *Alert) (*alerts.Event, error)
	GetSpikeAlert(ctx context.Context, id string) (*Alert, error)
	ListSpikeAlerts(ctx context.Context, f Filter) ([]Alert, error)
	// SetSpikeAlertState applies Alert.Transition with an optimistic check
	// on the stored state. ErrNotFound, ErrWrongState, ErrInvalid.
	SetSpikeAlertState(ctx context.Context, id string, to State, by, note string, at time.Time) (*alerts.Event, error)
}

// Opts configures a Service.
type Opts struct {
	Store Store
	// Publish hands committed events to the live stream and the webhook
	// worker (alerts.Service.Publish); nil publishes nothing.
	Publish func([]alerts.Event)
	Now     func() time.Time
}

// Service is what people and the runner do with spike alerts. It
// implements alerts.SpikeAlerts.
type Service struct {
	store   Store
	publish func([]alerts.Event)
	now     func() time.Time
}

var _ alerts.SpikeAlerts = (*Service)(nil)

// New returns a Service.
func New(o Opts) *Service {
	s := &Service{store: o.Store, publish: o.Publish, now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	if s.publish == nil {
		s.publish = func([]alerts.Event) {}
	}
	return s
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// MaxListLimit bounds a list.
const MaxListLimit = 500

// List lists spike alerts, newest first (default 50, at most 500).
func (s *Service) List(ctx context.Context, f Filter) ([]Alert, error) {
	for _, st := range f.States {
		if st != alerts.SpikeOpen && st != alerts.SpikeAcknowledged && st != alerts.SpikeDismissed {
			return nil, fmt.Errorf("%w: state %q: expected open, acknowledged or dismissed", ErrInvalid, st)
		}
	}
	if f.Limit < 0 || f.Limit > MaxListLimit {
		return nil, fmt.Errorf("%w: limit %d: expected 1 to %d", ErrInvalid, f.Limit, MaxListLimit)
	}
	if f.Limit == 0 {
		f.Limit = 50
	}
	return s.store.ListSpikeAlerts(ctx, f)
}

// Get returns a spike alert; ErrNotFound.
func (s *Service) Get(ctx context.Context, id string) (*Alert, error) {
	return s.store.GetSpikeAlert(ctx, id)
}

// Acknowledge marks an open spike alert as seen and being looked into.
func (s *Service) Acknowledge(ctx context.Context, id, by, note string) (*Alert, error) {
	return s.transition(ctx, id, alerts.SpikeAcknowledged, by, note)
}

// Dismiss ends an open or acknowledged spike alert (handled, or not a
// real wave).
func (s *Service) Dismiss(ctx context.Context, id, by, note string) (*Alert, error) {
	return s.transition(ctx, id, alerts.SpikeDismissed, by, note)
}

func (s *Service) transition(ctx context.Context, id string, to State, by, note string) (*Alert, error) {
	if len(note) > alerts.MaxNoteBytes {
		return nil, fmt.Errorf("%w: note is %d bytes, over the limit of %d", ErrInvalid, len(note), alerts.MaxNoteBytes)
	}
	ev, err := s.store.SetSpikeAlertState(ctx, id, to, by, note, s.clock())
	if err != nil {
		return nil, err
	}
	s.publish([]alerts.Event{*ev})
	return ev.Spike, nil
}

// RaiseResult counts what a Raise did.
type RaiseResult struct {
	Raised, Updated int
}

// Raise stores the decided alerts: new keys are raised, known ones with a
// higher count updated, the rest left alone. The events are published
// after each is committed.
func (s *Service) Raise(ctx context.Context, cands []Alert) (RaiseResult, error) {
	var r RaiseResult
	for i := range cands {
		a := cands[i]
		a.ID = newID()
		a.State = alerts.SpikeOpen
		a.RaisedAt = s.clock()
		a.UpdatedAt = a.RaisedAt
		ev, err := s.store.RaiseSpike(ctx, &a)
		if err != nil {
			return r, fmt.Errorf("raising spike alert %s: %w", a.Key, err)
		}
		if ev == nil {
			continue
		}
		if ev.Kind == alerts.EventSpikeRaised {
			r.Raised++
		} else {
			r.Updated++
		}
		s.publish([]alerts.Event{*ev})
	}
	return r, nil
}

func newID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "SPK-" + hex.EncodeToString(b[:])
}
