package alerts

import (
	"context"
	"errors"
	"time"

	"huajie/internal/risk"
)

// State of an alert.
type State string

const (
	StateOpen         State = "open"
	StateAcknowledged State = "acknowledged"
	StateClosed       State = "closed"
)

// States lists the alert states.
var States = []State{StateOpen, StateAcknowledged, StateClosed}

// Alert is a conversation whose complaint risk crossed its channel's
// threshold, with why and what to do.
type Alert struct {
	ID             string `json:"id"`
	State          State  `json:"state"`
	ConversationID string `json:"conversation_id"`
	CustomerID     string `json:"customer_id"`
	Channel        string `json:"channel"`
	Team           string `json:"team,omitempty"`
	Agent          string `json:"agent,omitempty"`
	// MessageID is the message whose risk opened (or last raised) it.
	MessageID string `json:"message_id"`
	// Risk is the latest risk that raised it; Threshold the one crossed.
	Risk          float64             `json:"risk"`
	Threshold     float64             `json:"threshold"`
	Level         string              `json:"level"`
	Reasons       []risk.Reason       `json:"reasons"`
	Interventions []risk.Intervention `json:"interventions"`
	CreatedAt     time.Time           `json:"created_at"`
	UpdatedAt     time.Time           `json:"updated_at"`
	// MessageAt is the time of the message that opened or last raised it.
	MessageAt      time.Time `json:"message_at"`
	AcknowledgedBy string    `json:"acknowledged_by,omitempty"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	ClosedBy       string    `json:"closed_by,omitempty"`
	ClosedAt       time.Time `json:"closed_at,omitzero"`
	CloseNote      string    `json:"close_note,omitempty"`
	// CaseID is the case opened from the alert.
	CaseID string `json:"case_id,omitempty"`
}

// Event kinds, as delivered on the stream and to webhooks.
const (
	EventOpened       = "alert.opened"
	EventRaised       = "alert.raised"
	EventAcknowledged = "alert.acknowledged"
	EventClosed       = "alert.closed"
	EventCase         = "alert.case_opened"
)

// Event is one change of an alert. Seq is its position in the store's
// event log: the SSE event id and what Last-Event-ID resumes from. A
// conversation alert's event carries Alert; a spike alert's (kind spike.*)
// carries Spike instead, in the same log.
type Event struct {
	Seq   int64       `json:"seq"`
	Kind  string      `json:"kind"`
	At    time.Time   `json:"at"`
	Alert Alert       `json:"alert,omitzero"`
	Spike *SpikeAlert `json:"spike,omitempty"`
}

// Filter selects alerts (and stream events). Zero fields do not filter.
type Filter struct {
	States   []State
	Team     string
	Agent    string
	Channel  string
	Customer string
	// Before is a keyset cursor: alerts created before it (newest first).
	Before time.Time
	Limit  int
}

// Match reports whether an alert passes the filter's team, agent, channel,
// customer and state conditions.
func (f Filter) Match(a *Alert) bool {
	if f.Team != "" && a.Team != f.Team || f.Agent != "" && a.Agent != f.Agent ||
		f.Channel != "" && a.Channel != f.Channel || f.Customer != "" && a.CustomerID != f.Customer {
		return false
	}
	if len(f.States) == 0 {
		return true
	}
	for _, s := range f.States {
		if a.State == s {
			return true
		}
	}
	return false
}

// Errors.
var (
	ErrNotFound = errors.New("alerts: not found")
	// ErrClosed: the alert is closed and cannot change (except by opening
	// a case, which is allowed on any alert without one).
	ErrClosed = errors.New("alerts: the alert is closed")
	// ErrHasCase: a case was already opened from the alert.
	ErrHasCase = errors.New("alerts: a case was already opened from this alert")
	// ErrInvalid: bad input (a webhook URL, a note over the limit …).
	ErrInvalid = errors.New("alerts: invalid input")
)

// Store is the persistence of alerts, their event log and webhooks;
// package store implements it on SQLite and PostgreSQL. Alerts are created
// and raised by the ingest path inside its own transaction (package
// interactions); Store covers what people and the delivery worker do.
type Store interface {
	GetAlert(ctx context.Context, id string) (*Alert, error)
	ListAlerts(ctx context.Context, f Filter) ([]Alert, error)
	// SetAlertState moves an alert to acknowledged or closed, appends the
	// event (and its webhook deliveries) and returns it; closing also
	// clears the alert from its conversation's stored alert state.
	// ErrNotFound, ErrClosed.
	SetAlertState(ctx context.Context, id string, to State, by, note string, at time.Time) (*Event, error)
	// LinkCase records the case opened from an alert and appends the event.
	LinkCase(ctx context.Context, id, caseID, by string, at time.Time) (*Event, error)
	// Events returns up to limit events with Seq > seq, oldest first:
	// conversation alerts' and spike alerts' (Spike set), in one order.
	Events(ctx context.Context, seq int64, limit int) ([]Event, error)

	CreateWebhook(ctx context.Context, w *Webhook) error
	ListWebhooks(ctx context.Context) ([]Webhook, error)
	DeleteWebhook(ctx context.Context, id string) error
	// DueDeliveries returns up to limit pending deliveries due at or
	// before now, with their webhook's URL and secret.
	DueDeliveries(ctx context.Context, now time.Time, limit int) ([]Delivery, error)
	// NextDue is the earliest next attempt of a pending delivery (zero
	// when there is none).
	NextDue(ctx context.Context) (time.Time, error)
	// RecordAttempt logs one attempt and updates the delivery (delivered,
	// pending with its next attempt, or dead).
	RecordAttempt(ctx context.Context, d *Delivery, a Attempt) error
	Deliveries(ctx context.Context, webhookID string, limit int) ([]Delivery, error)
}
