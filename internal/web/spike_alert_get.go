package web

import "net/http"

func (a *api) getSpikeAlert(w http.ResponseWriter, r *http.Request) {
	sa := a.spikeAlerts(w, r)
	if sa == nil {
		return
	}
	al, err := sa.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		a.failSpike(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, al)
}
