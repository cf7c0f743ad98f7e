package web

import (
	"context"
	"net/http"
	"time"
)

func (a *api) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, healthResponse{Status: "ok"})
}

// readyz answers 200 only when the database does, so a load balancer (and
// the kill -9 test) knows when writes will be accepted.
func (a *api) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.db.Ping(ctx); err != nil {
		a.log.WarnContext(r.Context(), "readiness: database ping failed", "err", err)
		writeError(w, r, http.StatusServiceUnavailable, "not_ready", "database unavailable")
		return
	}
	writeJSON(w, r, http.StatusOK, healthResponse{Status: "ready"})
}
