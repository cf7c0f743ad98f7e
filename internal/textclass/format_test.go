package textclass

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"testing"
)

func TestT2SFolding(t *testing.T) {
	// Every pair of the table folds, and folding is idempotent (no chains).
	rs := []rune(t2sPairs)
	if len(rs) < 2000 || len(rs)%2 != 0 {
		t.Fatalf("t2s table has %d runes", len(rs))
	}
	for i := 0; i < len(rs); i += 2 {
		if got := foldT2S(rs[i]); got != rs[i+1] {
			t.Errorf("%c folds to %c, want %c", rs[i], got, rs[i+1])
		}
		if got := foldT2S(rs[i+1]); got != rs[i+1] {
			t.Errorf("%c (simplified) folds again to %c", rs[i+1], got)
		}
	}
	hashes := func(cfg Config, s string) []uint32 {
		f := NewFeaturesConfig(cfg)
		f.Extract(s)
		return append([]uint32(nil), f.hash...)
	}
	on, off := DefaultConfig, DefaultConfig
	on.T2S, off.T2S = true, false
	for _, c := range []struct {
		trad, simp string
	}{
		{"這個服務態度真差，沒有人處理", "这个服务态度真差，没有人处理"},
		{"銀行卡被凍結了[怒]", "银行卡被冻结了[怒]"},
		{"不滿意 not happy 發票", "不满意 not happy 发票"},
	} {
		if a, b := hashes(on, c.trad), hashes(on, c.simp); !equalU32(a, b) {
			t.Errorf("T2S on: %q and %q featurise differently", c.trad, c.simp)
		}
		if a, b := hashes(off, c.trad), hashes(off, c.simp); equalU32(a, b) {
			t.Errorf("T2S off: %q and %q featurise the same", c.trad, c.simp)
		}
		if a, b := hashes(on, c.simp), hashes(off, c.simp); !equalU32(a, b) {
			t.Errorf("T2S changes Simplified text %q", c.simp)
		}
	}
}

func equalU32(a, b []uint32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func idfNormModel(t *testing.T) *Model {
	t.Helper()
	var ex []Example
	for _, s := range []string{"card has not arrived yet", "where is my new card", "card delivery is late", "still waiting for my card"} {
		ex = append(ex, Example{Text: s, Label: 0})
	}
	for _, s := range []string{"top up failed", "my top up did not work", "why was my top-up declined", "top up is pending"} {
		ex = append(ex, Example{Text: s, Label: 1})
	}
	for _, s := range []string{"exchange rate is wrong", "what rate do you use to exchange", "bad exchange rate", "exchange rate fee"} {
		ex = append(ex, Example{Text: s, Label: 2})
	}
	m, err := Train(ex, TrainOptions{Task: "intent", Labels: []string{"card_arrival", "top_up_failed", "exchange_rate"},
		Bits: 12, Epochs: 20, Seed: 1, IDF: true, IDFNorm: true, LenNorm: true})
	if err != nil {
		t.Fatal(err)
	}
	if m.idfSq == nil {
		t.Fatal("IDFNorm model has no idf table")
	}
	return m
}

func TestIDFNormRoundTrip(t *testing.T) {
	m := idfNormModel(t)
	var buf bytes.Buffer
	if err := m.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(magic)) {
		t.Fatalf("encoded model starts %q, want %q", buf.Bytes()[:5], magic)
	}
	d, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	p1, p2 := make([]float64, 3), make([]float64, 3)
	for _, c := range []struct {
		text string
		want string
	}{{"my card has still not arrived", "card_arrival"}, {"top up declined again", "top_up_failed"}, {"exchange rate", "exchange_rate"}, {"", ""}} {
		m.Predict(c.text, p1)
		d.Predict(c.text, p2)
		for j := range p1 {
			if math.Abs(p1[j]-p2[j]) > 1e-5 {
				t.Errorf("%q: decoded model gives %v, trained %v", c.text, p2, p1)
				break
			}
		}
		if c.want != "" && m.Labels()[argmax(p2)] != c.want {
			t.Errorf("%q: predicted %s, want %s", c.text, m.Labels()[argmax(p2)], c.want)
		}
	}
	if _, err := NewBundle(m); !errors.Is(err, ErrBundle) {
		t.Errorf("bundling an IDF-norm model: err %v, want ErrBundle", err)
	}
}

func TestDecodeModelVersions(t *testing.T) {
	plain := toyModel(t)
	var a, b bytes.Buffer
	if err := plain.Encode(&a); err != nil {
		t.Fatal(err)
	}
	if err := idfNormModel(t).Encode(&b); err != nil {
		t.Fatal(err)
	}
	withMagic := func(src []byte, m string) []byte {
		return append([]byte(m), src[len(magic):]...)
	}
	for _, c := range []struct {
		name    string
		data    []byte
		wantErr string // "" for success
	}{
		{"version 3", a.Bytes(), ""},
		{"version 2 without idf table", withMagic(a.Bytes(), magicV2), ""},
		{"version 2 claiming an idf table", withMagic(b.Bytes(), magicV2), "idf table in a version 2 file"},
		{"version 9", withMagic(a.Bytes(), "HJTC\x09"), "model format version 9"},
		{"idf table cut short", b.Bytes()[:len(b.Bytes())-40], "not a valid model file"},
	} {
		m, err := Decode(c.data)
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			p1, p2 := make([]float64, 2), make([]float64, 2)
			m.Predict("很不满意，我要投诉", p1)
			plain.Predict("很不满意，我要投诉", p2)
			if math.Abs(p1[0]-p2[0]) > 1e-9 {
				t.Errorf("%s: decoded model predicts %v, want %v", c.name, p1, p2)
			}
			continue
		}
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.wantErr) {
			t.Errorf("%s: err %v, want ErrFormat mentioning %q", c.name, err, c.wantErr)
		}
	}
}

