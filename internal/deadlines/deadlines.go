// Package deadlines computes the regulatory response deadlines of a complaint
// and their status. Everything here is a pure function of its arguments: the
// clock is a parameter, so the rules can be table-tested and the background
// watcher (in package cases) decides when "now" is.
//
// Three built-in policies follow the rules the product has to honour:
//
//   - CN, 《银行业保险业消费投诉处理管理办法》(2020): a decision within 15 days
//     of receipt; a complex case may be extended to 30 days when the reason is
//     recorded and the complainant told; a further 30 days (60 in all) needs a
//     recorded senior approval, complainant informed again. A complainant who
//     contests the decision may ask for a review (核查), decided within 30
//     days of the request: here, a case reopened after closing gets that
//     deadline, counted from the reopening and met by the new decision.
//   - UK, FCA DISP 1: a final response within 8 weeks; a complaint resolved
//     by the close of the third business day after receipt may instead get a
//     summary resolution communication (DISP 1.5). Business days skip
//     weekends and the calendar's holidays.
//   - US, CFPB: a response within 15 days and a final response within 60.
//
// Days are calendar days unless a Period says Business. A deadline falls at
// the end of its last day in the calendar's time zone, because the rules
// count whole days from the day of receipt.
package deadlines

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// Kind names one deadline of a policy.
type Kind string

const (
	// KindDecision is the CN decision (处理决定) deadline.
	KindDecision Kind = "decision"
	// KindResponse is a first substantive response (CFPB 15 days).
	KindResponse Kind = "response"
	// KindFinal is a final response (DISP 8 weeks, CFPB 60 days).
	KindFinal Kind = "final"
	// KindSummary is the DISP summary-resolution window: not a breachable
	// deadline, it tells whether a summary resolution communication suffices.
	KindSummary Kind = "summary_resolution"
	// KindReview is the CN review (核查) of a contested decision, counted
	// from the reopening.
	KindReview Kind = "review"
)

// Milestone is what meets a deadline.
type Milestone string

const (
	// MilestoneResponse: the first outbound contact with the customer.
	MilestoneResponse Milestone = "first_response"
	// MilestoneDecision: a solution proposed to the customer (the decision).
	MilestoneDecision Milestone = "decision"
	// MilestoneResolved: the case resolved (customer accepted or closed).
	MilestoneResolved Milestone = "resolved"
	// MilestoneReopened: the closed case reopened (the decision contested);
	// the latest reopening.
	MilestoneReopened Milestone = "reopened"
	// MilestoneReviewed: a solution proposed after the latest reopening
	// (the review's decision).
	MilestoneReviewed Milestone = "review_decision"
)

// Period is a length of time counted in days.
type Period struct {
	Days     int  `json:"days"`
	Business bool `json:"business,omitempty"`
}

// Rule is one deadline of a policy.
type Rule struct {
	Kind   Kind      `json:"kind"`
	Period Period    `json:"period"`
	MetBy  Milestone `json:"met_by"`
	// From, when set, counts the period from the time the case reached
	// that milestone instead of from receipt; until it is reached the rule
	// sets no deadline.
	From Milestone `json:"from,omitempty"`
	// Informational rules (the DISP summary window) are never breached.
	Informational bool `json:"informational,omitempty"`
	// Extendable marks the rule that extensions lengthen.
	Extendable bool `json:"extendable,omitempty"`
}

// ExtensionRule is one permitted extension step.
type ExtensionRule struct {
	// To is the total period after this extension, counted from receipt.
	To              Period `json:"to"`
	RequireReason   bool   `json:"require_reason"`
	RequireNotified bool   `json:"require_notified"`
	RequireApprover bool   `json:"require_approver"`
}

// Policy is a named set of deadline rules.
type Policy struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Rules      []Rule          `json:"rules"`
	Extensions []ExtensionRule `json:"extensions,omitempty"`
}

// Policy identifiers of the built-in policies.
const (
	CN = "cn_nfra_2020"
	UK = "uk_fca_disp1"
	US = "us_cfpb"
)

