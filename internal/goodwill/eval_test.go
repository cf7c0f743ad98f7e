package goodwill

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"huajie/internal/evaluate"
)

func readCases(t testing.TB, path string) []Labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cs, err := ReadLabelled(f, path)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// TestCases measures the assessor on the hand-labelled cases written from
// seeds 001 and 002. The bar is macro-F1 ≥ 0.85. Run with -v to see the
// per-class figures and every miss (docs/goodwill.md quotes them).
func TestCases(t *testing.T) {
	r := measure(t, "testdata/cases.jsonl", 60)
	if r.MacroF1 < 0.85 {
		t.Errorf("macro-F1 %.3f below the bar of 0.85", r.MacroF1)
	}
}

// TestHoldout measures the cases written after the weights and cue list
// were set, and never used to change them. Its bar is lower than the main
// set's: it is the honest estimate, and it is small.
func TestHoldout(t *testing.T) {
	r := measure(t, "testdata/holdout.jsonl", 20)
	if r.MacroF1 < 0.7 {
		t.Errorf("holdout macro-F1 %.3f below 0.7", r.MacroF1)
	}
}

func measure(t *testing.T, path string, minCases int) evaluate.Report {
	a := testAssessor(t)
	cs := readCases(t, path)
	if len(cs) < minCases {
		t.Fatalf("%s: %d cases, want at least %d", path, len(cs), minCases)
	}
	for _, c := range cs {
		if as := a.Assess(c.Input); as.Result != Goodwill && !as.RouteToSupervisor {
			t.Errorf("%s: %s without RouteToSupervisor", c.ID, as.Result)
		}
	}
	r, misses, err := Measure(a, cs)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range misses {
		t.Logf("miss %-32s gold %-20s got %-20s scores %+v (%s)", m.ID, m.Label, m.Got, m.Scores, m.Note)
	}
	var lines []string
	for _, l := range Results {
		pc := r.PerClass[string(l)]
		lines = append(lines, fmt.Sprintf("| %s | %.3f | %.3f | %.3f | %d |", l, pc.Precision, pc.Recall, pc.F1, pc.Support))
	}
	t.Logf("%s: n=%d accuracy=%.3f macro-F1=%.3f\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n%s", path, r.N, r.Accuracy, r.MacroF1, strings.Join(lines, "\n"))
	return r
}
