package analysis

import (
	"errors"
	"fmt"
	"math"
	"sync"
	"unicode/utf8"

	"huajie/internal/jrt"
	"huajie/internal/lexicon"
	"huajie/internal/textclass"
)

// DefaultMaxBytes is the default limit on the analysed part of one message:
// 64 KiB. Longer text is cut on a rune boundary and Result.Truncated set;
// callers that must refuse such messages (the analyze command does) check
// the length themselves.
const DefaultMaxBytes = 64 << 10

// MaxHits bounds the lexicon hits considered per message (a hostile 64 KiB
// of 不不不… would otherwise make tens of thousands). Hits past the bound
// are ignored.
const MaxHits = 4096

// maxKeywordHits bounds the problem keywords considered per message.
const maxKeywordHits = 256

// maxScopes bounds the negation scopes per message, for the same reason.
const maxScopes = 64

// Opts configures an Analyzer.
type Opts struct {
	// Emotion must have the labels of Emotions (any order, matched by
	// name; extra labels are ignored). Sentiment must have "negative" and
	// "positive". When both use one featuriser configuration (the built-in
	// ones do) one featurisation serves both; otherwise each gets its own.
	Emotion, Sentiment *textclass.Model
	// Bundle, when set, holds Emotion and Sentiment (in that order) in one
	// interleaved table: one cache miss per feature for both models
	// (models.EmotionSentiment). Optional; the result is the same.
	Bundle *textclass.Bundle
	// Lexicon holds the cue, intensifier, negator, emoticon, polarity and
	// acronym lists; nil means lexicon.Default().
	Lexicon *lexicon.Lexicon
	// JRT holds the taxonomy and problem keywords; nil means jrt.Default().
	JRT *jrt.Data
	// MaxBytes is the analysed length limit; 0 means DefaultMaxBytes.
	MaxBytes int
	// NoNegationAdjust turns off the engine's correction of the models on
	// negated polarity words (kept to measure what the correction does).
	NoNegationAdjust bool
}

// Analyzer analyses messages. It is immutable after New and safe for
// concurrent use; per-call working memory comes from a pool.
type Analyzer struct {
	emo, sen *textclass.Model
	bundle   *textclass.Bundle // emo and sen interleaved, or nil
	lex      *lexicon.Lexicon
	jrt      *jrt.Data
	maxBytes int
	noAdjust bool

	emoMap [NumEmotions]int // model label index of each of Emotions
	senNeg int              // model label index of "negative"
	senK   int
	emoK   int

	m      *lexicon.Matcher
	refOff []int32 // refs of term t: refs[refOff[t]:refOff[t+1]]
	refs   []ref

	cues     []lexicon.Entry
	ints     []lexicon.Entry
	negs     []lexicon.Entry
	emos     []emoEntry
	pols     []lexicon.Entry
	emoWords []emoEntry
	acronyms map[string]bool

	pool sync.Pool
}

type emoEntry struct {
	lexicon.Entry
	emotion int  // index into Emotions
	emoji   bool // the term is an emoji, not a [表情] code
}

// hit classes
const (
	clsCue uint8 = iota
	clsInt
	clsNeg
	clsPseudo
	clsBreak
	clsEmo
	clsPol
	clsKw
	clsEmoWord
	numCls
)

type ref struct {
	cls uint8
	idx int32
}

// thit is a typed hit: one lexicon entry found in the text.
type thit struct {
	cls        uint8
	negated    bool
	drop       bool
	idx        int32
	start, end int32
	// negBy is the typed hit that negates this one: a negator whose scope
	// holds it, or the negative word it is part of (满意 in 不满意); -1.
	negBy int32
}

type scope struct {
	neg        int32 // typed hit of the negator
	start, end int32 // the negated stretch, after the negator
}

type scratch struct {
	f       *textclass.Features // for the emotion model
	fs      *textclass.Features // for the sentiment model: f when they share a configuration
	hits    []lexicon.Hit
	th      []thit
	scopes  []scope
	kw      []jrt.Hit
	js      jrt.Scratch
	picks   []jrt.Pick
	el      []float64
	sl      []float64
	up      [32]byte
	adj     []adjust
	cueHits []int32
}

// adjust records one negation correction, for the explanation.
type adjust struct {
	pol   int32 // typed hit of the polarity word
	sent  float64
	joy   float64
	negEm float64
}

