package goodwill

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"huajie/internal/evaluate"
)

// labelledCase is one line of testdata/cases.jsonl.
type labelledCase struct {
	ID string `json:"id"`
	Input
	Label Result `json:"label"`
	Note  string `json:"note"`
}

func readCases(t *testing.T, path string) []labelledCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelledCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	ids := map[string]bool{}
	for sc.Scan() {
		n++
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var c labelledCase
		dec := json.NewDecoder(strings.NewReader(sc.Text()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		if c.ID == "" || ids[c.ID] {
			t.Fatalf("%s:%d: missing or duplicate id %q", path, n, c.ID)
		}
		ids[c.ID] = true
		switch c.Label {
		case Goodwill, UnreasonableDemand, SuspectedMalicious:
		default:
			t.Fatalf("%s:%d: label %q", path, n, c.Label)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
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
	var gold, pred []string
	for _, c := range cs {
		as := a.Assess(c.Input)
		gold = append(gold, string(c.Label))
		pred = append(pred, string(as.Result))
		if as.Result != c.Label {
			t.Logf("miss %-32s gold %-20s got %-20s scores %+v (%s)", c.ID, c.Label, as.Result, as.Scores, c.Note)
		}
		if as.Result != Goodwill && !as.RouteToSupervisor {
			t.Errorf("%s: %s without RouteToSupervisor", c.ID, as.Result)
		}
	}
	r, err := evaluate.Classify(gold, pred)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range Results {
		pc := r.PerClass[string(l)]
		lines = append(lines, fmt.Sprintf("| %s | %.3f | %.3f | %.3f | %d |", l, pc.Precision, pc.Recall, pc.F1, pc.Support))
	}
	t.Logf("%s: n=%d accuracy=%.3f macro-F1=%.3f\n| class | precision | recall | F1 | support |\n|---|---|---|---|---|\n%s", path, r.N, r.Accuracy, r.MacroF1, strings.Join(lines, "\n"))
	return r
}
