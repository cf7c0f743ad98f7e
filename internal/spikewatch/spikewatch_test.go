package spikewatch_test

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/spikes"
	"huajie/internal/spikewatch"
)

func TestDecide(t *testing.T) {
	to := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC) // the range ends after today, 23 November
	day := func(back int) time.Time { return to.AddDate(0, 0, -1-back) }
	pt := func(back int, v, z float64) spikes.Point {
		return spikes.Point{Day: day(back), Value: v, Expected: 4, Z: z, Spike: true, Judged: true}
	}
	w := spikewatch.Watch{Source: "case", By: "cause", Z: 4, MinCount: 5}
	cases := []struct {
		name string
		w    spikewatch.Watch
		p    spikes.Point
		want string // the alert's day, "" for none
	}{
		{"today", w, pt(0, 20, 6), "2026-11-23"},
		{"yesterday", w, pt(1, 20, 6), "2026-11-22"},
		{"two days ago is history", w, pt(2, 20, 6), ""},
		{"a week ago", w, pt(7, 20, 6), ""},
		{"the range's end (tomorrow)", w, pt(-1, 20, 6), ""},
		{"below the minimum count", w, pt(0, 4, 6), ""},
		{"at the minimum count", w, pt(0, 5, 6), "2026-11-23"},
		{"below the watch's z", w, pt(0, 20, 3.9), ""},
		{"a stricter watch", spikewatch.Watch{Source: "case", By: "cause", Z: 8, MinCount: 5}, pt(0, 20, 6), ""},
		{"not judged", w, spikes.Point{Day: day(0), Value: 20, Z: 6, Spike: true}, ""},
		{"not a spike", w, spikes.Point{Day: day(0), Value: 20, Z: 6, Judged: true}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := &analyst.SpikesResult{Source: "case", Dim: "cause", Range: analyst.Range{From: to.AddDate(0, 0, -90), To: to},
				Series: []analyst.SpikeSeries{
					{Value: "C02", Name: "服务设施、设备、业务系统", NameEn: "Facilities", Spikes: []spikes.Point{c.p}},
					{Value: "C01"},
				}}
			got := spikewatch.Decide(c.w, res)
			if c.want == "" {
				if len(got) != 0 {
					t.Fatalf("want none, got %+v", got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("want one alert, got %+v", got)
			}
			a := got[0]
			if a.Day != c.want || a.Key != "case/cause/C02/"+c.want || a.Value != "C02" || a.Name == "" || a.NameEn == "" ||
				a.Count != c.p.Value || a.Z != c.p.Z || a.Expected != c.p.Expected || a.State != "open" {
				t.Fatalf("alert %+v", a)
			}
			u, err := url.Parse(a.Link)
			if err != nil || u.Path != "/api/v1/insight/spikes" || u.Query().Get("source") != "case" || u.Query().Get("by") != "cause" {
				t.Fatalf("link %q", a.Link)
			}
			from, err1 := time.Parse("2006-01-02", u.Query().Get("from"))
			end, err2 := time.Parse("2006-01-02", u.Query().Get("to"))
			if err1 != nil || err2 != nil || !end.Equal(c.p.Day.AddDate(0, 0, 1)) || end.Sub(from) != 4*7*24*time.Hour {
				t.Fatalf("link period %q", a.Link)
			}
		})
	}
	if got := spikewatch.Decide(w, nil); got != nil {
		t.Errorf("nil result: %+v", got)
	}
}

func TestParseWatches(t *testing.T) {
	cases := []struct {
		name, in string
		want     string   // fmt of the watches
		errs     []string // each must appear in the error
	}{
		{"one with settings", "case/cause z=3.5 min=2\n", "[{case cause 3.5 2}]", nil},
		{"defaults, comments, blanks, BOM", "\ufeff# watched\n\nmessage/touchpoint   # the app\npost/cause z=6\n",
			fmt.Sprintf("[{message touchpoint %v %v} {post cause 6 %v}]", spikes.Defaults.Z, float64(spikewatch.DefaultMinCount), float64(spikewatch.DefaultMinCount)), nil},
		{"bad source", "case/cause\nmail/cause\n", "", []string{"line 2", `source "mail"`}},
		{"bad breakdown", "case/colour", "", []string{"line 1", `by "colour"`}},
		{"no slash", "cases", "", []string{"line 1", "source/by"}},
		{"twice", "case/cause\n\ncase/cause z=5", "", []string{"line 3", "already watched on line 1"}},
		{"unknown setting", "case/cause speed=3", "", []string{"line 1", `unknown setting "speed"`}},
		{"not a number", "case/cause z=high", "", []string{"line 1", `z="high"`}},
		{"z out of range", "case/cause z=0\ncase/touchpoint z=51", "", []string{"line 1", "line 2"}},
		{"negative minimum", "case/cause min=-1", "", []string{"line 1", "min=-1"}},
		{"NaN", "case/cause z=NaN", "", []string{"line 1", "not a number"}},
		{"empty", "# nothing\n", "", []string{"no watch configured"}},
		{"long line", "case/cause " + strings.Repeat(" ", spikewatch.MaxConfigLine), "", []string{"line 1", "over"}},
		{"every bad line listed", "x\ncase/cause\ny/z\n", "", []string{"line 1", "line 3"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws, err := spikewatch.ParseWatches(strings.NewReader(c.in))
			if len(c.errs) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				got := "["
				for i, w := range ws {
					if i > 0 {
						got += " "
					}
					got += fmt.Sprintf("{%s %s %v %v}", w.Source, w.By, w.Z, w.MinCount)
				}
				if got += "]"; got != c.want {
					t.Fatalf("got %s, want %s", got, c.want)
				}
				return
			}
			if !errors.Is(err, spikewatch.ErrConfig) || ws != nil {
				t.Fatalf("want a config error, got %v %+v", err, ws)
			}
			for _, e := range c.errs {
				if !strings.Contains(err.Error(), e) {
					t.Errorf("error %q lacks %q", err, e)
				}
			}
		})
	}
	big := "case/cause\n" + strings.Repeat("# padding\n", spikewatch.MaxConfigBytes/10+1)
	if _, err := spikewatch.ParseWatches(strings.NewReader(big)); err == nil || !strings.Contains(err.Error(), "over 65536 bytes") {
		t.Errorf("a huge file: %v", err)
	}
	if len(spikewatch.DefaultWatches()) != 5 {
		t.Errorf("defaults %+v", spikewatch.DefaultWatches())
	}
}
