package web

import (
	"mime"
	"net/http"
	"strconv"
)

// downloadEvidence serves a stored file as an attachment with the content
// type that was sniffed at upload, never rendered inline: an uploaded HTML
// or SVG must not run in the API's origin.
func (a *api) downloadEvidence(w http.ResponseWriter, r *http.Request) {
	ev, content, err := a.cases.EvidenceContent(r.Context(), r.PathValue("id"), r.PathValue("evidence_id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ev.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": ev.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("ETag", `"`+ev.SHA256+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(content)
}
