package analysis

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"
	"time"
)

const evalFile = "../../../shared/data/emotion/smp2020_usual_eval.jsonl"

// evalTexts reads the texts of the SMP2020 "usual" evaluation file, the
// benchmark's workload (skips when the shared data is absent).
func evalTexts(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(evalFile)
	if err != nil {
		tb.Skipf("benchmark data: %v", err)
	}
	defer f.Close()
	var texts []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	for sc.Scan() {
		var o struct {
			Text string `json:"text"`
		}
		if err := json.Unmarshal(sc.Bytes(), &o); err != nil {
			tb.Fatal(err)
		}
		texts = append(texts, o.Text)
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return texts
}

// BenchmarkAnalyzeInto is the full analysis (emotion, sentiment, problem,
// cues, negation; no explanation) of each text of the SMP2020 "usual"
// evaluation set on one goroutine. msgs/s is the throughput.
func BenchmarkAnalyzeInto(b *testing.B) {
	a := testAnalyzer(b)
	texts := evalTexts(b)
	var r Result
	for _, t := range texts { // warm the pool and r's slices
		a.AnalyzeInto(t, &r, false)
	}
	bytes := 0
	for _, t := range texts {
		bytes += len(t)
	}
	b.SetBytes(int64(bytes / len(texts)))
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		a.AnalyzeInto(texts[n%len(texts)], &r, false)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkAnalyzeExplain is the same with the explanation on.
func BenchmarkAnalyzeExplain(b *testing.B) {
	a := testAnalyzer(b)
	texts := evalTexts(b)
	var r Result
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		a.AnalyzeInto(texts[n%len(texts)], &r, true)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

// Latency measures the time of each AnalyzeInto call over texts, rounds
// times, and returns the percentiles asked for. It measures; it asserts
// nothing.
func Latency(a *Analyzer, texts []string, rounds int, pct ...float64) []time.Duration {
	var r Result
	d := make([]time.Duration, 0, len(texts)*rounds)
	for k := 0; k < rounds; k++ {
		for _, t := range texts {
			st := time.Now()
			a.AnalyzeInto(t, &r, false)
			d = append(d, time.Since(st))
		}
	}
	slices.Sort(d)
	out := make([]time.Duration, len(pct))
	for i, p := range pct {
		j := int(p / 100 * float64(len(d)-1))
		out[i] = d[j]
	}
	return out
}

// TestLatencyReport logs p50/p99/p99.9 latency per message (run with -v).
func TestLatencyReport(t *testing.T) {
	if testing.Short() {
		t.Skip("latency report")
	}
	a := testAnalyzer(t)
	texts := evalTexts(t)
	Latency(a, texts, 1) // warm up
	q := Latency(a, texts, 5, 50, 99, 99.9)
	t.Logf("latency per message over %d messages ×5: p50 %v, p99 %v, p99.9 %v", len(texts), q[0], q[1], q[2])
}

// BenchmarkModelsOnly is the models' share of BenchmarkAnalyzeInto: one
// featurisation and the emotion and sentiment scores, nothing else. The
// engine's own cost is the difference.
func BenchmarkModelsOnly(b *testing.B) {
	a := testAnalyzer(b)
	texts := evalTexts(b)
	s := a.pool.Get().(*scratch)
	defer a.pool.Put(s)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		a.modelScores(texts[n%len(texts)], s)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

// TestThroughputReport logs the best of ten alternating passes over the
// evaluation texts for the full analysis and for the models alone (run with
// -v). On a shared machine the best pass is the figure least disturbed by
// other work; it measures, it asserts nothing.
func TestThroughputReport(t *testing.T) {
	if testing.Short() {
		t.Skip("throughput report")
	}
	a := testAnalyzer(t)
	texts := evalTexts(t)
	var r Result
	s := a.pool.Get().(*scratch)
	defer a.pool.Put(s)
	full, models := time.Duration(1<<62), time.Duration(1<<62)
	for round := 0; round < 10; round++ {
		st := time.Now()
		for _, x := range texts {
			a.AnalyzeInto(x, &r, false)
		}
		full = min(full, time.Since(st))
		st = time.Now()
		for _, x := range texts {
			a.modelScores(x, s)
		}
		models = min(models, time.Since(st))
	}
	n := float64(len(texts))
	t.Logf("best of 10 passes over %d messages: full analysis %.0f msgs/s (%v/msg), models alone %.0f msgs/s (%v/msg), engine's own share %v/msg",
		len(texts), n/full.Seconds(), full/time.Duration(len(texts)), n/models.Seconds(), models/time.Duration(len(texts)), (full-models)/time.Duration(len(texts)))
}
