package web

import (
	"github.com/prometheus/client_golang/prometheus"

	"huajie/internal/interactions"
)

// ingestMetrics count ingested messages by outcome.
type ingestMetrics struct {
	messages *prometheus.CounterVec
}

func newIngestMetrics(reg prometheus.Registerer) *ingestMetrics {
	m := &ingestMetrics{messages: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "huajie_interactions_total", Help: "Messages posted to /api/v1/interactions by outcome (accepted, duplicate, failed).",
	}, []string{"status"})}
	reg.MustRegister(m.messages)
	return m
}

func (m *ingestMetrics) observe(r *interactions.Result) {
	m.messages.WithLabelValues(interactions.StatusAccepted).Add(float64(r.Accepted))
	m.messages.WithLabelValues(interactions.StatusDuplicate).Add(float64(r.Duplicates))
	m.messages.WithLabelValues(interactions.StatusFailed).Add(float64(r.Failed))
}
