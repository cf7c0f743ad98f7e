package web

import (
	"context"
	"net/http"

	"huajie/internal/alerts"
)

func (a *api) acknowledgeSpikeAlert(w http.ResponseWriter, r *http.Request) {
	a.spikeAlertState(w, r, func(sa alerts.SpikeAlerts) func(ctx context.Context, id, by, note string) (*alerts.SpikeAlert, error) {
		return sa.Acknowledge
	})
}

func (a *api) dismissSpikeAlert(w http.ResponseWriter, r *http.Request) {
	a.spikeAlertState(w, r, func(sa alerts.SpikeAlerts) func(ctx context.Context, id, by, note string) (*alerts.SpikeAlert, error) {
		return sa.Dismiss
	})
}

// spikeAlertState reads the optional note (an empty body will do) and
// applies the change in the acting user's name.
func (a *api) spikeAlertState(w http.ResponseWriter, r *http.Request, op func(alerts.SpikeAlerts) func(ctx context.Context, id, by, note string) (*alerts.SpikeAlert, error)) {
	sa := a.spikeAlerts(w, r)
	if sa == nil {
		return
	}
	var in spikeAlertNote
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	al, err := op(sa)(r.Context(), r.PathValue("id"), actor(r).Name, in.Note)
	if err != nil {
		a.failSpike(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, al)
}
