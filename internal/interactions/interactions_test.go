package interactions_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

func TestValidate(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	ok := interactions.Message{ID: "m", ConversationID: "c", CustomerID: "u", Channel: "phone", Role: "customer", Time: now, Text: "hi"}
	neg := -1.0
	many := 1 << 20
	for _, c := range []struct {
		name string
		edit func(m *interactions.Message)
		code string
	}{
		{"ok", func(m *interactions.Message) {}, ""},
		{"empty text is allowed", func(m *interactions.Message) { m.Text = "" }, ""},
		{"no id", func(m *interactions.Message) { m.ID = " " }, interactions.CodeMissing},
		{"no conversation", func(m *interactions.Message) { m.ConversationID = "" }, interactions.CodeMissing},
		{"no customer", func(m *interactions.Message) { m.CustomerID = "" }, interactions.CodeMissing},
		{"long id", func(m *interactions.Message) { m.ID = strings.Repeat("x", 129) }, interactions.CodeTooLarge},
		{"newline in id", func(m *interactions.Message) { m.ID = "a\nb" }, interactions.CodeInvalid},
		{"branch and product", func(m *interactions.Message) { m.Branch, m.Product = "南山支行", "信用卡" }, ""},
		{"128-byte branch", func(m *interactions.Message) { m.Branch = strings.Repeat("x", 128) }, ""},
		{"long branch", func(m *interactions.Message) { m.Branch = strings.Repeat("x", 129) }, interactions.CodeTooLarge},
		{"long product", func(m *interactions.Message) { m.Product = strings.Repeat("支", 43) }, interactions.CodeTooLarge},
		{"newline in product", func(m *interactions.Message) { m.Product = "a\nb" }, interactions.CodeInvalid},
		{"invalid UTF-8 branch", func(m *interactions.Message) { m.Branch = "\xff" }, interactions.CodeInvalid},
		{"no channel", func(m *interactions.Message) { m.Channel = "" }, interactions.CodeMissing},
		{"bad channel", func(m *interactions.Message) { m.Channel = "fax" }, interactions.CodeInvalid},
		{"bad role", func(m *interactions.Message) { m.Role = "bot" }, interactions.CodeInvalid},
		{"no time", func(m *interactions.Message) { m.Time = time.Time{} }, interactions.CodeMissing},
		{"4 min ahead is clock skew", func(m *interactions.Message) { m.Time = now.Add(4 * time.Minute) }, ""},
		{"6 min ahead", func(m *interactions.Message) { m.Time = now.Add(6 * time.Minute) }, interactions.CodeFuture},
		{"1999", func(m *interactions.Message) { m.Time = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, interactions.CodeTooOld},
		{"64 KiB text", func(m *interactions.Message) { m.Text = strings.Repeat("x", 64<<10) }, ""},
		{"64 KiB + 1", func(m *interactions.Message) { m.Text = strings.Repeat("x", 64<<10+1) }, interactions.CodeTooLarge},
		{"invalid UTF-8", func(m *interactions.Message) { m.Text = "\xff\xfe" }, interactions.CodeInvalid},
		{"negative wait", func(m *interactions.Message) { m.Signals.WaitSeconds = &neg }, interactions.CodeInvalid},
		{"absurd interruptions", func(m *interactions.Message) { m.Signals.Interruptions = &many }, interactions.CodeInvalid},
	} {
		m := ok
		c.edit(&m)
		err := interactions.Limits{}.Validate(&m, now)
		got := ""
		if err != nil {
			got = err.Code
			if err.Message == "" {
				t.Errorf("%s: error without a message", c.name)
			}
		}
		if got != c.code {
			t.Errorf("%s: %q (%v), want %q", c.name, got, err, c.code)
		}
	}
}

// textModel is a risk model whose risk is the number in the message's
// text, so the alert path can be driven step by step.
type textModel struct{}

func (textModel) Update(st *risk.State, m risk.Message, a analysis.Result, h risk.History) risk.Assessment {
	f, _ := strconv.ParseFloat(strings.Fields(m.Text)[0], 64)
	return risk.Assessment{Risk: f, Level: "x", Reasons: []risk.Reason{{Code: "test", Zh: "测试", En: "test", Weight: f}},
		Interventions: []risk.Intervention{{Code: "calm", Zh: "冷静", En: "calm"}}}
}

func newTextStack(t *testing.T, db *store.DB, pol alerts.Policy, publish func([]alerts.Event)) (*interactions.Service, *interactions.Scorer) {
	t.Helper()
	an, _ := analysis.Default()
	sc := interactions.NewScorer(interactions.ScorerOpts{Model: textModel{}, Analyzer: an, Policy: pol})
	gl := interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: db.Interactions(), Scorer: sc, Publish: publish})
	t.Cleanup(gl.Close)
	return interactions.New(interactions.Opts{Log: gl, Reader: db.Interactions(), Analyzer: an}), sc
}

