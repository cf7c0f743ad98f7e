package caseanalysis

import (
	"testing"

	"huajie/internal/analysis"
	"huajie/internal/cases"
)

func TestSignals(t *testing.T) {
	var r analysis.Result
	r.Emotion = analysis.EmotionResult{Label: analysis.Anger, Intensity: 0.7}
	r.Sentiment.Negative = 0.9
	r.Problems = []analysis.Problem{{Axis: analysis.AxisCause, Code: "C10", Name: "消费者信息安全", Score: 0.6}}
	r.Cues = []analysis.Cue{{Kind: analysis.CueRegulator, Negated: true}, {Kind: analysis.CueMedia}}
	s := Signals(r)
	if s.Emotion != cases.EmotionAnger || s.Intensity != 0.7 || s.Negative != 0.9 {
		t.Fatalf("%+v", s)
	}
	if len(s.Problems) != 1 || s.Problems[0].Axis != cases.AxisCause || s.Problems[0].Code != "C10" {
		t.Fatalf("problems %+v", s.Problems)
	}
	if len(s.Cues) != 2 || !s.Cues[0].Negated || s.Cues[1].Kind != cases.CueMedia {
		t.Fatalf("cues %+v", s.Cues)
	}
	// The assessment sees what the engine saw.
	a := cases.Assess(cases.AssessInput{Text: "信息泄露", Channel: cases.ChannelPhone, Signals: &s})
	if a.CauseCode != "C10" || !a.Difficulty.StrongEmotion || !a.Difficulty.WideImpact {
		t.Fatalf("assessment %+v", a)
	}
	if Func(nil) != nil {
		t.Fatal("nil analyser must give a nil AnalyzeFunc")
	}
	f := Func(func(string, bool) analysis.Result { return r })
	if f("x").Emotion != cases.EmotionAnger {
		t.Fatal("Func does not convert")
	}
}
