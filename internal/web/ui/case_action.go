package ui

import (
	"net/http"
	"strconv"
	"strings"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
)

// The case page's forms. Each validates what a person can get wrong with a
// message in the user's language next to the field, calls the cases
// service, and on success redirects back to the case (post/redirect/get).
// The service re-checks everything: a form that was shown for a state the
// case has since left gets a translated refusal, never a half change.

// formErrs collects field errors in the user's language.
type formErrs struct {
	lang i18n.Lang
	m    map[string]string
}

func newFormErrs(r *http.Request) *formErrs {
	return &formErrs{lang: infoFrom(r.Context()).lang, m: map[string]string{}}
}

func (e *formErrs) add(field, key string, args ...any) { e.m[field] = i18n.T(e.lang, key, args...) }

func (e *formErrs) required(field, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		e.add(field, "err.required")
	}
	return v
}

// formValues keeps what was typed so a rejected form is refilled.
func formValues(r *http.Request) map[string]string {
	m := map[string]string{}
	for k, v := range r.PostForm {
		if k != csrfField && len(v) > 0 {
			m[k] = v[0]
		}
	}
	return m
}

// done finishes an action: back to the case, or the case page with the
// errors next to the fields of the action's form.
func (s *server) done(w http.ResponseWriter, r *http.Request, id auth.Identity, action string, fe *formErrs, err error) {
	if err == nil && len(fe.m) == 0 {
		http.Redirect(w, r, "/ui/cases/"+r.PathValue("id")+"#timeline", http.StatusSeeOther)
		return
	}
	status := http.StatusUnprocessableEntity
	if err != nil {
		// The service's refusal, wholly in the user's language, next to
		// the field it concerns or above the forms.
		rf, ok := refusalOf(fe.lang, err)
		if !ok || rf.Status == http.StatusNotFound {
			s.fail(w, r, err)
			return
		}
		status = rf.Status
		fe.m[fieldFor(action, rf.Field)] = rf.Message
	}
	s.showCase(w, r, id, status, fe.m, formValues(r), action, "")
}

// fieldFor maps the service's field names to the form's: a refusal about
// the case as a whole, or about a field the form does not show, goes above
// the forms.
func fieldFor(action, field string) string {
	if action == "evidence" {
		switch field {
		case "content", "name", "file":
			return "file"
		case "description", "department":
			return field
		}
		return "form"
	}
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		field = field[i+1:] // remedies[0].amount_minor
	}
	switch field {
	case "amount_minor":
		return "amount"
	case "kind":
		return "remedy"
	case "content", "channel", "direction", "text", "summary", "days", "accepted", "reason", "satisfaction", "customer_notified", "approver":
		return field
	}
	return "form"
}

func (s *server) caseTransition(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	to := cases.State(r.PostFormValue("to"))
	if !to.Valid() {
		fe.add("form", "err.invalid")
		s.done(w, r, id, "transition", fe, nil)
		return
	}
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	_, err := s.cases.Transition(r.Context(), actor(id), r.PathValue("id"), cases.TransitionInput{To: to, Note: strings.TrimSpace(r.PostFormValue("note")), IfVersion: v})
	s.done(w, r, id, "transition", fe, err)
}

func (s *server) caseContact(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	content := fe.required("content", r.PostFormValue("content"))
	ch := cases.Channel(r.PostFormValue("channel"))
	if !ch.Valid() {
		fe.add("channel", "err.choose")
	}
	dir := cases.Direction(r.PostFormValue("direction"))
	if dir != cases.Inbound && dir != cases.Outbound {
		fe.add("direction", "err.choose")
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "contact", fe, nil)
		return
	}
	_, err := s.cases.AddContact(r.Context(), actor(id), r.PathValue("id"), cases.ContactInput{Channel: ch, Direction: dir, Content: content})
	s.done(w, r, id, "contact", fe, err)
}

func (s *server) caseFinding(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	text := fe.required("text", r.PostFormValue("text"))
	var sub *bool
	switch r.PostFormValue("substantiated") {
	case "yes":
		t := true
		sub = &t
	case "no":
		f := false
		sub = &f
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "finding", fe, nil)
		return
	}
	_, err := s.cases.AddFinding(r.Context(), actor(id), r.PathValue("id"), cases.FindingInput{Department: strings.TrimSpace(r.PostFormValue("department")), Text: text, Substantiated: sub})
	s.done(w, r, id, "finding", fe, err)
}

