// Package alerts turns a conversation's complaint risk into alerts and
// delivers them: the alert policy (a threshold per channel, hysteresis and
// de-duplication, as pure functions), the live server-sent-event broker,
// and webhook delivery (HMAC-SHA256 signed, retried with exponential
// backoff, logged, dead-lettered after N failures) by a worker whose queue
// is the database, so pending deliveries survive a restart.
//
// # Policy
//
// A conversation alerts when its risk reaches the threshold of its channel
// (Policy.Thresholds, else Policy.Default, which defaults to
// risk.DefaultAlertThreshold) while it is armed. Opening an alert disarms
// it; it re-arms only once the risk falls below threshold − Hysteresis, so
// a risk hovering around the threshold does not alert on every message.
// While the conversation has an alert that is not closed (open or
// acknowledged), a risk higher by RaiseStep raises that alert's level
// instead of opening another: one live alert per conversation. Within one
// committed group of messages a conversation's alert is written (and
// notified) at most once, with its latest level. A person closing the alert ends
// it; the next alert needs the conversation to re-arm and cross again.
//
// # Webhook signatures
//
// Every delivery is a POST of the event's JSON with the headers
//
//	Huajie-Event: alert.opened | alert.raised | alert.acknowledged | alert.closed
//	Huajie-Event-Id: <event sequence number, as on the SSE stream>
//	Huajie-Delivery: <delivery id; the same on every retry of it>
//	Huajie-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>
//
// where the HMAC is computed with the webhook's secret over the bytes
// "<t>.<raw request body>". A receiver recomputes it (VerifySignature does
// exactly this), compares in constant time, and rejects a t more than a few
// minutes old to stop replays. A 2xx answer is a success; anything else,
// or no answer within the timeout, is retried after base·2^(attempt−1)
// (capped), until MaxAttempts failures make the delivery dead (kept, with
// its attempt log, for an administrator to inspect).
package alerts

import (
	"time"
)

// DefaultHysteresis is how far below its threshold a conversation's risk
// must fall before it can alert again.
const DefaultHysteresis = 0.15

// DefaultRaiseStep is how much higher than an alert's recorded level a
// risk must be to raise it (and notify again): small wobbles near the top
// are not news.
const DefaultRaiseStep = 0.05

// Policy decides when a conversation alerts. The zero value is not usable:
// Default must be set (NewPolicy does).
type Policy struct {
	// Default is the threshold of channels without their own.
	Default float64 `json:"default"`
	// Thresholds by channel (branch, phone, online_chat …).
	Thresholds map[string]float64 `json:"thresholds,omitempty"`
	// Hysteresis: re-arm below threshold − Hysteresis.
	Hysteresis float64 `json:"hysteresis"`
	// RaiseStep: raise a live alert only when the risk exceeds its level
	// by at least this much (0 raises on any increase).
	RaiseStep float64 `json:"raise_step"`
}

// NewPolicy returns a policy with the default threshold def, the per-channel
// thresholds and DefaultHysteresis.
func NewPolicy(def float64, perChannel map[string]float64) Policy {
	return Policy{Default: def, Thresholds: perChannel, Hysteresis: DefaultHysteresis, RaiseStep: DefaultRaiseStep}
}

// Threshold is the alert threshold of a channel.
func (p Policy) Threshold(channel string) float64 {
	if t, ok := p.Thresholds[channel]; ok {
		return t
	}
	return p.Default
}

// Rearm is the risk below which a channel's conversations re-arm.
func (p Policy) Rearm(channel string) float64 {
	return p.Threshold(channel) - p.Hysteresis
}

// ConvState is the alert state a conversation keeps between messages.
type ConvState struct {
	// Disarmed is true after an alert opened, until the risk falls below
	// the re-arm level. (Stored negated so the zero value is armed.)
	Disarmed bool `json:"disarmed,omitempty"`
	// AlertID is the conversation's alert that is not closed, if any;
	// Level is the highest risk it has recorded.
	AlertID string  `json:"alert_id,omitempty"`
	Level   float64 `json:"level,omitempty"`
}

// Action is what Decide asks the caller to do.
type Action int

const (
	// None: nothing to store or deliver.
	None Action = iota
	// Open a new alert (the caller sets State.AlertID).
	Open
	// Raise the open alert's level to the new risk.
	Raise
)

func (a Action) String() string {
	switch a {
	case Open:
		return "open"
	case Raise:
		return "raise"
	}
	return "none"
}

// Decide applies the policy to a conversation's new risk. It returns the
// next state and the action; for Open the caller must fill in the new
// alert's ID in the returned state.
func (p Policy) Decide(st ConvState, channel string, risk float64) (ConvState, Action) {
	th := p.Threshold(channel)
	if risk < p.Rearm(channel) {
		st.Disarmed = false
	}
	if risk < th {
		return st, None
	}
	if st.AlertID != "" {
		if risk > st.Level && risk+1e-9 >= st.Level+p.RaiseStep {
			st.Level = risk
			return st, Raise
		}
		return st, None
	}
	if st.Disarmed {
		return st, None
	}
	st.Disarmed = true
	st.Level = risk
	return st, Open
}

// Closed updates the state when its alert was closed by a person (or found
// closed when raising it).
func (st ConvState) Closed() ConvState {
	st.AlertID = ""
	st.Level = 0
	return st
}

// Backoff is the wait before retry number attempt (1 for the first retry):
// base·2^(attempt−1), at most max.
func Backoff(base, max time.Duration, attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := base
	for i := 1; i < attempt; i++ {
		d *= 2
		if d >= max || d <= 0 {
			return max
		}
	}
	return min(d, max)
}