// ErrModel is returned by New for a missing or unsuitable model.
var ErrModel = errors.New("analysis: unsuitable model")

// New builds an Analyzer.
func New(o Opts) (*Analyzer, error) {
	if o.Emotion == nil || o.Sentiment == nil {
		return nil, fmt.Errorf("%w: emotion and sentiment models are required", ErrModel)
	}
	a := &Analyzer{emo: o.Emotion, sen: o.Sentiment, lex: o.Lexicon, jrt: o.JRT, maxBytes: o.MaxBytes, noAdjust: o.NoNegationAdjust}
	if o.Bundle != nil {
		ms := o.Bundle.Models()
		if len(ms) == 2 && ms[0] == o.Emotion && ms[1] == o.Sentiment && o.Emotion.Config() == o.Sentiment.Config() {
			a.bundle = o.Bundle
		} else {
			return nil, fmt.Errorf("%w: the bundle must hold exactly the emotion and the sentiment model, in that order", ErrModel)
		}
	}
	if a.lex == nil {
		a.lex = lexicon.Default()
	}
	if a.jrt == nil {
		a.jrt = jrt.Default()
	}
	if a.maxBytes <= 0 {
		a.maxBytes = DefaultMaxBytes
	}
	labels := o.Emotion.Labels()
	a.emoK = len(labels)
	for i, e := range Emotions {
		a.emoMap[i] = -1
		for j, l := range labels {
			if l == string(e) {
				a.emoMap[i] = j
			}
		}
		if a.emoMap[i] < 0 {
			return nil, fmt.Errorf("%w: emotion model has no label %q (labels %v)", ErrModel, e, labels)
		}
	}
	a.senK = len(o.Sentiment.Labels())
	a.senNeg = o.Sentiment.LabelIndex("negative")
	if a.senNeg < 0 || o.Sentiment.LabelIndex("positive") < 0 || a.senK != 2 {
		return nil, fmt.Errorf("%w: sentiment model must have exactly the labels negative and positive (has %v)", ErrModel, o.Sentiment.Labels())
	}
	if err := a.build(); err != nil {
		return nil, err
	}
	shared := a.emo.Config() == a.sen.Config()
	a.pool.New = func() any {
		s := &scratch{
			f:  textclass.NewFeaturesConfig(a.emo.Config()),
			el: make([]float64, a.emoK),
			sl: make([]float64, a.senK),
		}
		s.fs = s.f
		if !shared {
			s.fs = textclass.NewFeaturesConfig(a.sen.Config())
		}
		return s
	}
	return a, nil
}

