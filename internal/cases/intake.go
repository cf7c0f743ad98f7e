package cases

import (
	"context"
	"slices"
	"strings"
	"time"

	"huajie/internal/audit"
	"huajie/internal/deadlines"
)

// RepeatThreshold is the text similarity above which two complaints of the
// same customer count as the same matter.
const RepeatThreshold = 0.3

// Create takes in a complaint: validates it, assesses it (analysis engine
// when configured), computes its deadlines, looks for repeat complaints of
// the same customer, and stores it in state received.
func (s *Service) Create(ctx context.Context, a Actor, in NewCase) (*Case, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if !in.Channel.Valid() {
		return nil, &ValidationError{Field: "channel", Code: CodeUnknownValue, Message: "unknown channel " + string(in.Channel)}
	}
	if err := checkText("text", in.Text, MaxTextBytes, true); err != nil {
		return nil, err
	}
	for _, f := range []struct{ n, v string }{
		{"customer.id", in.Customer.ID}, {"customer.name", in.Customer.Name},
	} {
		if err := checkText(f.n, f.v, MaxShortBytes, true); err != nil {
			return nil, err
		}
	}
	for _, f := range []struct{ n, v string }{
		{"customer.phone", in.Customer.Phone}, {"customer.id_card", in.Customer.IDCard},
		{"product_ref", in.ProductRef}, {"branch", in.Branch}, {"assignee", in.Assignee}, {"policy", in.Policy},
	} {
		if err := checkText(f.n, f.v, MaxShortBytes, false); err != nil {
			return nil, err
		}
	}
	if err := validPhone(in.Customer.Phone); err != nil {
		return nil, err
	}
	if err := validIDCard(in.Customer.IDCard); err != nil {
		return nil, err
	}
	pol := in.Policy
	if pol == "" {
		pol = s.policy
	}
	if _, ok := s.policies[pol]; !ok {
		return nil, &ValidationError{Field: "policy", Code: CodeUnknownValue, Message: "unknown deadline policy " + pol}
	}
	now := s.clock()
	received := in.ReceivedAt.UTC().Truncate(time.Microsecond)
	if received.IsZero() {
		received = now
	}
	if received.After(now.Add(5 * time.Minute)) {
		return nil, &ValidationError{Field: "received_at", Code: CodeInFuture, Message: "is in the future"}
	}
	team, err := s.team(ctx, strings.TrimSpace(in.Assignee))
	if err != nil {
		return nil, err
	}
	c := &Case{
		ID: newCaseID(now), Version: 1, State: StateReceived, Channel: in.Channel,
		Customer: Customer{ID: strings.TrimSpace(in.Customer.ID), Name: strings.TrimSpace(in.Customer.Name),
			Phone: strings.TrimSpace(in.Customer.Phone), IDCard: strings.ToUpper(strings.TrimSpace(in.Customer.IDCard))},
		ReceivedAt: received, CreatedAt: now, UpdatedAt: now, Text: in.Text,
		ProductRef: strings.TrimSpace(in.ProductRef), Branch: strings.TrimSpace(in.Branch),
		Assignee: strings.TrimSpace(in.Assignee), Team: team, SourceAlert: in.SourceAlert,
		Contacts: []Contact{}, Findings: []Finding{}, Evidence: []Evidence{}, Departments: []string{},
		Solutions: []Solution{}, Responses: []CustomerResponse{}, FollowUps: []FollowUp{},
		History:  []StateChange{{At: now, By: a.Name, To: StateReceived}},
		Deadline: DeadlineInfo{Policy: pol, Milestones: deadlines.Milestones{}},
	}
	in2 := AssessInput{Text: in.Text, Channel: in.Channel}
	if s.analyze != nil {
		r := s.analyze(in.Text)
		in2.Signals = &r
	}
	c.Assessment = Assess(in2)
	if s.chanCode != nil {
		if code, ok := s.chanCode(in.Channel); ok {
			c.Assessment.ChannelCode = code
		}
	}
	s.refreshDeadline(c, now)

	reps, err := s.repeats(ctx, c)
	if err != nil {
		return nil, err
	}
	for _, r := range reps {
		c.RepeatCandidates = append(c.RepeatCandidates, r.Case.ID)
	}
	var gw *audit.Change
	if s.goodwill != nil {
		h, err := s.customerHistory(ctx, c)
		if err != nil {
			return nil, err
		}
		gw = s.assessGoodwill(c, h, now)
	}
	// The audit record masks personal data: the trail is append-only, so
	// what goes in can never be erased. The goodwill assessment's evidence
	// stays out of it (its own entry records the judgement).
	rec := c.MaskPersonal()
	rec.Assessment.Analysis = nil
	rec.Assessment.Goodwill = nil
	rec.Goodwill = nil
	m := Mutation{Changes: []audit.Change{change(a, c.ID, "case.create", nil, rec)}}
	if gw != nil {
		m.Changes = append(m.Changes, *gw)
	}
	if err := s.repo.Insert(ctx, c, m); err != nil {
		return nil, err
	}
	return c, nil
}

