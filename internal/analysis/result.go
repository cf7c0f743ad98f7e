// Package analysis turns one customer message into what seed 000
// (投诉预识别) calls emotion recognition and problem recognition: emotion
// probabilities and intensity, the probability that the message is negative,
// the problem on the JR/T 0169-2018 axes, escalation cues, negation, and an
// explanation a person can check.
//
// This file is the contract other packages (cases, risk, goodwill) build on.
//
// # How one message is analysed
//
// New(Opts) builds an Analyzer from the emotion and sentiment models
// (textclass, one shared featurisation), the lexicon (package lexicon: cue,
// intensifier, negator, emoticon, polarity and acronym lists) and the
// JR/T 0169-2018 taxonomy with its keywords (package jrt); Default() uses the
// built-in ones. AnalyzeInto then makes, per message:
//
//   - one featurisation, scored by both models (log-odds);
//   - one Aho-Corasick pass over the bytes for every list and keyword at
//     once; a hit inside a longer hit of the same list is dropped (太 in
//     太差), a negator inside a pseudo-negator is no negator (不 in 不满, 非
//     in 非常, 没 in 没收到);
//   - negation scopes: from a negator to the next punctuation, line break or
//     break word (但是, 就, but), at most 8 Chinese characters or 4 English
//     words; cues and intensifiers in a scope are marked negated, polarity
//     words within 2 units of the negator are turned;
//   - corrections of the models, in log-odds, each reported in the
//     explanation: a turned positive word (不满意's 满意, "not happy") lowers
//     joy (2.0) and, unless the word is lexicalised like 不满意, raises
//     negative sentiment (2.5); a turned negative word (没有任何不满, "not
//     angry") lowers sentiment (2.5) and the negative emotions (1.2, neutral
//     +0.4); each kind of regulator, media, legal, abuse or complaint cue
//     raises negative sentiment by 0.5 × its weight (at most 1.5). Measured
//     by TestNegationAdjustMeasured on SMP2020 "usual" eval and ChnSentiCorp
//     dev (the figures are in its log);
//   - English: the built-in models learned from Chinese and put nearly all
//     English at neutral; for a message detected as English their log-odds
//     are divided by 10 and the emotion words (lexicon list emotions.tsv,
//     1.5 each) and polarity words (1.0 each) added, each capped at 3
//     (TestEnglishMeasured, on FINCORP);
//   - intensity: 1 − exp(−x), x the sum of intensifiers and downtoners
//     (capped ±1.2), runs of !/？ (≤0.9), all-caps words that are not
//     acronyms (≤0.6), listed emoticons and emoji (≤1.0), other emoji (≤0.45)
//     and 0.6 × (1 − P(neutral));
//   - problems: keyword evidence per category summed over the message; a
//     top-level class is reported from evidence 0.69 (score 0.5), at most three
//     per axis, as its most specific sub-class with enough evidence;
//   - language: zh, en (no Chinese) or mixed (Chinese and English words;
//     acronyms such as ATM are not English words); text with neither is zh.
//
// # Limits and bad input
//
// At most MaxBytes (default 64 KiB) of a message are analysed: longer text
// is cut on a rune boundary and Result.Truncated is set (huajie analyze
// refuses such a line instead). At most MaxHits lexicon hits, 256 problem
// keywords and 64 negation scopes count per message. Invalid UTF-8 is
// analysed as it is: invalid bytes match no term and every span lies on
// rune boundaries of the text as given. Empty or whitespace-only text gives
// the empty result (see Result.Empty). Nothing panics (FuzzAnalyze).
package analysis

// Emotion is one of the six emotion labels Huajie recognises.
type Emotion string

const (
	Anger          Emotion = "anger"          // 愤怒
	Anxiety        Emotion = "anxiety"        // 焦虑
	Disappointment Emotion = "disappointment" // 失望
	Joy            Emotion = "joy"
	Surprise       Emotion = "surprise"
	Neutral        Emotion = "neutral"
)

// Emotions lists the labels in the fixed order used by EmotionProbs.
var Emotions = [NumEmotions]Emotion{Anger, Anxiety, Disappointment, Joy, Surprise, Neutral}

// NumEmotions is the number of emotion labels.
const NumEmotions = 6

