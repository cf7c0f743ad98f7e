package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/clusters"
	"huajie/internal/i18n"
)

// maxClustersShown bounds the clusters a page draws (each has a chart).
const maxClustersShown = 20

// clustersData is the root-causes page.
type clustersData struct {
	insightBase
	Docs, Clustered int
	Clusters        []clusterView
}

type clusterView struct {
	N               int
	Size            int
	Terms           []string
	Representatives []string
	Direction       string
	Trend           float64
	First, Last     string
	Spark           chartSpec
	// Measure is the measure form prefilled for this cluster.
	Measure string
}

// insightClusters shows the root-cause candidates: clusters of similar
// complaints with their size, trend, top terms, representative texts and
// daily counts, and an action to create a prevention measure for one.
func (s *server) insightClusters(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	// Clustering costs grow with the texts (≈ 0.1 s for a week of 100,000
	// cases a year): a week by default, longer on request.
	p := s.readPickers(r, pickerDefaults{Days: 7, Thresh: "0.3"})
	d := clustersData{insightBase: s.base(p)}
	d.Presets = []int{7, 30, 90}
	if s.analyst != nil && !p.Bad() {
		res, err := s.analyst.Clusters(ctx, p.Range, clusters.Opts{Threshold: p.th})
		if msg, ok := inputMessage(lang, err); ok {
			p.Errors["threshold"] = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "insight clusters", "err", err)
			d.Err = true
		} else {
			d.Docs, d.Clustered = res.Docs, res.Clustered
			for i, c := range res.Clusters[:min(maxClustersShown, len(res.Clusters))] {
				d.Clusters = append(d.Clusters, s.clusterView(lang, id, i+1, c))
			}
		}
	}
	s.render(w, r, pickerStatus(r, p), "insight_clusters", &page{Title: "ia.clusters", Nav: "insight", Sub: "clusters", Data: d})
}

func (s *server) clusterView(lang i18n.Lang, id auth.Identity, n int, c clusters.Cluster) clusterView {
	v := clusterView{N: n, Size: c.Size, Direction: c.Direction, Trend: c.Trend,
		First: c.First.In(s.zone).Format(time.DateOnly), Last: c.Last.In(s.zone).Format(time.DateOnly)}
	// Terms are cut from the texts: a card or ID number can be one.
	for _, t := range c.TopTerms {
		v.Terms = append(v.Terms, maskFor(id, t.Term))
	}
	for _, rep := range c.Representatives {
		v.Representatives = append(v.Representatives, maskFor(id, rep.Text))
	}
	v.Spark = chartSpec{Kind: "spark", NoAnim: s.noAnim}
	// The daily counts list only the days with texts: the sparkline
	// shows every day from the first to the last (at most a period).
	var counts []float64
	if len(c.Daily) > 0 {
		byDay := map[string]int{}
		for _, dc := range c.Daily {
			byDay[dc.Day.Format(time.DateOnly)] += dc.Count
		}
		first, last := c.Daily[0].Day, c.Daily[len(c.Daily)-1].Day
		for day, n := first, 0; !day.After(last) && n < analyst.MaxRangeDays; day, n = day.AddDate(0, 0, 1), n+1 {
			v.Spark.X = append(v.Spark.X, day.Format("01-02"))
			counts = append(counts, float64(byDay[day.Format(time.DateOnly)]))
		}
	}
	v.Spark.Series = []chartSeries{{Name: i18n.T(lang, "ins.count"), Data: counts}}
	if len(v.Terms) > 0 {
		q := url.Values{"kind": {"cluster"}, "value": {v.Terms[0]},
			"title": {i18n.T(lang, "ia.measure_for", strings.Join(v.Terms[:min(3, len(v.Terms))], "、"))}}
		v.Measure = "/ui/insight/measures?" + q.Encode() + "#new-measure"
	}
	return v
}
