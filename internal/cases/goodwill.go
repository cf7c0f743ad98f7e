package cases

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"huajie/internal/audit"
)

// The goodwill judgement on a case (issue 5, seed 001 善意投诉识别): is the
// complaint made in good faith, an unreasonable demand or suspected
// malicious? Package goodwill judges; this file keeps the judgement with
// the case, re-runs it when the customer writes again, routes suspicions to
// a supervisor and records the supervisor's decision.
//
// It is decision support and nothing more: nothing here changes a case's
// state, severity, escalation, assignee or deadlines. A suspicion only sets
// Goodwill.NeedsSupervisorReview, the supervisor queue's filter; Chinese
// rules forbid refusing a reasonable complaint, and the supervisor's
// decision is the judgement that counts.

// GoodwillResult is the goodwill judgement's result; the values are those of
// goodwill.Result (package casegoodwill converts and tests that they agree).
type GoodwillResult string

// The goodwill results.
const (
	GoodwillGood         GoodwillResult = "goodwill"
	GoodwillUnreasonable GoodwillResult = "unreasonable_demand"
	GoodwillMalicious    GoodwillResult = "suspected_malicious"
)

// GoodwillResults lists the results.
var GoodwillResults = []GoodwillResult{GoodwillGood, GoodwillUnreasonable, GoodwillMalicious}

// Valid reports whether r is a known result.
func (r GoodwillResult) Valid() bool { return slices.Contains(GoodwillResults, r) }

// Compensation is money a customer obtained on an earlier case: a remedy
// with an amount in a solution the customer accepted.
type Compensation struct {
	CaseID      string     `json:"case_id"`
	At          time.Time  `json:"at"`
	Kind        RemedyKind `json:"kind"`
	AmountMinor int64      `json:"amount_minor"`
	Currency    string     `json:"currency"`
}

// CustomerHistory is what the bank's own records say of a customer's
// earlier complaints: the cases received before this one, in any channel.
// It is filled from the store, never from what the customer says.
type CustomerHistory struct {
	// PriorComplaints counts the earlier cases, duplicates merged into
	// another case included (each was a complaint).
	PriorComplaints int `json:"prior_complaints"`
	// PriorCases counts the earlier cases that were not merged away.
	PriorCases     int            `json:"prior_cases"`
	ComplaintDates []time.Time    `json:"complaint_dates,omitempty"`
	Compensations  []Compensation `json:"compensations,omitempty"`
	// Channels the customer complained through, this case's included.
	Channels []Channel `json:"channels,omitempty"`
	// CaseIDs are the earlier cases, newest first: the customer's
	// complaints linked across channels.
	CaseIDs []string `json:"case_ids,omitempty"`
}

// MaxHistoryCases bounds the earlier cases read for a customer's history.
const MaxHistoryCases = 200

// GoodwillInput is what the goodwill assessment is given: the complaint, the
// customer's own contacts (inbound only) and the history.
type GoodwillInput struct {
	Text     string
	At       time.Time
	Contacts []Contact
	History  CustomerHistory
}

// GoodwillVerdict is an assessment as the service needs it.
type GoodwillVerdict struct {
	Result            GoodwillResult
	Confidence        float64
	RouteToSupervisor bool
	// Assessment is the whole assessment (scores, evidence, reasons in
	// Chinese and English) as JSON; it is stored in Assessment.Goodwill.
	Assessment json.RawMessage
}

// GoodwillFunc assesses one complaint. casegoodwill.Func adapts a
// *goodwill.Assessor; this package does not import it (as with
// AnalyzeFunc), so it knows nothing of the rules.
type GoodwillFunc func(GoodwillInput) GoodwillVerdict

