package web

import "net/http"

func (a *api) merge(w http.ResponseWriter, r *http.Request) {
	var in mergeRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.cases.Merge(r.Context(), actor(r), r.PathValue("id"), in.SourceID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, out)
}
