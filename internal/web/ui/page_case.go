package ui

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"time"

	"huajie/internal/audit"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/goodwill"
	"huajie/internal/i18n"
)

// tlItem is one entry of a case's timeline.
type tlItem struct {
	At         time.Time
	Kind       string
	Contact    *cases.Contact
	Finding    *cases.Finding
	Evidence   *cases.Evidence
	Solution   *cases.Solution
	Response   *cases.CustomerResponse
	FollowUp   *cases.FollowUp
	Change     *cases.StateChange
	Escalation *cases.Escalation
	Extension  *deadlines.Extension
}

// caseActions is what the viewer may do with the case now: its role's
// permissions intersected with what the case's state allows.
type caseActions struct {
	Transitions []cases.State
	Contact     bool
	Finding     bool
	Solution    bool
	Response    bool
	FollowUp    bool
	Escalate    bool
	Extend      bool
	// ExtendStep is the extension the policy grants next (1-based) and
	// whether it needs a senior approver.
	ExtendStep     int
	ExtendApprover bool
	Assign         bool
	// Evidence: the role may add evidence (the API's evidence:write) and
	// the case is open.
	Evidence bool
	Any      bool
}

// draft is a reply template from seeds 002 §三 and 004 (empathy, plain
// language, guiding to a solution, confirming, following up).
type draft struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Text string `json:"text"`
}

var draftKeys = []string{"empathy", "plain", "guide", "confirm", "followup"}

// goodwillView is the goodwill assessment as the case page shows it.
type goodwillView struct {
	Result     string
	Confidence float64
	Route      bool
	Reasons    []string
	Notice     string
}

type casePageData struct {
	Goodwill *goodwillView
	Case     *cases.Case
	Timeline []tlItem
	Actions  caseActions
	Drafts   []draft
	Audit    []audit.Entry
	Channels []cases.Channel
	Remedies []cases.RemedyKind
	Policy   string
	// EvidenceFiles lists the case's evidence with sizes and types for
	// people; EvidenceLimits is the upload form's hint.
	EvidenceFiles  []evidenceView
	EvidenceLimits string
}

func (s *server) casePage(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	s.showCase(w, r, id, http.StatusOK, nil, nil, "", "")
}

