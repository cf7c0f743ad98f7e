package cases

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/audit"
	"huajie/internal/deadlines"
)

func newID(prefix string) string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// newCaseID is sortable by day and readable on the phone: HJ20261123-3fa9c1d2e4b5a6f7.
func newCaseID(t time.Time) string {
	return newID("HJ" + t.UTC().Format("20060102") + "-")
}

func change(a Actor, caseID, action string, before, after any) audit.Change {
	return audit.Change{CaseID: caseID, Actor: a.Name, Role: a.Role, Action: action,
		Before: audit.JSON(before), After: audit.JSON(after)}
}

func checkActor(a Actor) error {
	if strings.TrimSpace(a.Name) == "" {
		return &ValidationError{Field: "actor", Code: CodeActorRequired, Message: "an actor is required for the audit trail"}
	}
	return nil
}

func checkText(field, v string, max int, required bool) error {
	if required && strings.TrimSpace(v) == "" {
		return &ValidationError{Field: field, Code: CodeRequired, Message: "is required"}
	}
	if len(v) > max {
		return &TooLargeError{Field: field, Limit: int64(max), Size: int64(len(v))}
	}
	if !utf8.ValidString(v) {
		return &ValidationError{Field: field, Code: CodeNotUTF8, Message: "is not valid UTF-8"}
	}
	return nil
}

func (s *Service) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// update runs fn on one case under the repo's lock.
func (s *Service) update(ctx context.Context, a Actor, id string, fn func(c *Case, now time.Time) (Mutation, error)) (*Case, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	now := s.clock()
	cs, err := s.repo.Update(ctx, []string{id}, func(cs []*Case) (Mutation, error) {
		c := cs[0]
		m, err := fn(c, now)
		if err != nil {
			return Mutation{}, err
		}
		c.UpdatedAt = now
		s.refreshDeadline(c, now)
		return m, nil
	})
	if err != nil {
		return nil, err
	}
	s.refreshDeadline(cs[0], s.clock())
	return cs[0], nil
}

func (s *Service) policyOf(c *Case) deadlines.Policy {
	if p, ok := s.policies[c.Deadline.Policy]; ok {
		return p
	}
	return s.policies[s.policy]
}

// refreshDeadline recomputes a case's deadlines and status at now.
func (s *Service) refreshDeadline(c *Case, now time.Time) {
	p := s.policyOf(c)
	d := &c.Deadline
	d.Deadlines = deadlines.Compute(p, s.cal, c.ReceivedAt, len(d.Extensions), d.Milestones)
	if !c.State.Open() {
		// A closed case has nothing pending even if a milestone was skipped.
		if d.Milestones == nil {
			d.Milestones = deadlines.Milestones{}
		}
		if _, ok := d.Milestones[deadlines.MilestoneResolved]; !ok {
			d.Milestones[deadlines.MilestoneResolved] = c.ClosedAt
		}
	}
	m := d.Milestones
	if !c.State.Open() {
		// Pending deadlines of a closed case are not pending any more.
		m = deadlines.Milestones{}
		for k, v := range d.Milestones {
			m[k] = v
		}
		for _, dl := range d.Deadlines {
			if _, ok := m[dl.MetBy]; !ok {
				m[dl.MetBy] = c.ClosedAt
			}
		}
	}
	d.Status, d.NextDue = deadlines.Worst(d.Deadlines, m, now, s.lead)
	d.SummaryResolution = false
	for _, dl := range d.Deadlines {
		if dl.Kind == deadlines.KindSummary {
			d.SummaryResolution = deadlines.SummaryResolution(s.cal, c.ReceivedAt, d.Milestones[deadlines.MilestoneResolved])
		}
	}
}

func reach(c *Case, m deadlines.Milestone, at time.Time) {
	if c.Deadline.Milestones == nil {
		c.Deadline.Milestones = deadlines.Milestones{}
	}
	if _, ok := c.Deadline.Milestones[m]; !ok {
		c.Deadline.Milestones[m] = at
	}
}

