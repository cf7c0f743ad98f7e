// Package goodwill tells a good-faith complaint from an unreasonable demand
// or a suspected malicious one (seed 001 善意投诉识别; seed 002 §一, case 3),
// with the evidence for each judgement, in Chinese and English.
//
// The assessment scores seed 001's five dimensions of a good-faith
// complaint — constructiveness, emotional investment, goal clarity,
// attitude and substance — and looks for the cues of bad faith: threats
// used as leverage (不赔就曝光), compensation demands out of proportion to
// the stated loss, extortion wording, facts that change from one contact to
// the next, and serial complaining. A few explicit weights (Weights) combine
// them into three scores and a result.
//
// It is decision support and nothing more. Assess never refuses, closes or
// deprioritises a complaint, and no caller may do so on its result alone:
// Chinese rules forbid refusing a reasonable complaint, and a customer who
// is angry, or who has complained before, may well be right. A suspicion
// sets RouteToSupervisor, so that a senior handler looks at the case; the
// handler's decision is the judgement, and it belongs in the audit trail.
//
// The package is pure: no SQL, no HTTP, no clock. Callers pass the
// complaint, the customer's turns and the customer's history as plain
// structs.
package goodwill

import (
	"errors"
	"fmt"
	"time"

	"huajie/internal/analysis"
	"huajie/internal/lexicon"
)

// Result is the outcome of an assessment.
type Result string

const (
	// Goodwill: a good-faith complaint (善意投诉), angry or not.
	Goodwill Result = "goodwill"
	// UnreasonableDemand: the complaint may be well founded, but what is
	// asked for is out of proportion to it (无理要求).
	UnreasonableDemand Result = "unreasonable_demand"
	// SuspectedMalicious: cues of bad faith — extortion, leverage threats
	// for an excessive demand, changing facts, pure aggression (恶意投诉,
	// suspected: only a person decides).
	SuspectedMalicious Result = "suspected_malicious"
)

// Results lists the results in a fixed order.
var Results = []Result{Goodwill, UnreasonableDemand, SuspectedMalicious}

// Contact is one turn of the customer in the case, in any channel. Agent
// turns are left out by the caller (or marked with Role "agent", which is
// skipped).
type Contact struct {
	At      time.Time `json:"at,omitzero"`
	Text    string    `json:"text"`
	Channel string    `json:"channel,omitempty"`
	Role    string    `json:"role,omitempty"` // "" or "customer"; "agent" is skipped
}

// Compensation is compensation the customer obtained before.
type Compensation struct {
	At     time.Time `json:"at,omitzero"`
	Amount float64   `json:"amount"`
	Note   string    `json:"note,omitempty"`
}

// History is what the bank knows of the customer's earlier complaints.
type History struct {
	// PriorComplaints is the number of earlier complaints, any channel.
	PriorComplaints int `json:"prior_complaints,omitempty"`
	// PriorCases is the number of earlier cases (a case may hold several
	// complaints).
	PriorCases int `json:"prior_cases,omitempty"`
	// ComplaintDates are the dates of earlier complaints when known; with
	// Input.At they give the number in the last year.
	ComplaintDates []time.Time `json:"complaint_dates,omitempty"`
	// Compensations obtained before.
	Compensations []Compensation `json:"compensations,omitempty"`
	// Channels the customer has complained through (branch, phone,
	// regulator, social media …).
	Channels []string `json:"channels,omitempty"`
}

// Input is one complaint to assess.
type Input struct {
	// Text is the complaint as registered.
	Text string `json:"text"`
	// Contacts are the customer's turns in the case, in any order (they
	// are sorted by time). A contact whose text equals Text is not counted
	// twice.
	Contacts []Contact `json:"contacts,omitempty"`
	History  History   `json:"history,omitzero"`
	// At is when the complaint was made; it windows History.ComplaintDates
	// to the year before. Zero means the latest contact time, or no window.
	At time.Time `json:"at,omitzero"`
}

// Dimension names one of seed 001's dimensions of a good-faith complaint.
type Dimension string

const (
	Constructiveness    Dimension = "constructiveness"     // 建设性
	EmotionalInvestment Dimension = "emotional_investment" // 情感投入
	GoalClarity         Dimension = "goal_clarity"         // 目标明确
	Attitude            Dimension = "attitude"             // 积极态度
	Substance           Dimension = "substance"            // 实质内容
)

