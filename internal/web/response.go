package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"

	"huajie/internal/auth"
	"huajie/internal/pii"
)

// writeJSON writes v with status. For identities without the right to see
// personal data, every string in the response is masked first: walking the
// encoded JSON rather than listing fields means a field added later cannot
// leak by being forgotten.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "internal", "encoding the response failed")
		return
	}
	if id, ok := identityFrom(r.Context()); !ok || !id.Can(auth.PermPIIView) {
		body = maskJSON(body)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeError writes the one error shape. Messages may quote input, so they
// go through the same masking as any response.
func writeError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if id, ok := identityFrom(r.Context()); !ok || !id.Can(auth.PermPIIView) {
		msg = pii.MaskText(msg)
	}
	body, _ := json.Marshal(errorBody{Error: errorDetail{Code: code, Message: msg}})
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(body)
	w.Write([]byte("\n"))
}

// maskJSON masks personal data in an encoded JSON document. Identifiers and
// hashes are left alone: they are not personal data, and masking them would
// break links between resources.
func maskJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	v = maskValue("", v)
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}

func maskValue(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = maskValue(k, e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = maskValue(key, e)
		}
		return x
	case string:
		switch {
		case key == "phone":
			return pii.MaskPhone(x)
		case key == "id_card":
			return pii.MaskIDCard(x)
		case key == "id" || strings.HasSuffix(key, "_id") || key == "hash" || key == "prev_hash" ||
			key == "sha256" || key == "next" || key == "merged_into" || key == "merged" || key == "repeat_candidates":
			return x
		}
		return pii.MaskText(x)
	}
	return v
}
