package risk

import (
	"huajie/internal/analysis"
)

// DialogueResult is a transcript run through the model.
type DialogueResult struct {
	// Risk after the last turn, and after the first customer message (the
	// earliest warning; 0 when the customer never spoke).
	Risk, FirstRisk float64
	// The features at those two points, for fitting and cross-validation.
	Features, FirstFeatures [NumFeatures]float64
}

// RunDialogue runs the model over a transcript (no times, signals or
// history), analysing each turn with an (without explanations).
func (m *Model) RunDialogue(an *analysis.Analyzer, turns []Turn) DialogueResult {
	var st State
	var r analysis.Result
	var out DialogueResult
	seen := false
	for _, t := range turns {
		an.AnalyzeInto(t.Text, &r, false)
		out.Risk = m.Update(&st, Message{Role: t.Role, Text: t.Text}, r, History{}).Risk
		if !seen && t.Role != RoleAgent {
			seen = true
			out.FirstRisk = out.Risk
			out.FirstFeatures = Features(&st)
		}
	}
	out.Features = Features(&st)
	return out
}

// ScoreDialogue is the risk after the last turn of a transcript.
func (m *Model) ScoreDialogue(an *analysis.Analyzer, turns []Turn) float64 {
	return m.RunDialogue(an, turns).Risk
}

// The cross-validation protocol of the fit (docs/risk.md): 5-fold,
// stratified, repeated 5 times with fixed seeds.
const (
	CVFolds   = 5
	CVRepeats = 5
	CVSeed    = 20261123
)
