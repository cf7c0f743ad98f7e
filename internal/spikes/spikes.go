// Package spikes finds sudden waves in daily complaint counts — a system
// failure producing a day of "bill not received" complaints — without
// mistaking the weekly rhythm (busy Mondays, quiet Sundays) for one.
//
// Each day is compared with a seasonal baseline: the median of the same
// weekday over the preceding weeks, rescaled by the recent level so that a
// slow trend does not look like a spike. The residual is scored with a
// robust z-score (median absolute deviation of the recent residuals, with a
// Poisson floor for small counts). A day is a spike when its z-score and its
// excess over the baseline both clear their thresholds. Everything here is a
// pure function of the series.
package spikes

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// Opts tunes detection. The zero value means the defaults.
type Opts struct {
	// Weeks of history the baseline uses (default 8).
	Weeks int
	// MinWeeks of history required before a day is judged (default 3).
	MinWeeks int
	// Z is the robust z-score a spike must reach (default 4).
	Z float64
	// MinExcess is the least number of complaints above the baseline
	// (default 3), so that 0→2 on a quiet series is not a wave.
	MinExcess float64
}

// Defaults are the thresholds measured in docs/insight.md.
var Defaults = Opts{Weeks: 8, MinWeeks: 3, Z: 4, MinExcess: 3}

func (o Opts) withDefaults() Opts {
	if o.Weeks <= 0 {
		o.Weeks = Defaults.Weeks
	}
	if o.MinWeeks <= 0 {
		o.MinWeeks = Defaults.MinWeeks
	}
	if o.MinWeeks > o.Weeks {
		o.MinWeeks = o.Weeks
	}
	if o.Z <= 0 {
		o.Z = Defaults.Z
	}
	if o.MinExcess <= 0 {
		o.MinExcess = Defaults.MinExcess
	}
	return o
}

// Point is one day of a series with its baseline and score.
type Point struct {
	Day      time.Time `json:"day"`
	Value    float64   `json:"value"`
	Expected float64   `json:"expected"`
	Z        float64   `json:"z"`
	Spike    bool      `json:"spike"`
	// Judged is false for the first days, before enough history.
	Judged bool `json:"judged"`
}

// MaxDays bounds a series (ten years of days).
const MaxDays = 3660

// ErrInput is wrapped by every input error.
var ErrInput = errors.New("spikes: bad input")

// Detect scores each day of a daily series that starts at start (a day
// boundary; one value per consecutive day). Values must be finite and not
// negative.
func Detect(start time.Time, values []float64, o Opts) ([]Point, error) {
	if len(values) > MaxDays {
		return nil, fmt.Errorf("%w: %d days, at most %d", ErrInput, len(values), MaxDays)
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, fmt.Errorf("%w: day %d: value %v", ErrInput, i, v)
		}
	}
	o = o.withDefaults()
	out := make([]Point, len(values))
	window := 7 * o.Weeks
	first := 7 * o.MinWeeks
	same := make([]float64, 0, o.Weeks)
	scratch := make([]float64, 0, window)
	// A day's baseline depends only on the days before it, so each is
	// computed once.
	exps := make([]float64, len(values))
	for t := first; t < len(values); t++ {
		exps[t] = expected(values, t, o.Weeks, same, scratch)
	}
	resid := make([]float64, 0, window)
	for t, v := range values {
		out[t] = Point{Day: start.AddDate(0, 0, t), Value: v}
		if t < first {
			continue
		}
		exp := exps[t]
		// Residuals of the recent days against their own baselines
		// give the scale; days before enough history are left out.
		resid = resid[:0]
		for s := max(first, t-window); s < t; s++ {
			resid = append(resid, values[s]-exps[s])
		}
		scale := 1.0
		if len(resid) >= 7 {
			scale = max(scale, 1.4826*mad(resid))
		}
		// Counts are at least Poisson-noisy: a quiet series' MAD of 0
		// must not turn every extra complaint into a spike.
		scale = max(scale, math.Sqrt(max(exp, 0)))
		z := (v - exp) / scale
		out[t].Expected = exp
		out[t].Z = z
		out[t].Judged = true
		out[t].Spike = z >= o.Z && v-exp >= o.MinExcess
	}
	return out, nil
}

// expected is day t's baseline: the median of the same weekday over the
// preceding weeks, times the ratio of the last week's level to the level
// those weeks had (both as medians, so a spike in the history does not
// lift the baseline).
func expected(values []float64, t, weeks int, buf, scratch []float64) float64 {
	buf = buf[:0]
	for k := 1; k <= weeks && t-7*k >= 0; k++ {
		buf = append(buf, values[t-7*k])
	}
	base := median(buf)
	// Level adjustment: recent 7 days against the whole window.
	lo := max(0, t-7*weeks)
	recent := median(append(scratch[:0], values[max(lo, t-7):t]...))
	all := median(append(scratch[:0], values[lo:t]...))
	if all > 0 && recent > 0 {
		r := recent / all
		// Bounded: a level shift is followed, not extrapolated.
		r = min(max(r, 0.5), 2)
		base *= r
	}
	return base
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func mad(xs []float64) float64 {
	m := median(xs)
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return median(d)
}

// Spikes returns only the days flagged as spikes.
func Spikes(points []Point) []Point {
	var out []Point
	for _, p := range points {
		if p.Spike {
			out = append(out, p)
		}
	}
	return out
}
