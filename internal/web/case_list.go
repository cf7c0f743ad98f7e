package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"huajie/internal/cases"
	"huajie/internal/deadlines"
)

// maxQueryRunes bounds the full-text query: longer ones are not searches.
const maxQueryRunes = 200

func (a *api) listCases(w http.ResponseWriter, r *http.Request) {
	f, err := parseListFilter(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	page, err := a.cases.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Items == nil {
		page.Items = []cases.Summary{}
	}
	writeJSON(w, r, http.StatusOK, page)
}

// parseListFilter reads the list filters from the query, refusing unknown
// parameters and values so that a typo does not silently list everything.
func parseListFilter(r *http.Request) (cases.ListFilter, error) {
	var f cases.ListFilter
	known := map[string]bool{}
	for _, p := range listParams {
		known[p.Name] = true
	}
	for k := range r.URL.Query() {
		if !known[k] {
			return f, badRequest("bad_query", "unknown query parameter %q", k)
		}
	}
	for _, s := range queryValues(r, "state") {
		if !slices.Contains(cases.States, cases.State(s)) {
			return f, badRequest("bad_query", "query parameter state=%q: not a state", s)
		}
		f.States = append(f.States, cases.State(s))
	}
	for _, s := range queryValues(r, "channel") {
		if !slices.Contains(cases.Channels, cases.Channel(s)) {
			return f, badRequest("bad_query", "query parameter channel=%q: not a channel", s)
		}
		f.Channels = append(f.Channels, cases.Channel(s))
	}
	for _, s := range queryValues(r, "difficulty") {
		if cases.FlagBit(s) == 0 {
			return f, badRequest("bad_query", "query parameter difficulty=%q: not a difficulty flag", s)
		}
		f.Difficulty = append(f.Difficulty, s)
	}
	q := r.URL.Query()
	f.CauseCode = q.Get("cause")
	f.Business = q.Get("business")
	f.Assignee = q.Get("assignee")
	f.Team = q.Get("team")
	f.Branch = q.Get("branch")
	f.CustomerID = q.Get("customer_id")
	f.Cursor = q.Get("cursor")
	if s := q.Get("severity"); s != "" {
		switch cases.Severity(s) {
		case cases.SeverityLow, cases.SeverityMedium, cases.SeverityHigh, cases.SeverityCritical:
			f.Severity = cases.Severity(s)
		default:
			return f, badRequest("bad_query", "query parameter severity=%q: expected low, medium, high or critical", s)
		}
	}
	switch s := deadlines.Status(q.Get("deadline_status")); s {
	case "", deadlines.StatusOK, deadlines.StatusWarning, deadlines.StatusBreached, deadlines.StatusMet, deadlines.StatusMetLate, deadlines.StatusLapsed:
		f.DeadlineStatus = s
	default:
		return f, badRequest("bad_query", "query parameter deadline_status=%q: expected ok, warning, breached, met, met_late or lapsed", s)
	}
	switch s := q.Get("sort"); s {
	case "", cases.SortReceived, cases.SortDue:
		f.Sort = s
	default:
		return f, badRequest("bad_query", "query parameter sort=%q: expected %s or %s", s, cases.SortReceived, cases.SortDue)
	}
	if s := q.Get("goodwill"); s != "" {
		if !cases.GoodwillResult(s).Valid() {
			return f, badRequest("bad_query", "query parameter goodwill=%q: expected goodwill, unreasonable_demand or suspected_malicious", s)
		}
		f.Goodwill = cases.GoodwillResult(s)
	}
	switch s := q.Get("goodwill_review"); s {
	case "", cases.GoodwillReviewPending, cases.GoodwillReviewReviewed:
		f.GoodwillReview = s
	default:
		return f, badRequest("bad_query", "query parameter goodwill_review=%q: expected pending or reviewed", s)
	}
	f.Query = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(f.Query) > maxQueryRunes {
		return f, badRequest("bad_query", "query parameter q is longer than %d characters", maxQueryRunes)
	}
	var err error
	if f.Unassigned, err = queryBool(r, "unassigned"); err != nil {
		return f, err
	}
	if f.Difficult, err = queryBool(r, "difficult"); err != nil {
		return f, err
	}
	if f.Escalated, err = queryBool(r, "escalated"); err != nil {
		return f, err
	}
	if f.DueBefore, err = queryTime(r, "due_before"); err != nil {
		return f, err
	}
	if f.ReceivedFrom, err = queryTime(r, "received_from"); err != nil {
		return f, err
	}
	if f.ReceivedTo, err = queryTime(r, "received_to"); err != nil {
		return f, err
	}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return f, err
	}
	if f.Limit > cases.MaxListLimit {
		return f, badRequest("bad_query", "query parameter limit=%d: at most %d", f.Limit, cases.MaxListLimit)
	}
	return f, nil
}
