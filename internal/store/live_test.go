package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

// TestLiveConversations: an agent's live conversations are theirs, recent,
// the latest first, below the alert threshold too, each with the reasons
// and interventions of its latest assessed message; an empty agent lists
// every agent's.
func TestLiveConversations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Microsecond)
		type conv struct {
			id, agent string
			last      time.Time
			risk      float64
			level     string
		}
		convs := []conv{
			{"c-old", "a-1", now.Add(-10 * time.Hour), 0.8, "high"},
			{"c-low", "a-1", now.Add(-2 * time.Minute), 0.1, "low"},
			{"c-high", "a-1", now.Add(-1 * time.Minute), 0.7, "high"},
			{"c-other", "a-2", now, 0.5, "medium"},
		}
		r := db.Interactions()
		err := r.InTx(ctx, func(tx interactions.Tx) error {
			var ms []*interactions.Stored
			var cs []*interactions.Conversation
			for _, c := range convs {
				for i := range 2 {
					at := c.last.Add(time.Duration(i-1) * time.Minute)
					m := &interactions.Stored{Message: interactions.Message{ID: fmt.Sprintf("%s-%d", c.id, i), ConversationID: c.id,
						CustomerID: "C-" + c.id, Channel: "phone", Role: "customer", Time: at, Text: "文本", Agent: c.agent},
						ReceivedAt: at, Turn: i + 1, Risk: c.risk, Level: c.level}
					// The first message's reason differs from the latest's.
					code := fmt.Sprintf("test_reason_%d", i)
					m.Assessment = &risk.Assessment{Risk: c.risk, Level: c.level, Turn: i + 1,
						Reasons:       []risk.Reason{{Code: code, Zh: "原因" + code, En: "reason " + code, Weight: 0.3}},
						Interventions: []risk.Intervention{{Code: "test_empathy", Zh: "共情", En: "empathise"}}}
					ms = append(ms, m)
				}
				cs = append(cs, &interactions.Conversation{ID: c.id, CustomerID: "C-" + c.id, Channel: "phone", Agent: c.agent,
					StartedAt: c.last.Add(-time.Minute), LastAt: c.last, LastID: c.id + "-1", Messages: 2, Risk: c.risk, Level: c.level})
			}
			// A third message of c-low not assessed yet: the latest assessment counts.
			ms = append(ms, &interactions.Stored{Message: interactions.Message{ID: "c-low-2", ConversationID: "c-low",
				CustomerID: "C-c-low", Channel: "phone", Role: "agent", Time: now.Add(-2 * time.Minute), Text: "好的", Agent: "a-1"},
				ReceivedAt: now})
			if err := tx.InsertMessages(ctx, ms); err != nil {
				return err
			}
			return tx.SaveConversations(ctx, cs)
		})
		if err != nil {
			t.Fatal(err)
		}
		since := now.Add(-8 * time.Hour)
		got, err := r.LiveConversations(ctx, "a-1", since, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != "c-high" || got[1].ID != "c-low" {
			t.Fatalf("a-1's live conversations: %+v", got)
		}
		low := got[1]
		if low.Risk != 0.1 || low.Level != "low" || low.CustomerID != "C-c-low" || low.Channel != "phone" || !low.LastAt.Equal(now.Add(-2*time.Minute)) {
			t.Errorf("c-low: %+v", low.Conversation)
		}
		if low.Assessment == nil || len(low.Assessment.Reasons) != 1 || low.Assessment.Reasons[0].Code != "test_reason_1" ||
			low.Assessment.Reasons[0].En != "reason test_reason_1" || len(low.Assessment.Interventions) != 1 ||
			low.Assessment.Interventions[0].Zh != "共情" {
			t.Errorf("c-low's latest assessment: %+v", low.Assessment)
		}
		all, err := r.LiveConversations(ctx, "", since, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 3 || all[0].ID != "c-other" {
			t.Errorf("every agent's live conversations: %+v", all)
		}
		if one, err := r.LiveConversations(ctx, "", since, 1); err != nil || len(one) != 1 {
			t.Errorf("limit 1: %d %v", len(one), err)
		}
		if none, err := r.LiveConversations(ctx, "nobody", since, 50); err != nil || none == nil || len(none) != 0 {
			t.Errorf("an agent without conversations: %+v %v", none, err)
		}
	})
}
