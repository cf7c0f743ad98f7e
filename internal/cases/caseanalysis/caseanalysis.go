// Package caseanalysis connects the analysis engine to the cases service:
// it turns an analysis.Result into the cases.Signals the assessment uses.
// It is the only place cases meet package analysis, so the cases package
// builds and tests without the engine's models.
package caseanalysis

import (
	"huajie/internal/analysis"
	"huajie/internal/cases"
)

// Func adapts an analyser's Analyze method (explain off) to cases.AnalyzeFunc:
//
//	cases.New(cases.Opts{Analyze: caseanalysis.Func(analysis.Default().Analyze), …})
func Func(analyze func(text string, explain bool) analysis.Result) cases.AnalyzeFunc {
	if analyze == nil {
		return nil
	}
	return func(text string) cases.Signals { return Signals(analyze(text, false)) }
}

// Signals converts an analysis result.
func Signals(r analysis.Result) cases.Signals {
	s := cases.Signals{
		Empty:     r.Empty,
		Emotion:   cases.Emotion(r.Emotion.Label),
		Intensity: r.Emotion.Intensity,
		Negative:  r.Sentiment.Negative,
	}
	for _, p := range r.Problems {
		s.Problems = append(s.Problems, cases.ProblemSignal{Axis: string(p.Axis), Code: p.Code, Name: p.Name, Score: p.Score})
	}
	for _, c := range r.Cues {
		s.Cues = append(s.Cues, cases.CueSignal{Kind: cases.CueKind(c.Kind), Negated: c.Negated})
	}
	return s
}
