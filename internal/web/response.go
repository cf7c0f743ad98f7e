package web

import (
	"bytes"
	"encoding/json"
	"io"
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

// maskJSON masks personal data in an encoded JSON document, streaming its
// tokens so that key order (and so the look of a response) is the same for
// every role. Identifiers and hashes are left alone: they are not personal
// data, and masking them would break links between resources.
func maskJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var out bytes.Buffer
	out.Grow(len(body))
	// Per open container: is it an object, is the next string a key, has
	// it had an element (for commas), and the key of the current value.
	type frame struct {
		obj, wantKey, started bool
		key                   string
	}
	var stack []frame
	comma := func() {
		if n := len(stack); n > 0 {
			f := &stack[n-1]
			if f.obj && !f.wantKey {
				return // a value right after its key
			}
			if f.started {
				out.WriteByte(',')
			}
			f.started = true
		}
	}
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
	}
	key := func() string {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].obj {
				return stack[i].key
			}
		}
		return ""
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return body
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				comma()
				out.WriteByte(byte(v))
				stack = append(stack, frame{obj: v == '{', wantKey: v == '{'})
				// An array inherits its key: every element of
				// "repeat_candidates" is an identifier.
				if v == '[' {
					stack[len(stack)-1].key = key()
				}
			case '}', ']':
				out.WriteByte(byte(v))
				stack = stack[:len(stack)-1]
				valueDone()
			}
		case string:
			comma()
			if n := len(stack); n > 0 && stack[n-1].obj && stack[n-1].wantKey {
				stack[n-1].key = v
				stack[n-1].wantKey = false
				b, _ := json.Marshal(v)
				out.Write(b)
				out.WriteByte(':')
				continue
			}
			b, _ := json.Marshal(maskString(key(), v))
			out.Write(b)
			valueDone()
		default:
			comma()
			b, _ := json.Marshal(v)
			out.Write(b)
			valueDone()
		}
	}
	return out.Bytes()
}

// maskString masks one string value given the key it is under.
func maskString(key, x string) string {
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