// Dimensions lists the dimensions in the order of Assessment.Dimensions.
var Dimensions = []Dimension{Constructiveness, EmotionalInvestment, GoalClarity, Attitude, Substance}

// CueKind names a cue of unreasonable or malicious intent.
type CueKind string

const (
	// CueLeverage: a threat made conditional on a demand (不赔就曝光,
	// "refund me or I go to the regulator").
	CueLeverage CueKind = "leverage_threat"
	// CueThreatMention: the regulator, media or a court named without a
	// condition, or negated (我不会去曝光). Recorded, weighs nothing: a
	// customer may always say they will go to the regulator.
	CueThreatMention CueKind = "threat_mention"
	// CueDisproportion: compensation asked far above the stated loss.
	CueDisproportion CueKind = "disproportionate_demand"
	// CueOutsized: a demand outside any proportion to a service complaint
	// (开除员工, 行长登报道歉, 十倍赔偿, 精神损失费).
	CueOutsized CueKind = "outsized_demand"
	// CueExtortion: 封口费, 私了, 花钱消灾, hush money.
	CueExtortion CueKind = "extortion"
	// CueContradiction: the same loss or incident date changes between
	// contacts.
	CueContradiction CueKind = "contradiction"
	// CueSerial: many earlier complaints, compensation obtained before.
	CueSerial CueKind = "serial_complaining"
	// CueRetaliation: retaliation, harassment, indifference to any
	// solution (报复, 搞臭, 不管你们怎么处理).
	CueRetaliation CueKind = "retaliation"
	// CueAggression: abuse with no substance behind it.
	CueAggression CueKind = "aggression_without_substance"
)

// Evidence is one fact behind a score or a cue.
type Evidence struct {
	// Source is "text" (Input.Text), "contact" (Input.Contacts[Contact]),
	// "history", or "all" for a figure over the text and contacts together.
	Source  string         `json:"source"`
	Contact *int           `json:"contact,omitempty"`
	Span    *analysis.Span `json:"span,omitempty"`
	// Fact is a short machine key: "date", "amount", "suggestion",
	// "resolution", "abuse", "offensive_model", "prior_complaints" …
	Fact   string  `json:"fact"`
	Zh     string  `json:"zh"`
	En     string  `json:"en"`
	Weight float64 `json:"weight"`
}

// DimensionScore is the score of one dimension, 0–1, with its evidence.
type DimensionScore struct {
	Dimension Dimension  `json:"dimension"`
	Score     float64    `json:"score"`
	Evidence  []Evidence `json:"evidence"`
}

// Cue is one cue of unreasonable or malicious intent found.
type Cue struct {
	Kind CueKind `json:"kind"`
	// Strength is 0–1.
	Strength float64    `json:"strength"`
	Evidence []Evidence `json:"evidence"`
}

// Reason is one sentence of explanation.
type Reason struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// Scores are the three combined scores, each 0–1.
type Scores struct {
	// Goodwill is the weighted mean of the dimensions.
	Goodwill float64 `json:"goodwill"`
	// Unreasonable grows with demands out of proportion.
	Unreasonable float64 `json:"unreasonable"`
	// Malicious grows with the cues of bad faith.
	Malicious float64 `json:"malicious"`
}

// Assessment is the judgement on one complaint. It recommends; it never
// decides (see the package documentation).
type Assessment struct {
	Result Result `json:"result"`
	// Confidence is 0.5–0.95 for a text with content: how far the scores
	// are from the thresholds. It is 0 for an empty complaint.
	Confidence float64 `json:"confidence"`
	// RouteToSupervisor recommends that a senior handler review the case:
	// set for every suspicion and for goodwill results close to one.
	RouteToSupervisor bool `json:"route_to_supervisor"`
	// Empty is true when there was no text to assess; the result is then
	// goodwill, the presumption every complaint starts with.
	Empty      bool             `json:"empty,omitempty"`
	Scores     Scores           `json:"scores"`
	Dimensions []DimensionScore `json:"dimensions"`
	Cues       []Cue            `json:"cues"`
	// Amounts are the sums of money found, with their roles.
	Amounts []Amount `json:"amounts,omitempty"`
	Reasons []Reason `json:"reasons"`
	// Notice states that this is decision support, in both languages.
	Notice Reason `json:"notice"`
	// Version names the weights and cue list version.
	Version string `json:"version"`
}

