package textclass

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func toyModel(t testing.TB) *Model {
	t.Helper()
	pos := []string{"服务很好，非常满意", "太棒了，很开心", "great service, very happy", "很满意，谢谢", "I love it, thanks"}
	neg := []string{"服务太差了，很不满意", "我要投诉你们", "terrible service, not happy", "气死我了，垃圾银行", "I am angry, this is awful"}
	var ex []Example
	for _, s := range pos {
		ex = append(ex, Example{Text: s, Label: 0})
	}
	for _, s := range neg {
		ex = append(ex, Example{Text: s, Label: 1})
	}
	m, err := Train(ex, TrainOptions{Task: "sentiment", Labels: []string{"positive", "negative"}, Bits: 12, Epochs: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainPredictRoundTrip(t *testing.T) {
	m := toyModel(t)
	probs := make([]float64, 2)
	for _, c := range []struct {
		text string
		want int
	}{{"非常满意", 0}, {"很不满意，我要投诉", 1}, {"very happy", 0}, {"awful, angry", 1}} {
		m.Predict(c.text, probs)
		if math.Abs(probs[0]+probs[1]-1) > 1e-9 {
			t.Fatalf("%q: probabilities sum to %v", c.text, probs[0]+probs[1])
		}
		if got := argmax(probs); got != c.want {
			t.Errorf("%q: predicted %s (%v)", c.text, m.Labels()[got], probs)
		}
	}

	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if m2.Task() != "sentiment" || strings.Join(m2.Labels(), ",") != "positive,negative" {
		t.Fatalf("decoded task %q labels %v", m2.Task(), m2.Labels())
	}
	p2 := make([]float64, 2)
	for _, s := range []string{"", "服务很好", "我要投诉你们"} {
		m.Predict(s, probs)
		m2.Predict(s, p2)
		if probs[0] != p2[0] {
			t.Errorf("%q: %v before encoding, %v after", s, probs, p2)
		}
	}
}

func TestTrainDeterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := toyModel(t).Encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := toyModel(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two trainings with the same seed differ")
	}
}

func TestEmptyTextIsPrior(t *testing.T) {
	m := toyModel(t)
	p := make([]float64, 2)
	m.Predict("", p)
	q := make([]float64, 2)
	m.Predict("   \n\t", q)
	if p[0] != q[0] || math.IsNaN(p[0]) {
		t.Fatalf("empty %v, whitespace %v", p, q)
	}
}

func TestPredictFeaturesMatchesPredict(t *testing.T) {
	m := toyModel(t)
	f := NewFeatures()
	p, q := make([]float64, 2), make([]float64, 2)
	for _, s := range []string{"服务太差了[怒][怒]", "not happy at all!!!", "没有任何不满 http://t.cn/x @某人: 好"} {
		f.Extract(s)
		m.PredictFeatures(f, p)
		m.Predict(s, q)
		if p[0] != q[0] {
			t.Errorf("%q: PredictFeatures %v, Predict %v", s, p, q)
		}
	}
	// Features of another configuration are re-extracted, not misread.
	g := NewFeaturesConfig(Config{CharN: 1})
	g.Extract("服务太差了")
	m.PredictFeatures(g, p)
	m.Predict("服务太差了", q)
	if p[0] != q[0] {
		t.Errorf("other config: %v vs %v", p, q)
	}
}

func TestExplainSpans(t *testing.T) {
	m := toyModel(t)
	text := "服务太差了，我要投诉，not happy"
	cs := m.Explain(text, 1, 5)
	if len(cs) == 0 || len(cs) > 5 {
		t.Fatalf("got %d contributions", len(cs))
	}
	for i, c := range cs {
		if c.Start < 0 || c.End > len(text) || c.Start >= c.End || !utf8.ValidString(text[c.Start:c.End]) {
			t.Fatalf("bad span %+v", c)
		}
		if !strings.HasSuffix(c.Feature, text[c.Start:c.End]) {
			t.Errorf("feature %q does not name its span %q", c.Feature, text[c.Start:c.End])
		}
		if i > 0 && math.Abs(c.Weight) > math.Abs(cs[i-1].Weight) {
			t.Errorf("not sorted by strength: %v", cs)
		}
	}
	if m.Explain(text, 7, 5) != nil || m.Explain(text, 0, 0) != nil {
		t.Error("bad label or k should give nil")
	}
}

func TestNegationMarks(t *testing.T) {
	f := NewFeatures()
	count := func(s string) int {
		f.Extract(s)
		n := 0
		for _, m := range f.meta {
			if m.kind == kindNeg {
				n++
			}
		}
		return n
	}
	if count("很满意") != 0 {
		t.Error("no negator, yet negation marks")
	}
	if n := count("不满意"); n != 2 {
		t.Errorf("不满意: %d negated runes, want 2", n)
	}
	if n := count("不，满意"); n != 0 {
		t.Errorf("punctuation should end the scope, got %d", n)
	}
	if n := count("I am not happy"); n != 1 {
		t.Errorf("not happy: %d negated words, want 1", n)
	}
}

func TestDecodeRejectsGarbage(t *testing.T) {
	m := toyModel(t)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	for name, b := range map[string][]byte{
		"empty":     nil,
		"magic":     []byte("nope"),
		"truncated": good[:len(good)/2],
		"no gzip":   []byte(magic + "xxxxxxxxxxxx"),
	} {
		if _, err := Decode(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: err %v, want ErrFormat", name, err)
		}
	}
}

func TestTrainRejectsBadInput(t *testing.T) {
	labels := []string{"a", "b"}
	if _, err := Train(nil, TrainOptions{Labels: labels}); err == nil {
		t.Error("no examples accepted")
	}
	if _, err := Train([]Example{{Text: "x", Label: 2}}, TrainOptions{Labels: labels}); err == nil {
		t.Error("label out of range accepted")
	}
	if _, err := Train([]Example{{Text: "x", Label: 0}}, TrainOptions{Labels: labels[:1]}); err == nil {
		t.Error("one label accepted")
	}
	if _, err := Train([]Example{{Text: "x", Label: 0, Known: []bool{false, true}}}, TrainOptions{Labels: labels}); err == nil {
		t.Error("label outside its known mask accepted")
	}
}

func TestKnownMaskDoesNotTeachAbsentClass(t *testing.T) {
	// Source A knows only joy/anger; source B knows all three. Texts of A
	// must not push "neutral" down.
	labels := []string{"joy", "anger", "neutral"}
	ka := []bool{true, true, false}
	var ex []Example
	for i := 0; i < 20; i++ {
		ex = append(ex, Example{Text: "天气 开心", Label: 0, Known: ka}, Example{Text: "天气 生气", Label: 1, Known: ka})
	}
	m, err := Train(ex, TrainOptions{Labels: labels, Bits: 10, Epochs: 5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeatures()
	f.Extract("天气")
	s := make([]float64, 3)
	m.Scores(f, s)
	if s[2] != m.bias[2] {
		t.Errorf("neutral score moved to %v by a source without neutral", s[2])
	}
}

func TestExtractNoAlloc(t *testing.T) {
	m := toyModel(t)
	f := NewFeatures()
	p := make([]float64, 2)
	text := "排了两个小时的队，还说系统坏了！[怒][怒] 不满意 not happy http://t.cn/abc"
	f.Extract(text)
	allocs := testing.AllocsPerRun(100, func() {
		f.Extract(text)
		m.PredictFeatures(f, p)
		m.Predict(text, p)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per message", allocs)
	}
}

func argmax(p []float64) int {
	b := 0
	for i, v := range p {
		if v > p[b] {
			b = i
		}
	}
	return b
}

// FuzzExtract checks that any input featurises without panic, with spans
// inside the text on rune boundaries, and scores to probabilities.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{"", "服务太差了！！！[怒]", "not happy @bank_care http://x.y", "[", "[]", "@", "\xff\xfe", "不", "don't"} {
		f.Add(s)
	}
	m := toyModel(f)
	feat := NewFeatures()
	p := make([]float64, 2)
	f.Fuzz(func(t *testing.T, s string) {
		feat.Extract(s)
		if feat.Len() > MaxFeatures {
			t.Fatalf("%d features", feat.Len())
		}
		for i := range feat.hash {
			a, b := int(feat.meta[i].start), int(feat.meta[i].end)
			if a < 0 || b > len(s) || a > b {
				t.Fatalf("feature %d span [%d,%d) outside text of %d bytes", i, a, b, len(s))
			}
			if utf8.ValidString(s) && (!utf8.RuneStart(s[a]) || (b < len(s) && !utf8.RuneStart(s[b]))) {
				t.Fatalf("span [%d,%d) splits a rune", a, b)
			}
		}
		m.PredictFeatures(feat, p)
		if math.IsNaN(p[0]) || math.Abs(p[0]+p[1]-1) > 1e-9 {
			t.Fatalf("probs %v", p)
		}
		_ = m.Explain(s, 1, 3)
	})
}

func TestInlineDecodeMatchesStdlib(t *testing.T) {
	// Valid, overlong, surrogate and truncated three-byte sequences must
	// featurise as utf8.DecodeRuneInString would read them.
	for _, s := range []string{"中文", "\xe0\x80\xaf", "\xed\xa0\x80", "\xe4\xb8", "a\xe4", "€"} {
		f := NewFeaturesConfig(Config{CharN: 1})
		f.Extract(s)
		var want []uint32
		for i := 0; i < len(s); {
			r, n := utf8.DecodeRuneInString(s[i:])
			if c := normRune(r); c != ' ' {
				want = append(want, mix(uint64(c)*salt1))
			}
			i += n
		}
		if len(want) != len(f.hash) {
			t.Fatalf("%q: %d features, want %d", s, len(f.hash), len(want))
		}
		for i := range want {
			if want[i] != f.hash[i] {
				t.Errorf("%q: feature %d differs", s, i)
			}
		}
	}
}

func TestBundleMatchesModels(t *testing.T) {
	a := toyModel(t)
	ex := []Example{{Text: "开心 快乐", Label: 0}, {Text: "生气 愤怒", Label: 1}, {Text: "今天 下雨", Label: 2}}
	b3, err := Train(ex, TrainOptions{Labels: []string{"joy", "anger", "neutral"}, Bits: 12, Epochs: 3, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	bu, err := NewBundle(b3, a)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeatures()
	p3, p2 := make([]float64, 3), make([]float64, 2)
	q3, q2 := make([]float64, 3), make([]float64, 2)
	for _, s := range []string{"", "很开心", "服务太差了，我要投诉", "not happy"} {
		f.Extract(s)
		bu.PredictFeatures(f, p3, p2)
		b3.PredictFeatures(f, q3)
		a.PredictFeatures(f, q2)
		for j := range p3 {
			if math.Abs(p3[j]-q3[j]) > 1e-12 {
				t.Errorf("%q: bundle %v, model %v", s, p3, q3)
			}
		}
		if math.Abs(p2[1]-q2[1]) > 1e-12 {
			t.Errorf("%q: bundle %v, model %v", s, p2, q2)
		}
	}
	small, _ := Train(ex, TrainOptions{Labels: []string{"joy", "anger", "neutral"}, Bits: 10, Epochs: 1})
	if _, err := NewBundle(a, small); !errors.Is(err, ErrBundle) {
		t.Errorf("models of different table sizes bundled: %v", err)
	}
	allocs := testing.AllocsPerRun(50, func() { bu.PredictFeatures(f, p3, p2) })
	if allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}

// TestSumRows8 checks the lane arithmetic against a plain sum: extreme
// bytes (−128, 127) and feature counts around the 256-feature flush.
func TestSumRows8(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const bits = 10
	rows := make([][8]int8, 1<<bits)
	w8 := make([]uint64, len(rows))
	for r := range rows {
		for k := range rows[r] {
			switch rng.IntN(4) {
			case 0:
				rows[r][k] = -128
			case 1:
				rows[r][k] = 127
			default:
				rows[r][k] = int8(rng.IntN(256) - 128)
			}
			w8[r] |= uint64(uint8(rows[r][k])^0x80) << (8 * k)
		}
	}
	for _, n := range []int{0, 1, 255, 256, 257, 512, 1000} {
		hash := make([]uint32, n)
		for i := range hash {
			hash[i] = rng.Uint32()
		}
		// all features in one extreme row: the worst case for the lanes
		// (a flush after more than 257 features would overflow them)
		if n == 512 {
			rows[0] = [8]int8{127, 127, 127, 127, -128, -128, -128, -128}
			w8[0] = 0
			for k, v := range rows[0] {
				w8[0] |= uint64(uint8(v)^0x80) << (8 * k)
			}
			for i := range hash {
				hash[i] = 1 << bits // bucket 0 after the mask
			}
		}
		var want, got [maxBundleCols]int32
		for _, h := range hash {
			for k, v := range rows[h&(1<<bits-1)] {
				want[k] += int32(v)
			}
		}
		sumRows8(w8, hash, 1<<bits-1, &got)
		if got != want {
			t.Errorf("%d features: got %v, want %v", n, got[:8], want[:8])
		}
	}
}

// TestBundleOfEight checks the eight-column path (the built-in emotion and
// sentiment bundle's shape) against the models, on a text of more than 256
// features.
func TestBundleOfEight(t *testing.T) {
	labels := []string{"anger", "anxiety", "disappointment", "joy", "neutral", "surprise"}
	var ex []Example
	for i, s := range []string{"气死了 愤怒", "担心 焦虑", "失望 唉", "开心 快乐", "今天 下雨", "居然 哇"} {
		ex = append(ex, Example{Text: s, Label: i})
	}
	six, err := Train(ex, TrainOptions{Labels: labels, Bits: 12, Epochs: 3, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	two, err := Train([]Example{{Text: "差 投诉", Label: 0}, {Text: "好 满意", Label: 1}}, TrainOptions{Labels: []string{"negative", "positive"}, Bits: 12, Epochs: 3, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	bu, err := NewBundle(six, two)
	if err != nil {
		t.Fatal(err)
	}
	if bu.stride != 8 || bu.w8 == nil {
		t.Fatalf("stride %d: not the eight-column path", bu.stride)
	}
	f := NewFeatures()
	p6, p2 := make([]float64, 6), make([]float64, 2)
	q6, q2 := make([]float64, 6), make([]float64, 2)
	long := strings.Repeat("气死了，太失望了，居然这样！开心不起来。", 30)
	for _, s := range []string{"", "很开心", "服务太差了，我要投诉", long} {
		f.Extract(s)
		if s == long && f.Len() <= 256 {
			t.Fatalf("long text has only %d features", f.Len())
		}
		bu.PredictFeatures(f, p6, p2)
		six.PredictFeatures(f, q6)
		two.PredictFeatures(f, q2)
		for j := range p6 {
			if math.Abs(p6[j]-q6[j]) > 1e-12 {
				t.Errorf("%.20q: bundle %v, model %v", s, p6, q6)
			}
		}
		if math.Abs(p2[1]-q2[1]) > 1e-12 {
			t.Errorf("%.20q: bundle %v, model %v", s, p2, q2)
		}
	}
}