// setState moves c and records the move; it does not check the lifecycle.
func setState(c *Case, a Actor, to State, note string, now time.Time) audit.Change {
	from := c.State
	c.State = to
	c.History = append(c.History, StateChange{At: now, By: a.Name, From: from, To: to, Note: note})
	if to == StateClosed {
		c.ClosedAt = now
		reach(c, deadlines.MilestoneResolved, now)
	}
	if from == StateClosed {
		// Reopened: the decision is contested, and a review (under the
		// CN policy) runs from now until a new solution is proposed.
		c.Reopened++
		c.ClosedAt = time.Time{}
		if c.Deadline.Milestones == nil {
			c.Deadline.Milestones = deadlines.Milestones{}
		}
		c.Deadline.Milestones[deadlines.MilestoneReopened] = now
		delete(c.Deadline.Milestones, deadlines.MilestoneReviewed)
	}
	if to == StateResolutionProposed {
		reach(c, deadlines.MilestoneDecision, now)
		reach(c, deadlines.MilestoneResponse, now)
		if _, ok := c.Deadline.Milestones[deadlines.MilestoneReopened]; ok {
			reach(c, deadlines.MilestoneReviewed, now)
		}
	}
	return change(a, c.ID, "case.transition", map[string]any{"state": from}, map[string]any{"state": to, "note": note})
}

// Get returns a case with its deadline status computed now.
func (s *Service) Get(ctx context.Context, id string) (*Case, error) {
	c, err := s.repo.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	s.refreshDeadline(c, s.clock())
	return c, nil
}

// List returns one page of cases matching f. The deadline status in each
// summary is as of the case's last change; Get computes it afresh.
func (s *Service) List(ctx context.Context, f ListFilter) (ListPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	if f.Limit > MaxListLimit {
		f.Limit = MaxListLimit
	}
	for _, st := range f.States {
		if !st.Valid() {
			return ListPage{}, &ValidationError{Field: "states", Code: CodeUnknownValue, Message: "unknown state " + string(st)}
		}
	}
	for _, ch := range f.Channels {
		if !ch.Valid() {
			return ListPage{}, &ValidationError{Field: "channels", Code: CodeUnknownValue, Message: "unknown channel " + string(ch)}
		}
	}
	for _, fl := range f.Difficulty {
		if FlagBit(fl) == 0 {
			return ListPage{}, &ValidationError{Field: "difficulty", Code: CodeUnknownValue, Message: "unknown flag " + fl}
		}
	}
	if f.Severity != "" && !f.Severity.Valid() {
		return ListPage{}, &ValidationError{Field: "severity", Code: CodeUnknownValue, Message: "unknown severity " + string(f.Severity)}
	}
	switch f.DeadlineStatus {
	case "", deadlines.StatusOK, deadlines.StatusWarning, deadlines.StatusBreached, deadlines.StatusMet, deadlines.StatusMetLate:
	default:
		return ListPage{}, &ValidationError{Field: "deadline_status", Code: CodeUnknownValue, Message: "unknown status " + string(f.DeadlineStatus)}
	}
	switch f.Sort {
	case "":
		f.Sort = SortReceived
		if !f.DueBefore.IsZero() {
			f.Sort = SortDue
		}
	case SortReceived, SortDue:
	default:
		return ListPage{}, &ValidationError{Field: "sort", Code: CodeUnknownValue, Message: "must be received or due"}
	}
	if err := checkText("q", f.Query, MaxShortBytes, false); err != nil {
		return ListPage{}, err
	}
	if f.Goodwill != "" && !f.Goodwill.Valid() {
		return ListPage{}, &ValidationError{Field: "goodwill", Code: CodeUnknownValue, Message: "unknown goodwill result " + string(f.Goodwill)}
	}
	switch f.GoodwillReview {
	case "", GoodwillReviewPending, GoodwillReviewReviewed:
	default:
		return ListPage{}, &ValidationError{Field: "goodwill_review", Code: CodeUnknownValue, Message: "must be pending or reviewed"}
	}
	return s.repo.List(ctx, f)
}

