package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"path"
	"strings"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
)

// page is what every template receives. Strings come from the catalog via
// {{$.T "key"}}; enum values via {{$.TK "state" .State}} (key "state.<v>").
type page struct {
	Lang     i18n.Lang
	ID       auth.Identity
	SignedIn bool
	CSRF     string
	CSRFName string
	Title    string // catalog key
	Nav      string // active navigation entry
	Sub      string // active entry of a section's own navigation
	Path     string // this page's URI (where the language switch returns)
	NoAnim   bool
	Now      time.Time
	Data     any
	// Errors are field → translated message, shown next to the field.
	Errors map[string]string
	// Form holds the submitted values to refill a rejected form.
	Form   map[string]string
	Action string // the form that was rejected, to reopen it
	Flash  string
}

// T translates key.
func (p *page) T(key string, args ...any) string { return i18n.T(p.Lang, key, args...) }

// TK translates an enum value: key prefix.value.
func (p *page) TK(prefix string, v any) string {
	s := fmt.Sprint(v)
	if s == "" {
		return i18n.T(p.Lang, prefix+".none")
	}
	return i18n.T(p.Lang, prefix+"."+s)
}

// IsChannel reports whether s names an intake channel.
func (p *page) IsChannel(s string) bool { return cases.Channel(s).Valid() }

// Can reports whether the viewer holds a permission.
func (p *page) Can(perm string) bool { return p.ID.Can(auth.Permission(perm)) }

// Err returns the error message for a form field.
func (p *page) Err(field string) string { return p.Errors[field] }

// Val returns the submitted value of a field, or def.
func (p *page) Val(field, def string) string {
	if v, ok := p.Form[field]; ok {
		return v
	}
	return def
}

// Other is the language the switch offers.
func (p *page) Other() i18n.Lang {
	if p.Lang == i18n.EN {
		return i18n.ZH
	}
	return i18n.EN
}

// funcs returns the templates' functions; times are shown in zone.
func funcs(zone *time.Location) template.FuncMap {
	return template.FuncMap{
		"fmtTime": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(zone).Format("2006-01-02 15:04")
		},
		"isoTime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"pct":     func(f float64) string { return fmt.Sprintf("%.0f%%", f*100) },
		"pct1":    func(f float64) string { return fmt.Sprintf("%.1f%%", f*100) },
		"mul100":  func(f float64) float64 { return f * 100 },
		"mul12":   func(n int) int { return n * 12 },
		"deref64": func(f *float64) float64 {
			if f == nil {
				return 0
			}
			return *f
		},
		"risk": func(f float64) string { return fmt.Sprintf("%.2f", f) },
		"money": func(minor int64, cur string) string {
			if cur == "" {
				cur = "CNY"
			}
			return fmt.Sprintf("%s %.2f", cur, float64(minor)/100)
		},
		"level": func(f float64) string {
			switch {
			case f >= 0.7:
				return "high"
			case f >= 0.4:
				return "medium"
			}
			return "low"
		},
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"add":   func(a, b int) int { return a + b },
		"round": func(f float64) float64 { return math.Round(f*100) / 100 },
		"join":  strings.Join,
		"str":   func(v any) string { return fmt.Sprint(v) },
		"deref": func(b *bool) bool { return b != nil && *b },
		// slice2 passes the page and a value to a partial template.
		"slice2": func(p *page, v any) []any { return []any{p, v} },
		// pair passes two values to a partial template.
		"pair": func(a, b any) []any { return []any{a, b} },
	}
}

// defaultZone is the time zone pages show times in when none is
// configured: the banks Huajie serves first work in China Standard Time
// (UTC+8, no daylight saving).
var defaultZone = time.FixedZone("CST", 8*3600)

// parseTemplates parses each page with the shared layout and partials.
func parseTemplates(zone *time.Location) (map[string]*template.Template, error) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, f := range files {
		if strings.HasPrefix(path.Base(f), "_") {
			shared = append(shared, f)
		} else {
			pages = append(pages, f)
		}
	}
	out := map[string]*template.Template{}
	for _, p := range pages {
		t, err := template.New(path.Base(p)).Funcs(funcs(zone)).ParseFS(templateFS, append([]string{p}, shared...)...)
		if err != nil {
			return nil, fmt.Errorf("ui: template %s: %w", p, err)
		}
		out[strings.TrimSuffix(path.Base(p), ".html")] = t
	}
	return out, nil
}

// render executes a page template into a buffer first, so a template
// error becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	ri := infoFrom(r.Context())
	p.Lang, p.ID, p.SignedIn, p.CSRF, p.CSRFName = ri.lang, ri.id, ri.signedIn, ri.csrf, csrfField
	p.Path, p.NoAnim, p.Now = r.URL.RequestURI(), s.noAnim, s.now()
	t := s.pages[name]
	if t == nil {
		http.Error(w, "no template "+name, http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.ErrorContext(r.Context(), "ui: rendering", "page", name, "err", err)
		http.Error(w, i18n.T(ri.lang, "err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", string(ri.lang))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// renderPartial executes a fragment (template "partial") for htmx.
func (s *server) renderPartial(w http.ResponseWriter, r *http.Request, name string, data any) {
	ri := infoFrom(r.Context())
	p := &page{Lang: ri.lang, ID: ri.id, SignedIn: ri.signedIn, CSRF: ri.csrf, CSRFName: csrfField, Now: s.now(), Data: data}
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "partial", p); err != nil {
		s.log.ErrorContext(r.Context(), "ui: rendering", "partial", name, "err", err)
		http.Error(w, i18n.T(ri.lang, "err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

// renderError shows an error page with a translated message.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, key string) {
	if infoFrom(r.Context()).csrf == "" {
		// Outside wrap (the catch-all): still need language and identity.
		id, ok := s.identify(r)
		r = r.WithContext(withRequest(r.Context(), &reqInfo{id: id, signedIn: ok, lang: i18n.FromRequest(r), csrf: ensureCSRF(w, r, s.secure)}))
	}
	s.render(w, r, status, "error", &page{Title: "err.title", Data: map[string]any{"Key": key, "Status": status}})
}