func (s *server) caseSolution(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	summary := fe.required("summary", r.PostFormValue("summary"))
	kind := cases.RemedyKind(r.PostFormValue("remedy"))
	if !kind.Valid() {
		fe.add("remedy", "err.choose")
	}
	rem := cases.Remedy{Kind: kind, Note: strings.TrimSpace(r.PostFormValue("remedy_note"))}
	if a := strings.TrimSpace(r.PostFormValue("amount")); a != "" {
		f, err := strconv.ParseFloat(a, 64)
		if err != nil || f < 0 || f > 1e9 {
			fe.add("amount", "err.amount")
		} else {
			rem.AmountMinor, rem.Currency = int64(f*100+0.5), "CNY"
		}
	} else if kind == cases.RemedyRefund || kind == cases.RemedyCompensation || kind == cases.RemedyFeeWaiver {
		fe.add("amount", "err.amount_required")
	}
	if kind == cases.RemedyInterestFree {
		d, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue("days")))
		if err != nil || d < 1 || d > 3650 {
			fe.add("days", "err.days")
		}
		rem.Days = d
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "solution", fe, nil)
		return
	}
	_, err := s.cases.ProposeSolution(r.Context(), actor(id), r.PathValue("id"), cases.SolutionInput{Summary: summary, Basis: strings.TrimSpace(r.PostFormValue("basis")), Remedies: []cases.Remedy{rem}})
	s.done(w, r, id, "solution", fe, err)
}

func (s *server) caseResponse(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	var accepted bool
	switch r.PostFormValue("accepted") {
	case "yes":
		accepted = true
	case "no":
	default:
		fe.add("accepted", "err.choose")
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if r.PostFormValue("accepted") == "no" && reason == "" {
		fe.add("reason", "err.reason_rejected")
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "response", fe, nil)
		return
	}
	_, err := s.cases.RecordResponse(r.Context(), actor(id), r.PathValue("id"), cases.ResponseInput{Accepted: accepted, Reason: reason})
	s.done(w, r, id, "response", fe, err)
}

func (s *server) caseFollowUp(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	sat, err := strconv.Atoi(r.PostFormValue("satisfaction"))
	if err != nil || sat < 1 || sat > 5 {
		fe.add("satisfaction", "err.satisfaction")
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "follow_up", fe, nil)
		return
	}
	_, err = s.cases.RecordFollowUp(r.Context(), actor(id), r.PathValue("id"), cases.FollowUpInput{Satisfaction: sat, Comment: strings.TrimSpace(r.PostFormValue("comment"))})
	s.done(w, r, id, "follow_up", fe, err)
}

func (s *server) caseEscalate(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	reason := fe.required("reason", r.PostFormValue("reason"))
	if len(fe.m) > 0 {
		s.done(w, r, id, "escalate", fe, nil)
		return
	}
	_, err := s.cases.Escalate(r.Context(), actor(id), r.PathValue("id"), cases.EscalateInput{Reason: reason})
	s.done(w, r, id, "escalate", fe, err)
}

func (s *server) caseExtend(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	reason := fe.required("reason", r.PostFormValue("reason"))
	notified := r.PostFormValue("customer_notified") == "on"
	if !notified {
		fe.add("customer_notified", "err.notify_customer")
	}
	approver := strings.TrimSpace(r.PostFormValue("approver"))
	if r.PostFormValue("needs_approver") == "1" && approver == "" {
		fe.add("approver", "err.approver")
	}
	if len(fe.m) > 0 {
		s.done(w, r, id, "extend", fe, nil)
		return
	}
	_, err := s.cases.ExtendDeadline(r.Context(), actor(id), r.PathValue("id"), cases.ExtendInput{Reason: reason, CustomerNotified: notified, Approver: approver})
	s.done(w, r, id, "extend", fe, err)
}

func (s *server) caseAssign(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	_, err := s.cases.Assign(r.Context(), actor(id), r.PathValue("id"), strings.TrimSpace(r.PostFormValue("assignee")))
	s.done(w, r, id, "assign", fe, err)
}

// actor is the audit trail's "who".
func actor(id auth.Identity) cases.Actor { return cases.Actor{Name: id.Name, Role: string(id.Role)} }