// Transition moves a case to another state. Some moves have preconditions
// beyond the lifecycle: awaiting_customer needs a proposed solution,
// follow_up an accepted one, closed a recorded follow-up visit.
func (s *Service) Transition(ctx context.Context, a Actor, id string, in TransitionInput) (*Case, error) {
	if !in.To.Valid() {
		return nil, &ValidationError{Field: "to", Code: CodeUnknownValue, Message: "unknown state " + string(in.To)}
	}
	if err := checkText("note", in.Note, MaxTextBytes, false); err != nil {
		return nil, err
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if in.IfVersion != 0 && in.IfVersion != c.Version {
			return Mutation{}, ErrConflict
		}
		if c.MergedInto != "" {
			return Mutation{}, &ValidationError{Field: "id", Code: CodeMerged, Message: "case was merged into " + c.MergedInto, Value: c.MergedInto}
		}
		if err := CheckTransition(c.State, in.To); err != nil {
			return Mutation{}, err
		}
		switch in.To {
		case StateResolutionProposed:
			// ProposeSolution moves here itself; a bare move needs an
			// earlier proposal to stand for the decision.
			if len(c.Solutions) == 0 {
				return Mutation{}, &ValidationError{Field: "to", Code: CodeNoSolution, Message: "no solution has been proposed (use propose solution)"}
			}
		case StateAwaitingCustomer:
			if len(c.Solutions) == 0 {
				return Mutation{}, &ValidationError{Field: "to", Code: CodeNoSolution, Message: "no solution has been proposed"}
			}
		case StateFollowUp:
			if r := currentResponse(c); r == nil || !r.Accepted {
				return Mutation{}, &ValidationError{Field: "to", Code: CodeNotAccepted, Message: "the customer has not accepted the current solution"}
			}
		case StateClosed:
			if len(c.FollowUps) == 0 {
				return Mutation{}, &ValidationError{Field: "to", Code: CodeNoFollowUp, Message: "no follow-up visit has been recorded"}
			}
		}
		return Mutation{Changes: []audit.Change{setState(c, a, in.To, in.Note, now)}}, nil
	})
}

func currentResponse(c *Case) *CustomerResponse {
	if len(c.Solutions) == 0 {
		return nil
	}
	sol := c.Solutions[len(c.Solutions)-1]
	for i := range c.Responses {
		if c.Responses[i].ID == sol.ResponseID {
			return &c.Responses[i]
		}
	}
	return nil
}

func refuseIn(c *Case, action string, states ...State) error {
	if slices.Contains(states, c.State) {
		return nil
	}
	return &IllegalTransitionError{From: c.State, Action: action, Allowed: Allowed(c.State)}
}

func openStates() []State { return States[:len(States)-1] }

// AddContact records a contact. Inbound content is analysed for the
// customer's emotion. The first outbound contact meets a "response"
// deadline.
func (s *Service) AddContact(ctx context.Context, a Actor, id string, in ContactInput) (*Contact, error) {
	if !in.Channel.Valid() {
		return nil, &ValidationError{Field: "channel", Code: CodeUnknownValue, Message: "unknown channel " + string(in.Channel)}
	}
	if in.Direction != Inbound && in.Direction != Outbound {
		return nil, &ValidationError{Field: "direction", Code: CodeDirection, Message: "must be inbound or outbound"}
	}
	if err := checkText("content", in.Content, MaxTextBytes, true); err != nil {
		return nil, err
	}
	if err := checkText("by", in.By, MaxShortBytes, false); err != nil {
		return nil, err
	}
	ct := Contact{ID: newID("ct-"), At: in.At, Channel: in.Channel, Direction: in.Direction,
		By: in.By, Content: in.Content, RecordedBy: a.Name}
	if ct.By == "" {
		ct.By = a.Name
	}
	if in.Direction == Inbound && s.analyze != nil {
		r := s.analyze(in.Content)
		ct.Emotion, ct.EmotionIntensity, ct.Negative = r.Emotion, r.Intensity, r.Negative
	}
	// A new word from the customer re-runs the goodwill assessment over
	// all their contacts (contradictions need them), with the history
	// read before the write transaction.
	var hist *CustomerHistory
	if in.Direction == Inbound && s.goodwill != nil {
		c, err := s.repo.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		h, err := s.customerHistory(ctx, c)
		if err != nil {
			return nil, err
		}
		hist = &h
	}
	_, err := s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "add_contact", openStates()...); err != nil {
			return Mutation{}, err
		}
		if ct.At.IsZero() {
			ct.At = now
		}
		ct.At = ct.At.UTC().Truncate(time.Microsecond)
		if ct.Direction == Outbound {
			reach(c, deadlines.MilestoneResponse, ct.At)
		}
		c.Contacts = append(c.Contacts, ct)
		chs := []audit.Change{change(a, c.ID, "case.contact", nil, ct)}
		if hist != nil {
			if g := s.assessGoodwill(c, *hist, now); g != nil {
				chs = append(chs, *g)
			}
		}
		return Mutation{Changes: chs}, nil
	})
	if err != nil {
		return nil, err
	}
	return &ct, nil
}

