package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/store"
)

// TestSpikeAlerts: insert-if-absent on the key (also under concurrent
// raisers), a higher count updates, states with the optimistic check, the
// events in the shared log and their webhook deliveries (all-team webhooks
// only).
func TestSpikeAlerts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		r := db.SpikeAlerts()
		at := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		al := db.Alerts()
		all := &alerts.Webhook{ID: "WH-all", URL: "http://127.0.0.1:1/h", Secret: "s", CreatedBy: "t", CreatedAt: at}
		team := &alerts.Webhook{ID: "WH-team", URL: "http://127.0.0.1:1/h", Secret: "s", Team: "cards", CreatedBy: "t", CreatedAt: at}
		for _, w := range []*alerts.Webhook{all, team} {
			if err := al.CreateWebhook(ctx, w); err != nil {
				t.Fatal(err)
			}
		}
		mk := func(id, value string, count float64) *alerts.SpikeAlert {
			return &alerts.SpikeAlert{ID: id, Key: "case/cause/" + value + "/2026-11-23", Source: "case", By: "cause", Value: value,
				Name: "账单", Day: "2026-11-23", Count: count, Expected: 3, Z: count, State: alerts.SpikeOpen, RaisedAt: at, UpdatedAt: at}
		}

		// Two raisers of the same key at once: one alert.
		var wg sync.WaitGroup
		evs := make([]*alerts.Event, 4)
		errs := make([]error, 4)
		for i := range evs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				evs[i], errs[i] = r.RaiseSpike(ctx, mk(fmt.Sprintf("SPK-%d", i), "C0102", 12))
			}()
		}
		wg.Wait()
		var raised *alerts.Event
		for i := range evs {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if evs[i] != nil {
				if raised != nil {
					t.Fatalf("raised twice: %+v and %+v", raised.Spike, evs[i].Spike)
				}
				raised = evs[i]
			}
		}
		if raised == nil || raised.Kind != alerts.EventSpikeRaised || raised.Seq <= 0 || raised.Spike == nil {
			t.Fatalf("raised %+v", raised)
		}
		id := raised.Spike.ID

		// Same count again: nothing; a higher count: updated, same id.
		if ev, err := r.RaiseSpike(ctx, mk("SPK-x", "C0102", 12)); err != nil || ev != nil {
			t.Fatalf("again: %v %+v", err, ev)
		}
		up, err := r.RaiseSpike(ctx, mk("SPK-y", "C0102", 20))
		if err != nil || up == nil || up.Kind != alerts.EventSpikeUpdated || up.Spike.ID != id || up.Spike.Count != 20 || up.Seq <= raised.Seq {
			t.Fatalf("grow: %v %+v", err, up)
		}
		if _, err := r.RaiseSpike(ctx, mk("SPK-z", "C0301", 9)); err != nil {
			t.Fatal(err)
		}

		got, err := r.GetSpikeAlert(ctx, id)
		if err != nil || got.Count != 20 || got.State != alerts.SpikeOpen || got.Value != "C0102" {
			t.Fatalf("get: %v %+v", err, got)
		}
		if _, err := r.GetSpikeAlert(ctx, "SPK-none"); !errors.Is(err, alerts.ErrNotFound) {
			t.Fatalf("unknown: %v", err)
		}

		// Transitions.
		steps := []struct {
			id   string
			to   alerts.SpikeState
			want error
		}{
			{id, alerts.SpikeAcknowledged, nil},
			{id, alerts.SpikeAcknowledged, alerts.ErrSpikeState},
			{id, alerts.SpikeDismissed, nil},
			{id, alerts.SpikeDismissed, alerts.ErrSpikeState},
			{id, alerts.SpikeOpen, alerts.ErrInvalid},
			{"SPK-none", alerts.SpikeDismissed, alerts.ErrNotFound},
		}
		for i, st := range steps {
			ev, err := r.SetSpikeAlertState(ctx, st.id, st.to, "主管", "系统故障已确认", at.Add(time.Hour))
			if st.want != nil {
				if !errors.Is(err, st.want) {
					t.Fatalf("step %d: %v, want %v", i, err, st.want)
				}
				continue
			}
			if err != nil || ev.Spike.State != st.to || ev.Spike.Note != "系统故障已确认" {
				t.Fatalf("step %d: %v %+v", i, err, ev)
			}
		}
		got, _ = r.GetSpikeAlert(ctx, id)
		if got.State != alerts.SpikeDismissed || got.AcknowledgedBy != "主管" || got.DismissedBy != "主管" || got.Count != 20 {
			t.Fatalf("after: %+v", got)
		}
		// Growing a dismissed alert still updates its figures, not its state.
		if ev, err := r.RaiseSpike(ctx, mk("SPK-w", "C0102", 25)); err != nil || ev == nil || ev.Spike.State != alerts.SpikeDismissed {
			t.Fatalf("grow dismissed: %v %+v", err, ev)
		}

		list, err := r.ListSpikeAlerts(ctx, alerts.SpikeFilter{States: []alerts.SpikeState{alerts.SpikeOpen}})
		if err != nil || len(list) != 1 || list[0].Value != "C0301" {
			t.Fatalf("open: %v %+v", err, list)
		}
		list, err = r.ListSpikeAlerts(ctx, alerts.SpikeFilter{Source: "case", By: "cause", Limit: 1})
		if err != nil || len(list) != 1 {
			t.Fatalf("limit: %v %+v", err, list)
		}
		if list, _ = r.ListSpikeAlerts(ctx, alerts.SpikeFilter{Source: "post"}); len(list) != 0 {
			t.Fatalf("post: %+v", list)
		}

		// The shared log holds the spike events with their documents.
		log, err := al.Events(ctx, 0, 100)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, ev := range log {
			if ev.Spike == nil || ev.Spike.ID == "" || ev.Alert.ID != "" {
				t.Fatalf("event %+v", ev)
			}
			kinds = append(kinds, ev.Kind)
		}
		want := fmt.Sprint([]string{alerts.EventSpikeRaised, alerts.EventSpikeUpdated, alerts.EventSpikeRaised,
			alerts.EventSpikeAcknowledged, alerts.EventSpikeDismissed, alerts.EventSpikeUpdated})
		if fmt.Sprint(kinds) != want {
			t.Fatalf("kinds %v, want %v", kinds, want)
		}
		ds, err := al.Deliveries(ctx, all.ID, 100)
		if err != nil || len(ds) != len(log) {
			t.Fatalf("all-team webhook: %v %d deliveries for %d events", err, len(ds), len(log))
		}
		if ds, _ := al.Deliveries(ctx, team.ID, 100); len(ds) != 0 {
			t.Fatalf("team webhook got %d spike deliveries", len(ds))
		}
	})
}
