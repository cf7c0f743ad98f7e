package textclass

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// BenchmarkExtractConfigs compares the featuriser's options on the texts of
// the SMP2020 "usual" evaluation file (the speed corpus of issue 2).
func BenchmarkExtractConfigs(b *testing.B) {
	fh, err := os.Open("../../../shared/data/emotion/smp2020_usual_eval.jsonl")
	if err != nil {
		b.Skipf("speed corpus not available: %v", err)
	}
	defer fh.Close()
	var texts []string
	sc := bufio.NewScanner(fh)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var it struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &it) == nil {
			texts = append(texts, it.Text)
		}
	}
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	plain := DefaultConfig
	plain.T2S, plain.Lexicon = false, false
	t2s, lex := plain, plain
	t2s.T2S = true
	lex.T2S, lex.Lexicon = true, true
	for _, c := range []struct {
		name string
		cfg  Config
	}{{"plain", plain}, {"t2s", t2s}, {"t2s+lexicon", lex}} {
		b.Run(c.name, func(b *testing.B) {
			f := NewFeaturesConfig(c.cfg)
			b.SetBytes(int64(n / len(texts)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				f.Extract(texts[i%len(texts)])
			}
		})
	}
}
