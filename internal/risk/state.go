package risk

import (
	"time"

	"huajie/internal/analysis"
)

// StateVersion is the layout version of State. A stored state of another
// version should be discarded (start again from the zero State) rather than
// reused.
const StateVersion = 1

// State is the running state of one conversation. The zero State is the
// start of a conversation. It is a fixed-size value apart from a few short
// span texts (copies, not pointers into the messages), JSON-serialisable,
// and has a compact binary form (MarshalBinary).
type State struct {
	Version int `json:"version"`

	// Turns counts every message; CustomerTurns and AgentTurns by role.
	Turns         int `json:"turns"`
	CustomerTurns int `json:"customer_turns"`
	AgentTurns    int `json:"agent_turns"`
	// CustomerBytes is the total length of the customer's text.
	CustomerBytes int `json:"customer_bytes"`

	// First and Last are the times of the first and the latest message
	// (zero when the messages had none).
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	// Unanswered is the time of the customer's first message not yet
	// answered by an agent; zero when the agent spoke last.
	Unanswered time.Time `json:"unanswered"`

	// The customer's trajectory, one point per customer turn: negativity
	// (P(negative)), distress (P(anger)+P(anxiety)+P(disappointment)),
	// anger, and emotional intensity.
	Neg       Series `json:"neg"`
	Distress  Series `json:"distress"`
	Anger     Series `json:"anger"`
	Intensity Series `json:"intensity"`

	// Cues counts the customer's escalation cues (not negated) by kind, in
	// the order of CueKinds; CueSpan keeps the first span of each kind.
	Cues    [NumCueKinds]int     `json:"cues"`
	CueSpan [NumCueKinds]SpanRef `json:"cue_span"`

	// Customer phrases from the model's own lists (data/phrases.tsv).
	Thanks     int     `json:"thanks"`      // 谢谢, 解决了 …: in all customer turns
	LastThanks bool    `json:"last_thanks"` // in the latest customer turn
	Still      int     `json:"still"`       // 还是没, 至今, 一直 …: the problem persists
	Confused   int     `json:"confused"`    // 听不懂, 什么意思 …
	StillSpan  SpanRef `json:"still_span"`

	// Repeats counts customer turns that repeat an earlier one (near
	// duplicate text); Sigs are the signatures of the latest customer
	// turns, Sigs[0] the newest.
	Repeats    int                `json:"repeats"`
	RepeatTurn int                `json:"repeat_turn"`
	Sigs       [numSigs]Signature `json:"sigs"`

	// EmoTurn is the customer's most negative turn; EmoSpan the words
	// that made it so (when the analysis had an explanation).
	EmoTurn int     `json:"emo_turn"`
	EmoSpan SpanRef `json:"emo_span"`

	// Agent behaviour: counts over the agent's turns.
	Empathy    int     `json:"empathy"`     // 我理解您的感受, 非常抱歉 …
	Deflection int     `json:"deflection"`  // 这不归我管, 你自己操作错误, 没办法 …
	NextSteps  int     `json:"next_steps"`  // a concrete next step with a time
	VagueSteps int     `json:"vague_steps"` // a next step without a time
	Jargon     int     `json:"jargon"`
	DeflSpan   SpanRef `json:"defl_span"`
	StepSpan   SpanRef `json:"step_span"`
	EmpSpan    SpanRef `json:"emp_span"`

	// Open is true while a problem the customer raised has had no agent
	// turn with a concrete next step since; OpenTurns counts the customer
	// turns it has stayed open. Acknowledged says whether an agent has
	// acknowledged the feeling since the customer's latest negative turn.
	Open         bool   `json:"open"`
	OpenTurns    int    `json:"open_turns"`
	Acknowledged bool   `json:"acknowledged"`
	LastRole     string `json:"last_role"`

	// Signals: the current wait (the latest message's wait signal, or how
	// long the customer's messages have gone unanswered; 0 after an
	// answer), the longest wait of the conversation, and the
	// paralinguistic and app signals as running maxima / sums.
	Waiting        float64 `json:"waiting"`
	MaxWait        float64 `json:"max_wait"`
	MaxSpeechRate  float64 `json:"max_speech_rate"`
	MaxLoudness    float64 `json:"max_loudness"`
	MaxPitchRise   float64 `json:"max_pitch_rise"`
	MaxSilence     float64 `json:"max_silence"`
	Interruptions  int     `json:"interruptions"`
	AppFailures    int     `json:"app_failures"`
	AbandonedFlows int     `json:"abandoned_flows"`

	// Risk and PeakRisk are the latest and the highest risk so far.
	Risk     float64 `json:"risk"`
	PeakRisk float64 `json:"peak_risk"`
}

// SpanRef is a span of the message of turn Turn (1-based); Turn 0 is none.
type SpanRef struct {
	Turn  int    `json:"turn,omitempty"`
	Start int    `json:"start,omitempty"`
	End   int    `json:"end,omitempty"`
	Text  string `json:"text,omitempty"`
}

func (s SpanRef) set() bool { return s.Turn > 0 }

func (s SpanRef) span() analysis.Span {
	return analysis.Span{Start: s.Start, End: s.End, Text: s.Text}
}

// Series summarises one value over the customer's turns: count, first,
// last, previous, max, sum, rises (turns higher than the one before by
// more than 0.1) and the sums for an online least-squares slope over the
// turn index.
type Series struct {
	N     int     `json:"n"`
	First float64 `json:"first"`
	Last  float64 `json:"last"`
	Prev  float64 `json:"prev"`
	Max   float64 `json:"max"`
	Sum   float64 `json:"sum"`
	Rises int     `json:"rises"`
	SumT  float64 `json:"sum_t"`
	SumTT float64 `json:"sum_tt"`
	SumTY float64 `json:"sum_ty"`
}

func (s *Series) add(y float64) {
	t := float64(s.N)
	if s.N == 0 {
		s.First = y
		s.Max = y
	} else if y > s.Last+0.1 {
		s.Rises++
	}
	s.Prev = s.Last
	s.Last = y
	if y > s.Max {
		s.Max = y
	}
	s.Sum += y
	s.SumT += t
	s.SumTT += t * t
	s.SumTY += t * y
	s.N++
}

// Mean is the average value; 0 for no points.
func (s *Series) Mean() float64 {
	if s.N == 0 {
		return 0
	}
	return s.Sum / float64(s.N)
}

// Slope is the least-squares slope of the value per turn; 0 for fewer
// than two points.
func (s *Series) Slope() float64 {
	if s.N < 2 {
		return 0
	}
	n := float64(s.N)
	d := n*s.SumTT - s.SumT*s.SumT
	if d == 0 {
		return 0
	}
	return (n*s.SumTY - s.SumT*s.Sum) / d
}
