package web

import "net/http"

func (a *api) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.cases.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, c)
}
