package web

import (
	"errors"
	"net/http"

	"huajie/internal/alerts"
	"huajie/internal/auth"
)

type (
	spikeAlertList struct {
		Items []alerts.SpikeAlert `json:"items"`
	}
	spikeAlertNote struct {
		Note string `json:"note,omitempty"`
	}
)

var spikeAlertListParams = []param{
	{"state", "string", "open, acknowledged or dismissed; repeat or comma-separate for several"},
	{"source", "string", "case, message or post"},
	{"by", "string", "breakdown: cause, touchpoint …"},
	{"value", "string", "the breakdown's value (a JR/T code, a touchpoint id …)"},
	{"limit", "integer", "default 50, at most 500"},
}

// spikeAlertRoutes are the spike alerts' routes (issue 7): waves of one
// cause or touchpoint raised by the spike watch, for supervisors and
// analysts.
func (a *api) spikeAlertRoutes() []route {
	const p = "/api/v1/insight/spike-alerts"
	return []route{
		{Method: "GET", Path: p, Perm: auth.PermInsightRead, Tag: "insight", Summary: "Spike alerts (a sudden wave of one cause, touchpoint … on one day), newest first", Response: spikeAlertList{}, Query: spikeAlertListParams, handler: a.listSpikeAlerts},
		{Method: "GET", Path: p + "/{id}", Perm: auth.PermInsightRead, Tag: "insight", Summary: "Get a spike alert", Response: alerts.SpikeAlert{}, handler: a.getSpikeAlert},
		{Method: "POST", Path: p + "/{id}/acknowledge", Perm: auth.PermMeasureWrite, Tag: "insight", Summary: "Acknowledge an open spike alert (someone looks into it), with an optional note; 409 when it is not open", Request: spikeAlertNote{}, Response: alerts.SpikeAlert{}, handler: a.acknowledgeSpikeAlert},
		{Method: "POST", Path: p + "/{id}/dismiss", Perm: auth.PermMeasureWrite, Tag: "insight", Summary: "Dismiss an open or acknowledged spike alert (handled, or no real wave), with an optional note; 409 when already dismissed", Request: spikeAlertNote{}, Response: alerts.SpikeAlert{}, handler: a.dismissSpikeAlert},
	}
}

// spikeAlerts returns the spike alerts' service, or answers 503.
func (a *api) spikeAlerts(w http.ResponseWriter, r *http.Request) alerts.SpikeAlerts {
	var sa alerts.SpikeAlerts
	if a.alerts != nil {
		sa = a.alerts.Spikes()
	}
	if sa == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "spike alerts are not configured on this server")
	}
	return sa
}

// failSpike maps the spike alerts' own errors, then the shared ones.
func (a *api) failSpike(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, alerts.ErrSpikeState) {
		err = &requestError{status: http.StatusConflict, code: "wrong_state", msg: trimPrefix(err.Error())}
	}
	a.fail(w, r, err)
}