// GoodwillInfo is the goodwill judgement's bookkeeping on a case; the
// assessment itself is Assessment.Goodwill.
type GoodwillInfo struct {
	Result            GoodwillResult `json:"result"`
	Confidence        float64        `json:"confidence"`
	RouteToSupervisor bool           `json:"route_to_supervisor"`
	AssessedAt        time.Time      `json:"assessed_at"`
	// Contacts is how many of the case's contacts there were when it was
	// assessed (the inbound ones among them were assessed).
	Contacts int             `json:"contacts"`
	History  CustomerHistory `json:"history"`
	// NeedsSupervisorReview puts the case in the supervisors' queue
	// (ListFilter.GoodwillReview = "pending"). It changes nothing else.
	NeedsSupervisorReview bool             `json:"needs_supervisor_review"`
	Reviews               []GoodwillReview `json:"reviews,omitempty"`
}

// GoodwillReview is a supervisor's decision on a goodwill assessment. The
// first six fields are goodwill.Review's; Contacts and History say what the
// reviewed assessment saw, so that the export can rebuild its input.
type GoodwillReview struct {
	CaseID   string          `json:"case_id"`
	Assessed GoodwillResult  `json:"assessed"`
	Decision GoodwillResult  `json:"decision"`
	Reason   string          `json:"reason"`
	By       string          `json:"by"`
	At       time.Time       `json:"at"`
	Agrees   bool            `json:"agrees"`
	Contacts int             `json:"contacts"`
	History  CustomerHistory `json:"history"`
}

// GoodwillReviewInput is a supervisor's decision: the result they judge
// right, and why. A reason is required when they disagree with the
// assessment or confirm a suspicion (no customer is labelled malicious
// without one).
type GoodwillReviewInput struct {
	Decision GoodwillResult `json:"decision"`
	Reason   string         `json:"reason,omitempty"`
}

// MaxReviewReason bounds a review's reason (goodwill.MaxReason).
const MaxReviewReason = 4000

// Goodwill review list filters (ListFilter.GoodwillReview).
const (
	GoodwillReviewPending  = "pending"
	GoodwillReviewReviewed = "reviewed"
)

// GoodwillView is a case's goodwill judgement as shown: the assessment with
// its evidence, the bookkeeping, and the customer's other open cases this
// one may repeat (offered for merging).
type GoodwillView struct {
	CaseID string `json:"case_id"`
	// Assessed is false when the case has no assessment (no assessor was
	// configured when it came in).
	Assessed   bool              `json:"assessed"`
	Assessment json.RawMessage   `json:"assessment,omitempty"`
	Goodwill   *GoodwillInfo     `json:"goodwill,omitempty"`
	Repeats    []RepeatCandidate `json:"repeats"`
	Notice     Notice            `json:"notice"`
}

// Notice is a statement in Chinese and English.
type Notice struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// GoodwillNotice goes with every goodwill view.
var GoodwillNotice = Notice{
	Zh: "善意评估仅为辅助判断：不得据此拒绝、关闭或降低处理任何投诉；存疑案件由主管复核，以主管决定为准。",
	En: "The goodwill assessment is decision support only: no complaint may be refused, closed or deprioritised on it; a suspicion goes to a supervisor, whose decision is what counts.",
}

// goodwillBrief is what the audit trail records of a judgement: the
// evidence stays in the case document.
type goodwillBrief struct {
	Result                GoodwillResult `json:"result"`
	Confidence            float64        `json:"confidence"`
	RouteToSupervisor     bool           `json:"route_to_supervisor"`
	NeedsSupervisorReview bool           `json:"needs_supervisor_review"`
	Contacts              int            `json:"contacts"`
	PriorComplaints       int            `json:"prior_complaints"`
}

func (g *GoodwillInfo) brief() any {
	if g == nil {
		return nil
	}
	return goodwillBrief{Result: g.Result, Confidence: g.Confidence, RouteToSupervisor: g.RouteToSupervisor,
		NeedsSupervisorReview: g.NeedsSupervisorReview, Contacts: g.Contacts, PriorComplaints: g.History.PriorComplaints}
}