func validPhone(p string) error {
	p = strings.TrimSpace(p)
	if p == "" {
		return nil
	}
	digits := 0
	for _, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+-() ", r):
		default:
			return &ValidationError{Field: "customer.phone", Code: CodePhoneChars, Message: "may contain only digits, spaces and + - ( )"}
		}
	}
	if digits < 5 || digits > 20 {
		return &ValidationError{Field: "customer.phone", Code: CodePhoneLength, Message: "must have 5 to 20 digits"}
	}
	return nil
}

// validIDCard checks a mainland resident ID number (18 characters, GB 11643
// check digit). Other identity documents are not accepted in this field.
func validIDCard(id string) error {
	id = strings.ToUpper(strings.TrimSpace(id))
	if id == "" {
		return nil
	}
	if len(id) != 18 {
		return &ValidationError{Field: "customer.id_card", Code: CodeIDCardLength, Message: "must be 18 characters"}
	}
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		d := id[i]
		if d < '0' || d > '9' {
			return &ValidationError{Field: "customer.id_card", Code: CodeIDCardDigits, Message: "the first 17 characters must be digits"}
		}
		sum += int(d-'0') * weights[i]
	}
	if "10X98765432"[sum%11] != id[17] {
		return &ValidationError{Field: "customer.id_card", Code: CodeIDCardCheck, Message: "check digit does not match"}
	}
	return nil
}

// repeatWindow is how far back a complaint counts as the same matter: the
// case's longest (unextended) deadline from receipt, so a repeat within the
// time the first one should be answered in is caught. (A deadline counted
// from a later milestone, the review after a reopening, says nothing about
// that.)
func (s *Service) repeatWindow(c *Case) time.Duration {
	p := s.policyOf(c)
	days := 0
	for _, r := range p.Rules {
		if !r.Informational && r.From == "" {
			days = max(days, r.Period.Days)
		}
	}
	return time.Duration(days+1) * 24 * time.Hour
}

// IsRepeat reports whether c2 repeats c1 (same customer assumed) and why.
func IsRepeat(c1, c2 *Case) (bool, string, float64) {
	sim := Similarity(c1.Text, c2.Text)
	a1, a2 := c1.Assessment, c2.Assessment
	switch {
	case a1.CauseCode != "" && a1.CauseCode == a2.CauseCode:
		return true, "same_cause", sim
	case a1.BusinessCode != "" && a1.BusinessCode == a2.BusinessCode &&
		(c1.ProductRef == "" || c2.ProductRef == "" || c1.ProductRef == c2.ProductRef):
		return true, "same_business", sim
	case c1.ProductRef != "" && c1.ProductRef == c2.ProductRef && sim >= RepeatThreshold/2:
		return true, "same_product", sim
	case sim >= RepeatThreshold:
		return true, "similar_text", sim
	}
	return false, "", sim
}

func (s *Service) repeats(ctx context.Context, c *Case) ([]RepeatCandidate, error) {
	since := c.ReceivedAt.Add(-s.repeatWindow(c))
	cands, err := s.repo.Candidates(ctx, c.Customer.ID, since, c.ID)
	if err != nil {
		return nil, err
	}
	var out []RepeatCandidate
	for _, o := range cands {
		if o.MergedInto != "" || !o.State.Open() {
			continue
		}
		if ok, why, sim := IsRepeat(o, c); ok {
			out = append(out, RepeatCandidate{Case: o.Summary(), Reason: why, Similarity: sim})
		}
	}
	slices.SortFunc(out, func(a, b RepeatCandidate) int { return b.Case.ReceivedAt.Compare(a.Case.ReceivedAt) })
	return out, nil
}

// FindRepeats returns open cases of the same customer on the same matter
// received within the deadline window before this one, offered for merging.
func (s *Service) FindRepeats(ctx context.Context, id string) ([]RepeatCandidate, error) {
	c, err := s.repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	reps, err := s.repeats(ctx, c)
	if err != nil {
		return nil, err
	}
	out := reps[:0]
	for _, r := range reps {
		if r.Case.ReceivedAt.After(c.ReceivedAt) || slices.Contains(c.Merged, r.Case.ID) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}
