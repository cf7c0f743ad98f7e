// Package risk is the conversation complaint-risk model of seed 000
// (投诉预识别) and seed 004 §五: it follows a conversation message by
// message and says, at every turn, how likely the customer is to become a
// complainant (0–1), why (reasons in Chinese and English, with the text
// that drove them), and what the employee should do now (interventions from
// seeds 000 §三 and 002 §三).
//
// The package is pure: no SQL, no HTTP, no clock reads. Time comes from the
// messages. The running per-conversation State is a plain JSON-serialisable
// value, so a caller can store it after every message and resume after a
// restart. Update is deterministic: the same state, message, analysis and
// history give the same assessment.
//
// See docs/risk.md for the model, its features and weights, how the weights
// were fitted and the measured figures.
package risk

import (
	"time"

	"huajie/internal/analysis"
)

// Roles of a message's speaker.
const (
	RoleCustomer = "customer"
	RoleAgent    = "agent"
)

// Levels of an assessment.
const (
	LevelLow    = "low"
	LevelMedium = "medium"
	LevelHigh   = "high"
)

// Signals are the optional non-textual measurements of a message. A nil
// field is absent (not zero).
type Signals struct {
	// WaitSeconds is how long the customer waited (queue, hold, reply) before
	// this message.
	WaitSeconds *float64 `json:"wait_seconds,omitempty"`
	// Phone paralinguistics, as ratios to the speaker's (or the centre's)
	// baseline: 1 is normal, 1.3 is 30 % faster/louder. PitchRise is the
	// relative rise of pitch over the utterance (0.2 = +20 %).
	SpeechRate *float64 `json:"speech_rate,omitempty"`
	Loudness   *float64 `json:"loudness,omitempty"`
	PitchRise  *float64 `json:"pitch_rise,omitempty"`
	// SilenceSeconds is the silence before this utterance (dead air).
	SilenceSeconds *float64 `json:"silence_seconds,omitempty"`
	// Interruptions is how often the speaker cut the other one off in this
	// utterance.
	Interruptions *int `json:"interruptions,omitempty"`
	// App behaviour since the previous message: failed attempts of the same
	// operation and flows abandoned half-way.
	AppFailures    *int `json:"app_failures,omitempty"`
	AbandonedFlows *int `json:"abandoned_flows,omitempty"`
}

// Message is one message or utterance of a conversation.
type Message struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	CustomerID     string    `json:"customer_id"`
	Channel        string    `json:"channel"`
	Role           string    `json:"role"` // RoleCustomer or RoleAgent
	Time           time.Time `json:"time"`
	Text           string    `json:"text"`
	Signals        Signals   `json:"signals"`
}

// History is what is known of the customer outside this conversation, as
// of the message.
type History struct {
	// PriorComplaints counts the customer's earlier formal complaints.
	PriorComplaints int `json:"prior_complaints"`
	// OpenCases counts the customer's cases not yet closed.
	OpenCases int `json:"open_cases"`
	// RecentContacts counts the customer's contacts on other channels (or
	// other conversations) in the last 30 days.
	RecentContacts int `json:"recent_contacts"`
	// LastComplaintAt is the time of the latest complaint; zero if none.
	LastComplaintAt time.Time `json:"last_complaint_at"`
}

// Reason is one thing that drove the risk up (Weight > 0) or down
// (Weight < 0). Weight is the contribution in log-odds.
type Reason struct {
	Code   string  `json:"code"`
	Zh     string  `json:"zh"`
	En     string  `json:"en"`
	Weight float64 `json:"weight"`
	// Value is the measurement behind the reason when it has one (seconds
	// waited, turns, counts, a probability); 0 otherwise.
	Value float64 `json:"value,omitempty"`
	// Span is the text that drove it, in the message of turn SpanTurn
	// (1-based, as Assessment.Turn), when the reason is textual.
	Span     *analysis.Span `json:"span,omitempty"`
	SpanTurn int            `json:"span_turn,omitempty"`
}

// Intervention is a suggested action for the employee, from seeds 000 §三
// and 002 §三.
type Intervention struct {
	Code string `json:"code"`
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

// Assessment is the risk of a conversation after one message.
type Assessment struct {
	// Risk is the probability-like complaint risk, 0–1.
	Risk float64 `json:"risk"`
	// Level is low, medium or high (see Model.Level).
	Level string `json:"level"`
	// Reasons are the strongest drivers, largest |Weight| first.
	Reasons []Reason `json:"reasons"`
	// Interventions fit the situation, most urgent first.
	Interventions []Intervention `json:"interventions"`
	// Turn is the number of messages of the conversation seen so far,
	// this one included.
	Turn int `json:"turn"`
}

// Turn is one turn of a transcript (for ScoreDialogue).
type Turn struct {
	Role string `json:"role"`
	Text string `json:"text"`
}