// customerHistory reads the customer's cases received before c.
func (s *Service) customerHistory(ctx context.Context, c *Case) (CustomerHistory, error) {
	earlier, err := s.repo.CustomerCases(ctx, c.Customer.ID, time.Time{}, c.ReceivedAt, MaxHistoryCases+len(c.Merged)+1)
	if err != nil {
		return CustomerHistory{}, err
	}
	return HistoryOf(c, earlier), nil
}

// HistoryOf builds c's customer history from the customer's earlier cases
// (in any order). Cases merged into c are part of this complaint and do not
// count; nor does c itself.
func HistoryOf(c *Case, earlier []*Case) CustomerHistory {
	var h CustomerHistory
	seen := map[Channel]bool{}
	addCh := func(ch Channel) {
		if ch != "" && !seen[ch] {
			seen[ch] = true
			h.Channels = append(h.Channels, ch)
		}
	}
	addCh(c.Channel)
	es := slices.Clone(earlier)
	slices.SortFunc(es, func(a, b *Case) int {
		if n := b.ReceivedAt.Compare(a.ReceivedAt); n != 0 {
			return n
		}
		return strings.Compare(b.ID, a.ID)
	})
	for _, o := range es {
		if o.ID == c.ID || o.MergedInto == c.ID || o.Customer.ID != c.Customer.ID || !o.ReceivedAt.Before(c.ReceivedAt) {
			continue
		}
		if h.PriorComplaints >= MaxHistoryCases {
			break
		}
		h.PriorComplaints++
		if o.MergedInto == "" {
			h.PriorCases++
		}
		h.ComplaintDates = append(h.ComplaintDates, o.ReceivedAt)
		h.CaseIDs = append(h.CaseIDs, o.ID)
		addCh(o.Channel)
		h.Compensations = append(h.Compensations, Compensations(o)...)
	}
	return h
}

// Compensations lists the money a case gave the customer: the remedies
// with an amount of every solution the customer accepted.
func Compensations(c *Case) []Compensation {
	var out []Compensation
	for _, r := range c.Responses {
		if !r.Accepted {
			continue
		}
		for _, sol := range c.Solutions {
			if sol.ID != r.SolutionID {
				continue
			}
			for _, rm := range sol.Remedies {
				if rm.AmountMinor > 0 {
					cur := rm.Currency
					if cur == "" {
						cur = "CNY"
					}
					out = append(out, Compensation{CaseID: c.ID, At: r.At, Kind: rm.Kind, AmountMinor: rm.AmountMinor, Currency: cur})
				}
			}
		}
	}
	return out
}

// goodwillInput is the assessment's input for c as it stands.
func goodwillInput(c *Case, contacts int, h CustomerHistory) GoodwillInput {
	in := GoodwillInput{Text: c.Text, At: c.ReceivedAt, History: h}
	for _, ct := range c.Contacts[:min(contacts, len(c.Contacts))] {
		if ct.Direction == Inbound {
			in.Contacts = append(in.Contacts, ct)
		}
	}
	return in
}

// GoodwillInputOf rebuilds the input a review's assessment saw, for the
// export of labelled decisions.
func GoodwillInputOf(c *Case, r GoodwillReview) GoodwillInput {
	return goodwillInput(c, r.Contacts, r.History)
}

