package ui

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
)

// csrfCookie holds the double-submit token; every form repeats it in a
// hidden field. A cross-site page can make the browser send the cookie but
// cannot read it to fill the field. The standard library's cross-origin
// protection (Sec-Fetch-Site / Origin) is applied as well.
const csrfCookie = "huajie_csrf"

// csrfField is the hidden form field (and htmx header) carrying the token.
const csrfField = "csrf_token"

// ensureCSRF returns the request's token, issuing a new cookie when absent.
func ensureCSRF(w http.ResponseWriter, r *http.Request, secure bool) string {
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 {
		return c.Value
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: tok, Path: "/ui/", HttpOnly: true,
		Secure: secure || r.TLS != nil, SameSite: http.SameSiteStrictMode})
	// The token must also be valid for a form posted in this response's
	// page, before the browser has stored the cookie: record it on the
	// request so checkCSRF and the templates agree.
	r.AddCookie(&http.Cookie{Name: csrfCookie, Value: tok})
	return tok
}

// checkCSRF compares the cookie with the form field (or X-CSRF-Token).
func checkCSRF(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	sent := r.Header.Get("X-CSRF-Token")
	if sent == "" {
		sent = r.PostFormValue(csrfField)
	}
	return subtle.ConstantTimeCompare([]byte(c.Value), []byte(sent)) == 1
}
