package ui

import (
	"io"
	"net/http"
	"strings"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
)

// evidenceView is an evidence file as the case page lists it.
type evidenceView struct {
	ID          string
	Name        string
	Type        string // as people know it: "PDF 文档"
	ContentType string
	Size        string
	By          string
	At          time.Time
	Description string
	Department  string
}

func evidenceViews(lang i18n.Lang, evs []cases.Evidence) []evidenceView {
	out := make([]evidenceView, len(evs))
	for i, e := range evs {
		out[i] = evidenceView{ID: e.ID, Name: e.Name, Type: typeName(lang, e.ContentType), ContentType: e.ContentType,
			Size: byteSize(lang, e.Size), By: e.By, At: e.At, Description: e.Description, Department: e.Department}
	}
	return out
}

// evidenceLimits is the form's hint: the size limit and the allowed types.
func evidenceLimits(lang i18n.Lang, limit int64) string {
	return i18n.T(lang, "ev.limits", byteSize(lang, limit), typeList(lang, cases.AllowedEvidenceTypes))
}

// caseEvidence stores a file from the case page's plain multipart form
// (file, description, department) through the cases service, which
// decides the type from the bytes. The CSRF check in wrap has already
// parsed the form (files beyond 32 MB of memory wait in temporary files
// that net/http removes after the request); a file over the limit is
// refused from its size without being read.
func (s *server) caseEvidence(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	var fhs = r.MultipartForm
	if fhs == nil || len(fhs.File["file"]) == 0 {
		fe.add("file", "refuse.no_file")
		s.done(w, r, id, "evidence", fe, nil)
		return
	}
	if len(fhs.File["file"]) > 1 {
		fe.add("file", "refuse.bad_upload")
		s.done(w, r, id, "evidence", fe, nil)
		return
	}
	fh := fhs.File["file"][0]
	limit := s.cases.MaxEvidence()
	if fh.Size > limit {
		s.done(w, r, id, "evidence", fe, &cases.TooLargeError{Field: "file", Limit: limit, Size: fh.Size})
		return
	}
	f, err := fh.Open()
	if err != nil {
		fe.add("file", "refuse.bad_upload")
		s.done(w, r, id, "evidence", fe, nil)
		return
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		fe.add("file", "refuse.bad_upload")
		s.done(w, r, id, "evidence", fe, nil)
		return
	}
	if len(content) == 0 {
		fe.add("file", "refuse.no_file")
		s.done(w, r, id, "evidence", fe, nil)
		return
	}
	_, err = s.cases.AddEvidence(r.Context(), actor(id), r.PathValue("id"), cases.EvidenceInput{
		Name: fh.Filename, Content: content,
		Description: strings.TrimSpace(r.PostFormValue("description")), Department: strings.TrimSpace(r.PostFormValue("department")),
	})
	s.done(w, r, id, "evidence", fe, err)
}
