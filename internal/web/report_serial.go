package web

import (
	"net/http"
	"slices"

	"huajie/internal/cases"
)

func (a *api) serialComplainers(w http.ResponseWriter, r *http.Request) {
	for k := range r.URL.Query() {
		if !slices.ContainsFunc(serialParams, func(p param) bool { return p.Name == k }) {
			a.fail(w, r, badRequest("bad_query", "unknown query parameter %q", k))
			return
		}
	}
	var f cases.SerialFilter
	var err error
	if f.MinComplaints, err = queryInt(r, "min_complaints"); err != nil {
		a.fail(w, r, err)
		return
	}
	if f.Since, err = queryTime(r, "since"); err != nil {
		a.fail(w, r, err)
		return
	}
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		a.fail(w, r, err)
		return
	}
	rep, err := a.cases.SerialComplainers(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, rep)
}
