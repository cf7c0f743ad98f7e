package web

import (
	"net/http"

	"huajie/internal/cases"
)

func (a *api) createCase(w http.ResponseWriter, r *http.Request) {
	var in cases.NewCase
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.cases.Create(r.Context(), actor(r), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.metrics.created.WithLabelValues(string(c.Channel)).Inc()
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	writeJSON(w, r, http.StatusCreated, c)
}
