package textclass

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func sentimentToy() ([]Example, []string) {
	pos := []string{"服务很好，非常满意", "太棒了，很开心", "great service, very happy", "很满意，谢谢", "I love it, thanks"}
	neg := []string{"服务太差了，很不满意", "我要投诉你们", "terrible service, not happy", "气死我了，垃圾银行", "I am angry, this is awful"}
	var ex []Example
	for _, s := range pos {
		ex = append(ex, Example{Text: s, Label: 0})
	}
	for _, s := range neg {
		ex = append(ex, Example{Text: s, Label: 1})
	}
	return ex, []string{"positive", "negative"}
}

func intentToy() ([]Example, []string) {
	var ex []Example
	for l, texts := range [][]string{
		{"card has not arrived yet", "where is my new card", "card delivery is late", "still waiting for my card"},
		{"top up failed", "my top up did not work", "why was my top-up declined", "top up is pending"},
		{"exchange rate is wrong", "what rate do you use to exchange", "bad exchange rate", "exchange rate fee"},
	} {
		for _, s := range texts {
			ex = append(ex, Example{Text: s, Label: l})
		}
	}
	return ex, []string{"card_arrival", "top_up_failed", "exchange_rate"}
}

// The SVM learners fit the training texts, classify near texts, survive
// encoding and are reproducible.
func TestHingeLearners(t *testing.T) {
	for _, c := range []struct {
		name  string
		data  func() ([]Example, []string)
		opt   TrainOptions
		tests map[string]string
	}{
		{"squared hinge, two labels", sentimentToy, TrainOptions{Loss: LossHinge, LenNorm: true},
			map[string]string{"非常满意": "positive", "很不满意，我要投诉": "negative", "very happy": "positive", "awful, angry": "negative"}},
		{"hinge, two labels", sentimentToy, TrainOptions{Loss: LossHingeL1, C: 4, LenNorm: true},
			map[string]string{"非常满意": "positive", "很不满意，我要投诉": "negative"}},
		{"NBSVM", sentimentToy, TrainOptions{Loss: LossHinge, NBSVM: true, LenNorm: true},
			map[string]string{"非常满意": "positive", "很不满意，我要投诉": "negative", "very happy": "positive"}},
		{"squared hinge, TF-IDF L2, three labels", intentToy, TrainOptions{Loss: LossHinge, IDF: true, IDFNorm: true, LenNorm: true},
			map[string]string{"my card has still not arrived": "card_arrival", "top up declined again": "top_up_failed", "exchange rate": "exchange_rate"}},
		{"hinge, class weights, three labels", intentToy, TrainOptions{Loss: LossHingeL1, C: 2, ClassPower: 0.5, LenNorm: true},
			map[string]string{"my card has still not arrived": "card_arrival", "top up declined again": "top_up_failed"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ex, labels := c.data()
			opt := c.opt
			opt.Task, opt.Labels, opt.Bits, opt.Epochs, opt.Seed = "t", labels, 12, 30, 1
			m, err := Train(ex, opt)
			if err != nil {
				t.Fatal(err)
			}
			probs := make([]float64, len(labels))
			for _, e := range ex {
				if m.Predict(e.Text, probs); argmax(probs) != e.Label {
					t.Errorf("training text %q: predicted %s, labelled %s", e.Text, labels[argmax(probs)], labels[e.Label])
				}
			}
			for text, want := range c.tests {
				if m.Predict(text, probs); labels[argmax(probs)] != want {
					t.Errorf("%q: predicted %s (%v), want %s", text, labels[argmax(probs)], probs, want)
				}
			}
			var a, b bytes.Buffer
			if err := m.Encode(&a); err != nil {
				t.Fatal(err)
			}
			m2, err := Train(ex, opt)
			if err != nil {
				t.Fatal(err)
			}
			if err := m2.Encode(&b); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two trainings with the same seed differ")
			}
			d, err := Decode(a.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			p2 := make([]float64, len(labels))
			for text := range c.tests {
				m.Predict(text, probs)
				d.Predict(text, p2)
				for j := range probs {
					if math.Abs(probs[j]-p2[j]) > 1e-5 {
						t.Errorf("%q: decoded %v, trained %v", text, p2, probs)
						break
					}
				}
			}
		})
	}
}

