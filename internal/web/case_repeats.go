package web

import (
	"net/http"

	"huajie/internal/cases"
)

func (a *api) repeats(w http.ResponseWriter, r *http.Request) {
	items, err := a.cases.FindRepeats(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if items == nil {
		items = []cases.RepeatCandidate{}
	}
	writeJSON(w, r, http.StatusOK, repeatsResponse{Items: items})
}
