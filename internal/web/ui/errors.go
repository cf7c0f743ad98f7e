package ui

import (
	"errors"
	"net/http"

	"huajie/internal/cases"
)

// errorKey maps a domain error to a status and a catalog key.
func errorKey(err error) (int, string) {
	var ite *cases.IllegalTransitionError
	var ve *cases.ValidationError
	var tl *cases.TooLargeError
	var ut *cases.UnsupportedTypeError
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return http.StatusNotFound, "err.not_found"
	case errors.Is(err, cases.ErrConflict):
		return http.StatusConflict, "err.conflict"
	case errors.As(err, &ite):
		return http.StatusConflict, "err.illegal"
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "err.invalid"
	case errors.As(err, &tl):
		return http.StatusRequestEntityTooLarge, "err.too_large"
	case errors.As(err, &ut):
		return http.StatusUnsupportedMediaType, "err.unsupported_type"
	}
	return http.StatusInternalServerError, "err.internal"
}
