package ui

import (
	"net/http"
	"net/url"
	"sort"
	"time"

	"huajie/internal/auth"
	"huajie/internal/i18n"
	"huajie/internal/reports"
)

// reportsData is the reports page.
type reportsData struct {
	insightBase
	Reg    *reports.Regulatory
	Axes   []regAxis
	Dl     *reports.Deadlines
	Cur    []redress
	Export map[string]string // regulatory.csv … → the API's export URLs
}

type regAxis struct {
	Axis string
	Rows []regRow
}

type regRow struct {
	Code, Name string
	Depth      int
	Count      int
	Share      float64
	Parent     bool
}

type redress struct {
	Currency string
	Minor    int64
}

// reportsPage shows the regulatory statistics by JR/T 0169-2018 code
// (three axes, parents with their children) and the deadline performance
// of a period, with the CSV and JSON exports of both.
func (s *server) reportsPage(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	p := s.readPickers(r, pickerDefaults{Days: 90})
	d := reportsData{insightBase: s.base(p)}
	if s.analyst != nil && !p.Bad() {
		// Both reports come from one read of the period's grouped facts.
		per := reports.Period{From: p.Range.From, To: p.Range.To}
		reg, dl, err := s.analyst.Reports(ctx, per)
		if msg, ok := inputMessage(lang, err); ok {
			p.Errors["from"] = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "reports page", "err", err)
			d.Err = true
		} else {
			d.Reg, d.Dl = reg, dl
			d.Axes = regAxes(lang, reg)
			for c, v := range dl.Redress {
				d.Cur = append(d.Cur, redress{c, v})
			}
			sort.Slice(d.Cur, func(i, j int) bool { return d.Cur[i].Currency < d.Cur[j].Currency })
			d.Export = map[string]string{}
			q := url.Values{"from": {p.Range.From.Format(time.DateOnly)}, "to": {p.Range.To.Format(time.DateOnly)}}
			for _, kind := range []string{"regulatory", "deadlines"} {
				for _, f := range []string{"csv", "json"} {
					q.Set("format", f)
					d.Export[kind+"_"+f] = "/api/v1/reports/" + kind + "?" + q.Encode()
				}
			}
		}
	}
	s.render(w, r, pickerStatus(r, p), "reports", &page{Title: "ia.reports", Nav: "insight", Sub: "reports", Data: d})
}

// regAxes groups the rows by axis in the report's order; a row followed
// by a deeper one is a parent.
func regAxes(lang i18n.Lang, reg *reports.Regulatory) []regAxis {
	var out []regAxis
	for i, row := range reg.Rows {
		if len(out) == 0 || out[len(out)-1].Axis != row.Axis {
			out = append(out, regAxis{Axis: row.Axis})
		}
		name := row.Name
		if lang == i18n.EN && row.NameEn != "" {
			name = row.NameEn
		}
		if name == "" {
			name = i18n.T(lang, "ins.uncoded")
		}
		parent := i+1 < len(reg.Rows) && reg.Rows[i+1].Axis == row.Axis && reg.Rows[i+1].Depth > row.Depth
		a := &out[len(out)-1]
		a.Rows = append(a.Rows, regRow{Code: row.Code, Name: name, Depth: row.Depth, Count: row.Count, Share: row.Share, Parent: parent})
	}
	return out
}
