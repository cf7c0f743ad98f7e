package alerts

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// SpikeState is the state of a spike alert.
type SpikeState string

const (
	SpikeOpen         SpikeState = "open"
	SpikeAcknowledged SpikeState = "acknowledged"
	SpikeDismissed    SpikeState = "dismissed"
)

// SpikeStates lists the spike alert states.
var SpikeStates = []SpikeState{SpikeOpen, SpikeAcknowledged, SpikeDismissed}

// SpikeAlert is a sudden wave of one value of a breakdown (a JR/T cause,
// a touchpoint …) on one day, found by package spikewatch. Unlike an Alert
// it belongs to no conversation: it is for supervisors and analysts.
type SpikeAlert struct {
	ID string `json:"id"`
	// Key is source/by/value/day: one alert per key, ever.
	Key    string `json:"key"`
	Source string `json:"source"`
	By     string `json:"by"`
	Value  string `json:"value"`
	// Name and NameEn are the value's display names (the JR/T cause's, the
	// touchpoint's …), empty when it has none.
	Name   string `json:"name,omitempty"`
	NameEn string `json:"name_en,omitempty"`
	// Day is the spike's day (YYYY-MM-DD, the analyst's day).
	Day string `json:"day"`
	// Count is the day's volume, Expected its seasonal baseline, Z the
	// robust z-score; a spike that grows later the same day updates them.
	Count     float64    `json:"count"`
	Expected  float64    `json:"expected"`
	Z         float64    `json:"z"`
	State     SpikeState `json:"state"`
	RaisedAt  time.Time  `json:"raised_at"`
	UpdatedAt time.Time  `json:"updated_at"`
	// Link is the API query that shows the spike in its series.
	Link           string    `json:"link"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	DismissedBy    string    `json:"dismissed_by,omitempty"`
	DismissedAt    time.Time `json:"dismissed_at,omitzero"`
	// Note is the note left when acknowledging or dismissing (the last one).
	Note string `json:"note,omitempty"`
}

// Spike alert event kinds, as delivered on the stream and to webhooks.
const (
	EventSpikeRaised       = "spike.raised"
	EventSpikeUpdated      = "spike.updated"
	EventSpikeAcknowledged = "spike.acknowledged"
	EventSpikeDismissed    = "spike.dismissed"
)

// IsSpikeEvent reports whether an event kind is a spike alert's.
func IsSpikeEvent(kind string) bool { return len(kind) > 6 && kind[:6] == "spike." }

// ErrSpikeState: the spike alert is not in a state that allows the change
// (acknowledging twice, acknowledging a dismissed alert …).
var ErrSpikeState = errors.New("alerts: the spike alert's state does not allow this")

// SpikeFilter selects spike alerts. Zero fields do not filter.
type SpikeFilter struct {
	States []SpikeState
	Source string
	By     string
	Value  string
	// Limit: default 50, at most 500.
	Limit int
}

// Transition moves a spike alert to acknowledged or dismissed, recording
// who, when and the note, and returns the event kind. Acknowledging needs
// an open alert; dismissing an open or acknowledged one.
func (a *SpikeAlert) Transition(to SpikeState, by, note string, at time.Time) (string, error) {
	if len(note) > MaxNoteBytes {
		return "", fmt.Errorf("%w: note is %d bytes, over the limit of %d", ErrInvalid, len(note), MaxNoteBytes)
	}
	var kind string
	switch to {
	case SpikeAcknowledged:
		if a.State != SpikeOpen {
			return "", fmt.Errorf("%w: %s is %s, only an open alert can be acknowledged", ErrSpikeState, a.ID, a.State)
		}
		a.AcknowledgedBy, a.AcknowledgedAt, kind = by, at, EventSpikeAcknowledged
	case SpikeDismissed:
		if a.State != SpikeOpen && a.State != SpikeAcknowledged {
			return "", fmt.Errorf("%w: %s is %s, only an open or acknowledged alert can be dismissed", ErrSpikeState, a.ID, a.State)
		}
		a.DismissedBy, a.DismissedAt, kind = by, at, EventSpikeDismissed
	default:
		return "", fmt.Errorf("%w: spike alert state %q", ErrInvalid, to)
	}
	if note != "" {
		a.Note = note
	}
	a.State, a.UpdatedAt = to, at
	return kind, nil
}

// SpikeAlerts is what people do with spike alerts (spikewatch.Service
// implements it); the HTTP layer reaches it through Service.Spikes.
type SpikeAlerts interface {
	List(ctx context.Context, f SpikeFilter) ([]SpikeAlert, error)
	Get(ctx context.Context, id string) (*SpikeAlert, error)
	Acknowledge(ctx context.Context, id, by, note string) (*SpikeAlert, error)
	Dismiss(ctx context.Context, id, by, note string) (*SpikeAlert, error)
}

// SetSpikes attaches the spike alerts' service (nil when spike alerts are
// not configured).
func (s *Service) SetSpikes(sa SpikeAlerts) {
	s.mu.Lock()
	s.spikes = sa
	s.mu.Unlock()
}

// Spikes returns the spike alerts' service, nil when not configured.
func (s *Service) Spikes() SpikeAlerts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spikes
}

// MatchEvent reports whether a stream event passes the filter: a
// conversation alert's as Match (states aside); a spike alert belongs to no
// team, agent, channel or customer, so it reaches only unfiltered streams.
func (f Filter) MatchEvent(ev *Event) bool {
	if ev.Spike != nil {
		return f.Team == "" && f.Agent == "" && f.Channel == "" && f.Customer == ""
	}
	f.States = nil
	return f.Match(&ev.Alert)
}
