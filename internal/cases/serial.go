package cases

import (
	"context"
	"slices"
	"time"
)

// The serial-complainers report (issue 5): customers with many complaints
// across channels and cases, what came of them and what compensation they
// obtained, for a supervisor to look at. It shows a pattern, never a
// verdict: a customer who complains often may have been failed often.

// SerialFilter selects the report's customers.
type SerialFilter struct {
	// MinComplaints is the number of cases received since Since that puts
	// a customer on the report; default 3, at least 2.
	MinComplaints int `json:"min_complaints"`
	// Since bounds the cases counted; default a year before now.
	Since time.Time `json:"since"`
	// Limit caps the customers listed (most complaints first); default 50,
	// at most MaxSerialLimit.
	Limit int `json:"limit"`
}

// MaxSerialLimit caps SerialFilter.Limit.
const MaxSerialLimit = 200

// SerialCase is one of a customer's cases on the report.
type SerialCase struct {
	ID         string         `json:"id"`
	ReceivedAt time.Time      `json:"received_at"`
	Channel    Channel        `json:"channel"`
	State      State          `json:"state"`
	Title      string         `json:"title"`
	Goodwill   GoodwillResult `json:"goodwill,omitempty"`
	// Decision is the latest supervisor decision on its goodwill
	// assessment, if any.
	Decision GoodwillResult `json:"decision,omitempty"`
	// Outcome: "open", "accepted" (the customer accepted a solution),
	// "merged" (a duplicate merged into MergedInto) or "closed".
	Outcome    string `json:"outcome"`
	MergedInto string `json:"merged_into,omitempty"`
}

// MergeOffer is a pair of a customer's open cases on the same matter,
// offered for merging (Source into Target, the earlier).
type MergeOffer struct {
	Target     string  `json:"target_id"`
	Source     string  `json:"source_id"`
	Reason     string  `json:"reason"`
	Similarity float64 `json:"similarity"`
}

// SerialComplainer is one customer on the report.
type SerialComplainer struct {
	CustomerID   string    `json:"customer_id"`
	CustomerName string    `json:"customer_name"`
	Complaints   int       `json:"complaints"`
	Channels     []Channel `json:"channels"`
	First        time.Time `json:"first"`
	Last         time.Time `json:"last"`
	// Outcomes counts the cases by SerialCase.Outcome.
	Outcomes      map[string]int `json:"outcomes"`
	Compensations []Compensation `json:"compensations"`
	// CompensationMinor totals the compensations by currency.
	CompensationMinor map[string]int64 `json:"compensation_minor"`
	// Goodwill counts the cases by assessed result; Decisions by the
	// supervisors' decisions.
	Goodwill  map[GoodwillResult]int `json:"goodwill"`
	Decisions map[GoodwillResult]int `json:"decisions"`
	Cases     []SerialCase           `json:"cases"`
	// MergeOffers are duplicates among the customer's open cases.
	MergeOffers []MergeOffer `json:"merge_offers"`
}

// SerialReport is the report.
type SerialReport struct {
	Notice        Notice             `json:"notice"`
	Since         time.Time          `json:"since"`
	MinComplaints int                `json:"min_complaints"`
	Items         []SerialComplainer `json:"items"`
}

// SerialNotice heads the report.
var SerialNotice = Notice{
	Zh: "本报告列出多次投诉的客户及其处理结果和所获补偿，仅供主管复核，是一种模式而非结论：多次投诉不代表恶意，任何投诉都不得因此被拒绝、关闭或降低处理。",
	En: "This report lists customers who complained many times, with the outcomes and the compensation they obtained, for a supervisor's review. It shows a pattern, not a verdict: complaining often is not bad faith, and no complaint may be refused, closed or deprioritised because of it.",
}

