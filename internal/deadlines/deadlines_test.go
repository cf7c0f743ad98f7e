package deadlines

import (
	"errors"
	"testing"
	"time"
)

var shanghai = time.FixedZone("CST", 8*3600)

func d(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEndOfPeriod(t *testing.T) {
	cal := Calendar{Location: shanghai, Holidays: map[string]bool{"2026-10-01": true, "2026-10-02": true, "2026-10-05": true},
		Workdays: map[string]bool{"2026-10-10": true}}
	for _, tc := range []struct {
		name     string
		received string
		p        Period
		want     string // exclusive end: midnight after the last day
	}{
		{"15 calendar days", "2026-03-02 09:00", Period{Days: 15}, "2026-03-18 00:00"},
		{"received just before midnight", "2026-03-02 23:59", Period{Days: 15}, "2026-03-18 00:00"},
		{"crosses month end", "2026-01-25 10:00", Period{Days: 15}, "2026-02-10 00:00"},
		{"crosses leap-less February", "2026-02-20 10:00", Period{Days: 30}, "2026-03-23 00:00"},
		{"8 weeks", "2026-03-02 09:00", Period{Days: 56}, "2026-04-28 00:00"},
		{"3 business days from Monday", "2026-03-02 09:00", Period{Days: 3, Business: true}, "2026-03-06 00:00"},
		{"3 business days from Thursday skip weekend", "2026-03-05 09:00", Period{Days: 3, Business: true}, "2026-03-11 00:00"},
		{"3 business days from Saturday", "2026-03-07 09:00", Period{Days: 3, Business: true}, "2026-03-12 00:00"},
		{"holidays skipped", "2026-09-30 09:00", Period{Days: 3, Business: true}, "2026-10-09 00:00"},
		{"make-up workday counts", "2026-10-08 09:00", Period{Days: 2, Business: true}, "2026-10-11 00:00"},
		{"zero days ends with the day of receipt", "2026-03-02 09:00", Period{Days: 0}, "2026-03-03 00:00"},
	} {
		got := cal.EndOfPeriod(d(tc.received), tc.p)
		if !got.Equal(d(tc.want)) {
			t.Errorf("%s: got %s, want %s", tc.name, got.In(shanghai).Format("2006-01-02 15:04 Mon"), tc.want)
		}
	}
}

func TestComputeAndExtensions(t *testing.T) {
	cal := Calendar{Location: shanghai}
	pol := Builtin()
	recv := d("2026-03-02 09:00")
	for _, tc := range []struct {
		name   string
		policy string
		ext    int
		m      Milestones
		want   map[Kind]string
	}{
		{"CN base", CN, 0, nil, map[Kind]string{KindDecision: "2026-03-18 00:00"}},
		{"CN extended to 30 days", CN, 1, nil, map[Kind]string{KindDecision: "2026-04-02 00:00"}},
		{"CN extended to 60 days", CN, 2, nil, map[Kind]string{KindDecision: "2026-05-02 00:00"}},
		{"CN extension count capped", CN, 5, nil, map[Kind]string{KindDecision: "2026-05-02 00:00"}},
		{"CN decided, not reopened: no review", CN, 0, Milestones{MilestoneDecision: d("2026-03-10 10:00")}, map[Kind]string{KindDecision: "2026-03-18 00:00"}},
		{"CN reopened: a review 30 days from the reopening", CN, 0, Milestones{MilestoneDecision: d("2026-03-10 10:00"), MilestoneReopened: d("2026-04-20 16:30")},
			map[Kind]string{KindDecision: "2026-03-18 00:00", KindReview: "2026-05-21 00:00"}},
		{"CN review not lengthened by the decision's extensions", CN, 2, Milestones{MilestoneReopened: d("2026-04-20 16:30")},
			map[Kind]string{KindDecision: "2026-05-02 00:00", KindReview: "2026-05-21 00:00"}},
		{"UK", UK, 0, nil, map[Kind]string{KindSummary: "2026-03-06 00:00", KindFinal: "2026-04-28 00:00"}},
		{"UK not extendable", UK, 1, nil, map[Kind]string{KindSummary: "2026-03-06 00:00", KindFinal: "2026-04-28 00:00"}},
		{"UK reopened: no review rule", UK, 0, Milestones{MilestoneReopened: d("2026-04-20 16:30")}, map[Kind]string{KindSummary: "2026-03-06 00:00", KindFinal: "2026-04-28 00:00"}},
		{"US", US, 0, nil, map[Kind]string{KindResponse: "2026-03-18 00:00", KindFinal: "2026-05-02 00:00"}},
	} {
		got := Compute(pol[tc.policy], cal, recv, tc.ext, tc.m)
		if len(got) != len(tc.want) {
			t.Fatalf("%s: %d deadlines, want %d", tc.name, len(got), len(tc.want))
		}
		for i, dl := range got {
			if i > 0 && dl.Due.Before(got[i-1].Due) {
				t.Errorf("%s: not sorted", tc.name)
			}
			if !dl.Due.Equal(d(tc.want[dl.Kind])) {
				t.Errorf("%s: %s due %s, want %s", tc.name, dl.Kind, dl.Due.In(shanghai), tc.want[dl.Kind])
			}
		}
	}
}

func TestCheckExtension(t *testing.T) {
	cn := Builtin()[CN]
	for _, tc := range []struct {
		name    string
		granted int
		ext     Extension
		field   string
		noMore  bool
	}{
		{"first needs reason", 0, Extension{CustomerNotified: true}, "reason", false},
		{"first needs customer told", 0, Extension{Reason: "复杂"}, "customer_notified", false},
		{"first ok without approver", 0, Extension{Reason: "复杂", CustomerNotified: true}, "", false},
		{"second needs approver", 1, Extension{Reason: "复杂", CustomerNotified: true}, "approver", false},
		{"second ok", 1, Extension{Reason: "复杂", CustomerNotified: true, Approver: "vp"}, "", false},
		{"no third", 2, Extension{Reason: "复杂", CustomerNotified: true, Approver: "vp"}, "", true},
	} {
		err := CheckExtension(cn, tc.granted, tc.ext)
		var ee *ExtensionError
		switch {
		case tc.noMore:
			if !errors.Is(err, ErrNoMoreExtensions) {
				t.Errorf("%s: %v", tc.name, err)
			}
		case tc.field == "":
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
		case !errors.As(err, &ee) || ee.Field != tc.field:
			t.Errorf("%s: got %v, want missing %s", tc.name, err, tc.field)
		}
	}
	if err := CheckExtension(Builtin()[UK], 0, Extension{Reason: "x", CustomerNotified: true}); !errors.Is(err, ErrNoMoreExtensions) {
		t.Errorf("UK extension: %v", err)
	}
}

func TestStatusOf(t *testing.T) {
	due := d("2026-03-18 00:00")
	dl := Deadline{Kind: KindDecision, Due: due, MetBy: MilestoneDecision}
	info := Deadline{Kind: KindSummary, Due: due, MetBy: MilestoneResolved, Informational: true}
	lead := 72 * time.Hour
	met := func(at string) Milestones { return Milestones{MilestoneDecision: d(at), MilestoneResolved: d(at)} }
	for _, tc := range []struct {
		name string
		dl   Deadline
		m    Milestones
		now  string
		want Status
	}{
		{"early", dl, nil, "2026-03-02 10:00", StatusOK},
		{"just before lead", dl, nil, "2026-03-14 23:59", StatusOK},
		{"at lead", dl, nil, "2026-03-15 00:00", StatusWarning},
		{"last minute", dl, nil, "2026-03-17 23:59", StatusWarning},
		{"at due", dl, nil, "2026-03-18 00:00", StatusBreached},
		{"met on time", dl, met("2026-03-10 12:00"), "2026-04-01 00:00", StatusMet},
		{"met late", dl, met("2026-03-19 12:00"), "2026-04-01 00:00", StatusMetLate},
		{"other milestone does not count", dl, Milestones{MilestoneResponse: d("2026-03-03 10:00")}, "2026-03-19 00:00", StatusBreached},
		{"informational never warns", info, nil, "2026-03-17 23:00", StatusOK},
		{"informational lapses", info, nil, "2026-03-18 01:00", StatusLapsed},
		{"informational met", info, met("2026-03-04 10:00"), "2026-03-19 00:00", StatusMet},
	} {
		if got := StatusOf(tc.dl, tc.m, d(tc.now), lead); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestWorst(t *testing.T) {
	cal := Calendar{Location: shanghai}
	ds := Compute(Builtin()[US], cal, d("2026-03-02 09:00"), 0, nil)
	lead := 72 * time.Hour
	st, next := Worst(ds, nil, d("2026-03-16 09:00"), lead)
	if st != StatusWarning || !next.Equal(d("2026-03-18 00:00")) {
		t.Fatalf("response pending: %s %s", st, next)
	}
	m := Milestones{MilestoneResponse: d("2026-03-03 09:00")}
	st, next = Worst(ds, m, d("2026-03-16 09:00"), lead)
	if st != StatusOK || !next.Equal(d("2026-05-02 00:00")) {
		t.Fatalf("response met: %s %s", st, next)
	}
	m[MilestoneDecision] = d("2026-04-01 09:00")
	st, next = Worst(ds, m, d("2026-06-01 09:00"), lead)
	if st != StatusMet || !next.IsZero() {
		t.Fatalf("all met: %s %s", st, next)
	}
}

func TestSummaryResolution(t *testing.T) {
	cal := Calendar{Location: shanghai, Holidays: map[string]bool{"2026-03-09": true}}
	recv := d("2026-03-05 16:00") // Thursday
	for _, tc := range []struct {
		resolved string
		want     bool
	}{
		{"2026-03-06 10:00", true},
		{"2026-03-10 23:59", true}, // Fri, (Mon holiday), Tue, Wed is the third business day
		{"2026-03-11 23:59", true},
		{"2026-03-12 00:00", false},
		{"", false},
	} {
		var at time.Time
		if tc.resolved != "" {
			at = d(tc.resolved)
		}
		if got := SummaryResolution(cal, recv, at); got != tc.want {
			t.Errorf("resolved %s: got %v, want %v", tc.resolved, got, tc.want)
		}
	}
}
