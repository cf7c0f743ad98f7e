package demo_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/collect"
	"huajie/internal/demo"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/servqual"
	"huajie/internal/spikewatch"
	"huajie/internal/store"
)

// TestSeedInsight seeds the insight data on a fresh SQLite file and reads
// it back through the analyst's service, as the pages do: the SERVQUAL
// story (responsiveness the widest gap, worst at the queue), NPS with
// detractors, the measure and the spike alert.
func TestSeedInsight(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	zone := time.FixedZone("UTC+8", 8*3600)
	now := time.Now()
	an := analyst.New(analyst.Opts{Repo: db, Zone: zone, RefreshEvery: time.Nanosecond})
	sp := spikewatch.New(spikewatch.Opts{Store: db.SpikeAlerts()})
	res, err := demo.SeedInsight(ctx, demo.InsightOpts{
		Now: now, Zone: zone, Analyst: an, Spikes: sp,
		Surveys: func(ctx context.Context, ss []collect.Survey) (int, error) { return db.ImportSurveys(ctx, ss, nil) },
		Posts: func(ctx context.Context, ps []collect.Post) (int, error) {
			return db.ImportPosts(ctx, an.PostRows(ps, nil), nil)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Surveys != 270 {
		t.Errorf("%d surveys stored, want 3 a day for 90 days", res.Surveys)
	}
	if !reflect.DeepEqual(demo.Surveys(now), demo.Surveys(now)) || !reflect.DeepEqual(demo.Posts(now), demo.Posts(now)) {
		t.Error("the demo surveys or posts differ between two runs")
	}
	if res.Posts != 45 {
		t.Errorf("%d posts stored, want one every other day for 90 days", res.Posts)
	}
	vol, err := an.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourcePost, Dim: insight.DimTouchpoint, Range: analyst.Range{From: now.AddDate(0, 0, -91), To: now.Add(time.Hour)}})
	if err != nil {
		t.Fatal(err)
	}
	var posts int64
	for _, n := range vol.Totals {
		posts += n
	}
	if posts != 45 || len(vol.Series) < 5 {
		t.Errorf("posts by touchpoint: %d posts in %d series, want 45 over several touchpoints", posts, len(vol.Series))
	}

	v, err := an.Servqual(ctx, analyst.Range{From: now.AddDate(0, 0, -91), To: now})
	if err != nil {
		t.Fatal(err)
	}
	if v.Gaps.Overall.Responses != 90 || v.InvalidItems != 0 {
		t.Fatalf("%d SERVQUAL responses (%d invalid items), want 90", v.Gaps.Overall.Responses, v.InvalidItems)
	}
	widest := func(g servqual.TouchpointGaps) servqual.Dimension {
		var w servqual.DimensionGap
		for _, d := range g.Dimensions {
			if d.N > 0 && d.Gap < w.Gap {
				w = d
			}
		}
		return w.Dimension
	}
	if d := widest(v.Gaps.Overall); d != servqual.Responsiveness {
		t.Errorf("widest gap overall: %s, want responsiveness (%+v)", d, v.Gaps.Overall.Dimensions)
	}
	worst := ""
	var worstGap float64
	for _, tp := range v.Gaps.Touchpoints {
		for _, d := range tp.Dimensions {
			if d.Dimension == servqual.Responsiveness && d.N > 0 && d.Gap < worstGap {
				worst, worstGap = tp.Touchpoint, d.Gap
			}
		}
	}
	if worst != "queueing" {
		t.Errorf("worst responsiveness at %q, want queueing", worst)
	}
	detractors, comments := 0, 0
	for _, s := range demo.Surveys(now) {
		if s.Kind == collect.KindNPS && *s.Score <= 6 {
			detractors++
			if s.Comment != "" {
				comments++
			}
		}
	}
	if detractors == 0 || comments != detractors {
		t.Errorf("%d NPS detractors, %d with a comment: want some, all commented", detractors, comments)
	}

	if m, err := an.GetMeasure(ctx, res.MeasureID); err != nil || m.Target.Value != "C01" || m.Status != measures.StatusDone {
		t.Errorf("measure %q: %+v %v", res.MeasureID, m, err)
	}
	if _, err := an.Effect(ctx, res.MeasureID, 0); err != nil {
		t.Errorf("the measure's effect: %v", err)
	}
	a, err := sp.Get(ctx, res.SpikeAlertID)
	if err != nil || a.Value != "C01" || a.State != alerts.SpikeOpen {
		t.Errorf("spike alert %q: %+v %v", res.SpikeAlertID, a, err)
	}
}