// Span is a piece of the analysed text. Start and End are byte offsets into
// the UTF-8 text as given, End exclusive.
type Span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
}

// EmotionResult is the emotion part of a Result.
type EmotionResult struct {
	// Label is the most probable emotion.
	Label Emotion `json:"label"`
	// Probs holds one probability per label, in the order of Emotions.
	Probs EmotionProbs `json:"probs"`
	// Intensity is 0–1: how strongly the emotion is expressed
	// (intensifiers, repeated punctuation, capitals, emoticons, emoji).
	Intensity float64 `json:"intensity"`
}

// EmotionProbs are probabilities in the order of Emotions. It marshals to a
// JSON object keyed by label.
type EmotionProbs [NumEmotions]float64

// Of returns the probability of one emotion (0 for an unknown label).
func (p EmotionProbs) Of(e Emotion) float64 {
	for i, l := range Emotions {
		if l == e {
			return p[i]
		}
	}
	return 0
}

// Axis names a JR/T 0169-2018 classification axis.
type Axis string

const (
	AxisChannel  Axis = "channel"  // A: 投诉渠道
	AxisBusiness Axis = "business" // B: 业务办理类型
	AxisCause    Axis = "cause"    // C: 投诉原因
)

// Problem is one classification of the message's problem on a JR/T 0169-2018
// axis, with the text that matched.
type Problem struct {
	Axis   Axis    `json:"axis"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`    // Simplified Chinese
	NameEn string  `json:"name_en"` // English
	Score  float64 `json:"score"`
	Spans  []Span  `json:"spans"`
}

// CueKind is a kind of escalation cue.
type CueKind string

const (
	CueRegulator CueKind = "regulator" // 监管, 12378, 银保监 …
	CueMedia     CueKind = "media"     // 曝光, 媒体, 记者, 发微博 …
	CueLegal     CueKind = "legal"     // 律师, 起诉, 法院 …
	CueChurn     CueKind = "churn"     // 销户, 换银行 …
	CueRepeat    CueKind = "repeat"    // 又, 第三次, 多次打电话 …
	CueAbuse     CueKind = "abuse"     // insults and abusive wording
	// CueComplaint is a threat to complain formally (我要投诉, 举报,
	// "file a complaint", "speak to a manager"); added after the first
	// version of this contract.
	CueComplaint CueKind = "complaint"
)

// Cue is one escalation cue found in the text.
type Cue struct {
	Kind CueKind `json:"kind"`
	Span Span    `json:"span"`
	// Negated is true when the cue falls in a negation scope
	// ("不会去投诉到监管"), which lowers its weight.
	Negated bool `json:"negated,omitempty"`
	// Weight is how strongly the term alone signals its kind (0–1, from
	// the cue list), whether negated or not.
	Weight float64 `json:"weight"`
}

// Evidence is one entry of an explanation: a feature of the text that
// pushed a result up (positive weight) or down (negative weight).
type Evidence struct {
	// Target is what the evidence is for: "emotion:anger", "sentiment",
	// "intensity", "cue:regulator", "problem:C01" …
	Target  string  `json:"target"`
	Feature string  `json:"feature"`
	Span    *Span   `json:"span,omitempty"`
	Weight  float64 `json:"weight"`
}

// Result is the analysis of one message.
type Result struct {
	// Empty is true for empty or whitespace-only text: every other field
	// is then its neutral value.
	Empty bool `json:"empty,omitempty"`
	// Lang is "zh", "en" or "mixed".
	Lang      string        `json:"lang"`
	Emotion   EmotionResult `json:"emotion"`
	Sentiment struct {
		// Negative is the probability that the message is negative.
		Negative float64 `json:"negative"`
	} `json:"sentiment"`
	Problems  []Problem `json:"problems"`
	Cues      []Cue     `json:"cues"`
	Negations []Span    `json:"negations,omitempty"`
	// Explanation is filled only when asked for (it costs time).
	Explanation []Evidence `json:"explanation,omitempty"`
	// Truncated is true when the text was longer than the analyser's
	// MaxBytes and only its first MaxBytes (cut on a rune boundary) were
	// analysed.
	Truncated bool `json:"truncated,omitempty"`
}
