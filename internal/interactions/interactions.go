// Package interactions is the ingest path of live complaint
// pre-identification (seed 000, PRODUCT.md §1): messages and utterances of
// conversations on every channel come in, are validated, de-duplicated by
// message id, analysed (package analysis), placed in time order in their
// conversation, scored by the conversation risk model (package risk) and
// stored with their analysis summary and the risk after them; when a
// conversation's risk crosses its channel's threshold an alert is opened or
// raised (package alerts' policy) in the same transaction.
//
// # Shape of the path
//
//	API / import ──► Service.Ingest ──► Log.Append ──► Scorer ──► Store (one transaction)
//	                 validate, analyse   durable accept  order,      messages, conversations,
//	                                                      risk, alerts alerts, events, deliveries
//
// Service does what needs no shared state (validation, the analysis, which
// is CPU-bound and runs in the caller's goroutine, so requests analyse in
// parallel). Log is the point of durable acceptance: Append returns only
// once every entry is either stored or known to be a duplicate, so an
// acknowledged message is never lost. Scorer is the per-conversation
// processing; it needs the conversation's running state and so must see a
// conversation's messages one writer at a time.
//
// Today GroupCommitLog implements Log in process: one goroutine gathers the
// entries of concurrent requests (up to MaxGroup) and runs the Scorer over
// them in one database transaction (group commit: one commit, multi-row
// inserts), keeping each conversation's state in memory with write-through
// to the conversations table. To put NATS JetStream between the API and the
// scoring workers later, a JetStream Log publishes each entry to a stream
// subject keyed by conversation id (Nats-Msg-Id = message id for JetStream's
// own de-duplication) and returns on the publish acknowledgement; scoring
// workers consume the stream partitioned by conversation and call the same
// Scorer.Process with the same Store. Neither Service nor Scorer changes;
// only the acknowledgement moves from "committed to the database" to
// "persisted in the stream".
//
// # Ordering and late messages
//
// A conversation's messages are ordered by (time, message id). A message
// later than the conversation's last is scored incrementally from the
// cached state. A late one (earlier than the last stored) makes the Scorer
// replay the whole conversation in time order from an empty state (up to
// MaxReplay messages), rewriting every message's risk; the alert policy
// then sees the conversation's risk after its latest message.
package interactions

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/risk"
)

// Channels a message can come from (PRODUCT.md §1).
var Channels = []string{"branch", "phone", "online_chat", "app", "email", "social_media", "survey"}

// Roles of a message's speaker.
var Roles = []string{risk.RoleCustomer, risk.RoleAgent}

// Message is one message or utterance as it comes in.
type Message struct {
	ID             string    `json:"id"`
	ConversationID string    `json:"conversation_id"`
	CustomerID     string    `json:"customer_id"`
	Channel        string    `json:"channel"`
	Role           string    `json:"role"`
	Time           time.Time `json:"time"`
	Text           string    `json:"text"`
	Team           string    `json:"team,omitempty"`
	Agent          string    `json:"agent,omitempty"`
	// Branch is where the customer is served (a branch office's code or
	// name); Product the product concerned. Both are optional, bounded
	// like team, and kept on the conversation (the latest non-empty).
	Branch  string       `json:"branch,omitempty"`
	Product string       `json:"product,omitempty"`
	Signals risk.Signals `json:"signals,omitzero"`
}

func (m *Message) riskMessage() risk.Message {
	return risk.Message{ID: m.ID, ConversationID: m.ConversationID, CustomerID: m.CustomerID,
		Channel: m.Channel, Role: m.Role, Time: m.Time, Text: m.Text, Signals: m.Signals}
}

// Limits on input; zero fields take the defaults.
type Limits struct {
	// MaxBatch is the most messages in one Ingest call (default 1,000).
	MaxBatch int
	// MaxTextBytes is the longest text (default 64 KiB).
	MaxTextBytes int
	// MaxIDBytes bounds ids, channel, team, agent, branch and product
	// (default 128).
	MaxIDBytes int
	// MaxFuture is how far ahead of the server's clock a message's time
	// may be (default 5 minutes: clocks differ a little, not more).
	MaxFuture time.Duration
	// Oldest is the earliest accepted time (default 2000-01-01 UTC).
	Oldest time.Time
}

// Defaults.
const (
	DefaultMaxBatch     = 1000
	DefaultMaxTextBytes = 64 << 10
	DefaultMaxIDBytes   = 128
	DefaultMaxFuture    = 5 * time.Minute
)

