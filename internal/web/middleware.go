package web

import (
	"context"
	"errors"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"huajie/internal/auth"
)

type ctxKey int

const identityKey ctxKey = 0

// SessionCookie is the name of the session cookie.
const SessionCookie = "huajie_session"

func identityFrom(ctx context.Context) (auth.Identity, bool) {
	id, ok := ctx.Value(identityKey).(auth.Identity)
	return id, ok
}

// statusRecorder remembers the status written, for metrics and logs.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// wrap puts a route's handler behind authentication, its permission check,
// metrics and logging.
func (a *api) wrap(rt route) http.Handler {
	label := rt.Path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			if status == 0 {
				status = http.StatusOK
			}
			method := r.Method
			if rt.Method == "" {
				method = "other" // unmatched: do not let clients invent label values
			}
			a.metrics.requests.WithLabelValues(label, method, codeLabel(status)).Inc()
			a.metrics.latency.WithLabelValues(label, method).Observe(time.Since(start).Seconds())
			if status >= 500 {
				a.log.WarnContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", status, "dur", time.Since(start))
			} else {
				a.log.DebugContext(r.Context(), "request", "method", r.Method, "path", r.URL.Path, "status", status, "dur", time.Since(start))
			}
		}()

		id, err := a.identify(r)
		if err != nil && rt.Perm != auth.PermPublic {
			if errors.Is(err, errNoCredentials) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="huajie"`)
				writeError(rec, r, http.StatusUnauthorized, "unauthenticated", "sign in or send Authorization: Bearer <token>")
				return
			}
			if errors.Is(err, auth.ErrBadCredentials) || errors.Is(err, auth.ErrDisabled) {
				w.Header().Set("WWW-Authenticate", `Bearer realm="huajie", error="invalid_token"`)
				writeError(rec, r, http.StatusUnauthorized, "unauthenticated", "the token or session is not valid")
				return
			}
			a.fail(rec, r, err)
			return
		}
		if err == nil {
			r = r.WithContext(context.WithValue(r.Context(), identityKey, id))
		}
		if !id.Can(rt.Perm) {
			writeError(rec, r, http.StatusForbidden, "forbidden", "role "+string(id.Role)+" lacks permission "+string(rt.Perm))
			return
		}
		rt.handler(rec, r)
	})
}

var errNoCredentials = errors.New("no credentials")

// identify finds who is calling: a bearer token first, else the session
// cookie.
func (a *api) identify(r *http.Request) (auth.Identity, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return auth.Identity{}, auth.ErrBadCredentials
		}
		return a.auth.AuthenticateToken(r.Context(), strings.TrimSpace(tok))
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		return a.auth.AuthenticateSession(r.Context(), c.Value)
	}
	return auth.Identity{}, errNoCredentials
}

// recoverer turns a panic in a handler into a 500 and a log entry instead
// of a dropped connection.
func (a *api) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.ErrorContext(r.Context(), "panic in handler", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeError(w, r, http.StatusInternalServerError, "internal", "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}
