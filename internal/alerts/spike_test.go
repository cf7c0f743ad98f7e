package alerts_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"huajie/internal/alerts"
)

func TestSpikeTransition(t *testing.T) {
	at := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		from alerts.SpikeState
		to   alerts.SpikeState
		note string
		kind string
		err  error
	}{
		{alerts.SpikeOpen, alerts.SpikeAcknowledged, "看一下", alerts.EventSpikeAcknowledged, nil},
		{alerts.SpikeOpen, alerts.SpikeDismissed, "", alerts.EventSpikeDismissed, nil},
		{alerts.SpikeAcknowledged, alerts.SpikeDismissed, "已处理", alerts.EventSpikeDismissed, nil},
		{alerts.SpikeAcknowledged, alerts.SpikeAcknowledged, "", "", alerts.ErrSpikeState},
		{alerts.SpikeDismissed, alerts.SpikeAcknowledged, "", "", alerts.ErrSpikeState},
		{alerts.SpikeDismissed, alerts.SpikeDismissed, "", "", alerts.ErrSpikeState},
		{alerts.SpikeOpen, alerts.SpikeOpen, "", "", alerts.ErrInvalid},
		{alerts.SpikeOpen, alerts.SpikeAcknowledged, strings.Repeat("x", alerts.MaxNoteBytes+1), "", alerts.ErrInvalid},
	}
	for _, c := range cases {
		a := alerts.SpikeAlert{ID: "SPK-1", State: c.from, Note: "earlier"}
		kind, err := a.Transition(c.to, "主管", c.note, at)
		if c.err != nil {
			if !errors.Is(err, c.err) || a.State != c.from {
				t.Errorf("%s → %s: %v, state %s", c.from, c.to, err, a.State)
			}
			continue
		}
		if err != nil || kind != c.kind || a.State != c.to || !a.UpdatedAt.Equal(at) {
			t.Errorf("%s → %s: %v %s %+v", c.from, c.to, err, kind, a)
		}
		by, when := a.AcknowledgedBy, a.AcknowledgedAt
		if c.to == alerts.SpikeDismissed {
			by, when = a.DismissedBy, a.DismissedAt
		}
		if by != "主管" || !when.Equal(at) {
			t.Errorf("%s → %s: who/when %q %v", c.from, c.to, by, when)
		}
		if want := map[bool]string{true: c.note, false: "earlier"}[c.note != ""]; a.Note != want {
			t.Errorf("%s → %s: note %q, want %q", c.from, c.to, a.Note, want)
		}
	}
}

func TestMatchEvent(t *testing.T) {
	spike := &alerts.Event{Kind: alerts.EventSpikeRaised, Spike: &alerts.SpikeAlert{ID: "SPK-1"}}
	conv := &alerts.Event{Kind: alerts.EventOpened, Alert: alerts.Alert{ID: "AL-1", Team: "a", State: alerts.StateClosed}}
	cases := []struct {
		f          alerts.Filter
		spike, cnv bool
	}{
		{alerts.Filter{}, true, true},
		{alerts.Filter{Team: "a"}, false, true},
		{alerts.Filter{Team: "b"}, false, false},
		{alerts.Filter{Agent: "x"}, false, false},
		{alerts.Filter{States: []alerts.State{alerts.StateOpen}}, true, true}, // a stream does not filter on state
	}
	for i, c := range cases {
		if got := c.f.MatchEvent(spike); got != c.spike {
			t.Errorf("%d: spike %v", i, got)
		}
		if got := c.f.MatchEvent(conv); got != c.cnv {
			t.Errorf("%d: conversation %v", i, got)
		}
	}
	if !alerts.IsSpikeEvent(alerts.EventSpikeDismissed) || alerts.IsSpikeEvent(alerts.EventOpened) || alerts.IsSpikeEvent("spike.") {
		t.Error("IsSpikeEvent")
	}
}
