package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

type labelled struct{ text, label string }

func readLabelled(tb testing.TB, path string) []labelled {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Skipf("measurement data: %v", err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	for sc.Scan() {
		var o struct{ Text, Label string }
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			tb.Fatal(err)
		}
		out = append(out, labelled{o.Text, o.Label})
	}
	return out
}

func macroF1(gold, pred []string, labels []string) float64 {
	sum := 0.0
	for _, l := range labels {
		tp, fp, fn := 0, 0, 0
		for i := range gold {
			switch {
			case gold[i] == l && pred[i] == l:
				tp++
			case pred[i] == l:
				fp++
			case gold[i] == l:
				fn++
			}
		}
		if tp > 0 {
			p, r := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
			sum += 2 * p * r / (p + r)
		}
	}
	return sum / float64(len(labels))
}

// TestNegationAdjustMeasured measures the engine's corrections (negated
// polarity words, escalation cues) on development sets the models did not
// train on: emotion macro-F1 on SMP2020 "usual" eval and sentiment accuracy
// on ChnSentiCorp dev, with and without them. It fails when a correction
// costs more than half a point on either.
func TestNegationAdjustMeasured(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	on := testAnalyzer(t)
	off, err := New(Opts{Emotion: on.emo, Sentiment: on.sen, NoNegationAdjust: true})
	if err != nil {
		t.Fatal(err)
	}
	labels := make([]string, NumEmotions)
	for i, e := range Emotions {
		labels[i] = string(e)
	}
	emo := readLabelled(t, "../../../shared/data/emotion/smp2020_usual_eval.jsonl")
	var gold, pOn, pOff []string
	changed := 0
	var r Result
	for _, x := range emo {
		gold = append(gold, x.label)
		on.AnalyzeInto(x.text, &r, false)
		a := string(r.Emotion.Label)
		off.AnalyzeInto(x.text, &r, false)
		b := string(r.Emotion.Label)
		pOn, pOff = append(pOn, a), append(pOff, b)
		if a != b {
			changed++
		}
	}
	fOn, fOff := macroF1(gold, pOn, labels), macroF1(gold, pOff, labels)
	t.Logf("emotion macro-F1 on %d SMP2020 usual eval: %.4f with corrections, %.4f without (%d labels changed)", len(emo), fOn, fOff, changed)
	if fOn < fOff-0.005 {
		t.Errorf("corrections cost emotion macro-F1: %.4f < %.4f", fOn, fOff)
	}

	sen := readLabelled(t, "../../../shared/data/sentiment/chnsenticorp_dev.jsonl")
	accOn, accOff, changed := 0, 0, 0
	for _, x := range sen {
		on.AnalyzeInto(x.text, &r, false)
		a := r.Sentiment.Negative >= 0.5
		off.AnalyzeInto(x.text, &r, false)
		b := r.Sentiment.Negative >= 0.5
		gold := x.label == "negative"
		if a == gold {
			accOn++
		}
		if b == gold {
			accOff++
		}
		if a != b {
			changed++
		}
	}
	n := float64(len(sen))
	t.Logf("sentiment accuracy on %d ChnSentiCorp dev: %.4f with corrections, %.4f without (%d decisions changed)", len(sen), float64(accOn)/n, float64(accOff)/n, changed)
	if float64(accOn)/n < float64(accOff)/n-0.005 {
		t.Errorf("corrections cost sentiment accuracy")
	}
}
