// Package spikewatch raises alerts on spikes: every interval it asks the
// analyst's service for the spikes of the watched series (cases by JR/T
// cause, messages by touchpoint …) and raises one alert per series value
// and day for a spike on the latest two days — a sudden wave of "bill not
// received" complaints after a system failure — exactly once even across
// restarts and with several processes (the store's unique key). Alerts are
// delivered through package alerts' stream and signed webhooks, and
// supervisors and analysts acknowledge or dismiss them.
//
// The decisions (which spikes become alerts, the watch configuration) are
// pure functions; Runner and Service do the I/O through interfaces.
package spikewatch

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"huajie/internal/insight"
	"huajie/internal/spikes"
)

// Watch is one watched series: a source (case, message, post) broken down
// by a dimension (cause, touchpoint …), with its thresholds.
type Watch struct {
	Source string `json:"source"`
	By     string `json:"by"`
	// Z is the robust z-score a spike must reach (default spikes.Defaults.Z).
	Z float64 `json:"z"`
	// MinCount is the least volume of the day for an alert (default 5), so
	// a quiet value's 0 → 4 raises nobody.
	MinCount float64 `json:"min_count"`
}

// DefaultMinCount is a watch's MinCount when not configured.
const DefaultMinCount = 5

// DefaultWatches are watched when no configuration is given.
func DefaultWatches() []Watch {
	w := func(src, by string) Watch {
		return Watch{Source: src, By: by, Z: spikes.Defaults.Z, MinCount: DefaultMinCount}
	}
	return []Watch{
		w(insight.SourceCase, insight.DimCause),
		w(insight.SourceMessage, insight.DimCause),
		w(insight.SourcePost, insight.DimCause),
		w(insight.SourceCase, insight.DimTouchpoint),
		w(insight.SourceMessage, insight.DimTouchpoint),
	}
}

// Limits of a watch configuration.
const (
	MaxConfigBytes = 64 << 10
	MaxConfigLine  = 512
	MaxZ           = 50
)

// ErrConfig is wrapped by every configuration error.
var ErrConfig = errors.New("spikewatch: bad watch configuration")

// ParseWatches reads a watch configuration: one watch per line,
//
//	# source/by [z=N] [min=N]
//	case/cause z=4 min=5
//	message/touchpoint z=3.5
//
// Blank lines and # comments are skipped; a series is watched once (so
// there are at most sources × breakdowns watches). Every bad line is
// reported with its number; then nothing is returned. An empty configuration is an error
// (use DefaultWatches).
func ParseWatches(r io.Reader) ([]Watch, error) {
	lr := &io.LimitedReader{R: r, N: MaxConfigBytes + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(make([]byte, 0, 4096), MaxConfigLine+1)
	var out []Watch
	var errs []error
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if len(line) > MaxConfigLine {
			errs = append(errs, fmt.Errorf("line %d: over %d bytes", n, MaxConfigLine))
			continue
		}
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		w, err := parseWatch(fields)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", n, err))
			continue
		}
		k := w.Source + "/" + w.By
		if first, ok := seen[k]; ok {
			errs = append(errs, fmt.Errorf("line %d: %s is already watched on line %d", n, k, first))
			continue
		}
		seen[k] = n
		out = append(out, w)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line %d: over %d bytes", n+1, MaxConfigLine)
		}
		errs = append(errs, err)
	}
	if lr.N <= 0 {
		errs = append(errs, fmt.Errorf("over %d bytes", MaxConfigBytes))
	}
	if len(errs) == 0 && len(out) == 0 {
		errs = append(errs, errors.New("no watch configured"))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%w: %w", ErrConfig, errors.Join(errs...))
	}
	return out, nil
}

var sources = []string{insight.SourceCase, insight.SourceMessage, insight.SourcePost}

func parseWatch(fields []string) (Watch, error) {
	w := Watch{Z: spikes.Defaults.Z, MinCount: DefaultMinCount}
	src, by, ok := strings.Cut(fields[0], "/")
	if !ok {
		return w, fmt.Errorf("%q: expected source/by, e.g. case/cause", fields[0])
	}
	if !slices.Contains(sources, src) {
		return w, fmt.Errorf("source %q: expected one of %s", src, strings.Join(sources, ", "))
	}
	if !slices.Contains(insight.Dims, by) {
		return w, fmt.Errorf("by %q: expected one of %s", by, strings.Join(insight.Dims, ", "))
	}
	w.Source, w.By = src, by
	for _, f := range fields[1:] {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return w, fmt.Errorf("%q: expected z=N or min=N", f)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return w, fmt.Errorf("%s=%q: not a number", k, v)
		}
		switch k {
		case "z":
			if x <= 0 || x > MaxZ {
				return w, fmt.Errorf("z=%v: expected above 0 and at most %d", x, MaxZ)
			}
			w.Z = x
		case "min":
			if x < 0 || x > 1e9 {
				return w, fmt.Errorf("min=%v: expected 0 to 1e9", x)
			}
			w.MinCount = x
		default:
			return w, fmt.Errorf("unknown setting %q: expected z or min", k)
		}
	}
	return w, nil
}
