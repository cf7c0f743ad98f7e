package risk

import (
	"math"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"huajie/internal/analysis"
	"huajie/internal/lexicon"
)

// Weights are the combining weights of the model: a logistic regression
// over Features (fitted on dialogue data by TestFitDialogueWeights), the
// reference values reasons are measured from, and the level thresholds.
type Weights struct {
	Bias float64              `json:"bias"`
	W    [NumFeatures]float64 `json:"w"`
	// Ref is a calm conversation's feature vector (the mean over the
	// not-dissatisfied dialogues): a reason's weight is W·(x − Ref).
	Ref [NumFeatures]float64 `json:"ref"`
	// Alert is the risk from which a conversation is high (and alerts);
	// Medium the risk from which it is medium.
	Alert  float64 `json:"alert"`
	Medium float64 `json:"medium"`
}

// Rule weights of the parts the dialogue data cannot fit (it has no
// timestamps, signals or customer history), in log-odds. They are set by
// judgement from seed 000 §四 (waiting and attitude at the branch, the voice
// on the phone, behaviour online) and documented in docs/risk.md.
const (
	wWaitPerDoubling = 0.8 // per doubling of (wait − 30 s) / 120 s
	capWait          = 2.0
	wVoice           = 2.5 // per unit of speech rate or loudness above 1.15
	wPitch           = 3.0 // per unit of pitch rise above 0.10
	capVoice         = 2.0
	wSilence         = 0.04 // per second of silence above 5 s
	capSilence       = 0.6
	wInterruption    = 0.3
	capInterruptions = 1.2
	wAppFailure      = 0.5
	wAbandoned       = 0.4
	capApp           = 1.5
	wPriorComplaint  = 0.4
	capPrior         = 1.6
	wRecentComplaint = 0.4 // the latest complaint within 90 days
	wOpenCase        = 0.6
	capOpenCases     = 1.2
	wRecentContact   = 0.35
	capRecent        = 1.4
)

// HandoverRisk is the risk from which a supervisor handover is suggested
// even without a regulator, media or legal cue.
const HandoverRisk = 0.85

// Model scores conversations. It is immutable after New and safe for
// concurrent use; all per-conversation data lives in State.
type Model struct {
	w       Weights
	matcher *lexicon.Matcher
	phrases []phraseEntry
	// intern maps the phrase and cue terms to themselves: a span the
	// state keeps points at the term, not into the message, without a copy.
	intern map[string]string
}

type phraseEntry struct {
	Phrase
	kind uint8
}

// Opts configures a Model.
type Opts struct {
	// Weights; nil means the built-in fitted ones (DefaultWeights).
	Weights *Weights
	// Phrases; nil means DefaultPhrases().
	Phrases []Phrase
}

// New builds a Model.
func New(o Opts) (*Model, error) {
	m := &Model{w: DefaultWeights}
	if o.Weights != nil {
		m.w = *o.Weights
	}
	ps := o.Phrases
	if ps == nil {
		ps = DefaultPhrases()
	}
	terms := make([]string, len(ps))
	m.phrases = make([]phraseEntry, len(ps))
	for i, p := range ps {
		k := kindOf(p.Kind)
		if k < 0 {
			return nil, ErrPhrases
		}
		terms[i] = p.Term
		m.phrases[i] = phraseEntry{Phrase: p, kind: uint8(k)}
	}
	mt, err := lexicon.NewMatcher(terms)
	if err != nil {
		return nil, err
	}
	m.matcher = mt
	m.intern = make(map[string]string, len(ps)+512)
	for _, p := range ps {
		m.intern[p.Term] = p.Term
	}
	for _, e := range lexicon.Default().Entries(lexicon.Cues) {
		m.intern[e.Term] = e.Term
	}
	return m, nil
}

// keep sets r to sp of turn. The text is the interned term when it is one,
// the text already held when equal, and otherwise a copy: a State never
// keeps a whole message alive.
func (m *Model) keep(r *SpanRef, turn int, sp analysis.Span) {
	text, ok := m.intern[sp.Text]
	switch {
	case ok:
	case r.Text == sp.Text:
		text = r.Text
	default:
		text = strings.Clone(sp.Text)
	}
	*r = SpanRef{Turn: turn, Start: sp.Start, End: sp.End, Text: text}
}

var (
	defOnce  sync.Once
	defModel *Model
)

// Default returns the model with the built-in weights and phrases, built
// once and shared.
func Default() *Model {
	defOnce.Do(func() {
		m, err := New(Opts{})
		if err != nil {
			panic(err) // the embedded data is tested
		}
		defModel = m
	})
	return defModel
}

