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
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
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
		{"GET /ui/insight", auth.PermInsightRead, s.insightPage},
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
		now: o.Now, noAnim: o.NoAnimation, limiter: newLimiter(), logins: make(chan struct{}, 2)}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	pages, err := parseTemplates()
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
		if r.Method == http.MethodPost && !checkCSRF(r) {
			s.renderError(w, r, http.StatusForbidden, "err.csrf")
			return
		}
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
		rt.handler(w, r, id)
	})
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
