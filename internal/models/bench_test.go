package models

import (
	"testing"

	"huajie/internal/dataset"
	"huajie/internal/textclass"
)

// usualTexts are the texts of the SMP2020 "usual" evaluation file, the
// speed corpus of issue 2 (mean 42 characters).
func usualTexts(b *testing.B) []string {
	items, err := dataset.Read("../../../shared/data/emotion/smp2020_usual_eval.jsonl", "emotion")
	if err != nil {
		b.Skipf("speed corpus not available: %v", err)
	}
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.Text
	}
	return out
}

// BenchmarkEmotionSentiment measures one featurisation plus the emotion and
// sentiment models per message, as the analysis engine runs them.
func BenchmarkEmotionSentiment(b *testing.B) {
	texts := usualTexts(b)
	em, sm := Emotion(), Sentiment()
	f := textclass.NewFeatures()
	ep, sp := make([]float64, 6), make([]float64, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Extract(texts[i%len(texts)])
		em.PredictFeatures(f, ep)
		sm.PredictFeatures(f, sp)
	}
}

// BenchmarkExtract measures the featuriser alone.
func BenchmarkExtract(b *testing.B) {
	texts := usualTexts(b)
	f := textclass.NewFeatures()
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Extract(texts[i%len(texts)])
	}
}

// BenchmarkEmotionSentimentBundle is BenchmarkEmotionSentiment through the
// interleaved table of EmotionSentiment.
func BenchmarkEmotionSentimentBundle(b *testing.B) {
	texts := usualTexts(b)
	bu, err := EmotionSentiment()
	if err != nil {
		b.Fatal(err)
	}
	f := textclass.NewFeatures()
	ep, sp := make([]float64, 6), make([]float64, 2)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		f.Extract(texts[i%len(texts)])
		bu.PredictFeatures(f, ep, sp)
	}
}
