package analyst_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"reflect"
	"strings"
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
	s := analyst.New(analyst.Opts{Repo: db, Now: func() time.Time { return now }, Zone: time.UTC})
	r := analyst.Range{From: start.AddDate(0, 0, 56), To: now}
	sp, err := s.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceCase, Dim: insight.DimTouchpoint, Range: r})
	if err != nil {
		t.Fatal(err)
	}
	if len(sp.Series) == 0 || sp.Series[0].Value != "statement" || len(sp.Series[0].Spikes) != 1 || !sp.Series[0].Spikes[0].Day.Equal(insight.DayStart(insight.DayIn(start.AddDate(0, 0, 60), time.UTC), time.UTC)) {
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
	sq, err := s.Servqual(ctx, analyst.Range{From: start, To: now})
	if err != nil {
		t.Fatal(err)
	}
	examples := 0
	for dim, exs := range sq.Examples {
		if len(exs) > analyst.ExamplesPerDimension || sq.Complaints[dim] < int64(len(exs)) {
			t.Errorf("dimension %s: %d examples, %d complaints", dim, len(exs), sq.Complaints[dim])
		}
		for _, ex := range exs {
			examples++
			if len(ex.Evidence) == 0 {
				t.Errorf("example %s of %s has no evidence", ex.ID, dim)
			}
			for _, e := range ex.Evidence {
				if string(e.Dimension) != dim || ex.Text[e.Start:e.End] != e.Term {
					t.Errorf("example %s of %s: evidence %+v does not point at its term in %q", ex.ID, dim, e, ex.Text)
				}
			}
		}
	}
	if examples == 0 {
		t.Errorf("no SERVQUAL examples among %v complaints", sq.Complaints)
	}
	// Reports reads once what the two calls read separately.
	rg2, dl2, err := s.Reports(ctx, reports.Period{From: start, To: now})
	if err != nil || !reflect.DeepEqual(rg2, rg) || !reflect.DeepEqual(dl2, dl) {
		t.Errorf("Reports differs from Regulatory and Deadlines: %v\n%+v\n%+v", err, rg2, dl2)
	}
	if _, _, err := s.Reports(ctx, reports.Period{From: now, To: start}); !errors.As(err, &ie) {
		t.Errorf("Reports with an inverted period: %v, want an input error", err)
	}
	if _, err := s.Volumes(ctx, analyst.VolumeQuery{Dim: "colour"}); !errors.As(err, &ie) {
		t.Errorf("bad dim %v", err)
	}
	if _, err := s.Volumes(ctx, analyst.VolumeQuery{Range: analyst.Range{From: now, To: start}}); !errors.As(err, &ie) {
		t.Errorf("inverted range %v", err)
	}
}

// TestZone: a complaint at 23:30 UTC on Sunday 1 March is Monday 2 March in
// UTC+8: it falls in another week, another report period and on another
// weekday; a service in another zone than the roll-up's rebuilds it and
// says so in the log.
func TestZone(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	late := time.Date(2026, 3, 1, 23, 30, 0, 0, time.UTC)
	cs := cases.New(cases.Opts{Repo: db.Cases(), Now: func() time.Time { return late }})
	if _, err := cs.Create(ctx, cases.Actor{Name: "a", Role: "agent"}, cases.NewCase{Channel: cases.ChannelPhone, Customer: cases.Customer{ID: "c", Name: "张"}, Text: "ATM吞卡了"}); err != nil {
		t.Fatal(err)
	}
	date := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	cst, _ := insight.ParseZone("+08:00")
	for _, tc := range []struct {
		name    string
		zone    *time.Location
		week    string // the Monday of the complaint's week
		day     string // the period of one day that counts it
		rebuilt bool
	}{
		{"UTC+8", cst, "2026-03-02", "2026-03-02", true},
		{"UTC", time.UTC, "2026-02-23", "2026-03-01", true},
		{"UTC again", time.UTC, "2026-02-23", "2026-03-01", false},
		{"London", mustZone(t, "Europe/London"), "2026-02-23", "2026-03-01", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log strings.Builder
			s := analyst.New(analyst.Opts{Repo: db, Zone: tc.zone, Now: func() time.Time { return late.Add(time.Hour) },
				Logger: slog.New(slog.NewTextHandler(&log, nil))})
			v, err := s.Volumes(ctx, analyst.VolumeQuery{Source: insight.SourceCase, Bucket: insight.BucketWeek, Range: analyst.Range{From: date("2026-02-16"), To: date("2026-03-16")}})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(log.String(), "rebuilt") != tc.rebuilt {
				t.Errorf("log %q, rebuilt %v", log.String(), tc.rebuilt)
			}
			for i, b := range v.Buckets {
				if b.Location() != tc.zone || b.Hour() != 0 || b.Weekday() != time.Monday {
					t.Errorf("bucket %v is not a Monday midnight in %v", b, tc.zone)
				}
				want := int64(0)
				if b.Format(time.DateOnly) == tc.week {
					want = 1
				}
				if v.Totals[i] != want {
					t.Errorf("week of %s: %d complaints, want %d", b.Format(time.DateOnly), v.Totals[i], want)
				}
			}
			for _, d := range []string{"2026-03-01", "2026-03-02"} {
				p := reports.Period{From: date(d), To: date(d).AddDate(0, 0, 1)}
				rg, err := s.Regulatory(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				want := 0
				if d == tc.day {
					want = 1
				}
				if rg.Total != want || !rg.Period.From.Equal(time.Date(date(d).Year(), date(d).Month(), date(d).Day(), 0, 0, 0, 0, tc.zone)) {
					t.Errorf("period %s: %d cases from %v, want %d from midnight in %v", d, rg.Total, rg.Period.From, want, tc.zone)
				}
			}
			sp, err := s.Spikes(ctx, analyst.SpikeQuery{Source: insight.SourceCase, Dim: insight.DimAll, Range: analyst.Range{From: date("2026-02-23"), To: date("2026-03-09")}})
			if err != nil || len(sp.Series) != 1 {
				t.Fatalf("spikes %v %+v", err, sp)
			}
			for _, p := range sp.Series[0].Days {
				want := 0.0
				if p.Day.Format(time.DateOnly) == tc.day {
					want = 1
				}
				if p.Value != want || p.Day.Location() != tc.zone {
					t.Errorf("spike day %v: %v, want %v", p.Day, p.Value, want)
				}
			}
		})
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := insight.ParseZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