// AddFinding records an investigation finding; its department joins the
// case's departments (and may set the several-departments flag unless a
// person edited it).
func (s *Service) AddFinding(ctx context.Context, a Actor, id string, in FindingInput) (*Finding, error) {
	if err := checkText("text", in.Text, MaxTextBytes, true); err != nil {
		return nil, err
	}
	if err := checkText("department", in.Department, MaxShortBytes, false); err != nil {
		return nil, err
	}
	f := Finding{ID: newID("fd-"), By: a.Name, Department: strings.TrimSpace(in.Department), Text: in.Text, Substantiated: in.Substantiated}
	_, err := s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "add_finding", StateAssessing, StateInvestigating, StateResolutionProposed, StateAwaitingCustomer); err != nil {
			return Mutation{}, err
		}
		f.At = now
		c.Findings = append(c.Findings, f)
		ch := []audit.Change{change(a, c.ID, "case.finding", nil, f)}
		if d := addDepartment(c, a, f.Department); d != nil {
			ch = append(ch, *d)
		}
		return Mutation{Changes: ch}, nil
	})
	if err != nil {
		return nil, err
	}
	return &f, nil
}

func addDepartment(c *Case, a Actor, dep string) *audit.Change {
	if dep == "" || slices.Contains(c.Departments, dep) {
		return nil
	}
	before := slices.Clone(c.Departments)
	c.Departments = append(c.Departments, dep)
	if len(c.Departments) >= 2 && !slices.Contains(c.Assessment.Edited, "difficulty") && !c.Assessment.Difficulty.SeveralDepartments {
		c.Assessment.Difficulty.SeveralDepartments = true
		c.Assessment.Complexity = complexity(c.Assessment.Difficulty)
	}
	ch := change(a, c.ID, "case.departments", before, c.Departments)
	return &ch
}

