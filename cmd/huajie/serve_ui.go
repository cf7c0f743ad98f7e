package main

import (
	"log/slog"
	"net/http"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/interactions"
	"huajie/internal/web/ui"
)

// withUI mounts the web UI next to the API: pages under /ui/, "/" opens
// the start page (what Huajie does), everything else is the API's. The
// templates are embedded and parsed by the UI's tests, so a parse failure
// here is a build defect and panics.
// al and in (the alerts and interactions services) may be nil: the
// workstation then says live conversations are not enabled.
func withUI(api http.Handler, cs *cases.Service, as *auth.Service, log *slog.Logger, al *alerts.Service, in *interactions.Service, an *analyst.Service) http.Handler {
	h, err := ui.New(ui.Opts{Cases: cs, Auth: as, Logger: log, Alerts: al, Interactions: in, Analyst: an})
	if err != nil {
		panic(err)
	}
	return ui.Mount(api, h)
}
