package web

import (
	"context"
	"errors"
	"net/http"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/interactions"
)

// fail writes err as the API's error: the one place where domain errors
// become HTTP statuses.
func (a *api) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, code, msg := classify(err)
	if status == http.StatusInternalServerError {
		if errors.Is(err, context.Canceled) {
			// The client went away; nobody reads the answer.
			return
		}
		a.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeError(w, r, status, code, msg)
}

func classify(err error) (status int, code, msg string) {
	var (
		re  *requestError
		ite *cases.IllegalTransitionError
		ve  *cases.ValidationError
		tle *cases.TooLargeError
		ute *cases.UnsupportedTypeError
		ee  *deadlines.ExtensionError
	)
	switch {
	case errors.As(err, &re):
		return re.status, re.code, re.msg
	case errors.As(err, &ite):
		return http.StatusConflict, "illegal_transition", trimPrefix(ite.Error())
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "invalid_field", trimPrefix(ve.Error())
	case errors.As(err, &tle):
		return http.StatusRequestEntityTooLarge, "too_large", trimPrefix(tle.Error())
	case errors.As(err, &ute):
		return http.StatusUnsupportedMediaType, "unsupported_type", trimPrefix(ute.Error())
	case errors.As(err, &ee):
		return http.StatusUnprocessableEntity, "extension_requirement", trimPrefix(ee.Error())
	case errors.Is(err, deadlines.ErrNoMoreExtensions):
		return http.StatusConflict, "no_more_extensions", trimPrefix(err.Error())
	case errors.Is(err, cases.ErrNotFound):
		return http.StatusNotFound, "not_found", trimPrefix(err.Error())
	case errors.Is(err, cases.ErrConflict):
		return http.StatusConflict, "conflict", trimPrefix(err.Error())
	case errors.Is(err, interactions.ErrNotFound), errors.Is(err, alerts.ErrNotFound):
		return http.StatusNotFound, "not_found", trimPrefix(err.Error())
	case errors.Is(err, interactions.ErrBatchTooLarge):
		return http.StatusRequestEntityTooLarge, "batch_too_large", trimPrefix(err.Error())
	case errors.Is(err, interactions.ErrClosed):
		return http.StatusServiceUnavailable, "unavailable", trimPrefix(err.Error())
	case errors.Is(err, alerts.ErrClosed):
		return http.StatusConflict, "alert_closed", trimPrefix(err.Error())
	case errors.Is(err, alerts.ErrHasCase):
		return http.StatusConflict, "alert_has_case", trimPrefix(err.Error())
	case errors.Is(err, alerts.ErrInvalid):
		return http.StatusUnprocessableEntity, "invalid_field", trimPrefix(err.Error())
	case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrDisabled):
		return http.StatusUnauthorized, "unauthenticated", err.Error()
	case errors.Is(err, auth.ErrInvalidName), errors.Is(err, auth.ErrInvalidPassword), errors.Is(err, auth.ErrUnknownRole):
		return http.StatusUnprocessableEntity, "invalid_field", err.Error()
	}
	return http.StatusInternalServerError, "internal", "internal error"
}

// trimPrefix drops the "cases: " package prefix: the client does not care
// which package spoke.
func trimPrefix(s string) string {
	for _, p := range []string{"cases: ", "deadlines: ", "interactions: ", "alerts: "} {
		if len(s) > len(p) && s[:len(p)] == p {
			return s[len(p):]
		}
	}
	return s
}