// showCase renders the case page, with a rejected form's errors and values
// when status is not 200.
func (s *server) showCase(w http.ResponseWriter, r *http.Request, id auth.Identity, status int, errs, form map[string]string, action, flash string) {
	c, err := s.cases.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &casePageData{Case: c, Actions: s.actionsFor(c, id), Channels: cases.Channels, Remedies: cases.RemedyKinds}
	if p, ok := s.cases.Policies()[c.Deadline.Policy]; ok {
		d.Policy = p.Name
	}
	if id.Can(auth.PermAuditRead) {
		if d.Audit, err = s.cases.AuditTrail(r.Context(), c.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !id.Can(auth.PermPIIView) {
		maskValue(c)
		maskValue(&d.Audit)
	}
	d.Timeline = timeline(c)
	lang := infoFrom(r.Context()).lang
	d.EvidenceFiles, d.EvidenceLimits = evidenceViews(lang, c.Evidence), evidenceLimits(lang, s.cases.MaxEvidence())
	if len(c.Assessment.Goodwill) > 0 {
		var g goodwill.Assessment
		if json.Unmarshal(c.Assessment.Goodwill, &g) == nil && g.Result != "" {
			pickText := func(r goodwill.Reason) string {
				if lang == i18n.EN && r.En != "" {
					return r.En
				}
				return r.Zh
			}
			d.Goodwill = &goodwillView{Result: string(g.Result), Confidence: g.Confidence, Route: g.RouteToSupervisor, Notice: pickText(g.Notice)}
			for _, rs := range g.Reasons {
				d.Goodwill.Reasons = append(d.Goodwill.Reasons, pickText(rs))
			}
			if !id.Can(auth.PermPIIView) {
				maskValue(d.Goodwill)
			}
		}
	}
	for _, k := range draftKeys {
		d.Drafts = append(d.Drafts, draft{Key: k, Name: i18n.T(lang, "draft."+k+".name"), Text: i18n.T(lang, "draft."+k+".text", c.Customer.Name)})
	}
	s.render(w, r, status, "case", &page{Title: "case.page_title", Nav: "desk", Data: d, Errors: errs, Form: form, Action: action, Flash: flash})
}

func (s *server) actionsFor(c *cases.Case, id auth.Identity) caseActions {
	var a caseActions
	open := c.State.Open() && c.MergedInto == ""
	if id.Can(auth.PermCaseWork) && c.MergedInto == "" {
		for _, to := range cases.Allowed(c.State) {
			// Only moves whose preconditions hold; the others are done by
			// their own forms (proposing a solution, recording the
			// customer's response).
			switch to {
			case cases.StateResolutionProposed:
				if len(c.Solutions) == 0 || c.State == cases.StateAwaitingCustomer {
					continue
				}
			case cases.StateAwaitingCustomer:
				if len(c.Solutions) == 0 || c.Solutions[len(c.Solutions)-1].ResponseID != "" {
					continue
				}
			case cases.StateFollowUp:
				continue // recording an acceptance moves there
			case cases.StateClosed:
				if len(c.FollowUps) == 0 {
					continue
				}
			}
			a.Transitions = append(a.Transitions, to)
		}
	}
	a.Contact = open && id.Can(auth.PermCaseContact)
	work := id.Can(auth.PermCaseWork) && c.MergedInto == ""
	a.Finding = work && open
	a.Solution = work && slices.Contains([]cases.State{cases.StateAssessing, cases.StateInvestigating, cases.StateResolutionProposed, cases.StateAwaitingCustomer}, c.State)
	a.Response = work && (c.State == cases.StateResolutionProposed || c.State == cases.StateAwaitingCustomer) &&
		len(c.Solutions) > 0 && c.Solutions[len(c.Solutions)-1].ResponseID == ""
	a.FollowUp = work && (c.State == cases.StateFollowUp || c.State == cases.StateClosed)
	a.Escalate = open && id.Can(auth.PermCaseEscalate) && c.EscalationLevel < cases.MaxEscalation
	if p, ok := s.cases.Policies()[c.Deadline.Policy]; ok && open && id.Can(auth.PermCaseExtend) {
		if n := len(c.Deadline.Extensions); n < len(p.Extensions) {
			a.Extend, a.ExtendStep, a.ExtendApprover = true, n+1, p.Extensions[n].RequireApprover
		}
	}
	a.Assign = open && id.Can(auth.PermCaseAssign)
	a.Evidence = open && id.Can(auth.PermEvidenceWrite)
	a.Any = len(a.Transitions) > 0 || a.Contact || a.Finding || a.Solution || a.Response || a.FollowUp || a.Escalate || a.Extend || a.Assign || a.Evidence
	return a
}

// timeline merges everything that happened to the case, oldest first.
func timeline(c *cases.Case) []tlItem {
	var t []tlItem
	for i := range c.Contacts {
		t = append(t, tlItem{At: c.Contacts[i].At, Kind: "contact", Contact: &c.Contacts[i]})
	}
	for i := range c.Findings {
		t = append(t, tlItem{At: c.Findings[i].At, Kind: "finding", Finding: &c.Findings[i]})
	}
	for i := range c.Evidence {
		t = append(t, tlItem{At: c.Evidence[i].At, Kind: "evidence", Evidence: &c.Evidence[i]})
	}
	for i := range c.Solutions {
		t = append(t, tlItem{At: c.Solutions[i].At, Kind: "solution", Solution: &c.Solutions[i]})
	}
	for i := range c.Responses {
		t = append(t, tlItem{At: c.Responses[i].At, Kind: "response", Response: &c.Responses[i]})
	}
	for i := range c.FollowUps {
		t = append(t, tlItem{At: c.FollowUps[i].Date, Kind: "follow_up", FollowUp: &c.FollowUps[i]})
	}
	for i := range c.History {
		t = append(t, tlItem{At: c.History[i].At, Kind: "state", Change: &c.History[i]})
	}
	for i := range c.Escalations {
		t = append(t, tlItem{At: c.Escalations[i].At, Kind: "escalation", Escalation: &c.Escalations[i]})
	}
	for i := range c.Deadline.Extensions {
		t = append(t, tlItem{At: c.Deadline.Extensions[i].GrantedAt, Kind: "extension", Extension: &c.Deadline.Extensions[i]})
	}
	sort.SliceStable(t, func(i, j int) bool { return t[i].At.Before(t[j].At) })
	return t
}
