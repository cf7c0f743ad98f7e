package web

import (
	"net/http"
)

type closeAlertRequest struct {
	Note string `json:"note,omitempty"`
}

func (a *api) acknowledgeAlert(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	// The body is optional: an empty object or nothing.
	if r.ContentLength != 0 {
		var none struct{}
		if err := decodeJSON(w, r, &none); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	al, err := a.alerts.Acknowledge(r.Context(), r.PathValue("id"), actor(r).Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, al)
}

func (a *api) closeAlert(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	var in closeAlertRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	al, err := a.alerts.Close(r.Context(), r.PathValue("id"), actor(r).Name, in.Note)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, al)
}