// build compiles every list and the problem keywords into one matcher.
func (a *Analyzer) build() error {
	termIndex := map[string]int{}
	var terms []string
	var perTerm [][]ref
	add := func(term string, r ref) {
		k := lexicon.FoldASCII(term)
		i, ok := termIndex[k]
		if !ok {
			i = len(terms)
			termIndex[k] = i
			terms = append(terms, term)
			perTerm = append(perTerm, nil)
		}
		perTerm[i] = append(perTerm[i], r)
	}
	for _, e := range a.lex.Entries(lexicon.Cues) {
		add(e.Term, ref{clsCue, int32(len(a.cues))})
		a.cues = append(a.cues, e)
	}
	for _, e := range a.lex.Entries(lexicon.Intensifiers) {
		add(e.Term, ref{clsInt, int32(len(a.ints))})
		a.ints = append(a.ints, e)
	}
	for _, e := range a.lex.Entries(lexicon.Negators) {
		c := clsNeg
		switch e.Kind {
		case "pseudo":
			c = clsPseudo
		case "break":
			c = clsBreak
		}
		add(e.Term, ref{c, int32(len(a.negs))})
		a.negs = append(a.negs, e)
	}
	for _, e := range a.lex.Entries(lexicon.Emoticons) {
		r, _ := utf8.DecodeRuneInString(e.Term)
		add(e.Term, ref{clsEmo, int32(len(a.emos))})
		a.emos = append(a.emos, emoEntry{Entry: e, emotion: emotionIndex(Emotion(e.Kind)), emoji: r >= 0x2000})
	}
	for _, e := range a.lex.Entries(lexicon.Polarity) {
		add(e.Term, ref{clsPol, int32(len(a.pols))})
		a.pols = append(a.pols, e)
	}
	for _, e := range a.lex.Entries(lexicon.EmotionWords) {
		add(e.Term, ref{clsEmoWord, int32(len(a.emoWords))})
		a.emoWords = append(a.emoWords, emoEntry{Entry: e, emotion: emotionIndex(Emotion(e.Kind))})
	}
	for i, k := range a.jrt.Keywords {
		add(k.Term, ref{clsKw, int32(i)})
	}
	a.acronyms = map[string]bool{}
	for _, e := range a.lex.Entries(lexicon.Acronyms) {
		a.acronyms[upperASCII(e.Term)] = true
	}
	m, err := lexicon.NewMatcher(terms)
	if err != nil {
		return fmt.Errorf("analysis: %w", err)
	}
	a.m = m
	a.refOff = make([]int32, len(terms)+1)
	for i, rs := range perTerm {
		a.refOff[i] = int32(len(a.refs))
		a.refs = append(a.refs, rs...)
	}
	a.refOff[len(terms)] = int32(len(a.refs))
	return nil
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// Analyze analyses one message into a new Result.
func (a *Analyzer) Analyze(text string, explain bool) Result {
	var r Result
	a.AnalyzeInto(text, &r, explain)
	return r
}

// MaxBytes is the analysed length limit of this Analyzer.
func (a *Analyzer) MaxBytes() int { return a.maxBytes }

func (r *Result) reset() {
	problems := r.Problems[:0]
	cues := r.Cues[:0]
	negs := r.Negations[:0]
	expl := r.Explanation[:0]
	*r = Result{}
	if problems == nil {
		problems = []Problem{}
	}
	if cues == nil {
		cues = []Cue{}
	}
	r.Problems, r.Cues, r.Negations, r.Explanation = problems, cues, negs, expl
}

func isBlank(s string) bool {
	for _, c := range s {
		switch c {
		case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x3000, 0xFEFF, 0x200B:
		default:
			return false
		}
	}
	return true
}

// cutRunes returns the longest prefix of s of at most n bytes that does not
// split a UTF-8 sequence.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && i > n-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i]
}

// AnalyzeInto analyses one message into r, reusing r's slices. With
// explain false it does not allocate in steady state (one Result and the
// Analyzer's pooled scratch per goroutine).
//
// Empty or whitespace-only text gives the empty result: Empty true, Lang
// "", emotion neutral with probability 1 and intensity 0, sentiment
// negative 0, no problems, cues or negations.
//
// Text is analysed as given; invalid UTF-8 bytes are not words of any
// list, and every span starts and ends on a rune boundary of the text.
func (a *Analyzer) AnalyzeInto(text string, r *Result, explain bool) {
	r.reset()
	if len(text) > a.maxBytes {
		text = cutRunes(text, a.maxBytes)
		r.Truncated = true
	}
	if isBlank(text) {
		r.Empty = true
		r.Emotion.Label = Neutral
		r.Emotion.Probs[emotionIndex(Neutral)] = 1
		return
	}
	s := a.pool.Get().(*scratch)
	defer a.pool.Put(s)

	a.modelScores(text, s)

	a.lexHits(text, s)
	a.negation(text, s, r)
	a.cuesInto(text, s, r)
	sig := a.signals(text, s)
	r.Lang = sig.lang()

	// Negation correction of the models, in log-odds.
	if !a.noAdjust {
		a.negationAdjust(s)
	}
	var sent, joyD, negD float64
	if !a.noAdjust {
		sent += a.cueAdjust(s)
	}
	for _, ad := range s.adj {
		sent += ad.sent
		joyD += ad.joy
		negD += ad.negEm
	}
	var enEmo [NumEmotions]float64
	if r.Lang == "en" && !a.noAdjust {
		sent += a.englishAdjust(s, &enEmo)
	}
	sent = clamp(sent, -maxAdjust, maxAdjust)
	joyD = clamp(joyD, -maxAdjust, maxAdjust)
	negD = clamp(negD, -maxAdjust, maxAdjust)
	pos := 1 - a.senNeg
	d := s.sl[a.senNeg] - s.sl[pos]
	if r.Lang == "en" && !a.noAdjust {
		d /= enSentTemper // out of its domain too
	}
	d += sent
	r.Sentiment.Negative = sigmoid(d)

	el := s.el
	el[a.emoMap[3]] += joyD // joy
	// A negated negative word lowers the negative emotions and raises
	// neutral by a third as much, leaving the rest to the model (不害怕 on
	// Weibo is as often joy as neutral); a negated positive word lowers
	// joy alone.
	if negD != 0 {
		el[a.emoMap[0]] += negD // anger
		el[a.emoMap[1]] += negD // anxiety
		el[a.emoMap[2]] += negD // disappointment
		el[a.emoMap[5]] -= negD * neutralShare
	}
	if r.Lang == "en" && !a.noAdjust {
		// The emotion model is out of its domain on English (it puts
		// nearly everything at neutral with probability 0.999): its
		// log-odds are tempered before the English words are added.
		for i := range el {
			el[i] /= enTemper
		}
	}
	for i, d := range enEmo {
		el[a.emoMap[i]] += d
	}
	mx := math.Inf(-1)
	for i := range Emotions {
		if v := el[a.emoMap[i]]; v > mx {
			mx = v
		}
	}
	sum := 0.0
	for i := range Emotions {
		e := math.Exp(el[a.emoMap[i]] - mx)
		r.Emotion.Probs[i] = e
		sum += e
	}
	best := 0
	for i := range Emotions {
		r.Emotion.Probs[i] /= sum
		if r.Emotion.Probs[i] > r.Emotion.Probs[best] {
			best = i
		}
	}
	r.Emotion.Label = Emotions[best]
	r.Emotion.Intensity = sig.intensity(1 - r.Emotion.Probs[5])

	a.problems(text, s, r)

	if explain {
		a.explain(text, s, r, &sig)
	}
}

