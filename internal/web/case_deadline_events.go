package web

import (
	"net/http"

	"huajie/internal/cases"
)

func (a *api) deadlineEvents(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	// Ask for the case first so an unknown ID is a 404, not an empty list.
	if _, err := a.cases.Get(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	items, err := a.cases.DeadlineEvents(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if items == nil {
		items = []cases.DeadlineEvent{}
	}
	writeJSON(w, r, http.StatusOK, deadlineEventsResponse{Items: items})
}
