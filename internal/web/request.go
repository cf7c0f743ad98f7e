package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// requestError is a problem with the request itself (as opposed to the
// domain refusing it), written with its status and code.
type requestError struct {
	status int
	code   string
	msg    string
}

func (e *requestError) Error() string { return e.msg }

func badRequest(code, format string, args ...any) error {
	return &requestError{status: http.StatusBadRequest, code: code, msg: fmt.Sprintf(format, args...)}
}

// decodeJSON reads r's body into v: at most MaxJSONBytes, one JSON value,
// no unknown fields. Errors name the position or the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return &requestError{status: http.StatusUnsupportedMediaType, code: "unsupported_media_type",
			msg: fmt.Sprintf("request body must be application/json, not %s", ct)}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxJSONBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return &requestError{status: http.StatusRequestEntityTooLarge, code: "too_large",
				msg: fmt.Sprintf("request body is over the limit of %d bytes", MaxJSONBytes)}
		}
		return badRequest("bad_body", "reading request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return badRequest("empty_body", "request body is empty; a JSON object is expected")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	if dec.More() {
		line, col := position(body, dec.InputOffset())
		return badRequest("bad_json", "unexpected data after the JSON value at line %d, column %d", line, col)
	}
	return nil
}

func jsonError(body []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(body, se.Offset)
		return badRequest("bad_json", "malformed JSON at line %d, column %d (byte %d): %s", line, col, se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(body, int64(len(body)))
		return badRequest("bad_json", "malformed JSON: unexpected end at line %d, column %d", line, col)
	case errors.As(err, &te):
		line, col := position(body, te.Offset)
		field := te.Field
		if field == "" {
			field = "(body)"
		}
		return badRequest("bad_field_type", "field %q at line %d, column %d: expected %s, got JSON %s", field, line, col, te.Type, te.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return badRequest("unknown_field", "unknown field %s", name)
	}
	// Errors from a type's UnmarshalJSON (a time that is not RFC 3339 …).
	return badRequest("bad_json", "invalid JSON value: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// position turns a byte offset into a 1-based line and column (in runes).
func position(body []byte, off int64) (line, col int) {
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	line, col = 1, 1
	for _, r := range string(body[:off]) {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

// queryValues returns every value of a repeatable, comma-separable query
// parameter.
func queryValues(r *http.Request, name string) []string {
	var out []string
	for _, v := range r.URL.Query()[name] {
		for p := range strings.SplitSeq(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest("bad_query", "query parameter %s=%q: expected true or false", name, v)
	}
	return b, nil
}

func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, badRequest("bad_query", "query parameter %s=%q: expected a non-negative integer", name, v)
	}
	return n, nil
}

// queryTime accepts RFC 3339 or a date (midnight UTC).
func queryTime(r *http.Request, name string) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Time{}, badRequest("bad_query", "query parameter %s=%q: expected RFC 3339 time or YYYY-MM-DD", name, v)
}
