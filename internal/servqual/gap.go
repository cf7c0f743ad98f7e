package servqual

import (
	"fmt"
	"math"
	"sort"
)

// The questionnaire's scale: 1 (strongly disagree) to 7 (strongly agree),
// as in the original SERVQUAL instrument.
const (
	ScaleMin = 1
	ScaleMax = 7
)

// Item is one questionnaire item's answers: how the respondent expected an
// excellent bank to be and how this bank was.
type Item struct {
	Dimension   Dimension `json:"dimension"`
	Code        string    `json:"code,omitempty"` // e.g. "REL1"
	Expectation float64   `json:"expectation"`
	Perception  float64   `json:"perception"`
}

// Check validates an item.
func (it Item) Check() error {
	if !it.Dimension.Valid() {
		return fmt.Errorf("dimension %q: want one of reliability, responsiveness, assurance, empathy, tangibles", it.Dimension)
	}
	for _, v := range []struct {
		name string
		x    float64
	}{{"expectation", it.Expectation}, {"perception", it.Perception}} {
		if math.IsNaN(v.x) || v.x < ScaleMin || v.x > ScaleMax {
			return fmt.Errorf("%s %v out of range %d–%d", v.name, v.x, ScaleMin, ScaleMax)
		}
	}
	return nil
}

// Response is one respondent's questionnaire at a touchpoint.
type Response struct {
	Touchpoint string `json:"touchpoint,omitempty"`
	Items      []Item `json:"items"`
}

// DimensionGap is the mean expectation, mean perception and gap
// (perception − expectation; negative means the bank fell short) over N
// item answers.
type DimensionGap struct {
	Dimension   Dimension `json:"dimension"`
	N           int       `json:"n"`
	Expectation float64   `json:"expectation"`
	Perception  float64   `json:"perception"`
	Gap         float64   `json:"gap"`
}

// TouchpointGaps is the gaps at one touchpoint.
type TouchpointGaps struct {
	Touchpoint string         `json:"touchpoint"`
	Responses  int            `json:"responses"`
	Dimensions []DimensionGap `json:"dimensions"`
	// Score is the unweighted mean of the dimensions' gaps that have
	// answers (the SERVQUAL score).
	Score float64 `json:"score"`
}

// Gaps is the questionnaires' result overall and per touchpoint.
type Gaps struct {
	Overall     TouchpointGaps   `json:"overall"`
	Touchpoints []TouchpointGaps `json:"touchpoints"`
}

type acc struct {
	n    int
	e, p float64
}

// Accumulator sums answers; it lets a store stream rows into it.
type Accumulator struct {
	all     map[Dimension]*acc
	tp      map[string]map[Dimension]*acc
	nAll    int
	nTP     map[string]int
	invalid int
}

// NewAccumulator returns an empty accumulator.
func NewAccumulator() *Accumulator {
	return &Accumulator{all: map[Dimension]*acc{}, tp: map[string]map[Dimension]*acc{}, nTP: map[string]int{}}
}

// Add adds one response; invalid items are counted and left out.
func (a *Accumulator) Add(r Response) {
	a.nAll++
	a.nTP[r.Touchpoint]++
	m := a.tp[r.Touchpoint]
	if m == nil {
		m = map[Dimension]*acc{}
		a.tp[r.Touchpoint] = m
	}
	for _, it := range r.Items {
		if it.Check() != nil {
			a.invalid++
			continue
		}
		for _, mm := range []map[Dimension]*acc{a.all, m} {
			x := mm[it.Dimension]
			if x == nil {
				x = &acc{}
				mm[it.Dimension] = x
			}
			x.n++
			x.e += it.Expectation
			x.p += it.Perception
		}
	}
}

// Invalid is the number of items left out.
func (a *Accumulator) Invalid() int { return a.invalid }

func summarize(tp string, n int, m map[Dimension]*acc) TouchpointGaps {
	g := TouchpointGaps{Touchpoint: tp, Responses: n}
	var sum float64
	var k int
	for _, d := range Dimensions {
		dg := DimensionGap{Dimension: d}
		if x := m[d]; x != nil && x.n > 0 {
			dg.N = x.n
			dg.Expectation = x.e / float64(x.n)
			dg.Perception = x.p / float64(x.n)
			dg.Gap = dg.Perception - dg.Expectation
			sum += dg.Gap
			k++
		}
		g.Dimensions = append(g.Dimensions, dg)
	}
	if k > 0 {
		g.Score = sum / float64(k)
	}
	return g
}

// Result returns the gaps; touchpoints are sorted by score, worst first.
func (a *Accumulator) Result() Gaps {
	g := Gaps{Overall: summarize("", a.nAll, a.all)}
	for tp, m := range a.tp {
		if tp == "" {
			continue
		}
		g.Touchpoints = append(g.Touchpoints, summarize(tp, a.nTP[tp], m))
	}
	sort.Slice(g.Touchpoints, func(i, j int) bool {
		if g.Touchpoints[i].Score != g.Touchpoints[j].Score {
			return g.Touchpoints[i].Score < g.Touchpoints[j].Score
		}
		return g.Touchpoints[i].Touchpoint < g.Touchpoints[j].Touchpoint
	})
	return g
}

// ComputeGaps is the gaps of a set of responses.
func ComputeGaps(rs []Response) Gaps {
	a := NewAccumulator()
	for _, r := range rs {
		a.Add(r)
	}
	return a.Result()
}