// Notice is attached to every assessment.
var Notice = Reason{
	Zh: "本结果仅为辅助判断，不得据此拒绝、关闭或降低处理任何投诉；存疑案件应由主管复核并记录其决定。",
	En: "Decision support only: no complaint may be refused, closed or deprioritised on this result; a suspicion goes to a supervisor, whose decision is recorded.",
}

// Version of the rules and weights; bump it when either changes so that
// stored assessments can be told apart.
const Version = "goodwill-2"

// Analyzer analyses one message; *analysis.Analyzer satisfies it.
type Analyzer interface {
	Analyze(text string, explain bool) analysis.Result
}

// Classifier is a text classifier; *textclass.Model satisfies it. The
// offensive model must have the label "offensive".
type Classifier interface {
	Predict(text string, probs []float64)
	Labels() []string
	LabelIndex(label string) int
}

// Opts configures an Assessor.
type Opts struct {
	// Analyzer gives emotion, problems and escalation cues. Nil leaves
	// emotion and problem evidence out (the package's own cue list still
	// finds threats, demands and facts); production passes the real one.
	Analyzer Analyzer
	// Offensive is the offensive-language model (models.Offensive()). Nil
	// leaves abuse to the analyser's abuse cues.
	Offensive Classifier
	// Weights combine the dimensions and cues; nil means DefaultWeights.
	Weights *Weights
	// Cues replaces the embedded cue list (data/cues.tsv) when non-nil.
	Cues []CueEntry
	// MaxBytes bounds the text assessed per message and the total over all
	// contacts; 0 means DefaultMaxBytes. Longer text is cut on a rune
	// boundary.
	MaxBytes int
	// MaxContacts bounds the contacts assessed (the latest are kept); 0
	// means DefaultMaxContacts.
	MaxContacts int
}

// Limits.
const (
	DefaultMaxBytes    = 64 << 10
	DefaultMaxContacts = 200
)

// ErrOpts is wrapped by New's errors.
var ErrOpts = errors.New("goodwill: bad options")

// Assessor assesses complaints. It is immutable after New and safe for
// concurrent use.
type Assessor struct {
	an          Analyzer
	off         Classifier
	offIdx      int
	w           Weights
	cues        *cueSet
	maxBytes    int
	maxContacts int
}

// New builds an Assessor.
func New(o Opts) (*Assessor, error) {
	a := &Assessor{an: o.Analyzer, off: o.Offensive, w: DefaultWeights, maxBytes: o.MaxBytes, maxContacts: o.MaxContacts}
	if o.Weights != nil {
		if err := o.Weights.validate(); err != nil {
			return nil, err
		}
		a.w = *o.Weights
	}
	if a.off != nil {
		a.offIdx = a.off.LabelIndex("offensive")
		if a.offIdx < 0 {
			return nil, fmt.Errorf("%w: offensive model has no label \"offensive\" (has %v)", ErrOpts, a.off.Labels())
		}
	}
	es := append([]CueEntry(nil), o.Cues...)
	if o.Cues == nil {
		es = DefaultCues()
	}
	for _, e := range lexicon.Default().Entries(lexicon.Cues) {
		if e.Kind == "abuse" {
			es = append(es, CueEntry{Term: e.Term, Kind: kAbuse, Weight: e.Weight})
		}
	}
	cs, err := compileCues(es)
	if err != nil {
		return nil, err
	}
	a.cues = cs
	if a.maxBytes <= 0 {
		a.maxBytes = DefaultMaxBytes
	}
	if a.maxContacts <= 0 {
		a.maxContacts = DefaultMaxContacts
	}
	return a, nil
}

// WithCues returns a copy of the assessor over another cue list (an edited
// copy of data/cues.tsv read with ParseCues); the analyser, model and
// weights are shared.
func (a *Assessor) WithCues(es []CueEntry) (*Assessor, error) {
	b := *a
	es = append([]CueEntry(nil), es...)
	for _, e := range lexicon.Default().Entries(lexicon.Cues) {
		if e.Kind == "abuse" {
			es = append(es, CueEntry{Term: e.Term, Kind: kAbuse, Weight: e.Weight})
		}
	}
	cs, err := compileCues(es)
	if err != nil {
		return nil, err
	}
	b.cues = cs
	return &b, nil
}
