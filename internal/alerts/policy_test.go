package alerts

import (
	"testing"
	"time"
)

// TestDecide walks conversations' risk sequences through the policy: the
// actions expected at each step spell out the threshold per channel, the
// hysteresis (no second alert until the risk fell below threshold −
// hysteresis), de-duplication (a live alert is raised, never doubled) and
// the raise step.
func TestDecide(t *testing.T) {
	p := NewPolicy(0.6, map[string]float64{"phone": 0.7})
	p.Hysteresis = 0.2
	p.RaiseStep = 0.05
	type step struct {
		risk   float64
		want   Action
		closed bool // a person closes the alert before this step
	}
	cases := []struct {
		name    string
		channel string
		steps   []step
	}{
		{"below threshold never alerts", "online_chat", []step{{0.1, None, false}, {0.59, None, false}, {0.3, None, false}}},
		{"crossing opens once", "online_chat", []step{{0.2, None, false}, {0.6, Open, false}, {0.62, None, false}, {0.61, None, false}}},
		{"rise raises, wobble does not", "online_chat", []step{{0.65, Open, false}, {0.68, None, false}, {0.71, Raise, false}, {0.74, None, false}, {0.9, Raise, false}, {0.5, None, false}}},
		{"per-channel threshold", "phone", []step{{0.65, None, false}, {0.69, None, false}, {0.7, Open, false}}},
		{"live alert dedups after dip and re-cross", "online_chat", []step{{0.7, Open, false}, {0.3, None, false}, {0.72, None, false}, {0.8, Raise, false}}},
		{"closed alert: no new one while above", "online_chat", []step{{0.7, Open, false}, {0.75, None, true}, {0.9, None, false}, {0.5, None, false}, {0.65, None, false}}},
		{"closed alert: re-arms below the lower threshold", "online_chat", []step{{0.7, Open, false}, {0.39, None, true}, {0.65, Open, false}}},
		{"closed alert: hysteresis boundary is exclusive", "online_chat", []step{{0.7, Open, false}, {0.4, None, true}, {0.65, None, false}, {0.399, None, false}, {0.6, Open, false}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var st ConvState
			for i, s := range c.steps {
				if s.closed {
					st = st.Closed()
				}
				next, act := p.Decide(st, c.channel, s.risk)
				if act != s.want {
					t.Fatalf("step %d (risk %.3f, state %+v): %v, want %v", i, s.risk, st, act, s.want)
				}
				if act == Open {
					if next.AlertID != "" || !next.Disarmed || next.Level != s.risk {
						t.Fatalf("step %d: open state %+v", i, next)
					}
					next.AlertID = "A"
				}
				if act == Raise && next.Level != s.risk {
					t.Fatalf("step %d: raised level %v, want %v", i, next.Level, s.risk)
				}
				st = next
			}
		})
	}
}

func TestThresholds(t *testing.T) {
	p := NewPolicy(0.6, map[string]float64{"phone": 0.7})
	if p.Threshold("phone") != 0.7 || p.Threshold("email") != 0.6 {
		t.Fatal(p.Threshold("phone"), p.Threshold("email"))
	}
	if got := p.Rearm("phone"); got < 0.549 || got > 0.551 {
		t.Fatalf("rearm %v", got)
	}
}

func TestBackoff(t *testing.T) {
	base, max := time.Second, 10*time.Second
	for _, c := range []struct {
		attempt int
		want    time.Duration
	}{{0, time.Second}, {1, time.Second}, {2, 2 * time.Second}, {3, 4 * time.Second}, {4, 8 * time.Second}, {5, 10 * time.Second}, {60, 10 * time.Second}} {
		if got := Backoff(base, max, c.attempt); got != c.want {
			t.Errorf("Backoff(%d) = %v, want %v", c.attempt, got, c.want)
		}
	}
}

func TestSignature(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	body := []byte(`{"kind":"alert.opened"}`)
	h := Sign("whsec_0123456789abcdef", now, body)
	if err := VerifySignature("whsec_0123456789abcdef", h, body, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		secret, header string
		body           []byte
		at             time.Time
	}{
		"wrong secret":  {"whsec_other-secret-xx", h, body, now},
		"changed body":  {"whsec_0123456789abcdef", h, []byte(`{"kind":"alert.closed"}`), now},
		"replayed late": {"whsec_0123456789abcdef", h, body, now.Add(10 * time.Minute)},
		"no signature":  {"whsec_0123456789abcdef", "t=1700000000", body, now},
	} {
		if err := VerifySignature(c.secret, c.header, c.body, c.at, 5*time.Minute); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

func TestBrokerFilterAndSlowSubscriber(t *testing.T) {
	b := NewBroker()
	all := b.Subscribe(Filter{}, 8)
	teamA := b.Subscribe(Filter{Team: "A"}, 8)
	slow := b.Subscribe(Filter{}, 1)
	b.Publish(Event{Seq: 1, Alert: Alert{Team: "A"}}, Event{Seq: 2, Alert: Alert{Team: "B"}})
	if len(all.C) != 2 || len(teamA.C) != 1 || (<-teamA.C).Seq != 1 {
		t.Fatal("filtering")
	}
	// The slow subscriber took one event, then was dropped (closed).
	if e, ok := <-slow.C; !ok || e.Seq != 1 {
		t.Fatal("slow subscriber's first event")
	}
	if _, ok := <-slow.C; ok {
		t.Fatal("slow subscriber not dropped")
	}
	if b.Subscribers() != 2 {
		t.Fatalf("%d subscribers", b.Subscribers())
	}
	all.Close()
	all.Close() // twice is harmless
	if b.Subscribers() != 1 {
		t.Fatalf("%d subscribers", b.Subscribers())
	}
}
