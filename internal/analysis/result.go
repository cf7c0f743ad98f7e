// Package analysis turns one customer message into what seed 000
// (投诉预识别) calls emotion recognition and problem recognition: emotion
// probabilities and intensity, the probability that the message is negative,
// the problem on the JR/T 0169-2018 axes, escalation cues, negation, and an
// explanation a person can check.
//
// This file is the contract other packages (cases, risk, goodwill) build on.
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
