// Package insight turns what is stored — cases, interactions, posts — into
// the facts the analyst's views count: each record's JR/T 0169-2018 codes,
// touchpoint, SERVQUAL dimension, emotion and negativity, and for a case
// its decision and closing times, whether it was upheld and the redress
// paid. It also holds the views' pure helpers: time buckets and the
// peak-end view of a conversation. It knows nothing of SQL or HTTP.
package insight

import (
	"slices"
	"time"

	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/interactions"
	"huajie/internal/jrt"
	"huajie/internal/reports"
	"huajie/internal/servqual"
	"huajie/internal/touchpoints"
)

// Dimensions a series can be broken down by. "all" is the total.
const (
	DimAll         = "all"
	DimChannel     = "channel"      // intake channel as Huajie spells it
	DimChannelCode = "channel_code" // JR/T A code
	DimBusiness    = "business"     // JR/T B code
	DimCause       = "cause"        // JR/T C code
	DimTouchpoint  = "touchpoint"
	DimBranch      = "branch"
	DimProduct     = "product"
	DimTeam        = "team"
	DimEmotion     = "emotion"
	DimServqual    = "servqual" // SERVQUAL dimension
)

// Dims lists the breakdowns in display order.
var Dims = []string{DimAll, DimChannel, DimChannelCode, DimBusiness, DimCause, DimTouchpoint, DimBranch, DimProduct, DimTeam, DimEmotion, DimServqual}

// ValidDim reports whether d is a breakdown.
func ValidDim(d string) bool { return slices.Contains(Dims, d) }

// Sources of facts.
const (
	SourceMessage = "message" // customer messages of interactions
	SourcePost    = "post"    // social-media posts
	SourceCase    = "case"
)

// Deriver derives facts with the configured touchpoints, SERVQUAL cues
// and time zone.
type Deriver struct {
	Touchpoints *touchpoints.List
	Servqual    *servqual.Lexicon
	// Calendar decides the business days of the deadline bands; its
	// Location is the zone days are counted in (see zone.go).
	Calendar deadlines.Calendar
}

// NewDeriver returns a deriver with the built-in lists where nil, counting
// days in loc (DefaultZone when nil).
func NewDeriver(tp *touchpoints.List, sq *servqual.Lexicon, loc *time.Location) *Deriver {
	if tp == nil {
		tp = touchpoints.Default()
	}
	if sq == nil {
		sq = servqual.Default()
	}
	if loc == nil {
		loc = DefaultZone()
	}
	return &Deriver{Touchpoints: tp, Servqual: sq, Calendar: deadlines.Calendar{Location: loc}}
}

// Zone is the zone days are counted in.
func (d *Deriver) Zone() *time.Location {
	if d.Calendar.Location == nil {
		return time.UTC // as deadlines.Calendar reads a nil Location
	}
	return d.Calendar.Location
}

// Day is the number of t's calendar date in the deriver's zone.
func (d *Deriver) Day(t time.Time) int64 { return DayIn(t, d.Zone()) }

// DayStart is the instant a day starts in the deriver's zone.
func (d *Deriver) DayStart(day int64) time.Time { return DayStart(day, d.Zone()) }

// Fact is one record's values on every breakdown, with its measures.
type Fact struct {
	At time.Time
	// Day is At's day in the deriver's zone.
	Day      int64
	Values   map[string]string // dim → value ("" when unknown)
	Negative float64           // P(negative) of the text
	Risk     float64           // conversation risk after a message
	High     bool              // risk level high
}

// NegativeThreshold is the P(negative) above which a record counts as
// negative (a complaint signal) in the rates.
const NegativeThreshold = 0.5

// topCode returns the best-scored problem code on an axis.
func topCode(ps []interactions.Problem, axis string) string {
	best, score := "", -1.0
	for _, p := range ps {
		if string(p.Axis) == axis && p.Score > score {
			best, score = p.Code, p.Score
		}
	}
	return best
}

// Place is where a record comes from: its channel, and the team, branch
// and product when known.
type Place struct {
	Channel, Team, Branch, Product string
}

// Message derives a customer message's fact from its stored analysis.
func (d *Deriver) Message(p Place, text string, at time.Time, a interactions.Analysis, risk float64, level string) Fact {
	code, _ := jrt.ChannelCode(p.Channel)
	return Fact{
		At: at, Day: d.Day(at),
		Values: map[string]string{
			DimChannel: p.Channel, DimChannelCode: code, DimTeam: p.Team, DimBranch: p.Branch, DimProduct: p.Product,
			DimCause: topCode(a.Problems, "cause"), DimBusiness: topCode(a.Problems, "business"),
			DimTouchpoint: d.Touchpoints.Infer(text), DimEmotion: string(a.Emotion),
			DimServqual: string(d.Servqual.Attribute(text).Dimension),
		},
		Negative: a.Negative, Risk: risk, High: level == "high",
	}
}

