// Package ui is Huajie's web user interface: server-rendered pages
// (html/template) for the agent workstation, the case desk, the case page
// and the supervisor dashboard, with htmx, Alpine.js and Apache ECharts
// vendored and embedded (no Node build step).
//
// Pages are mounted under /ui/ next to the JSON API and share its session
// cookie, so a page's scripts may call the API (the alerts stream) as the
// signed-in user. Every UI string comes from package i18n (zh-CN by
// default, English by a switch). Access follows auth's permission table:
// each page names one permission (uiRoutes), and within a page each action
// is shown only when the role holds its permission and the case's state
// allows it. Personal data is masked for roles without auth.PermPIIView
// before a template sees it (mask.go), so no template can forget to.
//
// Forms are protected by a double-submit CSRF token (csrf.go) on top of
// the standard library's cross-origin protection; sign-in attempts are
// rate-limited per client address and per user name (ratelimit.go).
package ui

import (
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
	"huajie/internal/interactions"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the UI is mounted.
const Prefix = "/ui/"

// Opts configures the UI.
type Opts struct {
	Cases  *cases.Service
	Auth   *auth.Service
	Logger *slog.Logger
	// SecureCookies marks cookies Secure (set it behind TLS; requests that
	// arrive over TLS get Secure cookies anyway).
	SecureCookies bool
	// Alerts and Interactions, when set, feed the workstation (live
	// conversations and their risk, the customer panel) and the
	// dashboard's open alerts; without them those parts say so.
	Alerts       *alerts.Service
	Interactions *interactions.Service
	// Now is the clock (countdowns, "due soon"); time.Now when nil.
	Now func() time.Time
	// NoAnimation turns chart animation off (browser tests, screenshots).
	NoAnimation bool
	// Analyst feeds the insight page (trends, spikes, clusters, SERVQUAL,
	// measures, reports); without it the page says so.
	Analyst *analyst.Service
	// SpikeAlerts, when set, feeds the spikes page's alerts panel; when
	// nil the panel uses the spike alerts attached to Alerts (serve
	// attaches them), and without either it is not shown.
	SpikeAlerts alerts.SpikeAlerts
	// Zone is the time zone pages show times and count "today" in (serve
	// --tz); when nil, the analyst's zone, else China Standard Time.
	Zone *time.Location
}

// server holds what page handlers need; each handler lives in its own file.
type server struct {
	cases   *cases.Service
	auth    *auth.Service
	log     *slog.Logger
	secure  bool
	alerts  *alerts.Service
	inter   *interactions.Service
	analyst *analyst.Service
	spikes  alerts.SpikeAlerts
	zone    *time.Location
	now     func() time.Time
	noAnim  bool
	pages   map[string]*template.Template
	limiter *limiter
	logins  chan struct{}
}

// uiRoute is one page or form action with the permission it needs.
type uiRoute struct {
	Pattern string
	Perm    auth.Permission
	handler func(w http.ResponseWriter, r *http.Request, id auth.Identity)
}

func (s *server) routes() []uiRoute {
	const c = "/ui/cases/{id}"
	return []uiRoute{
		{"GET /ui/{$}", auth.PermPublic, s.home},
		{"GET /ui/login", auth.PermPublic, s.loginPage},
		{"POST /ui/login", auth.PermPublic, s.loginSubmit},
		{"POST /ui/logout", auth.PermAuthenticated, s.logout},
		{"POST /ui/lang", auth.PermPublic, s.setLang},
		{"GET /ui/workstation", auth.PermCaseContact, s.workstation},
		{"GET /ui/workstation/list", auth.PermCaseContact, s.workstationList},
		{"GET /ui/workstation/customer/{id}", auth.PermInteractionRead, s.customerPanel},
		{"GET /ui/desk", auth.PermCaseRead, s.desk},
		{"GET /ui/dashboard", auth.PermCaseAssign, s.dashboard},
		{"GET /ui/insight", auth.PermInsightRead, s.insightTrends},
		{"GET /ui/insight/trends", auth.PermInsightRead, s.insightTrends},
		{"GET /ui/insight/spikes", auth.PermInsightRead, s.insightSpikes},
		{"POST /ui/insight/spike-alerts/{id}/{action}", auth.PermMeasureWrite, s.spikeAlertAct},
		{"GET /ui/insight/clusters", auth.PermInsightRead, s.insightClusters},
		{"GET /ui/insight/servqual", auth.PermInsightRead, s.insightServqual},
		{"GET /ui/insight/measures", auth.PermInsightRead, s.insightMeasures},
		{"POST /ui/insight/measures", auth.PermMeasureWrite, s.measureCreate},
		{"GET /ui/insight/measures/{id}", auth.PermInsightRead, s.measurePage},
		{"POST /ui/insight/measures/{id}", auth.PermMeasureWrite, s.measureUpdate},
		{"GET /ui/insight/conversations/{id}", auth.PermInsightRead, s.insightConversation},
		{"GET /ui/reports", auth.PermReportRead, s.reportsPage},
		{"GET " + c, auth.PermCaseRead, s.casePage},
		{"POST " + c + "/transition", auth.PermCaseWork, s.caseTransition},
		{"POST " + c + "/contact", auth.PermCaseContact, s.caseContact},
		{"POST " + c + "/finding", auth.PermCaseWork, s.caseFinding},
		{"POST " + c + "/solution", auth.PermCaseWork, s.caseSolution},
		{"POST " + c + "/response", auth.PermCaseWork, s.caseResponse},
		{"POST " + c + "/follow-up", auth.PermCaseWork, s.caseFollowUp},
		{"POST " + c + "/escalate", auth.PermCaseEscalate, s.caseEscalate},
		{"POST " + c + "/extend", auth.PermCaseExtend, s.caseExtend},
		{"POST " + c + "/assign", auth.PermCaseAssign, s.caseAssign},
		{"POST " + c + "/evidence", auth.PermEvidenceWrite, s.caseEvidence},
	}
}

// Routes lists the UI's routes with their permissions (for the role ×
// page test and documentation).
func Routes() map[string]auth.Permission {
	out := map[string]auth.Permission{}
	for _, rt := range (&server{}).routes() {
		out[rt.Pattern] = rt.Perm
	}
	return out
}

// New returns the UI's handler, to be mounted at Prefix (and "/" for the
// opening page).
func New(o Opts) (http.Handler, error) {
	s := &server{cases: o.Cases, auth: o.Auth, log: o.Logger, secure: o.SecureCookies, alerts: o.Alerts, inter: o.Interactions, analyst: o.Analyst,
		spikes: o.SpikeAlerts, now: o.Now, noAnim: o.NoAnimation, limiter: newLimiter(), logins: make(chan struct{}, 2)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.zone = o.Zone
	if s.zone == nil && o.Analyst != nil {
		s.zone = o.Analyst.Zone()
	}
	if s.zone == nil {
		s.zone = defaultZone
	}
	pages, err := parseTemplates(s.zone)
	if err != nil {
		return nil, err
	}
	s.pages = pages

	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.Pattern, s.wrap(rt))
	}
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", cacheStatic(http.FileServerFS(static))))
	mux.HandleFunc("/ui/", func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
	})
	csrf := http.NewCrossOriginProtection()
	return securityHeaders(csrf.Handler(mux)), nil
}

