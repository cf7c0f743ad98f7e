package ui

import (
	"net/http"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/clusters"
	"huajie/internal/i18n"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/servqual"
)

// insightChart is the page's chart data (drawn by static/insight.js).
type insightChart struct {
	Weeks   []string          `json:"weeks"`
	Causes  []insightSeries   `json:"causes"`
	Radar   []string          `json:"radar"` // dimension names
	Expect  []float64         `json:"expect"`
	Percept []float64         `json:"percept"`
	Effect  *effectChart      `json:"effect,omitempty"`
	Labels  map[string]string `json:"labels"`
	NoAnim  bool              `json:"noAnim"`
}

type insightSeries struct {
	Name string  `json:"name"`
	Data []int64 `json:"data"`
}

type effectChart struct {
	Title    string   `json:"title"`
	Days     []string `json:"days"`
	Targeted []int64  `json:"targeted"`
	Marker   string   `json:"marker"` // the effective day
}

type insightData struct {
	Ready    bool
	Err      bool
	Spikes   []spikeRow
	Clusters []clusters.Cluster
	Gaps     servqual.Gaps
	Measures []measures.Measure
	Effect   *analyst.EffectView
	Chart    insightChart
	// CSV export links of the reports (last 90 days).
	RegulatoryCSV, DeadlinesCSV string
}

type spikeRow struct {
	Day      string
	Name     string
	Value    float64
	Expected float64
}

// insightPage is the analyst's and compliance officer's view: complaints
// by cause per week, spikes, root-cause clusters, the SERVQUAL radar,
// prevention measures with the first one's before/after chart, and the
// reports' CSV export.
func (s *server) insightPage(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	d := insightData{Ready: s.analyst != nil}
	d.Chart.NoAnim = s.noAnim
	d.Chart.Labels = map[string]string{"targeted": i18n.T(lang, "ins.targeted"), "expect": i18n.T(lang, "ins.expectation"), "percept": i18n.T(lang, "ins.perception")}
	if s.analyst != nil {
		now := s.now().UTC()
		if err := s.fillInsight(r, lang, now, &d); err != nil {
			s.log.ErrorContext(ctx, "insight page", "err", err)
			d.Err = true
		}
		from := now.AddDate(0, 0, -90).Format(time.DateOnly)
		to := now.AddDate(0, 0, 1).Format(time.DateOnly)
		d.RegulatoryCSV = "/api/v1/reports/regulatory?format=csv&from=" + from + "&to=" + to
		d.DeadlinesCSV = "/api/v1/reports/deadlines?format=csv&from=" + from + "&to=" + to
	}
	s.render(w, r, http.StatusOK, "insight", &page{Title: "ins.title", Nav: "insight", Data: d})
}

func (s *server) fillInsight(r *http.Request, lang i18n.Lang, now time.Time, d *insightData) error {
	ctx := r.Context()
	name := func(zh, en, code string) string {
		if lang == i18n.EN && en != "" {
			return en
		}
		if zh != "" {
			return zh
		}
		if code == "" {
			return i18n.T(lang, "ins.uncoded")
		}
		return code
	}
	v, err := s.analyst.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimCause, Bucket: insight.BucketWeek, Top: true, Limit: 8,
		Range: analyst.Range{From: now.AddDate(0, 0, -26*7), To: now}})
	if err != nil {
		return err
	}
	for _, b := range v.Buckets {
		d.Chart.Weeks = append(d.Chart.Weeks, b.Format("01-02"))
	}
	for _, se := range v.Series {
		d.Chart.Causes = append(d.Chart.Causes, insightSeries{Name: name(se.Name, se.NameEn, se.Value), Data: se.Counts})
	}
	sp, err := s.analyst.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceCase, Dim: insight.DimCause, Top: true, Range: analyst.Range{From: now.AddDate(0, 0, -90), To: now}})
	if err != nil {
		return err
	}
	for _, se := range sp.Series {
		for _, p := range se.Spikes {
			d.Spikes = append(d.Spikes, spikeRow{Day: p.Day.Format(time.DateOnly), Name: name(se.Name, se.NameEn, se.Value), Value: p.Value, Expected: p.Expected})
		}
	}
	cl, err := s.analyst.Clusters(ctx, analyst.Range{From: now.AddDate(0, 0, -30), To: now}, clusters.Opts{})
	if err != nil {
		return err
	}
	d.Clusters = cl.Clusters[:min(5, len(cl.Clusters))]
	sq, err := s.analyst.Servqual(ctx, analyst.Range{From: now.AddDate(0, 0, -365), To: now})
	if err != nil {
		return err
	}
	d.Gaps = sq.Gaps
	for _, g := range sq.Gaps.Overall.Dimensions {
		n := servqual.Names[g.Dimension]
		d.Chart.Radar = append(d.Chart.Radar, name(n[0], n[1], string(g.Dimension)))
		d.Chart.Expect = append(d.Chart.Expect, g.Expectation)
		d.Chart.Percept = append(d.Chart.Percept, g.Perception)
	}
	if d.Measures, err = s.analyst.ListMeasures(ctx, ""); err != nil {
		return err
	}
	for _, m := range d.Measures {
		eff := m.EffectiveFrom
		if eff.IsZero() {
			eff = m.Due
		}
		if !eff.Before(now) {
			continue
		}
		e, err := s.analyst.Effect(ctx, m.ID, 0)
		if err != nil {
			return err
		}
		d.Effect = e
		ec := &effectChart{Title: m.Title, Marker: e.Effect.Effective.Format(time.DateOnly)}
		for _, day := range e.Days {
			ec.Days = append(ec.Days, day.Day.Format(time.DateOnly))
			ec.Targeted = append(ec.Targeted, day.Targeted)
		}
		d.Chart.Effect = ec
		break
	}
	return nil
}
