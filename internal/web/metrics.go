package web

import (
	"net/http"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the API's Prometheus metrics. Labels use the route pattern,
// never the raw path, so case IDs cannot blow up the series count.
type metrics struct {
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	created     *prometheus.CounterVec
	transitions *prometheus.CounterVec
	evidence    prometheus.Counter
	logins      *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huajie_http_requests_total", Help: "HTTP requests by route, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "huajie_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route", "method"}),
		created: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huajie_cases_created_total", Help: "Cases opened through the API by intake channel.",
		}, []string{"channel"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huajie_case_transitions_total", Help: "Case state transitions through the API by target state.",
		}, []string{"to"}),
		evidence: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "huajie_evidence_bytes_total", Help: "Bytes of evidence files stored.",
		}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "huajie_logins_total", Help: "Password sign-ins by result (ok, failed).",
		}, []string{"result"}),
	}
	reg.MustRegister(m.requests, m.latency, m.created, m.transitions, m.evidence, m.logins)
	return m
}

func (a *api) metricsHandler(w http.ResponseWriter, r *http.Request) {
	promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
}

func codeLabel(status int) string { return strconv.Itoa(status) }
