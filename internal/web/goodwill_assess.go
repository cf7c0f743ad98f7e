package web

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"huajie/internal/goodwill"
)

// Limits of POST /api/v1/assess, beyond the body's MaxJSONBytes: the
// assessor's own (a longer text or more contacts are refused rather than
// silently cut), and the history's lists.
const (
	maxAssessText    = goodwill.DefaultMaxBytes
	maxAssessHistory = 1000
)

func (a *api) assess(w http.ResponseWriter, r *http.Request) {
	if a.gw == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "the goodwill assessor is not configured on this server")
		return
	}
	var in goodwill.Input
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	if err := checkAssessInput(in); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, a.gw.Assess(in))
}

// checkAssessInput refuses what the assessor would cut or cannot use,
// naming the field.
func checkAssessInput(in goodwill.Input) error {
	tooLarge := func(field string, n int) error {
		return &requestError{status: http.StatusRequestEntityTooLarge, code: "too_large",
			msg: fmt.Sprintf("%s is %d bytes, over the limit of %d", field, n, maxAssessText)}
	}
	invalid := func(field, format string, args ...any) error {
		return &requestError{status: http.StatusUnprocessableEntity, code: "invalid_field", msg: field + ": " + fmt.Sprintf(format, args...)}
	}
	if len(in.Text) > maxAssessText {
		return tooLarge("text", len(in.Text))
	}
	if !utf8.ValidString(in.Text) {
		return invalid("text", "is not valid UTF-8")
	}
	if len(in.Contacts) > goodwill.DefaultMaxContacts {
		return invalid("contacts", "%d contacts, at most %d", len(in.Contacts), goodwill.DefaultMaxContacts)
	}
	total := len(in.Text)
	hasContact := false
	for i, c := range in.Contacts {
		f := fmt.Sprintf("contacts[%d]", i)
		if len(c.Text) > maxAssessText {
			return tooLarge(f+".text", len(c.Text))
		}
		if c.Role != "" && c.Role != "customer" && c.Role != "agent" {
			return invalid(f+".role", "%q; expected customer or agent", c.Role)
		}
		if c.Role != "agent" && strings.TrimSpace(c.Text) != "" {
			hasContact = true
		}
		total += len(c.Text)
	}
	if total > 4*maxAssessText {
		return &requestError{status: http.StatusRequestEntityTooLarge, code: "too_large",
			msg: fmt.Sprintf("text and contacts total %d bytes, over the limit of %d", total, 4*maxAssessText)}
	}
	if strings.TrimSpace(in.Text) == "" && !hasContact {
		return invalid("text", "is required: nothing to assess (no text and no customer contact)")
	}
	h := in.History
	switch {
	case h.PriorComplaints < 0:
		return invalid("history.prior_complaints", "must not be negative")
	case h.PriorCases < 0:
		return invalid("history.prior_cases", "must not be negative")
	case len(h.ComplaintDates) > maxAssessHistory:
		return invalid("history.complaint_dates", "%d dates, at most %d", len(h.ComplaintDates), maxAssessHistory)
	case len(h.Compensations) > maxAssessHistory:
		return invalid("history.compensations", "%d entries, at most %d", len(h.Compensations), maxAssessHistory)
	case len(h.Channels) > maxAssessHistory:
		return invalid("history.channels", "%d channels, at most %d", len(h.Channels), maxAssessHistory)
	}
	for i, c := range h.Compensations {
		if c.Amount < 0 {
			return invalid(fmt.Sprintf("history.compensations[%d].amount", i), "must not be negative")
		}
	}
	return nil
}
