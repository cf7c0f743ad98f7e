package spikewatch

import (
	"net/url"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
)

// Alert, Filter and State are the spike alert's types (package alerts
// holds them, as it carries their events to the stream and webhooks).
type (
	Alert  = alerts.SpikeAlert
	Filter = alerts.SpikeFilter
	State  = alerts.SpikeState
)

// Errors (package alerts' sentinels, re-exported).
var (
	ErrNotFound   = alerts.ErrNotFound
	ErrWrongState = alerts.ErrSpikeState
	ErrInvalid    = alerts.ErrInvalid
)

// RecentDays is how many of the latest days a spike may be on to raise an
// alert: today and yesterday (a wave found late in the evening, or after a
// restart, is still news the next morning; older ones are history).
const RecentDays = 2

// dayLayout is how a spike's day is written in its key and alert.
const dayLayout = "2006-01-02"

// Key is a spike alert's unique key.
func Key(source, by, value, day string) string {
	return source + "/" + by + "/" + value + "/" + day
}

// Decide returns the alerts a watch's spike result calls for (without id
// and times): every spike on the result's last RecentDays days whose
// volume reaches the watch's MinCount and whose z-score its Z. Older
// spikes, and days the detector could not judge, raise nothing.
func Decide(w Watch, res *analyst.SpikesResult) []Alert {
	if res == nil || res.Range.To.IsZero() {
		return nil
	}
	since := res.Range.To.AddDate(0, 0, -RecentDays)
	var out []Alert
	for _, s := range res.Series {
		for _, p := range s.Spikes {
			if !p.Spike || !p.Judged || p.Day.Before(since) || !p.Day.Before(res.Range.To) {
				continue
			}
			if p.Value < w.MinCount || p.Z < w.Z {
				continue
			}
			day := p.Day.Format(dayLayout)
			out = append(out, Alert{
				Key: Key(res.Source, res.Dim, s.Value, day), Source: res.Source, By: res.Dim, Value: s.Value,
				Name: s.Name, NameEn: s.NameEn, Day: day, Count: p.Value, Expected: p.Expected, Z: p.Z,
				State: alerts.SpikeOpen, Link: Link(res.Source, res.Dim, p.Day),
			})
		}
	}
	return out
}

// LinkWeeks is how much history the link shows before the spike's day.
const LinkWeeks = 4

// Link is the spikes query that shows a spike in its series: the four
// weeks up to and including its day.
func Link(source, by string, day time.Time) string {
	q := url.Values{}
	q.Set("source", source)
	q.Set("by", by)
	q.Set("from", day.AddDate(0, 0, -7*LinkWeeks+1).Format(dayLayout))
	q.Set("to", day.AddDate(0, 0, 1).Format(dayLayout))
	return "/api/v1/insight/spikes?" + q.Encode()
}