// Weights returns the model's weights.
func (m *Model) Weights() Weights { return m.w }

// Level maps a risk to low, medium or high.
func (m *Model) Level(risk float64) string {
	switch {
	case risk >= m.w.Alert:
		return LevelHigh
	case risk >= m.w.Medium:
		return LevelMedium
	}
	return LevelLow
}

// Update folds one message into the conversation's state and returns the
// assessment after it. a is the analysis of msg.Text (analysis.Analyzer;
// with explain=true the reasons can point at the words behind the
// customer's feeling); h is the customer's history as of the message.
//
// Messages are expected in time order; a message older than the latest
// one seen counts as simultaneous with it. A role other than "agent" is
// the customer's. Update is pure and deterministic. It allocates the
// returned Reasons and Interventions (one block) and, when it keeps in the
// state a new span that is not a listed term (the words behind a feeling),
// a copy of that span's few bytes.
func (m *Model) Update(st *State, msg Message, a analysis.Result, h History) Assessment {
	st.Version = StateVersion
	st.Turns++
	turn := st.Turns
	now := msg.Time
	if !now.IsZero() {
		if st.First.IsZero() {
			st.First = now
		}
		if now.After(st.Last) {
			st.Last = now
		} else {
			now = st.Last
		}
	}
	sg := &msg.Signals
	st.Waiting = 0
	if w := sg.WaitSeconds; w != nil && *w > 0 && !math.IsInf(*w, 0) {
		st.Waiting = *w
		st.MaxWait = math.Max(st.MaxWait, *w)
	}
	if sg.Interruptions != nil && *sg.Interruptions > 0 {
		st.Interruptions += min(*sg.Interruptions, 100)
	}
	var sc scan
	m.scanText(msg.Text, &sc)
	if msg.Role == RoleAgent {
		m.agentTurn(st, turn, msg.Text, &sc)
		st.LastRole = RoleAgent
	} else {
		m.customerTurn(st, turn, &msg, now, &a, &sc)
		st.LastRole = RoleCustomer
	}

	var c contrib
	logit := m.score(st, &h, now, &c)
	r := sigmoid(logit)
	st.Risk = r
	if r > st.PeakRisk {
		st.PeakRisk = r
	}
	as := Assessment{Risk: r, Level: m.Level(r), Turn: turn}
	m.explain(st, &c, &as)
	return as
}

func (m *Model) agentTurn(st *State, turn int, text string, sc *scan) {
	st.AgentTurns++
	if sc.has[kEmpathy] {
		st.Empathy++
		st.Acknowledged = true
		if !st.EmpSpan.set() {
			m.keep(&st.EmpSpan, turn, sc.span(text, kEmpathy))
		}
	}
	if sc.has[kDeflection] {
		st.Deflection++
		m.keep(&st.DeflSpan, turn, sc.span(text, kDeflection))
	}
	if sc.has[kJargon] {
		st.Jargon++
	}
	if sc.has[kStep] {
		if sc.timed {
			st.NextSteps++
			m.keep(&st.StepSpan, turn, sc.span(text, kStep))
			st.Open = false
			st.OpenTurns = 0
		} else {
			st.VagueSteps++
		}
	}
	st.Unanswered = time.Time{}
}

