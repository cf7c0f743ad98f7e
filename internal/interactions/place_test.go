package interactions_test

import (
	"context"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/store"
)

// TestBranchProduct: a message's branch and product are stored with it,
// kept on its conversation (the latest given; an empty one leaves it), and
// counted by the insight roll-up by branch and by product.
func TestBranchProduct(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		s := newStack(t, db, alerts.Policy{})
		ctx := context.Background()
		base := time.Now().UTC().Add(-time.Hour)
		msg := func(id, conv, branch, product string, k int) interactions.Message {
			return interactions.Message{ID: id, ConversationID: conv, CustomerID: "u" + conv, Channel: "branch", Role: "customer",
				Time: base.Add(time.Duration(k) * time.Second), Text: "排队等了两个小时，窗口只开了一个", Branch: branch, Product: product}
		}
		res, err := s.svc.Ingest(ctx, inputs(
			msg("b1", "c1", "南山支行", "储蓄存款", 0),
			msg("b2", "c1", "福田支行", "", 1), // moved branch, product unsaid
			msg("b3", "c1", "", "", 2),
			msg("b4", "c2", "南山支行", "信用卡", 3),
		))
		if err != nil || res.Accepted != 4 {
			t.Fatalf("ingest %+v %v", res, err)
		}
		for _, tc := range []struct {
			conv, branch, product string
			items                 [][2]string
		}{
			{"c1", "福田支行", "储蓄存款", [][2]string{{"南山支行", "储蓄存款"}, {"福田支行", ""}, {"", ""}}},
			{"c2", "南山支行", "信用卡", [][2]string{{"南山支行", "信用卡"}}},
		} {
			v, err := s.svc.Conversation(ctx, tc.conv)
			if err != nil {
				t.Fatal(err)
			}
			if v.Branch != tc.branch || v.Product != tc.product || len(v.Items) != len(tc.items) {
				t.Errorf("%s: branch %q product %q, %d items", tc.conv, v.Branch, v.Product, len(v.Items))
				continue
			}
			for i, m := range v.Items {
				if m.Branch != tc.items[i][0] || m.Product != tc.items[i][1] {
					t.Errorf("%s item %d: %q %q, want %v", tc.conv, i, m.Branch, m.Product, tc.items[i])
				}
			}
		}
		d := insight.NewDeriver(nil, nil, time.UTC)
		if _, err := db.RefreshInsight(ctx, d, time.Now().Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		day := d.Day(base)
		for _, tc := range []struct {
			dim  string
			want map[string]int64
		}{
			{insight.DimBranch, map[string]int64{"南山支行": 2, "福田支行": 1, "": 1}},
			{insight.DimProduct, map[string]int64{"储蓄存款": 1, "信用卡": 1, "": 2}},
		} {
			rows, err := db.DailySeries(ctx, insight.SourceMessage, tc.dim, day, day+2) // the 4 s may cross midnight
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, r := range rows {
				got[r.Value] += r.N
			}
			if len(got) != len(tc.want) {
				t.Errorf("by %s: %v, want %v", tc.dim, got, tc.want)
			}
			for k, n := range tc.want {
				if got[k] != n {
					t.Errorf("by %s: %v, want %v", tc.dim, got, tc.want)
					break
				}
			}
		}
	})
}
