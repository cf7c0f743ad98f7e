package spikes

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

var day0 = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC) // a Monday

// poisson draws a Poisson count (Knuth below 30, normal approximation above).
func poisson(r *rand.Rand, lambda float64) float64 {
	if lambda <= 0 {
		return 0
	}
	if lambda > 30 {
		return math.Max(0, math.Round(lambda+math.Sqrt(lambda)*r.NormFloat64()))
	}
	l, k, p := math.Exp(-lambda), 0.0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// weekly is a bank's weekly rhythm: busy Monday, quiet weekend.
var weekly = [7]float64{1.35, 1.15, 1.05, 1.0, 1.1, 0.6, 0.45} // Mon..Sun

// generated is a series with its injected spike days.
type generated struct {
	values []float64
	spikes map[int]bool
}

// generate makes a 140-day series with a weekly rhythm, a slow trend,
// Poisson noise and 1–3 injected spikes after the warm-up.
func generate(r *rand.Rand) generated {
	const days = 140
	base := 3 + r.Float64()*120
	trend := (r.Float64() - 0.5) * 0.006 // up to ±0.3%/day
	g := generated{values: make([]float64, days), spikes: map[int]bool{}}
	for t := range days {
		lambda := base * weekly[t%7] * (1 + trend*float64(t))
		g.values[t] = poisson(r, lambda)
	}
	n := 1 + r.IntN(3)
	for range n {
		t := 28 + r.IntN(days-28)
		if g.spikes[t] || g.spikes[t-1] || g.spikes[t+1] {
			continue
		}
		g.spikes[t] = true
		lambda := base * weekly[t%7]
		// A wave: 60–300% of the day's usual volume, and at least 8.
		g.values[t] += math.Round(max(8, lambda*(0.6+2.4*r.Float64())))
	}
	return g
}

type score struct{ tp, fp, fn int }

func (s score) precision() float64 { return float64(s.tp) / float64(max(1, s.tp+s.fp)) }
func (s score) recall() float64    { return float64(s.tp) / float64(max(1, s.tp+s.fn)) }

func evaluate(t *testing.T, n int, seed uint64, o Opts, naive bool) score {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	var s score
	for range n {
		g := generate(r)
		var pts []Point
		var err error
		if naive {
			pts, err = naiveDetect(g.values, o.Z)
		} else {
			pts, err = Detect(day0, g.values, o)
		}
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pts {
			if i < 28 {
				continue // the warm-up is not judged by either
			}
			switch {
			case p.Spike && g.spikes[i]:
				s.tp++
			case p.Spike:
				s.fp++
			case g.spikes[i]:
				s.fn++
			}
		}
	}
	return s
}

// naiveDetect is the baseline the seasonal detector must beat: a z-score
// against the mean and standard deviation of the previous 28 days.
func naiveDetect(values []float64, z float64) ([]Point, error) {
	out := make([]Point, len(values))
	for t := 28; t < len(values); t++ {
		var m, v float64
		for _, x := range values[t-28 : t] {
			m += x
		}
		m /= 28
		for _, x := range values[t-28 : t] {
			v += (x - m) * (x - m)
		}
		sd := math.Max(1, math.Sqrt(v/27))
		out[t].Spike = (values[t]-m)/sd >= z/2 // generous: z/2 on the naive
	}
	return out, nil
}

// Precision and recall floors on 400 generated series (about 800 injected
// spikes over 44,800 days). The figures are in docs/insight.md.
const (
	precisionFloor = 0.95
	recallFloor    = 0.80
)

func TestPrecisionRecall(t *testing.T) {
	s := evaluate(t, 400, 1, Defaults, false)
	t.Logf("seasonal: tp=%d fp=%d fn=%d precision=%.3f recall=%.3f", s.tp, s.fp, s.fn, s.precision(), s.recall())
	if s.precision() < precisionFloor || s.recall() < recallFloor {
		t.Errorf("precision %.3f (floor %.2f), recall %.3f (floor %.2f)", s.precision(), precisionFloor, s.recall(), recallFloor)
	}
	nv := evaluate(t, 400, 1, Defaults, true)
	t.Logf("naive 28-day z: tp=%d fp=%d fn=%d precision=%.3f recall=%.3f", nv.tp, nv.fp, nv.fn, nv.precision(), nv.recall())
	// The weekly rhythm must matter: the naive detector does worse on
	// at least one of the two.
	if nv.precision() >= s.precision() && nv.recall() >= s.recall() {
		t.Errorf("naive detector is as good as the seasonal one")
	}
}

func TestHeldOutSeeds(t *testing.T) {
	// Other seeds than the one the thresholds were looked at with.
	for seed := uint64(2); seed <= 4; seed++ {
		s := evaluate(t, 150, seed, Defaults, false)
		if s.precision() < precisionFloor || s.recall() < recallFloor {
			t.Errorf("seed %d: precision %.3f recall %.3f", seed, s.precision(), s.recall())
		}
	}
}

func TestWeeklyRhythmIsNotASpike(t *testing.T) {
	// A noiseless series with a strong weekly rhythm: no day is a spike,
	// Mondays included.
	vals := make([]float64, 120)
	for i := range vals {
		vals[i] = 100 * weekly[i%7]
	}
	pts, err := Detect(day0, vals, Opts{})
	if err != nil {
		t.Fatal(err)
	}
	if sp := Spikes(pts); len(sp) != 0 {
		t.Fatalf("spikes on a pure weekly rhythm: %+v", sp[0])
	}
	// Expected follows the rhythm.
	if p := pts[119]; math.Abs(p.Expected-p.Value) > 1e-9 {
		t.Errorf("day 119 expected %v, value %v", p.Expected, p.Value)
	}
}

func TestCases(t *testing.T) {
	flat := func(n int, v float64) []float64 {
		s := make([]float64, n)
		for i := range s {
			s[i] = v
		}
		return s
	}
	with := func(s []float64, i int, v float64) []float64 { s[i] = v; return s }
	tests := []struct {
		name   string
		values []float64
		spikes []int
	}{
		{"quiet series, +2 is not a wave", with(flat(60, 1), 50, 3), nil},
		{"quiet series, +12 is", with(flat(60, 1), 50, 13), []int{50}},
		{"busy series, 3x", with(flat(60, 200), 40, 600), []int{40}},
		{"busy series, +10% is noise", with(flat(60, 200), 40, 220), nil},
		{"too early to judge", with(flat(60, 5), 10, 500), nil},
		{"a drop is not a spike", with(flat(60, 50), 40, 0), nil},
		{"all zero", flat(60, 0), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pts, err := Detect(day0, tc.values, Opts{})
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for i, p := range pts {
				if p.Spike {
					got = append(got, i)
				}
			}
			if len(got) != len(tc.spikes) || (len(got) > 0 && got[0] != tc.spikes[0]) {
				t.Errorf("spikes at %v, want %v", got, tc.spikes)
			}
		})
	}
}

func TestSpikeDay(t *testing.T) {
	vals := make([]float64, 40)
	for i := range vals {
		vals[i] = 10
	}
	vals[35] = 60
	pts, _ := Detect(day0, vals, Opts{})
	sp := Spikes(pts)
	if len(sp) != 1 || !sp[0].Day.Equal(day0.AddDate(0, 0, 35)) || sp[0].Expected != 10 {
		t.Fatalf("got %+v", sp)
	}
}

func TestBadInput(t *testing.T) {
	for _, vals := range [][]float64{{1, -1}, {math.NaN()}, {math.Inf(1)}, make([]float64, MaxDays+1)} {
		if _, err := Detect(day0, vals, Opts{}); !errors.Is(err, ErrInput) {
			t.Errorf("%v...: err %v", vals[:1], err)
		}
	}
}