// TestAlertPolicyThroughStore drives one conversation's risk up, down and
// up again and checks the stored alerts and the published events:
// threshold, de-duplication (raise, not a second alert), hysteresis after a
// person closes the alert.
func TestAlertPolicyThroughStore(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var mu sync.Mutex
		var kinds []string
		svc, sc := newTextStack(t, db, alerts.Policy{Default: 0.6, Thresholds: map[string]float64{"phone": 0.8}, Hysteresis: 0.2, RaiseStep: 0.05},
			func(evs []alerts.Event) {
				mu.Lock()
				defer mu.Unlock()
				for _, e := range evs {
					kinds = append(kinds, e.Kind)
				}
			})
		asvc := alerts.New(alerts.Opts{Store: db.Alerts(), OnClosed: sc.AlertClosed})
		base := time.Now().Add(-time.Hour)
		n := 0
		post := func(conv, channel string, risks ...string) []interactions.ItemResult {
			t.Helper()
			var in []interactions.Input
			for _, r := range risks {
				n++
				in = append(in, interactions.Input{Message: interactions.Message{ID: fmt.Sprint("m", n), ConversationID: conv, CustomerID: "u",
					Channel: channel, Role: "customer", Time: base.Add(time.Duration(n) * time.Second), Text: r, Team: "t"}})
			}
			res, err := svc.Ingest(ctx, in)
			if err != nil || res.Accepted != len(risks) {
				t.Fatalf("%+v %v", res, err)
			}
			return res.Items
		}
		events := func() []string {
			mu.Lock()
			defer mu.Unlock()
			out := kinds
			kinds = nil
			return out
		}
		// Phone's threshold is 0.8: 0.7 does not alert there.
		if it := post("p", "phone", "0.7"); it[0].AlertID != "" {
			t.Fatal("phone alerted below its threshold")
		}
		it := post("c", "online_chat", "0.3", "0.65")
		id := it[1].AlertID
		if it[0].AlertID != "" || id == "" {
			t.Fatalf("%+v", it)
		}
		if ev := events(); len(ev) != 1 || ev[0] != alerts.EventOpened {
			t.Fatalf("events %v", ev)
		}
		// Rises within one batch: one raise event with the last level.
		it = post("c", "online_chat", "0.67", "0.8", "0.9")
		if it[2].AlertID != id {
			t.Fatalf("dedup: %+v", it)
		}
		if ev := events(); len(ev) != 1 || ev[0] != alerts.EventRaised {
			t.Fatalf("events %v", ev)
		}
		a, err := asvc.Get(ctx, id)
		if err != nil || a.Risk != 0.9 || a.Threshold != 0.6 || a.Reasons[0].Zh != "测试" {
			t.Fatalf("%+v %v", a, err)
		}
		if _, err := asvc.Close(ctx, id, "tester", "handled"); err != nil {
			t.Fatal(err)
		}
		events()
		// Still high after the close: nothing; 0.45 is not below 0.4.
		post("c", "online_chat", "0.95", "0.45", "0.7")
		if ev := events(); len(ev) != 0 {
			t.Fatalf("alerted without re-arming: %v", ev)
		}
		// Below 0.4 re-arms; the next crossing opens a new alert.
		it = post("c", "online_chat", "0.39", "0.61")
		if it[1].AlertID == "" || it[1].AlertID == id {
			t.Fatalf("re-armed alert: %+v", it)
		}
		list, err := asvc.List(ctx, alerts.Filter{Team: "t"})
		if err != nil || len(list) != 2 || list[0].State != alerts.StateOpen || list[1].State != alerts.StateClosed {
			t.Fatalf("%+v %v", list, err)
		}
	})
}