// primal is the squared-hinge SVM objective of one machine (the second
// label against the first) with the bias as a weight of a constant feature.
func primal(in svmInput, ex []Example, c float64, w []float32, b float64, l1 bool) float64 {
	p := b * b / 2
	for _, v := range w {
		p += float64(v) * float64(v) / 2
	}
	for i, e := range ex {
		y := -1.0
		if e.Label == 1 {
			y = 1
		}
		s := b
		for j := in.off[i]; j < in.off[i+1]; j++ {
			s += float64(w[in.idx[j]]) * float64(in.val[j])
		}
		if mg := 1 - y*s; mg > 0 {
			if l1 {
				p += c * mg
			} else {
				p += c * mg * mg
			}
		}
	}
	return p
}

// The dual coordinate descent reaches the minimum of the primal objective:
// no small step in a random direction lowers it.
func TestSVMSolverOptimal(t *testing.T) {
	ex, labels := sentimentToy()
	for _, c := range []struct {
		loss string
		c    float64
	}{{LossHinge, 0.5}, {LossHinge, 5}, {LossHingeL1, 0.5}} {
		t.Run(c.loss, func(t *testing.T) {
			const bits = 10
			n := 1 << bits
			feats, off := []uint32{}, []int{0}
			norm := make([]float32, len(ex))
			f := NewFeatures()
			for i, e := range ex {
				f.Extract(e.Text)
				for _, h := range f.hash {
					feats = append(feats, h&(uint32(n)-1))
				}
				off = append(off, len(feats))
				norm[i] = float32(1 / math.Sqrt(float64(f.Len())))
			}
			ones := make([]float32, n)
			for i := range ones {
				ones[i] = 1
			}
			in := svmInput{cw: []float64{1, 1}, k: 2, n: n}
			in.idx, in.val, in.off, in.xx = sparseExamples(feats, off, norm, ones, nil)
			opt := TrainOptions{Labels: labels, Loss: c.loss, C: c.c, Epochs: 500, Seed: 1}
			w, b, err := trainSVM(ex, in, opt, nil)
			if err != nil {
				t.Fatal(err)
			}
			wm := make([]float32, n) // the second column: the machine
			for h := range wm {
				wm[h] = w[h*2+1]
			}
			l1 := c.loss == LossHingeL1
			best := primal(in, ex, c.c, wm, b[1], l1)
			rng := rand.New(rand.NewPCG(7, 7))
			used := map[uint32]bool{}
			for _, h := range in.idx {
				used[h] = true
			}
			for trial := 0; trial < 200; trial++ {
				pw := append([]float32(nil), wm...)
				for h := range used {
					pw[h] += float32(rng.NormFloat64() * 1e-3)
				}
				pb := b[1] + rng.NormFloat64()*1e-3
				if p := primal(in, ex, c.c, pw, pb, l1); p < best-1e-6*math.Max(1, best) {
					t.Fatalf("trial %d: a random step lowers the objective from %.6f to %.6f", trial, best, p)
				}
			}
		})
	}
}

func TestHingeKnownMaskAndBadInput(t *testing.T) {
	// A source that knows only joy/anger leaves the neutral machine alone.
	labels := []string{"joy", "anger", "neutral"}
	ka := []bool{true, true, false}
	var ex []Example
	for i := 0; i < 20; i++ {
		ex = append(ex, Example{Text: "天气 开心", Label: 0, Known: ka}, Example{Text: "天气 生气", Label: 1, Known: ka})
	}
	m, err := Train(ex, TrainOptions{Labels: labels, Bits: 10, Epochs: 5, Seed: 3, Loss: LossHinge})
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeatures()
	f.Extract("天气")
	s := make([]float64, 3)
	m.Scores(f, s)
	if s[2] != 0 || m.bias[2] != 0 {
		t.Errorf("neutral score %v, bias %v: moved by a source without neutral", s[2], m.bias[2])
	}

	two, l2 := sentimentToy()
	for _, c := range []struct {
		name string
		ex   []Example
		opt  TrainOptions
		want string
	}{
		{"unknown loss", two, TrainOptions{Labels: l2, Loss: "perceptron"}, "loss"},
		{"negative C", two, TrainOptions{Labels: l2, Loss: LossHinge, C: -1}, "C"},
		{"NBSVM with the logistic loss", two, TrainOptions{Labels: l2, NBSVM: true}, "NBSVM"},
		{"NBSVM with three labels", ex, TrainOptions{Labels: labels, Loss: LossHinge, NBSVM: true}, "NBSVM"},
	} {
		if _, err := Train(c.ex, c.opt); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want one naming %q", c.name, err, c.want)
		}
	}
}