// Post derives a post's fact; the touchpoint given wins over the inferred.
func (d *Deriver) Post(channel, touchpoint, branch, product, team, text string, at time.Time, a interactions.Analysis) Fact {
	f := d.Message(Place{Channel: channel, Team: team, Branch: branch, Product: product}, text, at, a, 0, "")
	if touchpoint != "" {
		f.Values[DimTouchpoint] = touchpoint
	}
	return f
}

// CaseFact is a case as the views and reports count it.
type CaseFact struct {
	CaseID     string
	ReceivedAt time.Time
	// Day is ReceivedAt's day in the deriver's zone.
	Day          int64
	Channel      string
	ChannelCode  string
	BusinessCode string
	CauseCode    string
	Touchpoint   string
	Branch       string
	Product      string
	Team         string
	Dimension    string
	Emotion      string
	Negative     float64
	DecidedAt    time.Time
	ClosedAt     time.Time
	Upheld       *bool
	Redress      map[string]int64
	Text         string
	UpdatedAt    time.Time
	// DecidedBand and ClosedBand are reports.DecidedBand and ClosedBand.
	DecidedBand, ClosedBand int
}

// MaxFactText is how much of a case's text is kept for clustering.
const MaxFactText = 2000

// Case derives a case's fact. Upheld: a substantiated finding upholds the
// complaint; findings all found unsubstantiated reject it; otherwise
// undetermined. Redress: the money remedies (refund, compensation, fee
// waiver) of the solutions the customer accepted.
func (d *Deriver) Case(c *cases.Case) CaseFact {
	f := CaseFact{
		CaseID: c.ID, ReceivedAt: c.ReceivedAt, Day: d.Day(c.ReceivedAt), Channel: string(c.Channel),
		ChannelCode: c.Assessment.ChannelCode, BusinessCode: c.Assessment.BusinessCode, CauseCode: c.Assessment.CauseCode,
		Product: c.ProductRef, Branch: c.Branch, Team: c.Team, Emotion: string(c.Assessment.Emotion), Negative: c.Assessment.Negative,
		ClosedAt: c.ClosedAt, UpdatedAt: c.UpdatedAt,
	}
	if f.ChannelCode == "" {
		f.ChannelCode, _ = jrt.ChannelCode(string(c.Channel))
	}
	f.Touchpoint = d.Touchpoints.Infer(c.Text)
	f.Dimension = string(d.Servqual.Attribute(c.Text).Dimension)
	if t, ok := c.Deadline.Milestones[deadlines.MilestoneDecision]; ok {
		f.DecidedAt = t
	}
	determined, upheld := 0, false
	for _, fi := range c.Findings {
		if fi.Substantiated != nil {
			determined++
			upheld = upheld || *fi.Substantiated
		}
	}
	if determined > 0 {
		f.Upheld = &upheld
	}
	accepted := map[string]bool{}
	for _, r := range c.Responses {
		if r.Accepted {
			accepted[r.SolutionID] = true
		}
	}
	for _, s := range c.Solutions {
		if !accepted[s.ID] {
			continue
		}
		for _, r := range s.Remedies {
			switch r.Kind {
			case cases.RemedyRefund, cases.RemedyCompensation, cases.RemedyFeeWaiver:
				if r.AmountMinor > 0 {
					cur := r.Currency
					if cur == "" {
						cur = "CNY"
					}
					if f.Redress == nil {
						f.Redress = map[string]int64{}
					}
					f.Redress[cur] += r.AmountMinor
				}
			}
		}
	}
	f.DecidedBand = reports.DecidedBand(d.Calendar, f.ReceivedAt, f.DecidedAt)
	f.ClosedBand = reports.ClosedBand(d.Calendar, f.ReceivedAt, f.ClosedAt)
	f.Text = c.Text
	if r := []rune(f.Text); len(r) > MaxFactText {
		f.Text = string(r[:MaxFactText])
	}
	return f
}

// Report returns the case as the reports package reads it.
func (f CaseFact) Report() reports.Case {
	return reports.Case{ID: f.CaseID, ReceivedAt: f.ReceivedAt, ChannelCode: f.ChannelCode, BusinessCode: f.BusinessCode,
		CauseCode: f.CauseCode, DecidedAt: f.DecidedAt, ClosedAt: f.ClosedAt, Upheld: f.Upheld, Redress: f.Redress}
}

// Value returns the fact's value on a breakdown.
func (f CaseFact) Value(dim string) string {
	switch dim {
	case DimChannel:
		return f.Channel
	case DimChannelCode:
		return f.ChannelCode
	case DimBusiness:
		return f.BusinessCode
	case DimCause:
		return f.CauseCode
	case DimTouchpoint:
		return f.Touchpoint
	case DimBranch:
		return f.Branch
	case DimProduct:
		return f.Product
	case DimTeam:
		return f.Team
	case DimEmotion:
		return f.Emotion
	case DimServqual:
		return f.Dimension
	}
	return ""
}

// TrimCode shortens a JR/T code to its top level (C0102 → C01) when top
// is set; other values are unchanged.
func TrimCode(dim, v string, top bool) string {
	if !top || len(v) < 3 {
		return v
	}
	switch dim {
	case DimCause, DimBusiness, DimChannelCode:
		return v[:3]
	}
	return v
}
