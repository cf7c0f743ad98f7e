package measures

import (
	"errors"
	"math"
	"testing"
	"time"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// The expected values are worked by hand from the formulas in the doc
// comments (and cross-checked with Python's math.erfc and math.comb).
func TestTwoProportion(t *testing.T) {
	tests := []struct {
		x1, n1, x2, n2 int64
		z, p           float64
		sig            bool
	}{
		// p̂ = 45/2000 = .0225; se = √(.0225·.9775·.002) = .0066323;
		// z = −.015/.0066323 = −2.26166; P = erfc(2.26166/√2) = .023719
		{30, 1000, 15, 1000, -2.261656, 0.0237186, true},
		// p̂ = 98/800 = .1225; se = √(.1225·.8775·.005) = .023181;
		// z = −.005/.023181 = −.21567; P = .82924
		{50, 400, 48, 400, -0.215672, 0.829244, false},
		// p1 = .06, p2 = .03333; p̂ = 180/3800; z = −3.86386; P = .0001116
		{120, 2000, 60, 1800, -3.863859, 0.00011161, true},
		// no events at all: no evidence
		{0, 100, 0, 100, 0, 1, false},
	}
	for _, tc := range tests {
		got, err := TwoProportion(Counts{tc.x1, float64(tc.n1)}, Counts{tc.x2, float64(tc.n2)})
		if err != nil {
			t.Fatal(err)
		}
		if !near(got.Z, tc.z, 1e-5) || !near(got.P, tc.p, 1e-6) || got.Significant != tc.sig {
			t.Errorf("%d/%d → %d/%d: z=%v p=%v sig=%v, want z=%v p=%v sig=%v", tc.x1, tc.n1, tc.x2, tc.n2, got.Z, got.P, got.Significant, tc.z, tc.p, tc.sig)
		}
	}
}

func TestPoissonRate(t *testing.T) {
	tests := []struct {
		x1     int64
		t1     float64
		x2     int64
		t2     float64
		z, p   float64
		sig    bool
		ratio  float64
		method string
	}{
		// n = 15, q = ½: P(X ≤ 3) = (1+15+105+455)/2¹⁵ = 576/32768;
		// two-sided 1152/32768 = .03515625; z = (3−7.5)/√3.75 = −2.32379
		{12, 28, 3, 28, -2.323790, 0.03515625, true, 0.25, "poisson_rate_exact"},
		// n = 60, q = ½: 2·P(X ≤ 20) = .0134893; z = −10/√15 = −2.58199
		{40, 30, 20, 30, -2.581989, 0.0134893, true, 0.5, "poisson_rate_exact"},
		// equal rates over unequal exposure: x2 = nq exactly
		{100, 30, 50, 15, 0, 1, false, 1, "poisson_rate_exact"},
		{10, 10, 10, 10, 0, 1, false, 1, "poisson_rate_exact"},
	}
	for _, tc := range tests {
		got, err := PoissonRate(Counts{tc.x1, tc.t1}, Counts{tc.x2, tc.t2})
		if err != nil {
			t.Fatal(err)
		}
		if !near(got.Z, tc.z, 1e-5) || !near(got.P, tc.p, 1e-6) || got.Significant != tc.sig || !near(got.Ratio, tc.ratio, 1e-12) || got.Method != tc.method {
			t.Errorf("%d/%v → %d/%v: got %+v", tc.x1, tc.t1, tc.x2, tc.t2, got)
		}
	}
}

func TestBadCounts(t *testing.T) {
	bad := [][2]Counts{
		{{-1, 10}, {1, 10}},
		{{1, 0}, {1, 10}},
		{{1, 10}, {1, math.NaN()}},
		{{11, 10}, {1, 10}}, // more events than trials
	}
	for _, b := range bad {
		if _, err := TwoProportion(b[0], b[1]); !errors.Is(err, ErrInput) {
			t.Errorf("TwoProportion(%v): %v", b, err)
		}
	}
	if _, err := PoissonRate(Counts{1, -3}, Counts{1, 1}); !errors.Is(err, ErrInput) {
		t.Errorf("PoissonRate negative exposure: %v", err)
	}
}

func TestMeasureEffect(t *testing.T) {
	eff := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	from, to := Windows(eff, eff.AddDate(0, 0, 20), 28)
	if !to.Equal(eff.AddDate(0, 0, 20)) || !from.Equal(eff.AddDate(0, 0, -20)) {
		t.Fatalf("windows %v %v", from, to)
	}
	e, err := MeasureEffect(from, eff, to, 40, 1000, 20, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !near(e.PerDay.P, 0.0134893, 1e-6) || e.Proportion.Method != "two_proportion_z" || !e.Proportion.Significant {
		t.Errorf("effect %+v", e)
	}
	if _, err := MeasureEffect(eff, eff, to, 1, 1, 1, 1); !errors.Is(err, ErrInput) {
		t.Errorf("empty window: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := func() Measure {
		return Measure{Title: "对账单推送失败监控", Owner: "运营部", Due: time.Now(), Target: Target{TargetCause, "C02"}}
	}
	m := ok()
	if err := m.Validate(); err != nil || m.Status != StatusPlanned {
		t.Fatalf("valid measure: %v, status %q", err, m.Status)
	}
	for field, mut := range map[string]func(*Measure){
		"title":        func(m *Measure) { m.Title = "  " },
		"owner":        func(m *Measure) { m.Owner = "" },
		"due":          func(m *Measure) { m.Due = time.Time{} },
		"target.kind":  func(m *Measure) { m.Target.Kind = "x" },
		"target.value": func(m *Measure) { m.Target.Value = "" },
		"status":       func(m *Measure) { m.Status = "finished" },
	} {
		m := ok()
		mut(&m)
		var ve *ValidationError
		if err := m.Validate(); !errors.As(err, &ve) || ve.Field != field {
			t.Errorf("%s: %v", field, err)
		}
	}
}