func TestWithBiasOffsets(t *testing.T) {
	m := idfNormModel(t)
	off := []float64{0.5, -0.25, 0}
	c, err := m.WithBiasOffsets(off)
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeaturesConfig(m.Config())
	f.Extract("my exchange top up card")
	s1, s2 := make([]float64, 3), make([]float64, 3)
	m.Scores(f, s1)
	c.Scores(f, s2)
	for j := range s1 {
		if d := s2[j] - s1[j]; math.Abs(d-off[j]) > 1e-9 {
			t.Errorf("label %d moved by %v, want %v", j, d, off[j])
		}
	}
	for _, bad := range [][]float64{{1}, {math.NaN(), 0, 0}} {
		if _, err := m.WithBiasOffsets(bad); err == nil {
			t.Errorf("offsets %v accepted", bad)
		}
	}
}

// A temperature multiplies every score, so the decision stays and the
// probabilities sharpen (t > 1); it survives encoding.
func TestWithTemperature(t *testing.T) {
	m := idfNormModel(t)
	c, err := m.WithTemperature(1.5)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Encode(&buf); err != nil {
		t.Fatal(err)
	}
	d, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	f := NewFeaturesConfig(m.Config())
	for _, text := range []string{"my exchange top up card", "card", ""} {
		f.Extract(text)
		s1, s2, s3 := make([]float64, 3), make([]float64, 3), make([]float64, 3)
		m.Scores(f, s1)
		c.Scores(f, s2)
		d.Scores(f, s3)
		for j := range s1 {
			if math.Abs(s2[j]-1.5*s1[j]) > 1e-9 || math.Abs(s3[j]-s2[j]) > 1e-9 {
				t.Errorf("%q label %d: score %v, with t 1.5 %v (decoded %v)", text, j, s1[j], s2[j], s3[j])
			}
		}
		p1, p2 := make([]float64, 3), make([]float64, 3)
		m.PredictFeatures(f, p1)
		c.PredictFeatures(f, p2)
		b := argmaxF(p1)
		if argmaxF(p2) != b || p2[b] <= p1[b] {
			t.Errorf("%q: probabilities %v, with t 1.5 %v: want the same label, more probable", text, p1, p2)
		}
	}
	for _, bad := range []float64{0, -1, math.NaN(), math.Inf(1), 101} {
		if _, err := m.WithTemperature(bad); err == nil {
			t.Errorf("temperature %v accepted", bad)
		}
	}
}

func argmaxF(p []float64) int {
	b := 0
	for j, v := range p {
		if v > p[b] {
			b = j
		}
	}
	return b
}

func TestLexiconTokens(t *testing.T) {
	cfg := DefaultConfig
	cfg.Lexicon, cfg.T2S = true, true
	f := NewFeaturesConfig(cfg)
	for _, c := range []struct {
		text string
		want []string // lex features, in order
	}{
		{"我竟然没想到会这样", []string{"lex:竟然", "lex:没想到"}},
		{"真讓人擔心", []string{"lex:擔心"}}, // Traditional, folded before matching
		{"太好了，谢谢", []string{"lex:太好了", "lex:谢谢"}},
		{"竟 然", nil}, // a space breaks the word
		{"", nil},
		{"然竟", nil},
	} {
		f.Extract(c.text)
		var got []string
		for i := range f.hash {
			if f.meta[i].kind == kindLex {
				got = append(got, f.featureName(i))
			}
		}
		if strings.Join(got, " ") != strings.Join(c.want, " ") {
			t.Errorf("%q: lexicon features %v, want %v", c.text, got, c.want)
		}
	}
	// Words of one category share a feature; categories differ.
	hashOf := func(s string) uint32 {
		f.Extract(s)
		for i := range f.hash {
			if f.meta[i].kind == kindLex {
				return f.hash[i]
			}
		}
		t.Fatalf("%q: no lexicon feature", s)
		return 0
	}
	if hashOf("竟然") != hashOf("震惊") {
		t.Error("two surprise words give different features")
	}
	if hashOf("竟然") == hashOf("担心") {
		t.Error("surprise and anxiety words share a feature")
	}
	off := DefaultConfig
	off.Lexicon = false
	g := NewFeaturesConfig(off)
	g.Extract("我竟然没想到")
	for i := range g.hash {
		if g.meta[i].kind == kindLex {
			t.Error("lexicon feature without Config.Lexicon")
		}
	}
}

func TestLoadLexiconRejectsBadLists(t *testing.T) {
	for _, src := range []string{"surprise", "surprise 惊", "surprise 不可思议", "joy 开心 开心"} {
		saved := lexCats
		savedKeys, savedCat, savedFirst := lexKeys, lexCat, lexFirst
		lexCats, lexKeys, lexCat, lexFirst = nil, [lexSlots]uint64{}, [lexSlots]uint8{}, [1024]uint64{}
		if err := loadLexicon(src); err == nil {
			t.Errorf("%q accepted", src)
		}
		lexCats, lexKeys, lexCat, lexFirst = saved, savedKeys, savedCat, savedFirst
	}
}
