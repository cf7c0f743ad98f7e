package web

import (
	"net/http"
	"slices"

	"huajie/internal/alerts"
)

func (a *api) listSpikeAlerts(w http.ResponseWriter, r *http.Request) {
	sa := a.spikeAlerts(w, r)
	if sa == nil {
		return
	}
	if err := checkParams(r, spikeAlertListParams); err != nil {
		a.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := alerts.SpikeFilter{Source: q.Get("source"), By: q.Get("by"), Value: q.Get("value")}
	for _, s := range queryValues(r, "state") {
		if !slices.Contains(alerts.SpikeStates, alerts.SpikeState(s)) {
			a.fail(w, r, badRequest("bad_query", "query parameter state=%q: not open, acknowledged or dismissed", s))
			return
		}
		f.States = append(f.States, alerts.SpikeState(s))
	}
	var err error
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		a.fail(w, r, err)
		return
	}
	if f.Limit < 0 || f.Limit > 500 {
		a.fail(w, r, badRequest("bad_query", "query parameter limit=%d: 1 to 500", f.Limit))
		return
	}
	items, err := sa.List(r.Context(), f)
	if err != nil {
		a.failSpike(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, spikeAlertList{Items: items})
}
