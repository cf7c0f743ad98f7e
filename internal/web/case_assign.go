package web

import "net/http"

func (a *api) assign(w http.ResponseWriter, r *http.Request) {
	var in assignRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.cases.Assign(r.Context(), actor(r), r.PathValue("id"), in.Assignee)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}
