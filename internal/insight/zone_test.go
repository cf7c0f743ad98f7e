package insight

import (
	"testing"
	"time"
)

func TestParseZone(t *testing.T) {
	for _, tc := range []struct {
		in, name string
		offset   int // seconds east of UTC on 2026-01-15
		bad      bool
	}{
		{"", "+08:00", 8 * 3600, false},
		{"+08:00", "+08:00", 8 * 3600, false},
		{"+0800", "+08:00", 8 * 3600, false},
		{"UTC+8", "+08:00", 8 * 3600, false},
		{"-05:30", "-05:30", -(5*3600 + 1800), false},
		{"+00:00", "UTC", 0, false},
		{"UTC", "UTC", 0, false},
		{"Asia/Shanghai", "Asia/Shanghai", 8 * 3600, false},
		{"Europe/London", "Europe/London", 0, false},
		{"America/New_York", "America/New_York", -5 * 3600, false},
		{"+15:00", "", 0, true},
		{"+08:61", "", 0, true},
		{"Mars/Olympus", "", 0, true},
		{"Local", "", 0, true},
	} {
		loc, err := ParseZone(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: accepted as %v", tc.in, loc)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		_, off := time.Date(2026, 1, 15, 12, 0, 0, 0, loc).Zone()
		if ZoneName(loc) != tc.name || off != tc.offset {
			t.Errorf("%q: %s offset %d, want %s %d", tc.in, ZoneName(loc), off, tc.name, tc.offset)
		}
		// The canonical name reads back to the same zone.
		again, err := ParseZone(ZoneName(loc))
		if err != nil || ZoneName(again) != ZoneName(loc) {
			t.Errorf("%q: name %q reads back as %v, %v", tc.in, ZoneName(loc), again, err)
		}
	}
}

func TestDays(t *testing.T) {
	shanghai, _ := ParseZone("+08:00")
	london, _ := ParseZone("Europe/London")
	newYork, _ := ParseZone("America/New_York")
	late := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		t    time.Time
		loc  *time.Location
		date string
	}{
		{"23:30 UTC is the next day in +08:00", late, shanghai, "2026-03-03"},
		{"23:30 UTC is its own day in UTC", late, time.UTC, "2026-03-02"},
		{"04:30 UTC is the day before in New York", time.Date(2026, 3, 3, 4, 30, 0, 0, time.UTC), newYork, "2026-03-02"},
		{"00:30 BST is the new day in London", time.Date(2026, 6, 1, 23, 30, 0, 0, time.UTC), london, "2026-06-02"},
		{"before 1970", time.Date(1969, 12, 31, 12, 0, 0, 0, time.UTC), time.UTC, "1969-12-31"},
	} {
		day := DayIn(tc.t, tc.loc)
		y, m, d := DateOf(day)
		if got := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly); got != tc.date {
			t.Errorf("%s: %s", tc.name, got)
		}
		if s := DayStart(day, tc.loc); s.After(tc.t) || !DayStart(day+1, tc.loc).After(tc.t) {
			t.Errorf("%s: %v is not in [%v, %v)", tc.name, tc.t, s, DayStart(day+1, tc.loc))
		}
	}
	// Daylight saving time: the day the clocks go forward is 23 hours long,
	// the day they go back 25; each day starts at local midnight.
	for _, tc := range []struct {
		date  time.Time
		hours float64
	}{
		{time.Date(2026, 3, 29, 12, 0, 0, 0, time.UTC), 23},
		{time.Date(2026, 10, 25, 12, 0, 0, 0, time.UTC), 25},
		{time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), 24},
	} {
		day := DayIn(tc.date, london)
		s, e := DayStart(day, london), DayStart(day+1, london)
		if e.Sub(s).Hours() != tc.hours || s.In(london).Hour() != 0 || e.In(london).Hour() != 0 {
			t.Errorf("%s: day %v–%v is %v hours", tc.date.Format(time.DateOnly), s, e, e.Sub(s).Hours())
		}
	}
}

func TestBuckets(t *testing.T) {
	day := func(s string) int64 {
		d, _ := time.Parse(time.DateOnly, s)
		return DayIn(d, time.UTC)
	}
	for _, tc := range []struct{ day, bucket, first string }{
		{"2026-03-04", BucketWeek, "2026-03-02"}, // Wednesday → Monday
		{"2026-03-02", BucketWeek, "2026-03-02"}, // Monday
		{"2026-03-08", BucketWeek, "2026-03-02"}, // Sunday
		{"2026-03-31", BucketMonth, "2026-03-01"},
		{"2026-03-31", BucketDay, "2026-03-31"},
	} {
		if got := BucketFirst(day(tc.day), tc.bucket); got != day(tc.first) {
			y, m, d := DateOf(got)
			t.Errorf("%s by %s: %d-%02d-%02d, want %s", tc.day, tc.bucket, y, m, d, tc.first)
		}
	}
	if Weekday(day("2026-03-02")) != time.Monday {
		t.Errorf("weekday of 2026-03-02: %v", Weekday(day("2026-03-02")))
	}
}

func TestPeriodDays(t *testing.T) {
	ny, _ := ParseZone("America/New_York")
	date, _ := time.Parse(time.DateOnly, "2026-03-05")
	want := DayIn(date, time.UTC)
	// A bare date is that calendar date in any zone, also where midnight
	// UTC is still the day before.
	if FirstDay(date, ny) != want || EndDay(date, ny) != want {
		t.Errorf("date: first %d end %d, want %d", FirstDay(date, ny), EndDay(date, ny), want)
	}
	// An instant is placed in the zone; an end is exclusive.
	inst := time.Date(2026, 3, 5, 3, 0, 0, 0, time.UTC) // 22:00 on the 4th in New York
	if FirstDay(inst, ny) != want-1 || EndDay(inst, ny) != want {
		t.Errorf("instant: first %d end %d, want %d %d", FirstDay(inst, ny), EndDay(inst, ny), want-1, want)
	}
	mid := DayStart(want, ny)
	if EndDay(mid, ny) != want {
		t.Errorf("end at local midnight: %d, want %d", EndDay(mid, ny), want)
	}
}
