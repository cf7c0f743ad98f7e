package insight

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Days are counted in one configured time zone: a day is a calendar date
// in that zone (time.In(loc).Date()), not a block of 86,400 seconds, so a
// day in a zone with daylight saving time is 23 or 25 hours long when the
// clocks change. A day is stored as its number: the days from 1970-01-01
// to the date, whatever the zone (the date's number, not an instant), so
// that day arithmetic (weeks, months, weekdays) is plain integer work and
// DayStart turns it back into the instant the day starts in a zone.

// DefaultZoneName is the zone days are counted in when none is configured:
// China Standard Time (UTC+8, no daylight saving time), the zone of the
// default deadline policy (China's 2020 Measures count days that end at
// midnight in China).
const DefaultZoneName = "+08:00"

// DefaultZone returns China Standard Time as a fixed offset.
func DefaultZone() *time.Location { return time.FixedZone(DefaultZoneName, 8*3600) }

var offsetRE = regexp.MustCompile(`^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// ParseZone reads a configured zone: an IANA name (Asia/Shanghai,
// Europe/London, UTC) or a fixed offset from UTC (+08:00, -05:30, +0800,
// UTC+8). "" is DefaultZone. The zone's String() is its canonical name
// (offsets as ±HH:MM), which ParseZone reads back to the same zone. The
// host's local zone ("Local") is refused: days must not depend on the
// machine a command runs on.
func ParseZone(s string) (*time.Location, error) {
	s = strings.TrimSpace(s)
	switch s {
	case "":
		return DefaultZone(), nil
	case "Local", "local":
		return nil, fmt.Errorf("time zone %q: name the zone (an IANA name such as Asia/Shanghai, or an offset such as +08:00), not the host's", s)
	case "Z", "UTC", "utc":
		return time.UTC, nil
	}
	if m := offsetRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins := 0
		if m[3] != "" {
			mins, _ = strconv.Atoi(m[3])
		}
		if h > 14 || mins > 59 || (h == 14 && mins > 0) {
			return nil, fmt.Errorf("time zone %q: an offset from UTC is at most ±14:00", s)
		}
		off := h*3600 + mins*60
		if m[1] == "-" {
			off = -off
		}
		if off == 0 {
			return time.UTC, nil
		}
		return time.FixedZone(fmt.Sprintf("%s%02d:%02d", m[1], h, mins), off), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: not an IANA zone name (Asia/Shanghai, Europe/London) or an offset from UTC (+08:00)", s)
	}
	return loc, nil
}

// ZoneName is a zone's canonical name (what ParseZone reads back).
func ZoneName(loc *time.Location) string {
	if loc == nil {
		return DefaultZoneName
	}
	return loc.String()
}

// DayIn is the number of the calendar date of t in loc.
func DayIn(t time.Time, loc *time.Location) int64 {
	y, m, d := t.In(loc).Date()
	return civil(y, m, d)
}

// civil is a date's day number.
func civil(y int, m time.Month, d int) int64 {
	return floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// DateOf is the date of a day number (year, month, day).
func DateOf(day int64) (int, time.Month, int) {
	return time.Unix(day*86400, 0).UTC().Date()
}

// DayStart is the instant day starts in loc (its first instant: midnight,
// or the first time after it when a clock change skips midnight).
func DayStart(day int64, loc *time.Location) time.Time {
	y, m, d := DateOf(day)
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Weekday is the day's weekday.
func Weekday(day int64) time.Weekday { return time.Unix(day*86400, 0).UTC().Weekday() }

// Buckets of a series.
const (
	BucketDay   = "day"
	BucketWeek  = "week" // ISO weeks, starting Monday
	BucketMonth = "month"
)

// ValidBucket reports whether b is a bucket.
func ValidBucket(b string) bool { return b == BucketDay || b == BucketWeek || b == BucketMonth }

// BucketFirst is the first day of the bucket a day falls in: the Monday of
// its week, the first of its month, or the day itself.
func BucketFirst(day int64, bucket string) int64 {
	switch bucket {
	case BucketWeek:
		return day - int64((int(Weekday(day))+6)%7)
	case BucketMonth:
		y, m, _ := DateOf(day)
		return civil(y, m, 1)
	}
	return day
}

// IsDate reports whether t is a bare date as time.Parse(time.DateOnly, …)
// returns it: midnight in UTC. Queries read such a time as that calendar
// date in the configured zone, not as the instant midnight UTC.
func IsDate(t time.Time) bool {
	return t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// FirstDay is the day a period starting at t starts on: a date's own day,
// else the day of the instant in loc.
func FirstDay(t time.Time, loc *time.Location) int64 {
	if IsDate(t) {
		return DayIn(t, time.UTC)
	}
	return DayIn(t, loc)
}

// EndDay is the first day after a period ending at t (exclusive): a date's
// own day, else the day after the day of the last instant before t.
func EndDay(t time.Time, loc *time.Location) int64 {
	if IsDate(t) {
		return DayIn(t, time.UTC)
	}
	return DayIn(t.Add(-time.Nanosecond), loc) + 1
}
