package web

import (
	"net/http"

	"huajie/internal/cases"
)

// transition moves a case; an illegal move is a 409 whose message names the
// current state and the allowed next steps (errors.go).
func (a *api) transition(w http.ResponseWriter, r *http.Request) {
	var in cases.TransitionInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	c, err := a.cases.Transition(r.Context(), actor(r), r.PathValue("id"), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.metrics.transitions.WithLabelValues(string(c.State)).Inc()
	writeJSON(w, r, http.StatusOK, c)
}
