package alerts

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Opts configures a Service.
type Opts struct {
	Store  Store
	Broker *Broker
	// Wake is called after events were stored (the webhook worker's Wake).
	Wake func()
	// OnClosed is told when a person closes an alert (the scorer's
	// AlertClosed), after the change is committed.
	OnClosed func(conversationID, alertID string)
	Now      func() time.Time
}

// Service is what people do with alerts: list, acknowledge, close, link a
// case; webhook administration; the stream's replay.
type Service struct {
	store    Store
	broker   *Broker
	wake     func()
	onClosed func(conversationID, alertID string)
	now      func() time.Time

	mu     sync.Mutex
	spikes SpikeAlerts
}

// New returns a Service.
func New(o Opts) *Service {
	s := &Service{store: o.Store, broker: o.Broker, wake: o.Wake, onClosed: o.OnClosed, now: o.Now}
	if s.broker == nil {
		s.broker = NewBroker()
	}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Broker returns the live event broker.
func (s *Service) Broker() *Broker { return s.broker }

// Publish hands committed events to the stream and the webhook worker.
func (s *Service) Publish(evs []Event) {
	s.broker.Publish(evs...)
	if s.wake != nil {
		s.wake()
	}
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Get returns an alert.
func (s *Service) Get(ctx context.Context, id string) (*Alert, error) {
	return s.store.GetAlert(ctx, id)
}

// List lists alerts, newest first.
func (s *Service) List(ctx context.Context, f Filter) ([]Alert, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	return s.store.ListAlerts(ctx, f)
}

// MaxNoteBytes bounds a closing note.
const MaxNoteBytes = 4096

// Acknowledge marks an alert as seen and being handled.
func (s *Service) Acknowledge(ctx context.Context, id, by string) (*Alert, error) {
	ev, err := s.store.SetAlertState(ctx, id, StateAcknowledged, by, "", s.clock())
	if err != nil {
		return nil, err
	}
	s.Publish([]Event{*ev})
	return &ev.Alert, nil
}

// Close ends an alert.
func (s *Service) Close(ctx context.Context, id, by, note string) (*Alert, error) {
	if len(note) > MaxNoteBytes {
		return nil, fmt.Errorf("%w: note is %d bytes, over the limit of %d", ErrInvalid, len(note), MaxNoteBytes)
	}
	ev, err := s.store.SetAlertState(ctx, id, StateClosed, by, note, s.clock())
	if err != nil {
		return nil, err
	}
	if s.onClosed != nil {
		s.onClosed(ev.Alert.ConversationID, ev.Alert.ID)
	}
	s.Publish([]Event{*ev})
	return &ev.Alert, nil
}

// LinkCase records the case opened from an alert (acknowledging it).
func (s *Service) LinkCase(ctx context.Context, id, caseID, by string) (*Alert, error) {
	ev, err := s.store.LinkCase(ctx, id, caseID, by, s.clock())
	if err != nil {
		return nil, err
	}
	s.Publish([]Event{*ev})
	return &ev.Alert, nil
}

// Replay returns up to limit stored events after seq that match f.
func (s *Service) Replay(ctx context.Context, seq int64, f Filter, limit int) ([]Event, int64, error) {
	f.States = nil
	var out []Event
	last := seq
	for len(out) < limit {
		evs, err := s.store.Events(ctx, last, 500)
		if err != nil {
			return nil, last, err
		}
		if len(evs) == 0 {
			break
		}
		for _, ev := range evs {
			last = ev.Seq
			if f.MatchEvent(&ev) {
				out = append(out, ev)
			}
		}
	}
	return out, last, nil
}

// CreateWebhook registers a receiver; the returned webhook carries its
// secret, which is not shown again.
func (s *Service) CreateWebhook(ctx context.Context, w Webhook) (*Webhook, error) {
	w.URL = strings.TrimSpace(w.URL)
	if err := ValidateWebhook(&w); err != nil {
		return nil, err
	}
	if w.Secret == "" {
		w.Secret = NewSecret()
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	w.ID = "WH-" + hex.EncodeToString(b[:])
	w.CreatedAt = s.clock()
	if err := s.store.CreateWebhook(ctx, &w); err != nil {
		return nil, err
	}
	return &w, nil
}

// Webhooks lists receivers (without secrets).
func (s *Service) Webhooks(ctx context.Context) ([]Webhook, error) { return s.store.ListWebhooks(ctx) }

// DeleteWebhook removes a receiver and its deliveries.
func (s *Service) DeleteWebhook(ctx context.Context, id string) error {
	return s.store.DeleteWebhook(ctx, id)
}

// Deliveries is a webhook's delivery log, newest first.
func (s *Service) Deliveries(ctx context.Context, id string, limit int) ([]Delivery, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.Deliveries(ctx, id, limit)
}

// SetOnClosed sets the close hook after construction (the scorer is built
// with the alerts service's Publish, so one of the two comes second).
func (s *Service) SetOnClosed(fn func(conversationID, alertID string)) { s.onClosed = fn }
