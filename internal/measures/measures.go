// Package measures is prevention measures (预防措施): an action tied to a
// root cause or a touchpoint, with an owner, a due date and a status, and
// the measurement of its effect — the rate of the targeted complaints
// before and after the measure took effect, with a significance test.
package measures

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is where a measure stands.
type Status string

const (
	StatusPlanned    Status = "planned"
	StatusInProgress Status = "in_progress"
	StatusDone       Status = "done"
	StatusCancelled  Status = "cancelled"
)

// Statuses lists the accepted statuses.
var Statuses = []Status{StatusPlanned, StatusInProgress, StatusDone, StatusCancelled}

// TargetKind is what a measure is aimed at.
type TargetKind string

const (
	// TargetCause is a JR/T 0169-2018 cause code (C…), or any code of the
	// standard's three axes.
	TargetCause TargetKind = "cause"
	// TargetTouchpoint is a moment of truth (queueing, atm, app_login…).
	TargetTouchpoint TargetKind = "touchpoint"
	// TargetCluster is a root-cause candidate found by clustering, named
	// by its top terms.
	TargetCluster TargetKind = "cluster"
)

// Target is what the measure should reduce.
type Target struct {
	Kind  TargetKind `json:"kind"`
	Value string     `json:"value"`
}

// Measure is one prevention measure.
type Measure struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description,omitempty"`
	Target      Target    `json:"target"`
	Owner       string    `json:"owner"`
	Due         time.Time `json:"due"`
	Status      Status    `json:"status"`
	// EffectiveFrom is when the measure took effect; the effect compares
	// the periods before and after it. Zero until it is set.
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	CreatedBy     string    `json:"created_by,omitempty"`
	CreatedAt     time.Time `json:"created_at,omitzero"`
	UpdatedAt     time.Time `json:"updated_at,omitzero"`
	Version       int64     `json:"version"`
}

// Limits on a measure's text.
const (
	MaxTitle       = 200
	MaxDescription = 4000
	MaxOwner       = 100
)

// ValidationError says which field is wrong and why.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return "measures: " + e.Field + ": " + e.Reason }

// ErrNotFound is returned for an unknown measure.
var ErrNotFound = errors.New("measures: not found")

// ErrConflict is returned when a measure changed since it was read (its
// version differs).
var ErrConflict = errors.New("measures: changed since read")

// Validate checks a measure before it is stored.
func (m *Measure) Validate() error {
	m.Title = strings.TrimSpace(m.Title)
	m.Owner = strings.TrimSpace(m.Owner)
	switch {
	case m.Title == "":
		return &ValidationError{"title", "required"}
	case utf8.RuneCountInString(m.Title) > MaxTitle:
		return &ValidationError{"title", fmt.Sprintf("at most %d characters", MaxTitle)}
	case utf8.RuneCountInString(m.Description) > MaxDescription:
		return &ValidationError{"description", fmt.Sprintf("at most %d characters", MaxDescription)}
	case m.Owner == "":
		return &ValidationError{"owner", "required"}
	case utf8.RuneCountInString(m.Owner) > MaxOwner:
		return &ValidationError{"owner", fmt.Sprintf("at most %d characters", MaxOwner)}
	case m.Due.IsZero():
		return &ValidationError{"due", "required"}
	}
	switch m.Target.Kind {
	case TargetCause, TargetTouchpoint, TargetCluster:
	default:
		return &ValidationError{"target.kind", "one of cause, touchpoint, cluster"}
	}
	if strings.TrimSpace(m.Target.Value) == "" || len(m.Target.Value) > 200 {
		return &ValidationError{"target.value", "required, at most 200 bytes"}
	}
	if m.Status == "" {
		m.Status = StatusPlanned
	}
	ok := false
	for _, s := range Statuses {
		ok = ok || s == m.Status
	}
	if !ok {
		return &ValidationError{"status", "one of planned, in_progress, done, cancelled"}
	}
	return nil
}

// Counts is the targeted complaints (Events) out of a denominator
// (Exposure: all complaints, interactions, or days) in one period.
type Counts struct {
	Events   int64   `json:"events"`
	Exposure float64 `json:"exposure"`
}

// Rate is Events / Exposure (0 when there is no exposure).
func (c Counts) Rate() float64 {
	if c.Exposure <= 0 {
		return 0
	}
	return float64(c.Events) / c.Exposure
}

// Test is a significance test's result. Change is after − before as a
// difference of rates; Ratio is after / before (NaN-free: 0 when before is
// 0). P is two-sided.
type Test struct {
	Method     string  `json:"method"`
	BeforeRate float64 `json:"before_rate"`
	AfterRate  float64 `json:"after_rate"`
	Change     float64 `json:"change"`
	Ratio      float64 `json:"ratio"`
	Z          float64 `json:"z"`
	P          float64 `json:"p"`
	// Significant is P < Alpha.
	Significant bool    `json:"significant"`
	Alpha       float64 `json:"alpha"`
}

// Alpha is the significance level used by the effect.
const Alpha = 0.05

// ErrInput is wrapped by bad counts.
var ErrInput = errors.New("measures: bad counts")