func (m *Model) customerTurn(st *State, turn int, msg *Message, now time.Time, a *analysis.Result, sc *scan) {
	st.CustomerTurns++
	st.CustomerBytes += len(msg.Text)
	p := &a.Emotion.Probs
	neg := a.Sentiment.Negative
	dist := p[0] + p[1] + p[2] // anger, anxiety, disappointment: the order of analysis.Emotions
	if a.Empty {
		neg, dist = 0, 0
	}
	st.Neg.add(neg)
	st.Distress.add(dist)
	st.Anger.add(p[0])
	st.Intensity.add(a.Emotion.Intensity)
	if neg >= st.Neg.Max && neg >= 0.5 {
		st.EmoTurn = turn
		if sp := strongestSpan(a); sp != nil {
			m.keep(&st.EmoSpan, turn, trimSpan(*sp))
		} else {
			st.EmoSpan = SpanRef{}
		}
	}
	for i := range a.Cues {
		cu := &a.Cues[i]
		if cu.Negated {
			continue
		}
		k := cueIndex(cu.Kind)
		if k < 0 {
			continue
		}
		st.Cues[k]++
		if !st.CueSpan[k].set() {
			m.keep(&st.CueSpan[k], turn, cu.Span)
		}
	}
	st.LastThanks = false
	if sc.has[kThanks] {
		st.Thanks++
		st.LastThanks = neg < 0.5
	}
	if sc.has[kStill] {
		st.Still++
		m.keep(&st.StillSpan, turn, sc.span(msg.Text, kStill))
	}
	if sc.has[kConfused] {
		st.Confused++
	}

	// a repeated complaint: near-duplicate of one of the latest turns
	sig := signature(msg.Text)
	if sig.N >= minRepeatBigrams {
		for i := range st.Sigs {
			if st.Sigs[i].N >= minRepeatBigrams && sig.similarity(st.Sigs[i]) >= repeatSimilarity {
				st.Repeats++
				st.RepeatTurn = turn
				break
			}
		}
	}
	copy(st.Sigs[1:], st.Sigs[:numSigs-1])
	st.Sigs[0] = sig

	// the problem: raised by a negative turn, a problem or a persisting
	// complaint; closed from the customer's side by thanks without
	// negativity, from the agent's by a concrete next step
	switch {
	case st.LastThanks && !sc.has[kStill]:
		st.Open = false
		st.OpenTurns = 0
	case neg >= 0.5 || len(a.Problems) > 0 || sc.has[kStill]:
		st.Open = true
	}
	if st.Open {
		st.OpenTurns++
	}
	if neg >= 0.5 || dist >= 0.5 {
		st.Acknowledged = false
	}

	// waiting: since the customer's first unanswered message
	if !now.IsZero() {
		if st.Unanswered.IsZero() {
			st.Unanswered = now
		} else {
			w := now.Sub(st.Unanswered).Seconds()
			st.Waiting = math.Max(st.Waiting, w)
			st.MaxWait = math.Max(st.MaxWait, w)
		}
	}
	s := &msg.Signals
	if s.SpeechRate != nil {
		st.MaxSpeechRate = math.Max(st.MaxSpeechRate, finite(*s.SpeechRate))
	}
	if s.Loudness != nil {
		st.MaxLoudness = math.Max(st.MaxLoudness, finite(*s.Loudness))
	}
	if s.PitchRise != nil {
		st.MaxPitchRise = math.Max(st.MaxPitchRise, finite(*s.PitchRise))
	}
	if s.SilenceSeconds != nil {
		st.MaxSilence = math.Max(st.MaxSilence, finite(*s.SilenceSeconds))
	}
	if s.AppFailures != nil && *s.AppFailures > 0 {
		st.AppFailures += min(*s.AppFailures, 100)
	}
	if s.AbandonedFlows != nil && *s.AbandonedFlows > 0 {
		st.AbandonedFlows += min(*s.AbandonedFlows, 100)
	}
}

func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}

// strongestSpan is the span of the explanation evidence that raised
// negativity or a negative emotion most, words preferred to single
// characters (weight × runes, up to 3). Without an explanation it is the
// first keyword of the complaint's cause (JR/T axis C), if any.
func strongestSpan(a *analysis.Result) *analysis.Span {
	if len(a.Explanation) == 0 {
		for i := range a.Problems {
			if p := &a.Problems[i]; p.Axis == analysis.AxisCause && len(p.Spans) > 0 {
				return &p.Spans[0]
			}
		}
		return nil
	}
	var best *analysis.Span
	bw := 0.0
	for i := range a.Explanation {
		e := &a.Explanation[i]
		if e.Span == nil || e.Weight <= 0 {
			continue
		}
		switch e.Target {
		case "sentiment", "emotion:anger", "emotion:anxiety", "emotion:disappointment":
		default:
			continue
		}
		if w := e.Weight * float64(min(utf8.RuneCountInString(e.Span.Text), 3)); w > bw {
			best, bw = e.Span, w
		}
	}
	return best
}

// trimSpan drops punctuation and spaces at the ends of a span (model
// n-grams such as "漠了," cross them).
func trimSpan(sp analysis.Span) analysis.Span {
	t, start := sp.Text, sp.Start
	for t != "" {
		r, n := utf8.DecodeRuneInString(t)
		if r == utf8.RuneError || !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r) {
			break
		}
		t = t[n:]
		start += n
	}
	for t != "" {
		r, n := utf8.DecodeLastRuneInString(t)
		if r == utf8.RuneError || !unicode.IsPunct(r) && !unicode.IsSpace(r) && !unicode.IsSymbol(r) {
			break
		}
		t = t[:len(t)-n]
	}
	if t == "" {
		return sp
	}
	return analysis.Span{Start: start, End: start + len(t), Text: t}
}

func sigmoid(x float64) float64 {
	if x > 40 {
		return 1
	}
	if x < -40 {
		return 0
	}
	return 1 / (1 + math.Exp(-x))
}