// modelScores fills s.el and s.sl with the models' log-odds (up to a
// constant per model, which softmax ignores): from the bundle's
// probabilities when there is one, else from each model's scores.
func (a *Analyzer) modelScores(text string, s *scratch) {
	s.f.Extract(text)
	if a.bundle != nil {
		a.bundle.PredictFeatures(s.f, s.el, s.sl)
		for i, p := range s.el {
			s.el[i] = math.Log(max(p, minProb))
		}
		for i, p := range s.sl {
			s.sl[i] = math.Log(max(p, minProb))
		}
		return
	}
	a.emo.Scores(s.f, s.el)
	if s.fs != s.f {
		s.fs.Extract(text)
	}
	a.sen.Scores(s.fs, s.sl)
}

// minProb keeps log-odds finite when a model rounds a probability to 0.
const minProb = 1e-300

const maxAdjust = 3.0

func clamp(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}

// lexHits scans the text once and types the hits, dropping those contained
// in a longer hit of the same class (太 in 太差, 投诉 in 我要投诉) and
// negators inside pseudo-negators (不 in 不满, 非 in 非常).
func (a *Analyzer) lexHits(text string, s *scratch) {
	s.hits = a.m.Scan(text, s.hits[:0])
	if len(s.hits) > MaxHits {
		s.hits = s.hits[:MaxHits]
	}
	s.th = s.th[:0]
	for _, h := range s.hits {
		for _, rf := range a.refs[a.refOff[h.Term]:a.refOff[h.Term+1]] {
			s.th = append(s.th, thit{cls: rf.cls, idx: rf.idx, start: h.Start, end: h.End, negBy: -1})
		}
	}
	th := s.th
	for i := range th {
		h := &th[i]
		switch h.cls {
		case clsNeg:
			h.drop = coveredBy(th, i, 1<<clsNeg|1<<clsPseudo)
		case clsBreak, clsPseudo:
		case clsPol:
			// A positive word inside a negative one is a lexicalised
			// negation (满意 in 不满意, 开心 in 不开心): it stays, negated
			// by the word around it, so the correction applies.
			if c := coveringPol(th, i); c >= 0 {
				if a.pols[h.idx].Kind == "pos" && a.pols[th[c].idx].Kind == "neg" {
					h.negated, h.negBy = true, int32(c)
				} else {
					h.drop = true
				}
			}
		default:
			h.drop = coveredBy(th, i, 1<<h.cls)
		}
	}
}

