package web

import (
	"net/http"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/interactions"
)

// ingestRoutes are live pre-identification's routes (issue 4): ingest,
// conversations and customers' risk, alerts and their stream, webhooks.
func (a *api) ingestRoutes() []route {
	return []route{
		{Method: "POST", Path: "/api/v1/interactions", Perm: auth.PermInteractionWrite, Tag: "interactions", Summary: "Ingest one message (an object) or a batch (an array, at most 1,000 messages, 4 MiB): idempotent by message id, placed in time order, analysed and scored; a batch reports each item", Request: ingestRequest{}, Response: interactions.Result{}, handler: a.postInteractions},
		{Method: "GET", Path: "/api/v1/conversations/{id}", Perm: auth.PermInteractionRead, Tag: "interactions", Summary: "A conversation with its messages, each with its analysis and the risk after it", Response: interactions.ConversationView{}, handler: a.getConversation},
		{Method: "GET", Path: "/api/v1/customers/{id}/risk", Perm: auth.PermInteractionRead, Tag: "interactions", Summary: "A customer's current risk, recent interactions across channels, open cases and live alerts", Response: customerRiskResponse{}, handler: a.customerRisk},
		{Method: "GET", Path: "/api/v1/alerts", Perm: auth.PermAlertRead, Tag: "alerts", Summary: "List alerts, newest first, with filters", Response: alertListResponse{}, Query: alertListParams, handler: a.listAlerts},
		{Method: "GET", Path: "/api/v1/alerts/stream", Perm: auth.PermAlertRead, Tag: "alerts", Summary: "Alert events as server-sent events (text/event-stream), filterable by team and agent, resumable with Last-Event-ID", Query: alertStreamParams, Download: true, handler: a.alertStream},
		{Method: "GET", Path: "/api/v1/alerts/{id}", Perm: auth.PermAlertRead, Tag: "alerts", Summary: "Get an alert", Response: alerts.Alert{}, handler: a.getAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/acknowledge", Perm: auth.PermAlertWork, Tag: "alerts", Summary: "Acknowledge an alert (someone is on it)", Response: alerts.Alert{}, handler: a.acknowledgeAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/close", Perm: auth.PermAlertWork, Tag: "alerts", Summary: "Close an alert (the conversation must re-arm before it alerts again)", Request: closeAlertRequest{}, Response: alerts.Alert{}, handler: a.closeAlert},
		{Method: "POST", Path: "/api/v1/alerts/{id}/case", Perm: auth.PermAlertWork, Tag: "alerts", Summary: "Open a case from an alert, pre-filled from its conversation; idempotent: 201 opens the case, 200 answers with the case already opened from this alert", Request: alertCaseRequest{}, Response: alertCaseResponse{}, Status: http.StatusCreated, handler: a.caseFromAlert},
		{Method: "GET", Path: "/api/v1/webhooks", Perm: auth.PermWebhookAdmin, Tag: "webhooks", Summary: "List webhooks (secrets are not shown)", Response: webhookListResponse{}, handler: a.listWebhooks},
		{Method: "POST", Path: "/api/v1/webhooks", Perm: auth.PermWebhookAdmin, Tag: "webhooks", Summary: "Register a webhook for alert events (HMAC-SHA256 signed; the secret is shown once)", Request: webhookRequest{}, Response: alerts.Webhook{}, Status: http.StatusCreated, handler: a.createWebhook},
		{Method: "DELETE", Path: "/api/v1/webhooks/{id}", Perm: auth.PermWebhookAdmin, Tag: "webhooks", Summary: "Delete a webhook and its deliveries", Status: http.StatusNoContent, handler: a.deleteWebhook},
		{Method: "GET", Path: "/api/v1/webhooks/{id}/deliveries", Perm: auth.PermWebhookAdmin, Tag: "webhooks", Summary: "A webhook's delivery log: state, attempts, dead letters", Response: deliveryListResponse{}, Query: []param{{"limit", "integer", "at most 500, default 100"}}, handler: a.webhookDeliveries},
	}
}
