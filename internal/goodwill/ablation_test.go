package goodwill

import (
	"testing"

	"huajie/internal/evaluate"
)

// TestAblation measures what the analyser and the offensive model add, on
// both labelled sets (go test -run Ablation -v; docs/goodwill.md quotes
// it). It asserts only that every variant assesses every case; the figures
// are for reading.
func TestAblation(t *testing.T) {
	full := testAssessor(t)
	noOff, err := New(Opts{Analyzer: full.an})
	if err != nil {
		t.Fatal(err)
	}
	bare, err := New(Opts{})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"testdata/cases.jsonl", "testdata/holdout.jsonl"} {
		cs := readCases(t, path)
		for _, v := range []struct {
			name string
			a    *Assessor
		}{{"analyser + offensive model", full}, {"analyser only", noOff}, {"cue lists only", bare}} {
			var gold, pred []string
			for _, c := range cs {
				as := v.a.Assess(c.Input)
				if as.Result == "" || len(as.Dimensions) != len(Dimensions) {
					t.Fatalf("%s: %s: incomplete result", v.name, c.ID)
				}
				gold = append(gold, string(c.Label))
				pred = append(pred, string(as.Result))
			}
			r, err := evaluate.Classify(gold, pred)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%-24s %-28s accuracy %.3f macro-F1 %.3f", path, v.name, r.Accuracy, r.MacroF1)
		}
	}
	// the offensive model's view of the test set, for the record
	probs := make([]float64, len(full.off.Labels()))
	n, hi := 0, 0
	for _, c := range readCases(t, "testdata/cases.jsonl") {
		full.off.Predict(c.Text, probs)
		n++
		if probs[full.offIdx] >= 0.5 {
			hi++
			t.Logf("offensive %.2f %-20s %s", probs[full.offIdx], c.Label, c.ID)
		}
	}
	t.Logf("offensive model ≥ 0.5 on %d of %d texts", hi, n)
}