// coveringPol returns a longer polarity hit around polarity hit i, or -1.
func coveringPol(th []thit, i int) int {
	h := th[i]
	n := h.end - h.start
	for j := i - 1; j >= 0 && th[j].end == h.end; j-- {
		if th[j].cls == clsPol && th[j].end-th[j].start > n {
			return j
		}
	}
	for j := i + 1; j < len(th) && th[j].end-h.end <= lexicon.MaxTermBytes; j++ {
		if g := th[j]; g.cls == clsPol && g.start <= h.start && g.end-g.start > n {
			return j
		}
	}
	return -1
}

// coveredBy reports whether typed hit i lies inside a longer hit of one of
// the classes in mask. th is ordered by end offset, longer first on ties,
// and terms are at most lexicon.MaxTermBytes long, so only a window of
// neighbours can cover it.
func coveredBy(th []thit, i int, mask uint16) bool {
	h := th[i]
	n := h.end - h.start
	for j := i - 1; j >= 0 && th[j].end == h.end; j-- {
		if mask&(1<<th[j].cls) != 0 && th[j].end-th[j].start > n {
			return true
		}
	}
	for j := i + 1; j < len(th) && th[j].end-h.end <= lexicon.MaxTermBytes; j++ {
		g := th[j]
		if mask&(1<<g.cls) != 0 && g.start <= h.start && g.end-g.start > n {
			return true
		}
	}
	return false
}

// Negation scopes: a negator negates what follows it up to the next
// punctuation, line break or break word (但是, but …), at most
// zhScope units for a Chinese negator and enScope for an English one, where
// a unit is a Chinese character or an English word.
const (
	zhScope = 8
	enScope = 4
)

func (a *Analyzer) negation(text string, s *scratch, r *Result) {
	s.scopes = s.scopes[:0]
	th := s.th
	for i := range th {
		h := &th[i]
		if h.cls != clsNeg || h.drop || len(s.scopes) >= maxScopes {
			continue
		}
		limit := zhScope
		if a.negs[h.idx].Lang == "en" {
			limit = enScope
		}
		start := int(h.end)
		// nearest break word starting inside the stretch
		brk := len(text)
		for j := i + 1; j < len(th); j++ {
			g := th[j]
			if g.cls == clsBreak && int(g.start) >= start && int(g.start) < brk {
				brk = int(g.start)
			}
			if int(g.start) > brk {
				break
			}
		}
		end, units, inWord := start, 0, false
		for p := start; p < brk; {
			c, size := utf8.DecodeRuneInString(text[p:])
			if isScopeBreak(c) {
				break
			}
			switch {
			case isWordRune(c):
				if !inWord {
					if units == limit {
						p = brk
						continue
					}
					units++
					inWord = true
				}
				end = p + size
			case c == ' ' || c == '\t':
				inWord = false
			default:
				inWord = false
				if units == limit {
					p = brk
					continue
				}
				units++
				end = p + size
			}
			p += size
		}
		// skip leading spaces of the stretch
		for start < end && (text[start] == ' ' || text[start] == '\t') {
			start++
		}
		if end <= start {
			continue
		}
		s.scopes = append(s.scopes, scope{neg: int32(i), start: int32(start), end: int32(end)})
		r.Negations = append(r.Negations, Span{Start: int(h.start), End: end, Text: text[h.start:end]})
	}
	if len(s.scopes) == 0 {
		return
	}
	for i := range th {
		h := &th[i]
		if h.drop || (h.cls != clsCue && h.cls != clsPol && h.cls != clsInt && h.cls != clsEmoWord) {
			continue
		}
		for _, sc := range s.scopes {
			if h.start < sc.start || h.start >= sc.end {
				continue
			}
			// A polarity word turns only when it is near its negator
			// (不太满意, 没有任何不满, "not very happy"): further away
			// the negation is usually about something else
			// (不懂一点专业知识). Cues and intensifiers take the whole scope
			// (不会去投诉到监管).
			if (h.cls == clsPol || h.cls == clsEmoWord) && units(text, int(sc.start), int(h.start)) > polNear {
				continue
			}
			h.negated, h.negBy = true, sc.neg
			break
		}
	}
}

// polNear is how many units (Chinese characters or English words) may
// stand between a negator and the polarity word it turns.
const polNear = 2

// units counts the Chinese characters and English words in text[from:to].
func units(text string, from, to int) int {
	n, inWord := 0, false
	for p := from; p < to; {
		c, size := utf8.DecodeRuneInString(text[p:to])
		switch {
		case isWordRune(c):
			if !inWord {
				n++
				inWord = true
			}
		case c == ' ' || c == '\t':
			inWord = false
		default:
			inWord = false
			n++
		}
		p += size
	}
	return n
}

