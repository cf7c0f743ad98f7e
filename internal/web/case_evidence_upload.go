package web

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"huajie/internal/cases"
)

// multipartOverhead allows for the form's headers and small fields on top
// of the file itself.
const multipartOverhead = 64 << 10

// uploadEvidence stores one file from a multipart/form-data body: the file
// in part "file", optional "description" and "department". The content type
// is decided by the cases service from the bytes; what the client declares
// is ignored.
func (a *api) uploadEvidence(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		writeError(w, r, http.StatusUnsupportedMediaType, "unsupported_media_type", "evidence is uploaded as multipart/form-data with a part named file")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.maxEv+multipartOverhead)
	mr, err := r.MultipartReader()
	if err != nil {
		a.fail(w, r, badRequest("bad_multipart", "reading multipart body: %v", err))
		return
	}
	var in cases.EvidenceInput
	gotFile := false
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			a.failUpload(w, r, err)
			return
		}
		switch p.FormName() {
		case "file":
			if gotFile {
				a.fail(w, r, badRequest("bad_multipart", "one file per upload"))
				return
			}
			gotFile = true
			in.Name = p.FileName()
			// Read one byte past the limit so the service can report
			// the size as over it rather than silently truncating.
			in.Content, err = io.ReadAll(io.LimitReader(p, a.maxEv+1))
			if err != nil {
				a.failUpload(w, r, err)
				return
			}
			if int64(len(in.Content)) > a.maxEv {
				writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("evidence file is over the limit of %d bytes", a.maxEv))
				return
			}
		case "description", "department":
			b, err := io.ReadAll(io.LimitReader(p, cases.MaxTextBytes+1))
			if err != nil {
				a.failUpload(w, r, err)
				return
			}
			if !utf8.Valid(b) {
				a.fail(w, r, badRequest("bad_multipart", "form field %s is not UTF-8", p.FormName()))
				return
			}
			if p.FormName() == "description" {
				in.Description = string(b)
			} else {
				in.Department = string(b)
			}
		default:
			a.fail(w, r, badRequest("unknown_field", "unknown form field %q (expected file, description, department)", p.FormName()))
			return
		}
	}
	if !gotFile {
		a.fail(w, r, badRequest("missing_file", "no part named file in the upload"))
		return
	}
	ev, err := a.cases.AddEvidence(r.Context(), actor(r), r.PathValue("id"), in)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.metrics.evidence.Add(float64(ev.Size))
	writeJSON(w, r, http.StatusCreated, ev)
}

func (a *api) failUpload(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		writeError(w, r, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("evidence file is over the limit of %d bytes", a.maxEv))
		return
	}
	a.fail(w, r, badRequest("bad_multipart", "reading multipart body: %v", err))
}
