// Package web is Huajie's HTTP API: JSON under /api/v1, the health and
// readiness probes, Prometheus metrics and the OpenAPI description.
//
// The route table (routes.go) is the single list of what is served: each
// route names its method and path, the permission it needs from auth's
// permission table, its request and response types (from which the OpenAPI
// description is generated) and its handler, one handler per file. Routing
// is the standard library's ServeMux with method patterns.
//
// Errors are written in one shape, {"error":{"code":"…","message":"…"}},
// and mapped from the domain's sentinel and typed errors in one place
// (errors.go), so no domain package knows about HTTP.
//
// Personal data: responses to identities without auth.PermPIIView have every
// phone, ID-card and bank-card number masked (response.go), including inside
// free text such as a complaint or a contact note; logs are masked for
// everyone (pii.Handler).
package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/goodwill"
	"huajie/internal/interactions"
)

// Pinger is what readiness checks: the database answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Opts configures the API.
type Opts struct {
	Cases *cases.Service
	Auth  *auth.Service
	DB    Pinger
	// Logger; its output should already be masked (pii.NewHandler).
	Logger *slog.Logger
	// Registry receives the HTTP and domain metrics and is what /metrics
	// serves; a new registry with the Go and process collectors when nil.
	Registry *prometheus.Registry
	// SecureCookies marks the session cookie Secure (set it when serving
	// behind TLS).
	SecureCookies bool
	// Goodwill assesses complaints for POST /api/v1/assess; without it the
	// route answers 503.
	Goodwill *goodwill.Assessor
	// Interactions and Alerts serve ingest, conversations, customers'
	// risk, alerts, their stream and webhooks; those routes answer 503
	// when nil.
	Interactions *interactions.Service
	Alerts       *alerts.Service
	// Heartbeat is the alert stream's keep-alive interval; default 15 s.
	Heartbeat time.Duration
	// Analyst serves /api/v1/insight, /api/v1/measures and the
	// regulatory and deadline reports; they answer 503 when nil.
	Analyst *analyst.Service
}

// MaxJSONBytes limits every JSON request body.
const MaxJSONBytes = 1 << 20

// api holds what handlers need; each handler is a method in its own file.
type api struct {
	cases   *cases.Service
	auth    *auth.Service
	db      Pinger
	log     *slog.Logger
	metrics *metrics
	maxEv   int64
	secure  bool
	reg     *prometheus.Registry
	gw      *goodwill.Assessor
	// logins bounds concurrent password checks: each costs ~0.2 s of CPU
	// (PBKDF2), so unbounded sign-in attempts could starve the API.
	logins chan struct{}

	ingest        *interactions.Service
	alerts        *alerts.Service
	heartbeat     time.Duration
	ingestMetrics *ingestMetrics

	analyst *analyst.Service
}

// New returns the API's handler.
func New(o Opts) http.Handler {
	a := &api{cases: o.Cases, auth: o.Auth, db: o.DB, log: o.Logger, maxEv: o.Cases.MaxEvidence(), secure: o.SecureCookies, reg: o.Registry, gw: o.Goodwill,
		ingest: o.Interactions, alerts: o.Alerts, heartbeat: o.Heartbeat, analyst: o.Analyst}
	if a.heartbeat <= 0 {
		a.heartbeat = 15 * time.Second
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if a.reg == nil {
		a.reg = prometheus.NewRegistry()
		a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	a.metrics = newMetrics(a.reg)
	a.ingestMetrics = newIngestMetrics(a.reg)
	a.logins = make(chan struct{}, max(1, runtime.NumCPU()/2))

	mux := http.NewServeMux()
	for _, rt := range a.routes() {
		mux.Handle(rt.Method+" "+rt.Path, a.wrap(rt))
	}
	// Anything else falls to "/" (the catch-all is less specific than every
	// route, so it also gets known paths with a wrong method): a JSON 405
	// with Allow when another method would match, else a JSON 404.
	mux.Handle("/", a.wrap(route{Method: "", Path: "unmatched", Perm: auth.PermPublic, handler: func(w http.ResponseWriter, r *http.Request) {
		if allow := allowedMethods(mux, r); len(allow) > 0 {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			writeError(w, r, http.StatusMethodNotAllowed, "method_not_allowed", r.Method+" "+r.URL.Path+" is not allowed (allowed: "+strings.Join(allow, ", ")+")")
			return
		}
		writeError(w, r, http.StatusNotFound, "not_found", "no route for "+r.Method+" "+r.URL.Path)
	}}))

	// Browsers attach the session cookie to cross-site requests on their
	// own; reject cross-origin unsafe requests (Sec-Fetch-Site / Origin).
	// Bearer-token clients send neither header and pass.
	csrf := http.NewCrossOriginProtection()
	return a.recoverer(csrf.Handler(mux))
}

// allowedMethods lists the methods that have a route for r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allow []string
	for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
			allow = append(allow, m)
		}
	}
	return allow
}
