package cases

// Signals is what the assessment takes from a message analysis. It mirrors
// the parts of analysis.Result that cases use, so this package builds and
// tests without the analysis engine or its models; package
// cases/caseanalysis converts an analysis.Result into Signals.
type Signals struct {
	// Empty is true when there was nothing to analyse.
	Empty bool `json:"empty,omitempty"`
	// Emotion is the most probable emotion label (anger, anxiety,
	// disappointment, joy, surprise, neutral), Intensity 0–1.
	Emotion   Emotion `json:"emotion,omitempty"`
	Intensity float64 `json:"intensity"`
	// Negative is the probability that the message is negative.
	Negative float64         `json:"negative"`
	Problems []ProblemSignal `json:"problems,omitempty"`
	Cues     []CueSignal     `json:"cues,omitempty"`
}

// Emotion is an emotion label as the analysis package names it.
type Emotion string

// The emotion labels of the analysis package.
const (
	EmotionAnger          Emotion = "anger"
	EmotionAnxiety        Emotion = "anxiety"
	EmotionDisappointment Emotion = "disappointment"
	EmotionJoy            Emotion = "joy"
	EmotionSurprise       Emotion = "surprise"
	EmotionNeutral        Emotion = "neutral"
)

// Problem axes (JR/T 0169-2018 A, B, C) as the analysis package names them.
const (
	AxisChannel  = "channel"
	AxisBusiness = "business"
	AxisCause    = "cause"
)

// ProblemSignal is one classification on a JR/T 0169-2018 axis.
type ProblemSignal struct {
	Axis  string  `json:"axis"`
	Code  string  `json:"code"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// CueKind is an escalation cue kind as the analysis package names it.
type CueKind string

// The cue kinds the assessment rules use.
const (
	CueRegulator CueKind = "regulator"
	CueMedia     CueKind = "media"
	CueLegal     CueKind = "legal"
	CueChurn     CueKind = "churn"
	CueRepeat    CueKind = "repeat"
	CueAbuse     CueKind = "abuse"
	CueComplaint CueKind = "complaint"
)

// CueSignal is one escalation cue; negated cues ("不会去投诉") are ignored.
type CueSignal struct {
	Kind    CueKind `json:"kind"`
	Negated bool    `json:"negated,omitempty"`
}

// DefaultChannelCodes maps intake channels to JR/T 0169-2018 channel (A)
// codes of internal/jrt's taxonomy where one fits. The A axis is the
// channel the business was done through, which for these intake channels
// is usually the same; email, letter and regulator referral have no A code.
var DefaultChannelCodes = map[Channel]string{
	ChannelBranch: "A0101",   // 营业现场
	ChannelChat:   "A010301", // 网上银行
	ChannelPhone:  "A010302", // 电话
	ChannelApp:    "A010303", // 移动客户端
	ChannelSocial: "A010304", // 网络公众平台
}

// DefaultChannelCode is an Opts.ChannelCode using DefaultChannelCodes.
func DefaultChannelCode(c Channel) (string, bool) {
	code, ok := DefaultChannelCodes[c]
	return code, ok
}