// A partially labelled example (emotion's sentiment auxiliary: "negative"
// = anger or neutral here) teaches the machines of the labels it rules out
// and leaves its candidates' machines alone.
func TestHingePartialLabels(t *testing.T) {
	labels := []string{"joy", "anger", "neutral"}
	notJoy := []bool{false, true, true}
	var ex []Example
	for i := 0; i < 20; i++ {
		ex = append(ex,
			Example{Text: "开心 满意", Label: 0},
			Example{Text: "生气 投诉", Label: 1},
			Example{Text: "查询 余额", Label: 2},
			Example{Text: "差评 差评", Label: 1, Cands: notJoy})
	}
	for _, loss := range []string{LossHinge, LossHingeL1} {
		m, err := Train(ex, TrainOptions{Labels: labels, Bits: 16, Epochs: 5, Seed: 3, Loss: loss})
		if err != nil {
			t.Fatalf("%s: %v", loss, err)
		}
		score := func(text string) []float64 {
			f := NewFeatures()
			f.Extract(text)
			s := make([]float64, 3)
			m.Scores(f, s)
			return s
		}
		// "差评" occurs only in the partial examples; "某某" nowhere.
		got, none := score("差评"), score("某某")
		if got[0] >= none[0] {
			t.Errorf("%s: joy score of the not-joy text %.3f, of an unseen text %.3f: want lower", loss, got[0], none[0])
		}
		for c := 1; c < 3; c++ {
			if got[c] != none[c] {
				t.Errorf("%s: %s score of the not-joy text %.3f, of an unseen text %.3f: a candidate's machine was moved", loss, labels[c], got[c], none[c])
			}
		}
	}
}

// A blend scores as the weighted sum of its models' scores; models that
// do not match are refused.
func TestBlend(t *testing.T) {
	ex, labels := sentimentToy()
	a, err := Train(ex, TrainOptions{Task: "s", Labels: labels, Bits: 12, Epochs: 10, Seed: 1, LenNorm: true, NB: 0.3})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Train(ex, TrainOptions{Task: "s", Labels: labels, Bits: 12, Epochs: 10, Seed: 1, LenNorm: true, Loss: LossHinge, NBSVM: true})
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeatures()
	sa, sb, sm := make([]float64, 2), make([]float64, 2), make([]float64, 2)
	for _, wb := range []float64{0, 0.3, 0.7, 1} {
		m, err := Blend(a, b, wb)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"", "非常满意", "很不满意，我要投诉", "awful, angry"} {
			f.Extract(text)
			a.Scores(f, sa)
			b.Scores(f, sb)
			m.Scores(f, sm)
			want := (1-wb)*sa[1] + wb*sb[1]
			// one int8 rounding step per feature of the text
			tol := 1e-9 + 0.5*m.scale*float64(f.Len())/math.Sqrt(math.Max(1, float64(f.Len())))
			if math.Abs(sm[1]-want) > tol {
				t.Errorf("blend %v, %q: score %v, want %v ± %v", wb, text, sm[1], want, tol)
			}
		}
	}
	c, err := Train(ex, TrainOptions{Task: "s", Labels: labels, Bits: 11, Epochs: 2, Seed: 1, LenNorm: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Blend(a, c, 0.5); !errors.Is(err, ErrBlend) {
		t.Errorf("blending tables of different sizes: err %v, want ErrBlend", err)
	}
	if _, err := Blend(a, b, 1.5); err == nil {
		t.Error("blend weight 1.5 accepted")
	}
}
