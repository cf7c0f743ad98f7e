package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"huajie/internal/interactions"
)

// MaxIngestBytes limits a POST /api/v1/interactions body: a full batch of
// ordinary messages fits many times over; one 10 MB text does not.
const MaxIngestBytes = 4 << 20

// ingestRequest documents the body: one message, or a JSON array of them.
type ingestRequest = interactions.Message

// postInteractions ingests one message (a JSON object) or a batch (a JSON
// array). A single message that fails is answered with the error shape
// (400, 413 or 422); a batch is answered 200 with one result per item
// (accepted, duplicate or failed with index, id, code and message), and
// every accepted item is committed before the answer.
func (a *api) postInteractions(w http.ResponseWriter, r *http.Request) {
	if a.ingest == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "ingest is not configured on this server")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", "request body must be application/json, not "+ct)
		return
	}
	lim := a.ingest.Limits()
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxIngestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf(
				"request body is over the limit of %d bytes (a message's text may be at most %d bytes, a batch at most %d messages)",
				MaxIngestBytes, lim.MaxTextBytes, lim.MaxBatch))
			return
		}
		a.fail(w, r, badRequest("bad_body", "reading request body: %v", err))
		return
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		a.fail(w, r, badRequest("empty_body", "request body is empty; a message object or an array of them is expected"))
		return
	}
	batch := body[0] == '['
	var raws []json.RawMessage
	if batch {
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&raws); err != nil {
			a.fail(w, r, jsonError(body, err))
			return
		}
		if dec.More() {
			a.fail(w, r, badRequest("bad_json", "unexpected data after the JSON array"))
			return
		}
		if len(raws) > lim.MaxBatch {
			writeError(w, r, http.StatusRequestEntityTooLarge, "batch_too_large",
				fmt.Sprintf("batch of %d messages is over the limit of %d per request", len(raws), lim.MaxBatch))
			return
		}
		if len(raws) == 0 {
			a.fail(w, r, badRequest("empty_batch", "the batch is empty"))
			return
		}
	} else {
		raws = []json.RawMessage{body}
	}
	in := make([]interactions.Input, len(raws))
	for i, raw := range raws {
		dec := json.NewDecoder(bytes.NewReader(raw))
		dec.DisallowUnknownFields()
		err := dec.Decode(&in[i].Message)
		if err == nil && dec.More() {
			err = errors.New("unexpected data after the JSON value")
		}
		if err != nil {
			if !batch {
				a.fail(w, r, jsonError(raw, err))
				return
			}
			var re *requestError
			if errors.As(jsonError(raw, err), &re) {
				in[i].Err = &interactions.ItemError{Code: re.code, Message: re.msg}
			} else {
				in[i].Err = &interactions.ItemError{Code: interactions.CodeBadJSON, Message: err.Error()}
			}
		}
	}
	res, err := a.ingest.Ingest(r.Context(), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.ingestMetrics.observe(&res)
	if !batch && res.Failed == 1 {
		it := res.Items[0]
		status := http.StatusUnprocessableEntity
		if it.Code == interactions.CodeTooLarge {
			status = http.StatusRequestEntityTooLarge
		}
		writeError(w, r, status, it.Code, it.Message)
		return
	}
	writeJSON(w, r, http.StatusOK, res)
}