func isWordRune(c rune) bool {
	return c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '\'' || c == '-')
}

// isScopeBreak ends a negation scope: punctuation (ASCII and CJK), line
// breaks and other control characters.
func isScopeBreak(c rune) bool {
	switch {
	case c < 0x20 || c == 0x7F:
		return true
	case c < 0x80:
		switch c {
		case '.', ',', '!', '?', ';', ':', '"', '(', ')', '[', ']', '~', '/':
			return true
		}
		return false
	case c >= 0x3000 && c <= 0x303F: // CJK punctuation 、。「」…
		return true
	case c >= 0xFF00 && c <= 0xFF0F, c >= 0xFF1A && c <= 0xFF20, c >= 0xFF3B && c <= 0xFF40, c >= 0xFF5B && c <= 0xFF65:
		return true // full-width ！，．？：；～ …
	case c >= 0x2010 && c <= 0x206F: // general punctuation — … ‘ ’ “ ”
		return c != 0x2019 // ’ in don’t
	case c == utf8.RuneError:
		return true
	}
	return false
}

func (a *Analyzer) cuesInto(text string, s *scratch, r *Result) {
	for i := range s.th {
		h := &s.th[i]
		if h.cls != clsCue || h.drop {
			continue
		}
		r.Cues = append(r.Cues, Cue{
			Kind:    CueKind(a.cues[h.idx].Kind),
			Span:    Span{Start: int(h.start), End: int(h.end), Text: text[h.start:h.end]},
			Negated: h.negated,
			Weight:  a.cues[h.idx].Weight,
		})
	}
}

// Negation correction weights (log-odds per polarity word of weight 1),
// chosen on the development sets and measured in
// TestNegationAdjustMeasured; the README gives the figures.
const (
	adjSentiment = 2.5     // towards negative for a negated positive word, away for a negated negative one
	adjJoy       = 2.0     // a negated positive word lowers joy
	adjNegEmo    = 1.2     // a negated negative word lowers anger, anxiety, disappointment
	neutralShare = 1.0 / 3 // … and raises neutral by this share of it
)

func (a *Analyzer) negationAdjust(s *scratch) {
	s.adj = s.adj[:0]
	for i := range s.th {
		h := &s.th[i]
		if h.cls != clsPol || h.drop || !h.negated {
			continue
		}
		e := &a.pols[h.idx]
		w := e.Weight
		switch {
		case e.Kind == "pos" && h.negBy >= 0 && s.th[h.negBy].cls == clsPol:
			// lexicalised (满意 in 不满意): the sentiment model knows the
			// word; only the emotion model's joy from 满意 is undone.
			s.adj = append(s.adj, adjust{pol: int32(i), joy: -adjJoy * w})
		case e.Kind == "pos":
			s.adj = append(s.adj, adjust{pol: int32(i), sent: adjSentiment * w, joy: -adjJoy * w})
		default:
			s.adj = append(s.adj, adjust{pol: int32(i), sent: -adjSentiment * w, negEm: -adjNegEmo * w})
		}
	}
}

// adjCue is the push towards negative sentiment (log-odds) of each kind of
// escalation cue present and not negated: a threat to go to the regulator
// or a lawyer, an insult, is negative whatever the words around it; capped
// at maxCueAdjust. Repeat and churn cues do not push: "read it again",
// "一直没找到" are as common in praise as in complaints.
const (
	adjCue            = 0.5
	maxCueAdjust      = 1.5
	cueSentimentKinds = 1 | 2 | 4 | 32 | 64 // regulator, media, legal, abuse, complaint
)

// cueAdjust returns the sentiment push of the message's cues and records
// the first cue of each kind in s.cueKinds for the explanation.
func (a *Analyzer) cueAdjust(s *scratch) float64 {
	var seen uint8
	d := 0.0
	s.cueHits = s.cueHits[:0]
	for i := range s.th {
		h := &s.th[i]
		if h.cls != clsCue || h.drop || h.negated {
			continue
		}
		k := cueBit(a.cues[h.idx].Kind)
		if k&cueSentimentKinds == 0 || seen&k != 0 {
			continue
		}
		seen |= k
		d += adjCue * a.cues[h.idx].Weight
		s.cueHits = append(s.cueHits, int32(i))
	}
	return math.Min(d, maxCueAdjust)
}

