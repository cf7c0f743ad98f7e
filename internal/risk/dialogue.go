package risk

import (
	"huajie/internal/analysis"
)

// ScoreDialogue runs the model over a transcript (no times, signals or
// history) and returns the risk after the last turn. It analyses each turn
// with an (without explanations).
func (m *Model) ScoreDialogue(an *analysis.Analyzer, turns []Turn) float64 {
	var st State
	var r analysis.Result
	risk := 0.0
	for _, t := range turns {
		an.AnalyzeInto(t.Text, &r, false)
		risk = m.Update(&st, Message{Role: t.Role, Text: t.Text}, r, History{}).Risk
	}
	return risk
}