// TwoProportion is the two-proportion z-test with the pooled proportion:
// before and after are events out of trials (Exposure is a count).
//
//	p̂ = (x1+x2)/(n1+n2), z = (p2−p1) / √(p̂(1−p̂)(1/n1+1/n2)), P = erfc(|z|/√2)
func TwoProportion(before, after Counts) (Test, error) {
	if err := check(before, true); err != nil {
		return Test{}, fmt.Errorf("before: %w", err)
	}
	if err := check(after, true); err != nil {
		return Test{}, fmt.Errorf("after: %w", err)
	}
	p1, p2 := before.Rate(), after.Rate()
	p := float64(before.Events+after.Events) / (before.Exposure + after.Exposure)
	se := math.Sqrt(p * (1 - p) * (1/before.Exposure + 1/after.Exposure))
	t := Test{Method: "two_proportion_z", BeforeRate: p1, AfterRate: p2, Change: p2 - p1, Alpha: Alpha, P: 1}
	if p1 > 0 {
		t.Ratio = p2 / p1
	}
	if se > 0 {
		t.Z = (p2 - p1) / se
		t.P = math.Erfc(math.Abs(t.Z) / math.Sqrt2)
	}
	t.Significant = t.P < Alpha
	return t, nil
}

// PoissonRate compares two Poisson rates (events per unit of exposure, such
// as per day) with the conditional test: given n = x1+x2 events, x2 is
// Binomial(n, q) with q = t2/(t1+t2) when the rates are equal. P is the
// exact two-sided binomial probability (the sum of the outcomes no more
// likely than the one observed); Z is the score statistic
// (x2 − nq)/√(nq(1−q)), reported for reading.
func PoissonRate(before, after Counts) (Test, error) {
	if err := check(before, false); err != nil {
		return Test{}, fmt.Errorf("before: %w", err)
	}
	if err := check(after, false); err != nil {
		return Test{}, fmt.Errorf("after: %w", err)
	}
	r1, r2 := before.Rate(), after.Rate()
	t := Test{Method: "poisson_rate_exact", BeforeRate: r1, AfterRate: r2, Change: r2 - r1, Alpha: Alpha, P: 1}
	if r1 > 0 {
		t.Ratio = r2 / r1
	}
	n := before.Events + after.Events
	q := after.Exposure / (before.Exposure + after.Exposure)
	if n > 0 {
		t.Z = (float64(after.Events) - float64(n)*q) / math.Sqrt(float64(n)*q*(1-q))
		t.P = binomTwoSided(after.Events, n, q)
	}
	t.Significant = t.P < Alpha
	return t, nil
}

// binomTwoSided is the exact two-sided binomial test's P value.
func binomTwoSided(k, n int64, q float64) float64 {
	logpmf := func(i int64) float64 {
		lg1, _ := math.Lgamma(float64(n + 1))
		lg2, _ := math.Lgamma(float64(i + 1))
		lg3, _ := math.Lgamma(float64(n - i + 1))
		return lg1 - lg2 - lg3 + float64(i)*math.Log(q) + float64(n-i)*math.Log1p(-q)
	}
	obs := logpmf(k)
	// Relative tolerance as R's binom.test uses, so ties count.
	limit := obs + math.Log1p(1e-7)
	var p float64
	for i := int64(0); i <= n; i++ {
		if l := logpmf(i); l <= limit {
			p += math.Exp(l)
		}
	}
	return min(p, 1)
}

// MaxEvents bounds the exact test's loop.
const MaxEvents = 10_000_000

func check(c Counts, proportion bool) error {
	switch {
	case c.Events < 0 || c.Events > MaxEvents:
		return fmt.Errorf("%w: events %d", ErrInput, c.Events)
	case math.IsNaN(c.Exposure) || math.IsInf(c.Exposure, 0) || c.Exposure <= 0:
		return fmt.Errorf("%w: exposure %v, must be positive", ErrInput, c.Exposure)
	case proportion && float64(c.Events) > c.Exposure:
		return fmt.Errorf("%w: %d events out of %v", ErrInput, c.Events, c.Exposure)
	}
	return nil
}

// Effect is a measure's before/after comparison over two equal-length
// windows either side of its effective date.
type Effect struct {
	From       time.Time `json:"from"`
	Effective  time.Time `json:"effective"`
	To         time.Time `json:"to"`
	Before     Counts    `json:"before"`
	After      Counts    `json:"after"`
	Proportion Test      `json:"proportion"` // targeted share of all complaints
	PerDay     Test      `json:"per_day"`    // targeted complaints per day
}

// Windows returns the before window [from, effective) and after window
// [effective, to) of length days each; the after window ends at now at the
// latest, and the before window is as long as the after window.
func Windows(effective, now time.Time, days int) (from, to time.Time) {
	to = effective.AddDate(0, 0, days)
	if to.After(now) {
		to = now
	}
	return effective.Add(-to.Sub(effective)), to
}

// MeasureEffect computes the effect from the targeted counts and totals of the
// two windows.
func MeasureEffect(from, effective, to time.Time, targetedBefore, totalBefore, targetedAfter, totalAfter int64) (Effect, error) {
	e := Effect{From: from, Effective: effective, To: to}
	d1 := effective.Sub(from).Hours() / 24
	d2 := to.Sub(effective).Hours() / 24
	if d1 <= 0 || d2 <= 0 {
		return e, fmt.Errorf("%w: empty window (%v days before, %v after)", ErrInput, d1, d2)
	}
	e.Before = Counts{Events: targetedBefore, Exposure: float64(totalBefore)}
	e.After = Counts{Events: targetedAfter, Exposure: float64(totalAfter)}
	var err error
	if totalBefore > 0 && totalAfter > 0 {
		if e.Proportion, err = TwoProportion(e.Before, e.After); err != nil {
			return e, err
		}
	}
	e.PerDay, err = PoissonRate(Counts{Events: targetedBefore, Exposure: d1}, Counts{Events: targetedAfter, Exposure: d2})
	return e, err
}
