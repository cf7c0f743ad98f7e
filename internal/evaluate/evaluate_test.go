package evaluate

import (
	"errors"
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func TestClassify(t *testing.T) {
	cases := []struct {
		name       string
		gold, pred []string
		acc, macro float64
		per        map[string]ClassReport
	}{
		{
			name: "perfect",
			gold: []string{"a", "b", "a"}, pred: []string{"a", "b", "a"},
			acc: 1, macro: 1,
			per: map[string]ClassReport{"a": {1, 1, 1, 2}, "b": {1, 1, 1, 1}},
		},
		{
			// a: tp 2, predicted 3, gold 3 -> P 2/3 R 2/3 F1 2/3
			// b: tp 1, predicted 1, gold 1 -> 1
			// c: tp 0, predicted 0, gold 0 (never) ; d predicted once, gold 0
			name: "mixed",
			gold: []string{"a", "a", "a", "b", "c"}, pred: []string{"a", "a", "d", "b", "a"},
			acc: 3.0 / 5, macro: (2.0/3 + 1 + 0) / 3,
			per: map[string]ClassReport{
				"a": {2.0 / 3, 2.0 / 3, 2.0 / 3, 3},
				"b": {1, 1, 1, 1},
				"c": {0, 0, 0, 1},
				"d": {0, 0, 0, 0}, // only predicted: listed, not in the mean
			},
		},
		{
			// P 1/2, R 1 -> F1 2/3 for pos; neg P 1 R 1/2 -> 2/3
			name: "binary",
			gold: []string{"pos", "neg", "neg"}, pred: []string{"pos", "pos", "neg"},
			acc: 2.0 / 3, macro: 2.0 / 3,
			per: map[string]ClassReport{"pos": {0.5, 1, 2.0 / 3, 1}, "neg": {1, 0.5, 2.0 / 3, 2}},
		},
	}
	for _, c := range cases {
		r, err := Classify(c.gold, c.pred)
		if err != nil {
			t.Fatal(err)
		}
		if !near(r.Accuracy, c.acc) || !near(r.MacroF1, c.macro) || r.N != len(c.gold) {
			t.Errorf("%s: acc %v macro %v n %d, want %v %v", c.name, r.Accuracy, r.MacroF1, r.N, c.acc, c.macro)
		}
		if len(r.PerClass) != len(c.per) {
			t.Errorf("%s: %d classes, want %d", c.name, len(r.PerClass), len(c.per))
		}
		for k, want := range c.per {
			got := r.PerClass[k]
			if !near(got.Precision, want.Precision) || !near(got.Recall, want.Recall) || !near(got.F1, want.F1) || got.Support != want.Support {
				t.Errorf("%s: class %s = %+v, want %+v", c.name, k, got, want)
			}
		}
	}
	if _, err := Classify([]string{"a"}, nil); !errors.Is(err, ErrLength) {
		t.Errorf("length mismatch: %v", err)
	}
}

func TestAUC(t *testing.T) {
	cases := []struct {
		name   string
		scores []float64
		pos    []bool
		want   float64
	}{
		{"perfect", []float64{0.1, 0.2, 0.8, 0.9}, []bool{false, false, true, true}, 1},
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0},
		{"all tied", []float64{0.5, 0.5, 0.5, 0.5}, []bool{false, true, false, true}, 0.5},
		// pairs (pos,neg): (0.8,0.1) 1, (0.8,0.9) 0, (0.4,0.1) 1, (0.4,0.9) 0 -> 2/4
		{"half", []float64{0.8, 0.1, 0.4, 0.9}, []bool{true, false, true, false}, 0.5},
		// pos 0.5 vs neg 0.5 tie 0.5, pos 0.5 vs neg 0.2: 1, pos 0.7 vs both: 2 -> 3.5/4
		{"ties", []float64{0.5, 0.5, 0.2, 0.7}, []bool{true, false, false, true}, 3.5 / 4},
	}
	for _, c := range cases {
		got, err := AUC(c.scores, c.pos)
		if err != nil || !near(got, c.want) {
			t.Errorf("%s: %v %v, want %v", c.name, got, err, c.want)
		}
	}
	if got, _ := AUC([]float64{1, 2}, []bool{true, true}); !math.IsNaN(got) {
		t.Errorf("one class only: %v, want NaN", got)
	}
	if _, err := AUC([]float64{1}, nil); !errors.Is(err, ErrLength) {
		t.Errorf("length mismatch: %v", err)
	}
}
