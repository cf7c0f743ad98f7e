package web

import (
	"net/http"
	"time"
)

// login checks a password and sets the session cookie. The cookie is
// HttpOnly (scripts cannot read it) and SameSite=Lax; cross-site unsafe
// requests are also refused by the CSRF protection in New.
func (a *api) login(w http.ResponseWriter, r *http.Request) {
	var in loginRequest
	if err := decodeJSON(w, r, &in); err != nil {
		a.fail(w, r, err)
		return
	}
	if in.Name == "" || in.Password == "" {
		writeError(w, r, http.StatusUnprocessableEntity, "invalid_field", "name and password are required")
		return
	}
	select {
	case a.logins <- struct{}{}:
		defer func() { <-a.logins }()
	case <-r.Context().Done():
		return
	}
	sess, id, err := a.auth.Login(r.Context(), in.Name, in.Password)
	if err != nil {
		a.metrics.logins.WithLabelValues("failed").Inc()
		a.fail(w, r, err)
		return
	}
	a.metrics.logins.WithLabelValues("ok").Inc()
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: sess, Path: "/",
		Expires: time.Now().Add(a.auth.SessionTTL()), MaxAge: int(a.auth.SessionTTL().Seconds()),
		HttpOnly: true, Secure: a.secure || r.TLS != nil, SameSite: http.SameSiteLaxMode,
	})
	writeJSON(w, r, http.StatusOK, meFor(id))
}
