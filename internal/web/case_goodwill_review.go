package web

import (
	"net/http"

	"huajie/internal/cases"
)

func (a *api) reviewGoodwill(w http.ResponseWriter, r *http.Request) {
	var in cases.GoodwillReviewInput
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	out, err := a.cases.ReviewGoodwill(r.Context(), actor(r), r.PathValue("id"), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusCreated, out)
}
