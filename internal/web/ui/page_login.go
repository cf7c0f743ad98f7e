package ui

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"huajie/internal/auth"
	"huajie/internal/i18n"
)

func (s *server) loginPage(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	next := safeNext(r.URL.Query().Get("next"))
	if infoFrom(r.Context()).signedIn {
		if next == "" {
			next = startPage(id)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, next, nil, nil)
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, next string, errs, form map[string]string) {
	s.render(w, r, status, "login", &page{Title: "login.title", Errors: errs, Form: form,
		Data: map[string]any{"Next": next, "Roles": auth.Roles}})
}

// loginSubmit checks a password and sets the session cookie (the API's,
// HttpOnly, SameSite=Lax, Secure under TLS). Attempts are limited per
// address and failures per user name; the password check itself is
// bounded in concurrency because PBKDF2 is deliberately expensive.
func (s *server) loginSubmit(w http.ResponseWriter, r *http.Request, _ auth.Identity) {
	lang := infoFrom(r.Context()).lang
	name := strings.TrimSpace(r.PostFormValue("name"))
	pw := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	form := map[string]string{"name": name}
	errs := map[string]string{}
	if name == "" {
		errs["name"] = i18n.T(lang, "err.required")
	}
	if pw == "" {
		errs["password"] = i18n.T(lang, "err.required")
	}
	if len(errs) > 0 {
		s.renderLogin(w, r, http.StatusUnprocessableEntity, next, errs, form)
		return
	}
	now := time.Now()
	ipKey, nameKey := "ip:"+clientIP(r), "name:"+strings.ToLower(name)
	if s.limiter.count(ipKey, now) >= maxAttemptsPerIP || s.limiter.count(nameKey, now) >= maxFailsPerName {
		w.Header().Set("Retry-After", "300")
		s.renderLogin(w, r, http.StatusTooManyRequests, next, map[string]string{"form": i18n.T(lang, "login.too_many")}, form)
		return
	}
	s.limiter.add(ipKey, now)
	select {
	case s.logins <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	sess, id, err := s.auth.Login(r.Context(), name, pw)
	<-s.logins
	if err != nil {
		if errors.Is(err, auth.ErrBadCredentials) || errors.Is(err, auth.ErrDisabled) || errors.Is(err, auth.ErrNotFound) {
			s.limiter.add(nameKey, now)
			s.renderLogin(w, r, http.StatusUnauthorized, next, map[string]string{"form": i18n.T(lang, "login.bad")}, form)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.limiter.reset(nameKey)
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess, Path: "/",
		Expires: time.Now().Add(s.auth.SessionTTL()), MaxAge: int(s.auth.SessionTTL().Seconds()),
		HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	if next == "" {
		next = startPage(id)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *server) logout(w http.ResponseWriter, r *http.Request, _ auth.Identity) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if err := s.auth.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, "/ui/login", http.StatusSeeOther)
}

// setLang remembers the chosen language for a year and returns to the page.
func (s *server) setLang(w http.ResponseWriter, r *http.Request, _ auth.Identity) {
	l, ok := i18n.Parse(r.PostFormValue("lang"))
	if !ok {
		s.renderError(w, r, http.StatusUnprocessableEntity, "err.bad_lang")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: i18n.Cookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode})
	next := safeNext(r.PostFormValue("next"))
	if next == "" {
		next = "/ui/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