func (l Limits) withDefaults() Limits {
	if l.MaxBatch <= 0 {
		l.MaxBatch = DefaultMaxBatch
	}
	if l.MaxTextBytes <= 0 {
		l.MaxTextBytes = DefaultMaxTextBytes
	}
	if l.MaxIDBytes <= 0 {
		l.MaxIDBytes = DefaultMaxIDBytes
	}
	if l.MaxFuture <= 0 {
		l.MaxFuture = DefaultMaxFuture
	}
	if l.Oldest.IsZero() {
		l.Oldest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return l
}

// Item error codes.
const (
	CodeMissing    = "missing_field"
	CodeInvalid    = "invalid_field"
	CodeTooLarge   = "too_large"
	CodeFuture     = "time_in_future"
	CodeTooOld     = "time_too_old"
	CodeBadJSON    = "bad_json"
	CodeUnknown    = "unknown_field"
	CodeDuplicated = "duplicate_in_batch"
)

// ItemError is why one message was refused.
type ItemError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *ItemError) Error() string { return e.Message }

func itemErr(code, format string, args ...any) *ItemError {
	return &ItemError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Validate checks one message against the limits at time now. It trims
// nothing and changes nothing but normalises the time to UTC.
func (l Limits) Validate(m *Message, now time.Time) *ItemError {
	l = l.withDefaults()
	for _, f := range []struct{ name, v string }{
		{"id", m.ID}, {"conversation_id", m.ConversationID}, {"customer_id", m.CustomerID},
	} {
		if strings.TrimSpace(f.v) == "" {
			return itemErr(CodeMissing, "%s is required", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{
		{"id", m.ID}, {"conversation_id", m.ConversationID}, {"customer_id", m.CustomerID},
		{"team", m.Team}, {"agent", m.Agent}, {"branch", m.Branch}, {"product", m.Product},
	} {
		if len(f.v) > l.MaxIDBytes {
			return itemErr(CodeTooLarge, "%s is %d bytes, over the limit of %d", f.name, len(f.v), l.MaxIDBytes)
		}
		if !utf8.ValidString(f.v) || strings.ContainsAny(f.v, "\x00\r\n") {
			return itemErr(CodeInvalid, "%s must be valid UTF-8 on one line", f.name)
		}
	}
	if m.Channel == "" {
		return itemErr(CodeMissing, "channel is required (one of %s)", strings.Join(Channels, ", "))
	}
	if !slices.Contains(Channels, m.Channel) {
		return itemErr(CodeInvalid, "channel %q is not one of %s", m.Channel, strings.Join(Channels, ", "))
	}
	if m.Role == "" {
		return itemErr(CodeMissing, "role is required (customer or agent)")
	}
	if !slices.Contains(Roles, m.Role) {
		return itemErr(CodeInvalid, "role %q is not customer or agent", m.Role)
	}
	if m.Time.IsZero() {
		return itemErr(CodeMissing, "time is required (RFC 3339)")
	}
	if m.Time.After(now.Add(l.MaxFuture)) {
		return itemErr(CodeFuture, "time %s is %s ahead of the server's clock (at most %s)",
			m.Time.UTC().Format(time.RFC3339), m.Time.Sub(now).Round(time.Second), l.MaxFuture)
	}
	if m.Time.Before(l.Oldest) {
		return itemErr(CodeTooOld, "time %s is before %s", m.Time.UTC().Format(time.RFC3339), l.Oldest.Format(time.DateOnly))
	}
	if len(m.Text) > l.MaxTextBytes {
		return itemErr(CodeTooLarge, "text is %d bytes, over the limit of %d", len(m.Text), l.MaxTextBytes)
	}
	if !utf8.ValidString(m.Text) {
		return itemErr(CodeInvalid, "text is not valid UTF-8")
	}
	if err := checkSignals(&m.Signals); err != nil {
		return err
	}
	m.Time = m.Time.UTC().Truncate(time.Microsecond)
	return nil
}

func checkSignals(s *risk.Signals) *ItemError {
	for _, f := range []struct {
		name string
		v    *float64
		max  float64
	}{
		{"wait_seconds", s.WaitSeconds, 7 * 24 * 3600}, {"speech_rate", s.SpeechRate, 100},
		{"loudness", s.Loudness, 100}, {"pitch_rise", s.PitchRise, 100}, {"silence_seconds", s.SilenceSeconds, 24 * 3600},
	} {
		if f.v != nil && (*f.v < 0 || *f.v > f.max || *f.v != *f.v) {
			return itemErr(CodeInvalid, "signals.%s = %v: expected 0 to %v", f.name, *f.v, f.max)
		}
	}
	for _, f := range []struct {
		name string
		v    *int
	}{{"interruptions", s.Interruptions}, {"app_failures", s.AppFailures}, {"abandoned_flows", s.AbandonedFlows}} {
		if f.v != nil && (*f.v < 0 || *f.v > 100000) {
			return itemErr(CodeInvalid, "signals.%s = %d: expected 0 to 100000", f.name, *f.v)
		}
	}
	return nil
}

// Analysis is the stored summary of a message's analysis.
type Analysis struct {
	Lang      string                `json:"lang"`
	Emotion   analysis.Emotion      `json:"emotion"`
	Probs     analysis.EmotionProbs `json:"probs"`
	Intensity float64               `json:"intensity"`
	Negative  float64               `json:"negative"`
	Cues      []analysis.CueKind    `json:"cues,omitempty"`
	Problems  []Problem             `json:"problems,omitempty"`
	Truncated bool                  `json:"truncated,omitempty"`
}

// Problem is a JR/T 0169-2018 classification of the message's problem.
type Problem struct {
	Axis   analysis.Axis `json:"axis"`
	Code   string        `json:"code"`
	Name   string        `json:"name"`
	NameEn string        `json:"name_en"`
	Score  float64       `json:"score"`
}

// Summarise keeps what is stored of an analysis.
func Summarise(r *analysis.Result) Analysis {
	a := Analysis{Lang: r.Lang, Emotion: r.Emotion.Label, Probs: r.Emotion.Probs, Intensity: round(r.Emotion.Intensity),
		Negative: round(r.Sentiment.Negative), Truncated: r.Truncated}
	for i := range a.Probs {
		a.Probs[i] = round(a.Probs[i])
	}
	for _, c := range r.Cues {
		if !c.Negated && !slices.Contains(a.Cues, c.Kind) {
			a.Cues = append(a.Cues, c.Kind)
		}
	}
	for _, p := range r.Problems {
		a.Problems = append(a.Problems, Problem{Axis: p.Axis, Code: p.Code, Name: p.Name, NameEn: p.NameEn, Score: round(p.Score)})
	}
	return a
}

func round(x float64) float64 {
	return float64(int64(x*1e4+0.5)) / 1e4
}

// Stored is a message as stored: with its analysis and the conversation's
// risk after it.
type Stored struct {
	Message
	ReceivedAt time.Time `json:"received_at"`
	Analysis   Analysis  `json:"analysis"`
	// Turn is the message's 1-based position in its conversation.
	Turn int     `json:"turn"`
	Risk float64 `json:"risk"`
	// Level is low, medium or high.
	Level string `json:"level"`
	// Assessment holds the reasons and interventions after the message.
	Assessment *risk.Assessment `json:"assessment,omitempty"`
}

// Conversation is a conversation's running record.
type Conversation struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customer_id"`
	Channel    string    `json:"channel"`
	Team       string    `json:"team,omitempty"`
	Agent      string    `json:"agent,omitempty"`
	Branch     string    `json:"branch,omitempty"`
	Product    string    `json:"product,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	LastAt     time.Time `json:"last_at"`
	// LastID is the id of the latest message (ties on time order by id).
	LastID   string  `json:"-"`
	Messages int     `json:"messages"`
	Risk     float64 `json:"risk"`
	Level    string  `json:"level"`
	// State is the risk model's running state; Alert the alert policy's.
	State risk.State       `json:"-"`
	Alert alerts.ConvState `json:"-"`
}

// after reports whether (t, id) orders after the conversation's last
// message.
func (c *Conversation) after(t time.Time, id string) bool {
	if c.Messages == 0 {
		return true
	}
	return t.After(c.LastAt) || t.Equal(c.LastAt) && id > c.LastID
}

// Errors.
var (
	ErrNotFound = errors.New("interactions: not found")
	// ErrBatchTooLarge: more messages than Limits.MaxBatch.
	ErrBatchTooLarge = errors.New("interactions: batch over the limit")
	// ErrClosed: the log is shut down.
	ErrClosed = errors.New("interactions: ingest is shut down")
)