// SerialComplainers reports the customers with at least f.MinComplaints
// cases received since f.Since, most complaints first.
func (s *Service) SerialComplainers(ctx context.Context, f SerialFilter) (*SerialReport, error) {
	if f.MinComplaints == 0 {
		f.MinComplaints = 3
	}
	if f.MinComplaints < 2 {
		return nil, &ValidationError{Field: "min_complaints", Code: CodeAtLeast, Message: "must be at least 2", Value: "2"}
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > MaxSerialLimit {
		return nil, &ValidationError{Field: "limit", Code: CodeAtMost, Message: "must be at most " + itoa(MaxSerialLimit), Value: itoa(MaxSerialLimit)}
	}
	now := s.clock()
	if f.Since.IsZero() {
		f.Since = now.AddDate(-1, 0, 0)
	}
	f.Since = f.Since.UTC()
	ids, err := s.repo.Complainers(ctx, f.Since, f.MinComplaints, f.Limit)
	if err != nil {
		return nil, err
	}
	rep := &SerialReport{Notice: SerialNotice, Since: f.Since, MinComplaints: f.MinComplaints, Items: []SerialComplainer{}}
	for _, id := range ids {
		cs, err := s.repo.CustomerCases(ctx, id, f.Since, time.Time{}, MaxHistoryCases)
		if err != nil {
			return nil, err
		}
		if len(cs) >= f.MinComplaints {
			rep.Items = append(rep.Items, SerialOf(cs))
		}
	}
	return rep, nil
}

// SerialOf summarises one customer's cases (all of the same customer).
func SerialOf(cs []*Case) SerialComplainer {
	cs = slices.Clone(cs)
	slices.SortFunc(cs, func(a, b *Case) int { return a.ReceivedAt.Compare(b.ReceivedAt) })
	sc := SerialComplainer{Outcomes: map[string]int{}, CompensationMinor: map[string]int64{},
		Goodwill: map[GoodwillResult]int{}, Decisions: map[GoodwillResult]int{},
		Channels: []Channel{}, Compensations: []Compensation{}, Cases: []SerialCase{}, MergeOffers: []MergeOffer{}}
	if len(cs) == 0 {
		return sc
	}
	sc.CustomerID, sc.CustomerName = cs[0].Customer.ID, cs[len(cs)-1].Customer.Name
	sc.First, sc.Last = cs[0].ReceivedAt, cs[len(cs)-1].ReceivedAt
	sc.Complaints = len(cs)
	for i, c := range cs {
		if !slices.Contains(sc.Channels, c.Channel) {
			sc.Channels = append(sc.Channels, c.Channel)
		}
		line := SerialCase{ID: c.ID, ReceivedAt: c.ReceivedAt, Channel: c.Channel, State: c.State, Title: Title(c.Text), MergedInto: c.MergedInto}
		if g := c.Goodwill; g != nil {
			line.Goodwill = g.Result
			sc.Goodwill[g.Result]++
			if n := len(g.Reviews); n > 0 {
				line.Decision = g.Reviews[n-1].Decision
				sc.Decisions[line.Decision]++
			}
		}
		comps := Compensations(c)
		switch {
		case c.MergedInto != "":
			line.Outcome = "merged"
		case len(comps) > 0 || slices.ContainsFunc(c.Responses, func(r CustomerResponse) bool { return r.Accepted }):
			line.Outcome = "accepted"
		case c.State.Open():
			line.Outcome = "open"
		default:
			line.Outcome = "closed"
		}
		sc.Outcomes[line.Outcome]++
		for _, cp := range comps {
			sc.Compensations = append(sc.Compensations, cp)
			sc.CompensationMinor[cp.Currency] += cp.AmountMinor
		}
		sc.Cases = append(sc.Cases, line)
		if !c.State.Open() || c.MergedInto != "" {
			continue
		}
		// Duplicates: a later open case on the same matter as an earlier
		// open one (the intake's repeat rule), offered for merging.
		for _, o := range cs[:i] {
			if !o.State.Open() || o.MergedInto != "" {
				continue
			}
			if ok, why, sim := IsRepeat(o, c); ok {
				sc.MergeOffers = append(sc.MergeOffers, MergeOffer{Target: o.ID, Source: c.ID, Reason: why, Similarity: sim})
				break
			}
		}
	}
	return sc
}