// AllowedEvidenceTypes are the content types accepted for evidence files.
var AllowedEvidenceTypes = []string{
	"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp",
	"text/plain; charset=utf-8", "audio/mpeg", "audio/wave", "audio/ogg", "video/mp4",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

// SniffEvidence returns the content type of an evidence file from its bytes.
func SniffEvidence(b []byte) string {
	ct := http.DetectContentType(b)
	if ct == "application/zip" {
		// Office Open XML files are zip archives; their part names are
		// stored uncompressed in the local headers.
		head := b[:min(len(b), 64<<10)]
		switch {
		case bytes.Contains(head, []byte("word/")):
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case bytes.Contains(head, []byte("xl/")):
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
	}
	return ct
}

// AddEvidence stores an evidence file with the case, in the same
// transaction as its audit entry.
func (s *Service) AddEvidence(ctx context.Context, a Actor, id string, in EvidenceInput) (*Evidence, error) {
	if err := checkText("name", in.Name, MaxShortBytes, true); err != nil {
		return nil, err
	}
	if err := checkText("description", in.Description, MaxTextBytes, false); err != nil {
		return nil, err
	}
	if err := checkText("department", in.Department, MaxShortBytes, false); err != nil {
		return nil, err
	}
	if len(in.Content) == 0 {
		return nil, &ValidationError{Field: "content", Code: CodeEmpty, Message: "is empty"}
	}
	if int64(len(in.Content)) > s.maxEv {
		return nil, &TooLargeError{Field: "content", Limit: s.maxEv, Size: int64(len(in.Content))}
	}
	ct := SniffEvidence(in.Content)
	if !slices.Contains(AllowedEvidenceTypes, ct) {
		return nil, &UnsupportedTypeError{ContentType: ct, Allowed: AllowedEvidenceTypes}
	}
	sum := sha256.Sum256(in.Content)
	ev := Evidence{ID: newID("ev-"), By: a.Name, Name: in.Name, ContentType: ct, Size: int64(len(in.Content)),
		SHA256: hex.EncodeToString(sum[:]), Description: in.Description, Department: strings.TrimSpace(in.Department)}
	_, err := s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "add_evidence", openStates()...); err != nil {
			return Mutation{}, err
		}
		ev.At = now
		c.Evidence = append(c.Evidence, ev)
		ch := []audit.Change{change(a, c.ID, "case.evidence", nil, ev)}
		if d := addDepartment(c, a, ev.Department); d != nil {
			ch = append(ch, *d)
		}
		return Mutation{Changes: ch, Blobs: []Blob{{CaseID: c.ID, EvidenceID: ev.ID, Content: in.Content}}}, nil
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// EvidenceContent returns an evidence file's metadata and content.
func (s *Service) EvidenceContent(ctx context.Context, caseID, evidenceID string) (*Evidence, []byte, error) {
	c, err := s.repo.Get(ctx, caseID)
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(c.Evidence, func(e Evidence) bool { return e.ID == evidenceID })
	if i < 0 {
		return nil, nil, ErrNotFound
	}
	b, err := s.repo.EvidenceContent(ctx, caseID, evidenceID)
	if err != nil {
		return nil, nil, err
	}
	return &c.Evidence[i], b, nil
}

func validRemedies(rs []Remedy) error {
	if len(rs) == 0 {
		return &ValidationError{Field: "remedies", Code: CodeRemedyRequired, Message: "at least one remedy is required"}
	}
	if len(rs) > 20 {
		return &ValidationError{Field: "remedies", Code: CodeRemediesTooMany, Message: "at most 20 remedies"}
	}
	for i := range rs {
		r := &rs[i]
		f := "remedies[" + itoa(i) + "]"
		if !r.Kind.Valid() {
			return &ValidationError{Field: f + ".kind", Code: CodeUnknownValue, Message: "unknown remedy " + string(r.Kind)}
		}
		if r.AmountMinor < 0 {
			return &ValidationError{Field: f + ".amount_minor", Code: CodeAmountNegative, Message: "must not be negative"}
		}
		switch r.Kind {
		case RemedyRefund, RemedyCompensation:
			if r.AmountMinor == 0 {
				return &ValidationError{Field: f + ".amount_minor", Code: CodeAmountRequired, Message: "an amount is required for " + string(r.Kind), Value: string(r.Kind)}
			}
		case RemedyInterestFree:
			if r.Days <= 0 {
				return &ValidationError{Field: f + ".days", Code: CodeDaysRequired, Message: "the interest-free period needs a number of days"}
			}
		}
		if r.AmountMinor > 0 && r.Currency == "" {
			r.Currency = "CNY"
		}
		if r.Currency != "" && (len(r.Currency) != 3 || strings.ToUpper(r.Currency) != r.Currency) {
			return &ValidationError{Field: f + ".currency", Code: CodeCurrency, Message: "must be an ISO 4217 code such as CNY"}
		}
		if err := checkText(f+".note", r.Note, MaxTextBytes, false); err != nil {
			return err
		}
	}
	return nil
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// ProposeSolution records a solution (the decision). From assessing or
// investigating, or after a rejection, the case moves to
// resolution_proposed.
func (s *Service) ProposeSolution(ctx context.Context, a Actor, id string, in SolutionInput) (*Solution, error) {
	if err := checkText("summary", in.Summary, MaxTextBytes, true); err != nil {
		return nil, err
	}
	if err := checkText("basis", in.Basis, MaxTextBytes, false); err != nil {
		return nil, err
	}
	rs := slices.Clone(in.Remedies)
	if err := validRemedies(rs); err != nil {
		return nil, err
	}
	sol := Solution{ID: newID("so-"), By: a.Name, Summary: in.Summary, Basis: in.Basis, Remedies: rs}
	_, err := s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "propose_solution", StateAssessing, StateInvestigating, StateResolutionProposed, StateAwaitingCustomer); err != nil {
			return Mutation{}, err
		}
		sol.At = now
		c.Solutions = append(c.Solutions, sol)
		ch := []audit.Change{change(a, c.ID, "case.solution", nil, sol)}
		if c.State != StateResolutionProposed {
			ch = append(ch, setState(c, a, StateResolutionProposed, "solution "+sol.ID, now))
		}
		return Mutation{Changes: ch}, nil
	})
	if err != nil {
		return nil, err
	}
	return &sol, nil
}