// TestConcurrentDuplicates: many goroutines post overlapping batches at
// once (the group-commit log merges them); every id is stored once and the
// acknowledgements add up.
func TestConcurrentDuplicates(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		s := newStack(t, db, alerts.Policy{})
		ctx := context.Background()
		base := time.Now().Add(-time.Hour)
		const workers, ids = 8, 200
		var wg sync.WaitGroup
		var mu sync.Mutex
		accepted, dups := 0, 0
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var in []interactions.Input
				for i := range ids {
					k := (i + w*25) % ids
					in = append(in, interactions.Input{Message: interactions.Message{ID: fmt.Sprint("d", k), ConversationID: fmt.Sprint("c", k%10),
						CustomerID: "u", Channel: "app", Role: "customer", Time: base.Add(time.Duration(k) * time.Second), Text: "转账失败"}})
				}
				res, err := s.svc.Ingest(ctx, in)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				accepted += res.Accepted
				dups += res.Duplicates
				mu.Unlock()
			}()
		}
		wg.Wait()
		if accepted != ids || dups != ids*(workers-1) {
			t.Fatalf("accepted %d duplicates %d", accepted, dups)
		}
		total := 0
		for c := range 10 {
			v, err := s.svc.Conversation(ctx, fmt.Sprint("c", c))
			if err != nil {
				t.Fatal(err)
			}
			for i, m := range v.Items {
				if m.Turn != i+1 || (i > 0 && m.Time.Before(v.Items[i-1].Time)) {
					t.Fatalf("conversation c%d out of order at %d", c, i)
				}
			}
			if v.Messages != len(v.Items) {
				t.Fatalf("c%d: %d counted, %d stored", c, v.Messages, len(v.Items))
			}
			total += len(v.Items)
		}
		if total != ids {
			t.Fatalf("%d stored", total)
		}
	})
}

// TestStateSurvivesRestart: a new service over the same store (empty
// cache) continues a conversation from its stored state: the risk after
// the next message is the one an uninterrupted service computes.
func TestStateSurvivesRestart(t *testing.T) {
	db := openSQLite(t)
	ctx := context.Background()
	base := time.Now().Add(-time.Hour)
	texts := []string{"我的卡被吞了", "请您稍等", "等了半个小时了还没人管", "这不归我管", "我要投诉你们"}
	mk := func(conv string, i int) []interactions.Input {
		role := "customer"
		if i%2 == 1 {
			role = "agent"
		}
		return inputs(interactions.Message{ID: fmt.Sprint(conv, i), ConversationID: conv, CustomerID: "u-" + conv, Channel: "branch", Role: role,
			Time: base.Add(time.Duration(i) * time.Minute), Text: texts[i]})
	}
	s1 := newStack(t, db, alerts.Policy{})
	var want float64
	for i := range texts {
		res, err := s1.svc.Ingest(ctx, mk("a", i))
		if err != nil {
			t.Fatal(err)
		}
		want = *res.Items[0].Risk
		if i < len(texts)-1 {
			if _, err := s1.svc.Ingest(ctx, mk("b", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	s1.log.Close()
	s2 := newStack(t, db, alerts.Policy{})
	res, err := s2.svc.Ingest(ctx, mk("b", len(texts)-1))
	if err != nil {
		t.Fatal(err)
	}
	if got := *res.Items[0].Risk; got != want || res.Items[0].Turn != len(texts) {
		t.Fatalf("after restart: risk %v turn %d, want %v turn %d", got, res.Items[0].Turn, want, len(texts))
	}
}
