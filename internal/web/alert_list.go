package web

import (
	"net/http"
	"slices"

	"huajie/internal/alerts"
)

var alertListParams = []param{
	{"state", "string", "open, acknowledged or closed; repeat or comma-separate for several"},
	{"team", "string", "team"},
	{"agent", "string", "agent"},
	{"channel", "string", "channel (branch, phone, online_chat, app, email, social_media, survey)"},
	{"customer_id", "string", "customer"},
	{"before", "string", "created before this time (RFC 3339): the previous page's last created_at"},
	{"limit", "integer", "page size, default 50, at most 500"},
}

type alertListResponse struct {
	Items []alerts.Alert `json:"items"`
}

func parseAlertFilter(r *http.Request, params []param) (alerts.Filter, error) {
	var f alerts.Filter
	known := map[string]bool{}
	for _, p := range params {
		known[p.Name] = true
	}
	for k := range r.URL.Query() {
		if !known[k] {
			return f, badRequest("bad_query", "unknown query parameter %q", k)
		}
	}
	for _, s := range queryValues(r, "state") {
		if !slices.Contains(alerts.States, alerts.State(s)) {
			return f, badRequest("bad_query", "query parameter state=%q: not open, acknowledged or closed", s)
		}
		f.States = append(f.States, alerts.State(s))
	}
	q := r.URL.Query()
	f.Team, f.Agent, f.Channel, f.Customer = q.Get("team"), q.Get("agent"), q.Get("channel"), q.Get("customer_id")
	var err error
	if known["before"] {
		if f.Before, err = queryTime(r, "before"); err != nil {
			return f, err
		}
	}
	if known["limit"] {
		if f.Limit, err = queryInt(r, "limit"); err != nil {
			return f, err
		}
		if f.Limit > 500 {
			return f, badRequest("bad_query", "query parameter limit=%d: at most 500", f.Limit)
		}
	}
	return f, nil
}

func (a *api) listAlerts(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	f, err := parseAlertFilter(r, alertListParams)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items, err := a.alerts.List(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, alertListResponse{Items: items})
}

func (a *api) getAlert(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	al, err := a.alerts.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, al)
}