// RecordResponse records the customer's answer to the current solution.
// Accepted: the case moves to follow_up. Rejected (a reason is required):
// back to investigating for a new proposal.
func (s *Service) RecordResponse(ctx context.Context, a Actor, id string, in ResponseInput) (*Case, error) {
	if !in.Accepted {
		if err := checkText("reason", in.Reason, MaxTextBytes, true); err != nil {
			return nil, err
		}
	} else if err := checkText("reason", in.Reason, MaxTextBytes, false); err != nil {
		return nil, err
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "record_response", StateResolutionProposed, StateAwaitingCustomer); err != nil {
			return Mutation{}, err
		}
		if len(c.Solutions) == 0 {
			return Mutation{}, &ValidationError{Field: "solution", Code: CodeNoSolution, Message: "no solution has been proposed"}
		}
		sol := &c.Solutions[len(c.Solutions)-1]
		if sol.ResponseID != "" {
			// Already answered: a new proposal is needed first.
			return Mutation{}, ErrConflict
		}
		at := in.At
		if at.IsZero() {
			at = now
		}
		r := CustomerResponse{ID: newID("rs-"), At: at.UTC().Truncate(time.Microsecond), SolutionID: sol.ID,
			Accepted: in.Accepted, Reason: in.Reason, RecordedBy: a.Name}
		sol.ResponseID = r.ID
		c.Responses = append(c.Responses, r)
		ch := []audit.Change{change(a, c.ID, "case.response", nil, r)}
		if in.Accepted {
			reach(c, deadlines.MilestoneResolved, r.At)
			ch = append(ch, setState(c, a, StateFollowUp, "solution accepted", now))
		} else {
			ch = append(ch, setState(c, a, StateInvestigating, "solution rejected: "+in.Reason, now))
		}
		return Mutation{Changes: ch}, nil
	})
}

// RecordFollowUp records a follow-up visit (satisfaction 1–5).
func (s *Service) RecordFollowUp(ctx context.Context, a Actor, id string, in FollowUpInput) (*Case, error) {
	if in.Satisfaction < 1 || in.Satisfaction > 5 {
		return nil, &ValidationError{Field: "satisfaction", Code: CodeSatisfactionRange, Message: "must be 1 to 5"}
	}
	if err := checkText("comment", in.Comment, MaxTextBytes, false); err != nil {
		return nil, err
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "record_follow_up", StateFollowUp, StateClosed); err != nil {
			return Mutation{}, err
		}
		d := in.Date
		if d.IsZero() {
			d = now
		}
		f := FollowUp{ID: newID("fu-"), Date: d.UTC().Truncate(time.Microsecond), Satisfaction: in.Satisfaction, Comment: in.Comment, By: a.Name}
		c.FollowUps = append(c.FollowUps, f)
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.follow_up", nil, f)}}, nil
	})
}

// Assign sets the case's handler ("" unassigns).
func (s *Service) Assign(ctx context.Context, a Actor, id, assignee string) (*Case, error) {
	if err := checkText("assignee", assignee, MaxShortBytes, false); err != nil {
		return nil, err
	}
	assignee = strings.TrimSpace(assignee)
	team, err := s.team(ctx, assignee)
	if err != nil {
		return nil, err
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "assign", openStates()...); err != nil {
			return Mutation{}, err
		}
		before, beforeTeam := c.Assignee, c.Team
		c.Assignee, c.Team = assignee, team
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.assign",
			map[string]string{"assignee": before, "team": beforeTeam}, map[string]string{"assignee": assignee, "team": team})}}, nil
	})
}

// team is an assignee's team ("" for no assignee or no lookup).
func (s *Service) team(ctx context.Context, assignee string) (string, error) {
	if assignee == "" || s.teamOf == nil {
		return "", nil
	}
	t, err := s.teamOf(ctx, assignee)
	if err != nil {
		return "", fmt.Errorf("cases: the team of %q: %w", assignee, err)
	}
	return t, nil
}

// Escalate raises the escalation level of an open case.
func (s *Service) Escalate(ctx context.Context, a Actor, id string, in EscalateInput) (*Case, error) {
	if err := checkText("reason", in.Reason, MaxTextBytes, true); err != nil {
		return nil, err
	}
	if in.Level < 0 || in.Level > MaxEscalation {
		return nil, &ValidationError{Field: "level", Code: CodeLevelRange, Message: "must be 1 to " + itoa(MaxEscalation), Value: itoa(MaxEscalation)}
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "escalate", openStates()...); err != nil {
			return Mutation{}, err
		}
		to := in.Level
		if to == 0 {
			to = c.EscalationLevel + 1
		}
		if to > MaxEscalation {
			return Mutation{}, &ValidationError{Field: "level", Code: CodeHighestLevel, Message: "the case is already at the highest level"}
		}
		if to <= c.EscalationLevel {
			return Mutation{}, &ValidationError{Field: "level", Code: CodeLevelAbove, Message: "must be above the current level " + itoa(c.EscalationLevel), Value: itoa(c.EscalationLevel)}
		}
		e := Escalation{At: now, By: a.Name, From: c.EscalationLevel, To: to, Reason: in.Reason}
		c.EscalationLevel = to
		c.Escalations = append(c.Escalations, e)
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.escalate",
			map[string]int{"level": e.From}, e)}}, nil
	})
}