// cacheStatic lets browsers keep the embedded assets for a day: they only
// change with the binary.
func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		h.ServeHTTP(w, r)
	})
}

// securityHeaders: pages are never framed, sniffed or leaked by referrer.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// wrap establishes identity, language and CSRF token, checks the route's
// permission (redirecting anonymous visitors to sign in) and verifies the
// CSRF token of every POST.
func (s *server) wrap(rt uiRoute) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, signedIn := s.identify(r)
		r = r.WithContext(withRequest(r.Context(), &reqInfo{id: id, signedIn: signedIn, lang: i18n.FromRequest(r), csrf: ensureCSRF(w, r, s.secure)}))
		if rt.Perm != auth.PermPublic && !signedIn {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/ui/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, http.StatusUnauthorized, "err.signin_required")
			return
		}
		if !id.Can(rt.Perm) {
			s.renderError(w, r, http.StatusForbidden, "err.forbidden")
			return
		}
		if r.Method == http.MethodPost {
			// Who may post is known before the body is read, and the body
			// is bounded before the CSRF check parses it: an anonymous or
			// unauthorised post never makes the server buffer a file.
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBody(rt.Pattern, s.cases.MaxEvidence()))
			if err := parseForm(r); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					s.renderError(w, r, http.StatusRequestEntityTooLarge, "err.too_large")
					return
				}
				s.renderError(w, r, http.StatusBadRequest, "err.invalid")
				return
			}
			if !checkCSRF(r) {
				s.renderError(w, r, http.StatusForbidden, "err.csrf")
				return
			}
		}
		rt.handler(w, r, id)
	})
}

// Bounds of a posted form's body: the evidence upload takes a file up to
// the cases service's evidence limit (with room for the form's other
// fields, so a file a little over the limit is still refused at its
// field, in the user's language); every other form is text.
const (
	maxTextForm = 1 << 20
	formMemory  = 1 << 20 // multipart parts beyond this go to temporary files
)

func maxFormBody(pattern string, evidenceLimit int64) int64 {
	if strings.HasSuffix(pattern, "/evidence") {
		return evidenceLimit + maxTextForm
	}
	return maxTextForm
}

// parseForm parses a posted URL-encoded or multipart form.
// (ParseMultipartForm alone would hide a URL-encoded body's error behind
// ErrNotMultipart.)
func parseForm(r *http.Request) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		return r.ParseMultipartForm(formMemory)
	}
	return r.ParseForm()
}

// identify reads the session cookie the API also uses.
func (s *server) identify(r *http.Request) (auth.Identity, bool) {
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return auth.Identity{}, false
	}
	id, err := s.auth.AuthenticateSession(r.Context(), c.Value)
	if err != nil {
		return auth.Identity{}, false
	}
	return id, true
}
