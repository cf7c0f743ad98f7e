package ui

import (
	"testing"
	"time"
)

// Pages show times in the configured zone (serve --tz), not a fixed one.
func TestFmtTimeFollowsTheZone(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC) // summer: London is UTC+1
	for _, tc := range []struct {
		zone *time.Location
		want string
	}{
		{defaultZone, "2026-07-02 07:30"},
		{time.UTC, "2026-07-01 23:30"},
		{london, "2026-07-02 00:30"},
	} {
		f := funcs(tc.zone)["fmtTime"].(func(time.Time) string)
		if got := f(at); got != tc.want {
			t.Errorf("fmtTime in %s = %q, want %q", tc.zone, got, tc.want)
		}
	}
	if got := funcs(time.UTC)["fmtTime"].(func(time.Time) string)(time.Time{}); got != "—" {
		t.Errorf("zero time shown as %q, want —", got)
	}
}

func TestMaxFormBody(t *testing.T) {
	for _, limit := range []int64{1 << 10, 10 << 20, 50 << 20} {
		if maxFormBody("POST /ui/cases/{id}/evidence", limit) <= limit || maxFormBody("POST /ui/cases/{id}/contact", limit) != maxTextForm {
			t.Errorf("limit %d: the evidence form must take a file up to the evidence limit; other forms only text", limit)
		}
	}
}