// ExtendDeadline grants the next extension the case's policy allows, with
// the policy's requirements (reason, customer notified, approver).
func (s *Service) ExtendDeadline(ctx context.Context, a Actor, id string, in ExtendInput) (*Case, error) {
	for _, f := range []struct{ n, v string }{{"reason", in.Reason}, {"approver", in.Approver}} {
		max := MaxShortBytes
		if f.n == "reason" {
			max = MaxTextBytes
		}
		if err := checkText(f.n, f.v, max, false); err != nil {
			return nil, err
		}
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		if err := refuseIn(c, "extend_deadline", openStates()...); err != nil {
			return Mutation{}, err
		}
		p := s.policyOf(c)
		ext := deadlines.Extension{Reason: strings.TrimSpace(in.Reason), CustomerNotified: in.CustomerNotified,
			NotifiedAt: in.NotifiedAt.UTC().Truncate(time.Microsecond), Approver: strings.TrimSpace(in.Approver), GrantedBy: a.Name, GrantedAt: now}
		if ext.CustomerNotified && ext.NotifiedAt.IsZero() {
			ext.NotifiedAt = now
		}
		if err := deadlines.CheckExtension(p, len(c.Deadline.Extensions), ext); err != nil {
			var ee *deadlines.ExtensionError
			switch {
			case errors.As(err, &ee):
				return Mutation{}, &ValidationError{Field: ee.Field, Code: CodeExtensionRule, Message: err.Error(), Value: itoa(ee.Step)}
			case errors.Is(err, deadlines.ErrNoMoreExtensions):
				return Mutation{}, &ValidationError{Field: "policy", Code: CodeNoMoreExtensions, Message: err.Error()}
			}
			return Mutation{}, err
		}
		before := slices.Clone(c.Deadline.Deadlines)
		c.Deadline.Extensions = append(c.Deadline.Extensions, ext)
		s.refreshDeadline(c, now)
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.extend_deadline",
			map[string]any{"deadlines": before}, map[string]any{"extension": ext, "deadlines": c.Deadline.Deadlines})}}, nil
	})
}