// Builtin returns the built-in policies keyed by ID. The map is new on every
// call so callers may change it without affecting others.
func Builtin() map[string]Policy {
	return map[string]Policy{
		CN: {
			ID: CN, Name: "银行业保险业消费投诉处理管理办法 (2020)",
			Rules: []Rule{
				{Kind: KindDecision, Period: Period{Days: 15}, MetBy: MilestoneDecision, Extendable: true},
				{Kind: KindReview, Period: Period{Days: 30}, From: MilestoneReopened, MetBy: MilestoneReviewed},
			},
			Extensions: []ExtensionRule{
				{To: Period{Days: 30}, RequireReason: true, RequireNotified: true},
				{To: Period{Days: 60}, RequireReason: true, RequireNotified: true, RequireApprover: true},
			},
		},
		UK: {
			ID: UK, Name: "FCA DISP 1",
			Rules: []Rule{
				{Kind: KindSummary, Period: Period{Days: 3, Business: true}, MetBy: MilestoneResolved, Informational: true},
				{Kind: KindFinal, Period: Period{Days: 56}, MetBy: MilestoneDecision},
			},
		},
		US: {
			ID: US, Name: "CFPB",
			Rules: []Rule{
				{Kind: KindResponse, Period: Period{Days: 15}, MetBy: MilestoneResponse},
				{Kind: KindFinal, Period: Period{Days: 60}, MetBy: MilestoneDecision},
			},
		},
	}
}

// Calendar says which days are business days and where days begin.
type Calendar struct {
	// Location is the time zone days are counted in; nil means UTC.
	Location *time.Location
	// Holidays are non-business dates ("2026-10-01"), in Location.
	Holidays map[string]bool
	// Workdays are weekend dates that are business days (调休), in Location.
	Workdays map[string]bool
}

