package web

import "net/http"

func (a *api) caseGoodwill(w http.ResponseWriter, r *http.Request) {
	v, err := a.cases.Goodwill(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}
