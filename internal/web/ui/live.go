package ui

import (
	"context"
	"time"
)

// Live is what the workstation and the dashboard need from the live side
// of Huajie (interactions, conversation risk and alerts). It is an
// interface so the UI does not depend on how that service stores things;
// cmd/huajie adapts the interactions and alerts services to it.
type Live interface {
	// OpenAlerts lists open alerts, newest first.
	OpenAlerts(ctx context.Context, limit int) ([]Alert, error)
	// Conversations lists the live conversations an agent is handling
	// (all live conversations when agent is empty), riskiest first.
	Conversations(ctx context.Context, agent string, limit int) ([]Conversation, error)
}

// Alert is a risk alert on a conversation.
type Alert struct {
	ID             string
	ConversationID string
	CustomerID     string
	Channel        string
	Agent          string
	Risk           float64
	Reasons        []string
	Interventions  []string
	At             time.Time
}

// Conversation is a live conversation with its current risk.
type Conversation struct {
	ID            string
	CustomerID    string
	CustomerName  string
	Channel       string
	Agent         string
	Risk          float64
	Reasons       []string
	Interventions []string
	LastMessage   string
	UpdatedAt     time.Time
}
