package web

import (
	"net/http"

	"huajie/internal/alerts"
	"huajie/internal/cases"
	"huajie/internal/interactions"
)

// customerRiskResponse is a customer's current risk, recent interactions
// across channels, open cases and live alerts.
type customerRiskResponse struct {
	interactions.CustomerView
	OpenCases []cases.Summary `json:"open_cases"`
	Alerts    []alerts.Alert  `json:"alerts"`
}

func (a *api) customerRisk(w http.ResponseWriter, r *http.Request) {
	if a.ingest == nil || a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "ingest is not configured on this server")
		return
	}
	id := r.PathValue("id")
	v, err := a.ingest.Customer(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	resp := customerRiskResponse{CustomerView: *v, OpenCases: []cases.Summary{}}
	if v.Recent == nil {
		resp.Recent = []interactions.Stored{}
	}
	page, err := a.cases.List(r.Context(), cases.ListFilter{CustomerID: id, States: cases.States[:len(cases.States)-1], Limit: 50})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if page.Items != nil {
		resp.OpenCases = page.Items
	}
	resp.Alerts, err = a.alerts.List(r.Context(), alerts.Filter{Customer: id, States: []alerts.State{alerts.StateOpen, alerts.StateAcknowledged}})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, resp)
}