// Merge merges source into target: source is closed with MergedInto set,
// its ID joins target's Merged list. Both change in one transaction.
func (s *Service) Merge(ctx context.Context, a Actor, targetID, sourceID string) (*Case, error) {
	if err := checkActor(a); err != nil {
		return nil, err
	}
	if targetID == sourceID {
		return nil, &ValidationError{Field: "source", Code: CodeMergeSelf, Message: "a case cannot be merged into itself"}
	}
	now := s.clock()
	cs, err := s.repo.Update(ctx, []string{targetID, sourceID}, func(cs []*Case) (Mutation, error) {
		var t, src *Case
		for _, c := range cs {
			if c.ID == targetID {
				t = c
			} else {
				src = c
			}
		}
		if !t.State.Open() {
			return Mutation{}, &IllegalTransitionError{From: t.State, Action: "merge", Allowed: Allowed(t.State)}
		}
		if src.MergedInto != "" || t.MergedInto != "" {
			return Mutation{}, ErrConflict
		}
		if src.Customer.ID != t.Customer.ID {
			return Mutation{}, &ValidationError{Field: "source", Code: CodeMergeCustomers, Message: "cases of different customers cannot be merged"}
		}
		var ch []audit.Change
		if src.State.Open() {
			ch = append(ch, setState(src, a, StateClosed, "merged into "+t.ID, now))
		}
		src.MergedInto = t.ID
		t.Merged = append(t.Merged, src.ID)
		t.RepeatCandidates = slices.DeleteFunc(t.RepeatCandidates, func(id string) bool { return id == src.ID })
		src.UpdatedAt, t.UpdatedAt = now, now
		s.refreshDeadline(src, now)
		s.refreshDeadline(t, now)
		ch = append(ch,
			change(a, src.ID, "case.merged_into", nil, map[string]string{"merged_into": t.ID}),
			change(a, t.ID, "case.merge", nil, map[string]string{"merged": src.ID}))
		return Mutation{Changes: ch}, nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.ID == targetID {
			s.refreshDeadline(c, s.clock())
			return c, nil
		}
	}
	return nil, ErrNotFound
}

// UpdateAssessment edits the assessment; edited fields are remembered.
func (s *Service) UpdateAssessment(ctx context.Context, a Actor, id string, p AssessmentPatch) (*Case, error) {
	if p.Severity != nil && !p.Severity.Valid() {
		return nil, &ValidationError{Field: "severity", Code: CodeUnknownValue, Message: "unknown severity " + string(*p.Severity)}
	}
	if p.Complexity != nil && !p.Complexity.Valid() {
		return nil, &ValidationError{Field: "complexity", Code: CodeUnknownValue, Message: "unknown complexity " + string(*p.Complexity)}
	}
	if p.Type != nil && *p.Type != "" && !p.Type.Valid() {
		return nil, &ValidationError{Field: "type", Code: CodeUnknownValue, Message: "unknown type " + string(*p.Type)}
	}
	for _, f := range []struct {
		n string
		v *string
	}{{"business_code", p.BusinessCode}, {"business_name", p.BusinessName}, {"cause_code", p.CauseCode}, {"cause_name", p.CauseName}} {
		if f.v != nil {
			if err := checkText(f.n, *f.v, MaxShortBytes, false); err != nil {
				return nil, err
			}
		}
	}
	if len(p.Goodwill) > MaxTextBytes {
		return nil, &TooLargeError{Field: "goodwill", Limit: MaxTextBytes, Size: int64(len(p.Goodwill))}
	}
	if len(p.Goodwill) > 0 && !json.Valid(p.Goodwill) {
		return nil, &ValidationError{Field: "goodwill", Code: CodeNotJSON, Message: "is not valid JSON"}
	}
	return s.update(ctx, a, id, func(c *Case, now time.Time) (Mutation, error) {
		before := c.Assessment
		before.Analysis = nil
		if len(p.Goodwill) == 0 {
			// The goodwill assessment's evidence is not part of this
			// edit; its own entries (case.goodwill) record its changes.
			before.Goodwill = nil
		}
		as := &c.Assessment
		mark := func(f string) {
			if !slices.Contains(as.Edited, f) {
				as.Edited = append(as.Edited, f)
			}
		}
		patchField(&as.Emotion, p.Emotion, "emotion", mark)
		patchField(&as.BusinessCode, p.BusinessCode, "business_code", mark)
		patchField(&as.BusinessName, p.BusinessName, "business_name", mark)
		patchField(&as.CauseCode, p.CauseCode, "cause_code", mark)
		patchField(&as.CauseName, p.CauseName, "cause_name", mark)
		patchField(&as.Severity, p.Severity, "severity", mark)
		if p.Difficulty != nil {
			as.Difficulty = *p.Difficulty
			mark("difficulty")
			if p.Complexity == nil && !slices.Contains(as.Edited, "complexity") {
				as.Complexity = complexity(as.Difficulty)
			}
		}
		patchField(&as.Complexity, p.Complexity, "complexity", mark)
		patchField(&as.Type, p.Type, "type", mark)
		if len(p.Goodwill) > 0 {
			as.Goodwill = slices.Clone(p.Goodwill)
			mark("goodwill")
		}
		as.EditedBy, as.EditedAt = a.Name, now
		after := *as
		after.Analysis = nil
		if len(p.Goodwill) == 0 {
			after.Goodwill = nil
		}
		return Mutation{Changes: []audit.Change{change(a, c.ID, "case.assessment", before, after)}}, nil
	})
}

// patchField applies one field of an assessment patch: a nil value leaves
// the field alone; a set one replaces it and records that a person edited it.
func patchField[T any](dst *T, v *T, name string, mark func(string)) {
	if v != nil {
		*dst = *v
		mark(name)
	}
}

// AuditTrail returns a case's audit entries in order.
func (s *Service) AuditTrail(ctx context.Context, caseID string) ([]audit.Entry, error) {
	if _, err := s.repo.Get(ctx, caseID); err != nil {
		return nil, err
	}
	return s.repo.AuditTrail(ctx, caseID)
}

// VerifyAudit checks the whole audit chain.
func (s *Service) VerifyAudit(ctx context.Context) (audit.Report, error) {
	return s.repo.VerifyAudit(ctx)
}

// DeadlineEvents returns the warnings and breaches raised for a case.
func (s *Service) DeadlineEvents(ctx context.Context, caseID string) ([]DeadlineEvent, error) {
	return s.repo.DeadlineEvents(ctx, caseID)
}

// Policies returns a copy of the configured deadline policies by ID.
func (s *Service) Policies() map[string]deadlines.Policy {
	out := make(map[string]deadlines.Policy, len(s.policies))
	for k, v := range s.policies {
		out[k] = v
	}
	return out
}
