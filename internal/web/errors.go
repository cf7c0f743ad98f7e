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
	e := classify(err)
	if e.status == http.StatusInternalServerError {
		if errors.Is(err, context.Canceled) {
			// The client went away; nobody reads the answer.
			return
		}
		a.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if e.field != "" {
		// The same shape, with the refused field and the domain's reason.
		// writeJSON masks every string, as writeError masks the message.
		writeJSON(w, r, e.status, fieldErrorBody{Error: fieldErrorDetail{Code: e.code, Message: e.msg, Field: e.field, Reason: e.reason}})
		return
	}
	writeError(w, r, e.status, e.code, e.msg)
}

// fieldErrorBody is the error body of a refused field:
// {"error":{"code","message","field","reason"}}. Code is the category
// (invalid_field …) clients already switch on; Reason is the stable
// cases.ValidationError code (required, unknown_value, no_solution …),
// "invalid" for a refusal that carries none.
type fieldErrorBody struct {
	Error fieldErrorDetail `json:"error"`
}

type fieldErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
	Reason  string `json:"reason"`
}

// apiError is an error as the API answers it; field and reason are set
// for a refused field.
type apiError struct {
	status        int
	code, msg     string
	field, reason string
}

func classify(err error) apiError {
	var (
		re  *requestError
		ite *cases.IllegalTransitionError
		ve  *cases.ValidationError
		tle *cases.TooLargeError
		ute *cases.UnsupportedTypeError
		ee  *deadlines.ExtensionError
	)
	e := func(status int, code, msg string) apiError { return apiError{status: status, code: code, msg: msg} }
	switch {
	case errors.As(err, &re):
		return e(re.status, re.code, re.msg)
	case errors.As(err, &ite):
		return e(http.StatusConflict, "illegal_transition", trimPrefix(ite.Error()))
	case errors.As(err, &ve):
		reason := ve.Code
		if reason == "" {
			reason = "invalid"
		}
		out := apiError{http.StatusUnprocessableEntity, "invalid_field", trimPrefix(ve.Error()), ve.Field, reason}
		if ve.Code == cases.CodeNoMoreExtensions {
			// As documented: the policy is exhausted, a conflict with
			// the case's state rather than a bad field.
			out.status, out.code = http.StatusConflict, "no_more_extensions"
		}
		return out
	case errors.As(err, &tle):
		return e(http.StatusRequestEntityTooLarge, "too_large", trimPrefix(tle.Error()))
	case errors.As(err, &ute):
		return e(http.StatusUnsupportedMediaType, "unsupported_type", trimPrefix(ute.Error()))
	case errors.As(err, &ee):
		return apiError{http.StatusUnprocessableEntity, "extension_requirement", trimPrefix(ee.Error()), ee.Field, cases.CodeExtensionRule}
	case errors.Is(err, deadlines.ErrNoMoreExtensions):
		return e(http.StatusConflict, "no_more_extensions", trimPrefix(err.Error()))
	case errors.Is(err, cases.ErrNotFound):
		return e(http.StatusNotFound, "not_found", trimPrefix(err.Error()))
	case errors.Is(err, cases.ErrConflict):
		return e(http.StatusConflict, "conflict", trimPrefix(err.Error()))
	case errors.Is(err, interactions.ErrNotFound), errors.Is(err, alerts.ErrNotFound):
		return e(http.StatusNotFound, "not_found", trimPrefix(err.Error()))
	case errors.Is(err, interactions.ErrBatchTooLarge):
		return e(http.StatusRequestEntityTooLarge, "batch_too_large", trimPrefix(err.Error()))
	case errors.Is(err, interactions.ErrClosed):
		return e(http.StatusServiceUnavailable, "unavailable", trimPrefix(err.Error()))
	case errors.Is(err, alerts.ErrClosed):
		return e(http.StatusConflict, "alert_closed", trimPrefix(err.Error()))
	case errors.Is(err, alerts.ErrHasCase):
		return e(http.StatusConflict, "alert_has_case", trimPrefix(err.Error()))
	case errors.Is(err, alerts.ErrInvalid):
		return e(http.StatusUnprocessableEntity, "invalid_field", trimPrefix(err.Error()))
	case errors.Is(err, auth.ErrBadCredentials), errors.Is(err, auth.ErrDisabled):
		return e(http.StatusUnauthorized, "unauthenticated", err.Error())
	case errors.Is(err, auth.ErrInvalidName), errors.Is(err, auth.ErrInvalidPassword), errors.Is(err, auth.ErrUnknownRole):
		return e(http.StatusUnprocessableEntity, "invalid_field", err.Error())
	}
	return e(http.StatusInternalServerError, "internal", "internal error")
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