func cueBit(kind string) uint8 {
	switch CueKind(kind) {
	case CueRegulator:
		return 1
	case CueMedia:
		return 2
	case CueLegal:
		return 4
	case CueChurn:
		return 8
	case CueRepeat:
		return 16
	case CueAbuse:
		return 32
	}
	return 64
}

// English: the built-in models learned from Chinese and know little
// English, so for a message detected as English the engine adds the
// emotion words (lexicon list "emotions") to the emotion log-odds and the
// polarity words to the sentiment, each capped. A negated emotion word
// counts against its emotion ("not happy", "not worried"). Measured on
// FINCORP's English emotion and sentiment labels, which the models did not
// train on (TestEnglishMeasured).
const (
	adjEnEmotion   = 1.5 // per emotion word of weight 1
	adjEnSentiment = 1.0 // per polarity word of weight 1
	maxEnAdjust    = 3.0 // per emotion and for the sentiment
)

// enTemper and enSentTemper divide the emotion and sentiment models' log-odds
// on English text, where they are out of their domain (chosen among 1, 3,
// 6, 10, 12 on FINCORP, so TestEnglishMeasured's figure is optimistic).
const (
	enTemper     = 10.0
	enSentTemper = 10.0
)

func (a *Analyzer) englishAdjust(s *scratch, emo *[NumEmotions]float64) float64 {
	sent := 0.0
	for i := range s.th {
		h := &s.th[i]
		if h.drop {
			continue
		}
		switch h.cls {
		case clsEmoWord:
			e := &a.emoWords[h.idx]
			if e.emotion < 0 {
				continue
			}
			w := adjEnEmotion * e.Weight
			if h.negated {
				w = -w
			}
			emo[e.emotion] += w
			sent += enSentimentOf(e.emotion, h.negated, e.Weight)
		case clsPol:
			if h.negated {
				continue // the negation correction has it
			}
			w := adjEnSentiment * a.pols[h.idx].Weight
			if a.pols[h.idx].Kind == "pos" {
				w = -w
			}
			sent += w
		}
	}
	for i := range emo {
		emo[i] = clamp(emo[i], -maxEnAdjust, maxEnAdjust)
	}
	return clamp(sent, -maxEnAdjust, maxEnAdjust)
}

// enSentimentOf is the sentiment push of an English emotion word: half the
// polarity weight, towards negative for anger, anxiety and disappointment,
// away from it for joy, turned when negated.
func enSentimentOf(emotion int, negated bool, w float64) float64 {
	d := 0.0
	switch Emotions[emotion] {
	case Anger, Anxiety, Disappointment:
		d = adjEnSentiment * w / 2
	case Joy:
		d = -adjEnSentiment * w / 2
	}
	if negated {
		d = -d
	}
	return d
}

func (a *Analyzer) problems(text string, s *scratch, r *Result) {
	s.kw = s.kw[:0]
	for i := range s.th {
		h := &s.th[i]
		if h.cls == clsKw && len(s.kw) < maxKeywordHits {
			s.kw = append(s.kw, jrt.Hit{Keyword: int(h.idx), Start: int(h.start), End: int(h.end)})
		}
	}
	if len(s.kw) == 0 {
		return
	}
	s.picks = a.jrt.Recognize(s.kw, &s.js, s.picks[:0])
	cats := a.jrt.Taxonomy.Categories()
	for _, p := range s.picks {
		c := &cats[p.Category]
		var pr *Problem
		if len(r.Problems) < cap(r.Problems) {
			r.Problems = r.Problems[:len(r.Problems)+1]
			pr = &r.Problems[len(r.Problems)-1]
			pr.Spans = pr.Spans[:0]
		} else {
			r.Problems = append(r.Problems, Problem{})
			pr = &r.Problems[len(r.Problems)-1]
		}
		pr.Axis = Axis(c.Axis)
		pr.Code, pr.Name, pr.NameEn, pr.Score = c.Code, c.Name, c.NameEn, p.Score
		for _, hi := range p.Hits {
			h := s.kw[hi]
			pr.Spans = append(pr.Spans, Span{Start: h.Start, End: h.End, Text: text[h.Start:h.End]})
		}
	}
}