func (c Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// IsBusinessDay reports whether the date of t (in the calendar's zone) is a
// business day.
func (c Calendar) IsBusinessDay(t time.Time) bool {
	t = t.In(c.loc())
	d := t.Format(time.DateOnly)
	if c.Workdays[d] {
		return true
	}
	if c.Holidays[d] {
		return false
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// startOfDay returns midnight of t's date in the calendar's zone.
func (c Calendar) startOfDay(t time.Time) time.Time {
	t = t.In(c.loc())
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, c.loc())
}

// EndOfPeriod returns the instant a period counted from received ends: the
// end (exclusive midnight) of its last day. Day 1 is the day after receipt,
// as the rules count ("within 15 days of receipt").
func (c Calendar) EndOfPeriod(received time.Time, p Period) time.Time {
	day := c.startOfDay(received)
	if !p.Business {
		return day.AddDate(0, 0, p.Days+1)
	}
	n := 0
	for n < p.Days {
		day = day.AddDate(0, 0, 1)
		if c.IsBusinessDay(day) {
			n++
		}
	}
	return day.AddDate(0, 0, 1)
}

// Extension is one granted extension of a case's deadline.
type Extension struct {
	Reason           string    `json:"reason"`
	CustomerNotified bool      `json:"customer_notified"`
	NotifiedAt       time.Time `json:"notified_at,omitzero"`
	Approver         string    `json:"approver,omitempty"`
	GrantedBy        string    `json:"granted_by"`
	GrantedAt        time.Time `json:"granted_at"`
}

// Deadline is one computed deadline of a case.
type Deadline struct {
	Kind          Kind      `json:"kind"`
	Due           time.Time `json:"due"`
	MetBy         Milestone `json:"met_by"`
	Informational bool      `json:"informational,omitempty"`
}

// ErrNoMoreExtensions is returned when the policy allows no further extension.
var ErrNoMoreExtensions = errors.New("deadlines: no further extension allowed by the policy")

// ExtensionError says which requirement of an extension step is missing.
type ExtensionError struct {
	Step  int    // 1-based extension step
	Field string // "reason", "customer_notified", "approver"
}

func (e *ExtensionError) Error() string {
	return fmt.Sprintf("deadlines: extension %d requires %s", e.Step, e.Field)
}

// CheckExtension validates the next extension (after granted ones) against
// the policy's requirements.
func CheckExtension(p Policy, granted int, ext Extension) error {
	if granted >= len(p.Extensions) {
		return ErrNoMoreExtensions
	}
	r := p.Extensions[granted]
	switch {
	case r.RequireReason && ext.Reason == "":
		return &ExtensionError{Step: granted + 1, Field: "reason"}
	case r.RequireNotified && !ext.CustomerNotified:
		return &ExtensionError{Step: granted + 1, Field: "customer_notified"}
	case r.RequireApprover && ext.Approver == "":
		return &ExtensionError{Step: granted + 1, Field: "approver"}
	}
	return nil
}

// Compute returns a case's deadlines under policy p given its receipt time,
// the number of extensions granted and the milestones reached (for the
// rules counted from one), sorted by due time.
func Compute(p Policy, cal Calendar, received time.Time, extensions int, m Milestones) []Deadline {
	out := make([]Deadline, 0, len(p.Rules))
	for _, r := range p.Rules {
		per := r.Period
		if r.Extendable && extensions > 0 && len(p.Extensions) > 0 {
			i := min(extensions, len(p.Extensions)) - 1
			per = p.Extensions[i].To
		}
		start := received
		if r.From != "" {
			if start = m[r.From]; start.IsZero() {
				continue
			}
		}
		out = append(out, Deadline{
			Kind: r.Kind, Due: cal.EndOfPeriod(start, per).UTC(),
			MetBy: r.MetBy, Informational: r.Informational,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}

// Status is the state of one deadline at a moment.
type Status string

const (
	StatusOK       Status = "ok"
	StatusWarning  Status = "warning"
	StatusBreached Status = "breached"
	StatusMet      Status = "met"
	// StatusMetLate: met, but after the deadline had passed.
	StatusMetLate Status = "met_late"
	// StatusLapsed: an informational window passed without being met.
	StatusLapsed Status = "lapsed"
)

// Milestones are the times at which a case reached each milestone; a zero
// time means not reached.
type Milestones map[Milestone]time.Time

// StatusOf returns the status of d at now: met when its milestone was
// reached, breached after Due, warning within lead of Due, ok otherwise.
func StatusOf(d Deadline, m Milestones, now time.Time, lead time.Duration) Status {
	if at, ok := m[d.MetBy]; ok && !at.IsZero() {
		if at.Before(d.Due) {
			return StatusMet
		}
		if d.Informational {
			return StatusLapsed
		}
		return StatusMetLate
	}
	switch {
	case !now.Before(d.Due):
		if d.Informational {
			return StatusLapsed
		}
		return StatusBreached
	case d.Informational:
		return StatusOK
	case !now.Before(d.Due.Add(-lead)):
		return StatusWarning
	}
	return StatusOK
}

// Worst returns the most urgent status of a case's deadlines and the next
// pending (not met, not informational) due time, zero when none is pending.
func Worst(ds []Deadline, m Milestones, now time.Time, lead time.Duration) (Status, time.Time) {
	rank := map[Status]int{StatusMet: 0, StatusLapsed: 0, StatusMetLate: 1, StatusOK: 2, StatusWarning: 3, StatusBreached: 4}
	worst := StatusMet
	var next time.Time
	for _, d := range ds {
		if d.Informational {
			continue
		}
		s := StatusOf(d, m, now, lead)
		if rank[s] > rank[worst] {
			worst = s
		}
		if s == StatusOK || s == StatusWarning || s == StatusBreached {
			if next.IsZero() || d.Due.Before(next) {
				next = d.Due
			}
		}
	}
	return worst, next
}

// SummaryResolution reports whether a case resolved at resolved qualifies
// for a DISP summary resolution communication: resolved by the close of the
// third business day after receipt.
func SummaryResolution(cal Calendar, received, resolved time.Time) bool {
	if resolved.IsZero() {
		return false
	}
	return resolved.Before(cal.EndOfPeriod(received, Period{Days: 3, Business: true}))
}
