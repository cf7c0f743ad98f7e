package web

import (
	"bufio"
	"bytes"
	"net/http"
	"strconv"

	"huajie/internal/auth"
	"huajie/internal/cases/casegoodwill"
)

// exportGoodwillReviews serves the supervisors' goodwill decisions as
// labelled JSONL, the format `huajie assess --measure` and goodwill's test
// sets use. The export is built in memory first so that a failure half-way
// is an error, not a truncated file that looks complete.
func (a *api) exportGoodwillReviews(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	n, err := casegoodwill.Export(r.Context(), a.cases, &buf)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	body := buf.Bytes()
	if id, ok := identityFrom(r.Context()); !ok || !id.Can(auth.PermPIIView) {
		var out bytes.Buffer
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, len(body)+1)
		for sc.Scan() {
			out.Write(maskJSON(sc.Bytes()))
			out.WriteByte('\n')
		}
		body = out.Bytes()
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="goodwill-reviews.jsonl"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Huajie-Count", strconv.Itoa(n))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}