// assessGoodwill (re)assesses c with history h and returns the audit change
// when the judgement changed (nil otherwise, or with no assessor, or when a
// person has edited the goodwill assessment). It never touches anything but
// Assessment.Goodwill and c.Goodwill.
func (s *Service) assessGoodwill(c *Case, h CustomerHistory, now time.Time) *audit.Change {
	if s.goodwill == nil || slices.Contains(c.Assessment.Edited, "goodwill") {
		return nil
	}
	v := s.goodwill(goodwillInput(c, len(c.Contacts), h))
	if !v.Result.Valid() {
		s.log.Error("goodwill assessor returned an unknown result; case left unassessed", "case", c.ID, "result", v.Result)
		return nil
	}
	before := c.Goodwill.brief()
	g := c.Goodwill
	if g == nil {
		g = &GoodwillInfo{}
	}
	was := *g
	g.Result, g.Confidence, g.RouteToSupervisor = v.Result, v.Confidence, v.RouteToSupervisor
	g.AssessedAt, g.Contacts, g.History = now, len(c.Contacts), h
	switch {
	case !v.RouteToSupervisor:
		g.NeedsSupervisorReview = false
	case len(g.Reviews) > 0 && g.Reviews[len(g.Reviews)-1].Assessed == v.Result:
		// A supervisor has already decided on this result; a new contact
		// that does not change it does not ask again.
	default:
		g.NeedsSupervisorReview = true
	}
	c.Goodwill = g
	c.Assessment.Goodwill = v.Assessment
	if before != nil && was.Result == g.Result && was.RouteToSupervisor == g.RouteToSupervisor &&
		was.NeedsSupervisorReview == g.NeedsSupervisorReview {
		return nil
	}
	ch := change(System, c.ID, "case.goodwill", before, g.brief())
	return &ch
}

// ReviewGoodwill records a supervisor's decision on the case's goodwill
// assessment, in the case and its audit trail. It takes the case out of
// the review queue and changes nothing else: not the state, severity,
// escalation, assignee or deadlines, whatever the decision.
func (s *Service) ReviewGoodwill(ctx context.Context, a Actor, id string, in GoodwillReviewInput) (*GoodwillReview, error) {
	if !in.Decision.Valid() {
		return nil, &ValidationError{Field: "decision", Code: CodeUnknownValue, Message: "must be goodwill, unreasonable_demand or suspected_malicious, not " + strings.TrimSpace(string(in.Decision))}
	}
	if err := checkText("reason", in.Reason, MaxReviewReason, false); err != nil {
		return nil, err
	}
	var r GoodwillReview
	_, err := s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		g := c.Goodwill
		if g == nil {
			return Mutation{}, &ValidationError{Field: "id", Code: CodeNoGoodwill, Message: "the case has no goodwill assessment to review"}
		}
		r = GoodwillReview{CaseID: c.ID, Assessed: g.Result, Decision: in.Decision, Reason: strings.TrimSpace(in.Reason),
			By: a.Name, At: now, Contacts: g.Contacts, History: g.History}
		r.Agrees = r.Assessed == r.Decision
		if (!r.Agrees || r.Decision != GoodwillGood) && r.Reason == "" {
			return Mutation{}, &ValidationError{Field: "reason", Code: CodeReasonRequired, Message: "is required when disagreeing with the assessment or confirming a suspicion"}
		}
		before := g.brief()
		g.Reviews = append(g.Reviews, r)
		g.NeedsSupervisorReview = false
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.goodwill_review", before, r)}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// Goodwill returns a case's goodwill judgement with the repeats of the
// same customer offered for merging.
func (s *Service) Goodwill(ctx context.Context, id string) (*GoodwillView, error) {
	c, err := s.repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	v := &GoodwillView{CaseID: c.ID, Goodwill: c.Goodwill, Notice: GoodwillNotice, Repeats: []RepeatCandidate{}}
	if len(c.Assessment.Goodwill) > 0 {
		v.Assessed, v.Assessment = true, c.Assessment.Goodwill
	}
	reps, err := s.FindRepeats(ctx, id)
	if err != nil {
		return nil, err
	}
	v.Repeats = append(v.Repeats, reps...)
	return v, nil
}

// ReviewedCases calls fn with every case that holds a supervisor's
// goodwill decision, newest first; the export of labelled decisions reads
// them.
func (s *Service) ReviewedCases(ctx context.Context, fn func(*Case) error) error {
	f := ListFilter{GoodwillReview: GoodwillReviewReviewed, Limit: MaxListLimit}
	for {
		page, err := s.repo.List(ctx, f)
		if err != nil {
			return err
		}
		for _, it := range page.Items {
			c, err := s.repo.Get(ctx, it.ID)
			if err != nil {
				return err
			}
			if err := fn(c); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		f.Cursor = page.Next
	}
}
