package ui

import (
	"errors"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/insight"
)

// spikesData is the spikes page.
type spikesData struct {
	insightBase
	Sources, Dims, Levels []string
	Rows                  []spikeRow
	// Examined is how many values were examined; Alerts the raised spike
	// alerts (when the spike watch is configured).
	Examined int
	Alerts   *spikeAlerts
}

type spikeRow struct {
	Day, Value, Name string
	Count, Expected  float64
	Z                float64
	Trend            string // the trends page around the day
}

// insightSpikes lists the spikes of a breakdown in a period, each with a
// link to its trend.
func (s *server) insightSpikes(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	p := s.readPickers(r, pickerDefaults{Source: insight.SourceCase, By: insight.DimCause, Level: "top", Days: 90, Z: "4"})
	d := spikesData{insightBase: s.base(p), Sources: pickSources, Dims: insight.Dims, Levels: pickLevels}
	if s.analyst != nil && !p.Bad() {
		res, err := s.analyst.Spikes(ctx, analyst.SpikeQuery{Source: p.Source, Dim: p.By, Range: p.Range, Top: p.Level == "top", Z: p.z})
		if msg, ok := inputMessage(lang, err); ok {
			p.Errors["from"] = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "insight spikes", "err", err)
			d.Err = true
		} else {
			d.Examined = len(res.Series)
			today := s.today()
			for _, se := range res.Series {
				name := valueName(lang, p.By, se.Value, se.Name, se.NameEn)
				for _, pt := range se.Spikes {
					y, m, dd := pt.Day.Date()
					day := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
					to := day.AddDate(0, 0, 7)
					if to.After(today) {
						to = today
					}
					trend := "/ui/insight?" + (&pickers{Source: p.Source, By: p.By, Bucket: insight.BucketDay, Level: p.Level, Chart: "line", Limit: 12,
						From: day.AddDate(0, 0, -28).Format(time.DateOnly), To: to.Format(time.DateOnly)}).query(nil)
					d.Rows = append(d.Rows, spikeRow{Day: pt.Day.Format(time.DateOnly), Value: se.Value, Name: name, Count: pt.Value,
						Expected: pt.Expected, Z: pt.Z, Trend: trend})
				}
			}
			sortSpikes(d.Rows)
		}
	}
	d.Alerts = s.spikeAlerts(r, id)
	s.render(w, r, pickerStatus(r, p), "insight_spikes", &page{Title: "ia.spikes", Nav: "insight", Sub: "spikes", Data: d})
}

// sortSpikes puts the latest first, then the strongest.
func sortSpikes(rows []spikeRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Day != rows[j].Day {
			return rows[i].Day > rows[j].Day
		}
		return rows[i].Z > rows[j].Z
	})
}

// spikeAlerts is the panel of spike alerts raised by the spike watch.
type spikeAlerts struct {
	// Show is the state filter: "" (open and acknowledged) or a state.
	Show   string
	States []string
	Items  []spikeAlertRow
	Err    bool
}

type spikeAlertRow struct {
	alerts.SpikeAlert
	Name, Raised, Trend string
}

// spikeService is the spike alerts' service: the one given in Opts, else
// the one attached to the alerts service (serve attaches it), else nil.
func (s *server) spikeService() alerts.SpikeAlerts {
	if s.spikes != nil {
		return s.spikes
	}
	if s.alerts != nil {
		return s.alerts.Spikes()
	}
	return nil
}

// spikeAlerts reads the panel; nil when spike alerts are not configured.
func (s *server) spikeAlerts(r *http.Request, id auth.Identity) *spikeAlerts {
	svc := s.spikeService()
	if svc == nil {
		return nil
	}
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	d := &spikeAlerts{}
	for _, st := range alerts.SpikeStates {
		d.States = append(d.States, string(st))
	}
	f := alerts.SpikeFilter{States: []alerts.SpikeState{alerts.SpikeOpen, alerts.SpikeAcknowledged}, Limit: 50}
	if v := r.URL.Query().Get("alerts"); v != "" && slices.Contains(d.States, v) {
		d.Show, f.States = v, []alerts.SpikeState{alerts.SpikeState(v)}
	}
	list, err := svc.List(ctx, f)
	if err != nil {
		s.log.ErrorContext(ctx, "spike alerts", "err", err)
		d.Err = true
		return d
	}
	today := s.today()
	for _, a := range list {
		a.Note = maskFor(id, a.Note)
		row := spikeAlertRow{SpikeAlert: a, Name: valueName(lang, a.By, a.Value, a.Name, a.NameEn), Raised: a.RaisedAt.In(s.zone).Format("2006-01-02 15:04")}
		if day, err := time.Parse(time.DateOnly, a.Day); err == nil {
			to := day.AddDate(0, 0, 7)
			if to.After(today) {
				to = today
			}
			row.Trend = "/ui/insight?" + (&pickers{Source: a.Source, By: a.By, Bucket: insight.BucketDay, Level: "detail", Chart: "line", Limit: 12,
				From: day.AddDate(0, 0, -28).Format(time.DateOnly), To: to.Format(time.DateOnly)}).query(nil)
		}
		d.Items = append(d.Items, row)
	}
	return d
}

// spikeAlertAct acknowledges or dismisses a spike alert from the panel,
// with an optional note, and returns to the spikes page.
func (s *server) spikeAlertAct(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	svc := s.spikeService()
	if svc == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, "ia.alerts_off")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxMeasureForm)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusRequestEntityTooLarge, "err.too_large")
		return
	}
	aid, note := r.PathValue("id"), strings.TrimSpace(r.PostFormValue("note"))
	var err error
	switch r.PathValue("action") {
	case "acknowledge":
		_, err = svc.Acknowledge(r.Context(), aid, id.Name, note)
	case "dismiss":
		_, err = svc.Dismiss(r.Context(), aid, id.Name, note)
	default:
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	switch {
	case err == nil:
		http.Redirect(w, r, "/ui/insight/spikes?"+r.URL.RawQuery+"#spike-alerts", http.StatusSeeOther)
	case errors.Is(err, alerts.ErrNotFound):
		s.renderError(w, r, http.StatusNotFound, "err.not_found")
	case errors.Is(err, alerts.ErrSpikeState):
		s.renderError(w, r, http.StatusConflict, "ia.alert_state")
	case errors.Is(err, alerts.ErrInvalid):
		s.renderError(w, r, http.StatusUnprocessableEntity, "ia.alert_note")
	default:
		s.log.ErrorContext(r.Context(), "spike alert", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "err.internal")
	}
}
