package web

import (
	"net/http"

	"huajie/internal/alerts"
)

type webhookRequest struct {
	URL string `json:"url"`
	// Secret signs deliveries; generated when omitted (returned once).
	Secret string `json:"secret,omitempty"`
	// Team limits deliveries to that team's alerts.
	Team string `json:"team,omitempty"`
}

type webhookListResponse struct {
	Items []alerts.Webhook `json:"items"`
}

type deliveryListResponse struct {
	Items []alerts.Delivery `json:"items"`
}

func (a *api) createWebhook(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	var in webhookRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	wh, err := a.alerts.CreateWebhook(r.Context(), alerts.Webhook{URL: in.URL, Secret: in.Secret, Team: in.Team, CreatedBy: actor(r).Name})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/webhooks/"+wh.ID)
	writeJSON(w, r, http.StatusCreated, wh)
}

func (a *api) listWebhooks(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	items, err := a.alerts.Webhooks(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, webhookListResponse{Items: items})
}

func (a *api) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	if err := a.alerts.DeleteWebhook(r.Context(), r.PathValue("id")); err != nil {
		a.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *api) webhookDeliveries(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	items, err := a.alerts.Deliveries(r.Context(), r.PathValue("id"), limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, deliveryListResponse{Items: items})
}
