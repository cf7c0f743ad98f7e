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

// TestEnglishMeasured measures the engine's English handling (tempered
// models plus the emotion and polarity word lists) on FINCORP's English
// emotion and sentiment labels, which the built-in emotion and sentiment
// models did not train on. Emotion labels are mapped: sadness →
// disappointment, happiness → joy, disgust → anger, fear → anxiety, other →
// neutral; sentiment is negative against the rest. It fails when the
// engine does worse than the models alone.
func TestEnglishMeasured(t *testing.T) {
	if testing.Short() {
		t.Skip("measurement")
	}
	on := testAnalyzer(t)
	off, err := New(Opts{Emotion: on.emo, Sentiment: on.sen, NoNegationAdjust: true})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("../../../shared/data/complaint/fincorp.jsonl")
	if err != nil {
		t.Skipf("measurement data: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<22)
	m := map[string]string{"sadness": "disappointment", "happiness": "joy", "anger": "anger", "disgust": "anger", "fear": "anxiety", "surprise": "surprise", "other": "neutral"}
	labels := make([]string, NumEmotions)
	for i, e := range Emotions {
		labels[i] = string(e)
	}
	var gold, pOn, pOff []string
	sOn, sOff, neg, n := 0, 0, 0, 0
	var r Result
	for sc.Scan() {
		var o struct{ Text, Emotion, Sentiment string }
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			t.Fatal(err)
		}
		g := o.Sentiment == "negative"
		if g {
			neg++
		}
		gold = append(gold, m[o.Emotion])
		on.AnalyzeInto(o.Text, &r, false)
		pOn = append(pOn, string(r.Emotion.Label))
		if (r.Sentiment.Negative >= 0.5) == g {
			sOn++
		}
		off.AnalyzeInto(o.Text, &r, false)
		pOff = append(pOff, string(r.Emotion.Label))
		if (r.Sentiment.Negative >= 0.5) == g {
			sOff++
		}
		n++
	}
	fOn, fOff := macroF1(gold, pOn, labels), macroF1(gold, pOff, labels)
	aOn, aOff := float64(sOn)/float64(n), float64(sOff)/float64(n)
	t.Logf("FINCORP (English, %d): emotion macro-F1 %.4f with the engine's English handling, %.4f models alone; negative-sentiment accuracy %.4f vs %.4f (all-negative baseline %.4f)",
		n, fOn, fOff, aOn, aOff, float64(neg)/float64(n))
	if fOn < fOff || aOn < aOff {
		t.Errorf("English handling does worse than the models alone")
	}
}
