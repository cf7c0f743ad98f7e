package web

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"huajie/internal/reports"
)

// reportPeriod reads from/to (both required) and the format.
func reportPeriod(r *http.Request) (reports.Period, string, error) {
	if err := checkParams(r, reportParams); err != nil {
		return reports.Period{}, "", err
	}
	from, err := queryTime(r, "from")
	if err != nil {
		return reports.Period{}, "", err
	}
	to, err := queryTime(r, "to")
	if err != nil {
		return reports.Period{}, "", err
	}
	if from.IsZero() || to.IsZero() {
		return reports.Period{}, "", badRequest("bad_query", "from and to are required")
	}
	f := r.URL.Query().Get("format")
	if f == "" {
		f = "json"
	}
	if f != "json" && f != "csv" {
		return reports.Period{}, "", badRequest("bad_query", "format=%q: json or csv", f)
	}
	return reports.Period{From: from.UTC(), To: to.UTC()}, f, nil
}

func writeCSV(w http.ResponseWriter, name string, p reports.Period, write func(*bytes.Buffer) error) error {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s.csv"`, name, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	// A byte-order mark so that spreadsheet programs read the Chinese
	// names as UTF-8.
	w.Write([]byte("\ufeff"))
	_, err := w.Write(b.Bytes())
	return err
}

func (a *api) regulatoryReport(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	p, f, err := reportPeriod(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rep, err := a.analyst.Regulatory(r.Context(), p)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	if f == "csv" {
		_ = writeCSV(w, "regulatory", p, func(b *bytes.Buffer) error { return rep.WriteCSV(b) })
		return
	}
	writeJSON(w, r, http.StatusOK, rep)
}

func (a *api) deadlineReport(w http.ResponseWriter, r *http.Request) {
	if !a.analystReady(w, r) {
		return
	}
	p, f, err := reportPeriod(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rep, err := a.analyst.Deadlines(r.Context(), p)
	if err != nil {
		a.failInsight(w, r, err)
		return
	}
	if f == "csv" {
		_ = writeCSV(w, "deadlines", p, func(b *bytes.Buffer) error { return rep.WriteCSV(b) })
		return
	}
	writeJSON(w, r, http.StatusOK, rep)
}
