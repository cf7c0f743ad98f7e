package analyst_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/cases"
	"huajie/internal/clusters"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/reports"
	"huajie/internal/store"
)

var _ analyst.Repo = (*store.DB)(nil)

// TestOverStoredCases runs the service over real cases in SQLite: a wave of
// "bill not received" complaints on one day is a spike of its touchpoint
// and a rising cluster; a measure on it shows the fall after.
func TestOverStoredCases(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	now := start
	cs := cases.New(cases.Opts{Repo: db.Cases(), Now: func() time.Time { return now }})
	actor := cases.Actor{Name: "a", Role: "agent"}
	add := func(text string) {
		if _, err := cs.Create(ctx, actor, cases.NewCase{Channel: cases.ChannelPhone, Customer: cases.Customer{ID: "c", Name: "张"}, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	others := []string{"柜员态度很差", "转账三天没到账", "ATM吞卡了", "贷款利率和合同不一致"}
	for day := range 70 {
		now = start.AddDate(0, 0, day)
		add(others[day%len(others)])
		if day < 35 && day%3 == 0 {
			add("这个月信用卡账单没有收到")
		}
		if day == 60 {
			for i := range 12 {
				add(fmt.Sprintf("信用卡账单没有收到，第%d次反映了", i+1))
			}
		}
	}
	now = start.AddDate(0, 0, 70)
	s := analyst.New(analyst.Opts{Repo: db, Now: func() time.Time { return now }})
	r := analyst.Range{From: start.AddDate(0, 0, 56), To: now}
	sp, err := s.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceCase, Dim: insight.DimTouchpoint, Range: r})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Series) == 0 || sp.Series[0].Value != "statement" || len(sp.Series[0].Spikes) != 1 || !sp.Series[0].Spikes[0].Day.Equal(insight.DayTime(insight.Day(start.AddDate(0, 0, 60)))) {
		t.Fatalf("spikes %+v", sp.Series[:min(2, len(sp.Series))])
	}
	v, err := s.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceCase, Dim: insight.DimTouchpoint, Bucket: insight.BucketWeek, Range: analyst.Range{From: start, To: now}})
	if err != nil || len(v.Buckets) != 11 || v.Series[0].Value != "statement" || v.Series[0].Name == "" {
		t.Fatalf("volumes %v %+v", err, v)
	}
	cl, err := s.Clusters(ctx, analyst.Range{From: start.AddDate(0, 0, 50), To: now}, clusters.Opts{})
	if err != nil || len(cl.Clusters) == 0 || cl.Clusters[0].Size < 12 {
		t.Fatalf("clusters %v %+v", err, cl)
	}
	m, err := s.CreateMeasure(ctx, "analyst", analyst.MeasureInput{Title: "账单推送监控", Owner: "信用卡中心", Due: "2026-02-10", EffectiveFrom: "2026-02-09",
		Target: measures.Target{Kind: measures.TargetTouchpoint, Value: "statement"}})
	if err != nil {
		t.Fatal(err)
	}
	ef, err := s.Effect(ctx, m.ID, 21)
	if err != nil {
		t.Fatal(err)
	}
	// 7 of ~28 before (every third day), none after within 21 days.
	if ef.Effect.Before.Events != 7 || ef.Effect.After.Events != 0 || !ef.Effect.PerDay.Significant || len(ef.Days) != 42 {
		t.Errorf("effect %+v days %d", ef.Effect, len(ef.Days))
	}
	var ve *measures.ValidationError
	if _, err := s.CreateMeasure(ctx, "a", analyst.MeasureInput{Title: "x", Owner: "y", Due: "2026-02-10", Target: measures.Target{Kind: measures.TargetTouchpoint, Value: "moon"}}); !errors.As(err, &ve) {
		t.Errorf("bad touchpoint: %v", err)
	}
	var ie *analyst.InputError
	if _, err := s.CreateMeasure(ctx, "a", analyst.MeasureInput{Title: "x", Owner: "y", Due: "soon", Target: measures.Target{Kind: measures.TargetCause, Value: "C01"}}); !errors.As(err, &ie) {
		t.Errorf("bad due: %v", err)
	}
	dl, err := s.Deadlines(ctx, reports.Period{From: start, To: now})
	if err != nil || dl.Received != 70+12+12 || dl.Closed[4].Count != dl.Received {
		t.Errorf("deadlines %v %+v", err, dl)
	}
	rg, err := s.Regulatory(ctx, reports.Period{From: start, To: now})
	if err != nil || rg.Total != dl.Received {
		t.Errorf("regulatory %v %d", err, rg.Total)
	}
	if _, err := s.Volumes(ctx, analyst.VolumeQuery{Dim: "colour"}); !errors.As(err, &ie) {
		t.Errorf("bad dim %v", err)
	}
	if _, err := s.Volumes(ctx, analyst.VolumeQuery{Range: analyst.Range{From: now, To: start}}); !errors.As(err, &ie) {
		t.Errorf("inverted range %v", err)
	}
}
