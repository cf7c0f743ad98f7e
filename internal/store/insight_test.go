package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/collect"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/measures"
	"huajie/internal/servqual"
	"huajie/internal/store"
)

func TestInsightFacts(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		d := insight.NewDeriver(nil, nil, time.UTC)
		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := newService(db, clk.Now)
		texts := []string{"这个月信用卡账单没有收到", "ATM吞卡了，等了一个小时没人理", "手机银行登录不了"}
		var ids []string
		for _, tx := range texts {
			c, err := s.Create(ctx, agent, intake(tx))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
			clk.Add(24 * time.Hour)
		}
		// Messages: two customer messages and one agent message.
		recv := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
		msgs := []*interactions.Stored{
			{Message: interactions.Message{ID: "m1", ConversationID: "v1", CustomerID: "c1", Channel: "phone", Role: "customer", Time: recv, Text: "ATM吞卡了", Team: "t1"},
				ReceivedAt: recv, Risk: 0.7, Level: "high", Analysis: interactions.Analysis{Emotion: "anger", Negative: 0.9, Problems: []interactions.Problem{{Axis: "cause", Code: "C02", Score: 0.8}}}},
			{Message: interactions.Message{ID: "m2", ConversationID: "v1", CustomerID: "c1", Channel: "phone", Role: "agent", Time: recv, Text: "您好"}, ReceivedAt: recv},
			{Message: interactions.Message{ID: "m3", ConversationID: "v2", CustomerID: "c2", Channel: "app", Role: "customer", Time: recv.Add(time.Hour), Text: "怎么转账"},
				ReceivedAt: recv.Add(time.Hour), Risk: 0.1, Level: "low", Analysis: interactions.Analysis{Emotion: "neutral", Negative: 0.1}},
		}
		// Plain rows, as the ingest service stores them (its own
		// transaction machinery is tested with it).
		for _, m := range msgs {
			an, _ := json.Marshal(m.Analysis)
			if _, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO interactions (id, conversation_id, customer_id, channel, role, at, received_at, team, text, analysis, risk, level)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`), m.ID, m.ConversationID, m.CustomerID, m.Channel, m.Role, m.Time.UnixMicro(), m.ReceivedAt.UnixMicro(), m.Team, m.Text, string(an), m.Risk, m.Level); err != nil {
				t.Fatal(err)
			}
		}
		st, err := db.RefreshInsight(ctx, d, recv.Add(2*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if st.Messages != 3 || st.Cases != 3 {
			t.Fatalf("refresh %+v", st)
		}
		// Idempotent: nothing new.
		if st, err := db.RefreshInsight(ctx, d, recv.Add(3*time.Hour)); err != nil || st.Messages != 0 || st.Cases != 0 {
			t.Fatalf("second refresh %+v %v", st, err)
		}
		day := insight.DayIn(recv, time.UTC)
		rows, err := db.DailySeries(ctx, insight.SourceMessage, insight.DimCause, day, day+1)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]store.DailyRow{}
		for _, r := range rows {
			got[r.Value] = r
		}
		if len(rows) != 2 || got["C02"].N != 1 || got["C02"].Negative != 1 || got["C02"].High != 1 || got[""].N != 1 {
			t.Errorf("message series %+v", rows)
		}
		if rows, _ := db.DailySeries(ctx, insight.SourceMessage, insight.DimTouchpoint, day, day+1); len(rows) != 2 {
			t.Errorf("touchpoints %+v", rows)
		}
		// Cases: one per day, touchpoints inferred.
		from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		to := from.AddDate(0, 1, 0)
		facts, err := db.CaseFacts(ctx, from, to)
		if err != nil || len(facts) != 3 {
			t.Fatalf("facts %v %d", err, len(facts))
		}
		crow, err := db.DailySeries(ctx, insight.SourceCase, insight.DimTouchpoint, insight.DayIn(from, time.UTC), insight.DayIn(to, time.UTC))
		if err != nil || len(crow) != 3 {
			t.Fatalf("case series %v %+v", err, crow)
		}
		k, n, err := db.TargetCounts(ctx, measures.Target{Kind: measures.TargetTouchpoint, Value: "atm"}, from, to)
		if err != nil || k != 1 || n != 3 {
			t.Errorf("target counts %d/%d %v", k, n, err)
		}
		k, _, _ = db.TargetCounts(ctx, measures.Target{Kind: measures.TargetCluster, Value: "账单"}, from, to)
		if k != 1 {
			t.Errorf("cluster target %d", k)
		}
		if _, err := db.DailySeries(ctx, "tweets", insight.DimAll, 0, 1); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("bad source %v", err)
		}
		if _, err := db.DailySeries(ctx, insight.SourceCase, "colour; DROP TABLE cases", 0, 1); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("bad dim %v", err)
		}
		docs, err := db.ClusterDocs(ctx, from, to, 10)
		if err != nil || len(docs) != 3 {
			t.Errorf("docs %v %d", err, len(docs))
		}
		// A case changed later is refreshed in place.
		clk.Add(time.Hour)
		if _, err := s.Transition(ctx, handler, ids[0], cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			t.Fatal(err)
		}
		if st, err := db.RefreshInsight(ctx, d, clk.Now()); err != nil || st.Cases != 1 {
			t.Fatalf("refresh after change %+v %v", st, err)
		}
		if facts, _ := db.CaseFacts(ctx, from, to); len(facts) != 3 {
			t.Errorf("facts after change: %d", len(facts))
		}
	})
}

func TestSurveysPostsMeasures(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
		nine, three, five := 9, 3, 5
		ss := []collect.Survey{
			{ID: "s1", Kind: "nps", At: at, Place: collect.Place{Touchpoint: "counter"}, Score: &nine},
			{ID: "s2", Kind: "nps", At: at, Place: collect.Place{Touchpoint: "counter"}, Score: &three},
			{ID: "s3", Kind: "csat", At: at, Score: &five},
			{ID: "s4", Kind: "servqual", At: at, Place: collect.Place{Touchpoint: "atm"}, Items: []servqual.Item{{Dimension: servqual.Tangibles, Expectation: 7, Perception: 4}}},
		}
		n, err := db.ImportSurveys(ctx, ss, nil)
		if err != nil || n != 4 {
			t.Fatalf("import %d %v", n, err)
		}
		if n, err := db.ImportSurveys(ctx, ss, nil); err != nil || n != 0 {
			t.Fatalf("re-import %d %v", n, err)
		}
		from, to := at.AddDate(0, 0, -1), at.AddDate(0, 0, 1)
		g, invalid, err := db.ServqualGaps(ctx, from, to)
		if err != nil || invalid != 0 || g.Overall.Dimensions[4].Gap != -3 || len(g.Touchpoints) != 1 || g.Touchpoints[0].Touchpoint != "atm" {
			t.Errorf("gaps %+v %v", g, err)
		}
		scores, err := db.SurveyScores(ctx, insight.DimTouchpoint, from, to)
		if err != nil || len(scores) != 2 || scores[0].Kind != "csat" || scores[0].Score != 100 || scores[1].Kind != "nps" || scores[1].Value != "counter" || scores[1].Score != 0 {
			t.Errorf("scores %+v %v", scores, err)
		}
		d := insight.NewDeriver(nil, nil, time.UTC)
		post := collect.Post{ID: "p1", Platform: "weibo", At: at, Text: "ATM吞卡", Place: collect.Place{Branch: "南山"}}
		a := interactions.Analysis{Negative: 0.8}
		rows := []store.PostRow{{Post: post, Analysis: a, Fact: d.Post("social_media", "", "南山", "", "", post.Text, at, a)}}
		for i, want := range []int{1, 0} {
			if n, err := db.ImportPosts(ctx, rows, nil); err != nil || n != want {
				t.Fatalf("posts import %d: %d %v", i, n, err)
			}
		}
		pr, err := db.DailySeries(ctx, insight.SourcePost, insight.DimBranch, insight.DayIn(at, time.UTC), insight.DayIn(at, time.UTC)+1)
		if err != nil || len(pr) != 1 || pr[0].Value != "南山" || pr[0].N != 1 || pr[0].Negative != 1 {
			t.Errorf("post series %+v %v", pr, err)
		}

		m := &measures.Measure{ID: "m1", Title: "ATM 巡检", Owner: "运营部", Due: at.AddDate(0, 1, 0), Status: measures.StatusPlanned,
			Target: measures.Target{Kind: measures.TargetTouchpoint, Value: "atm"}, CreatedAt: at, UpdatedAt: at}
		if err := db.CreateMeasure(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetMeasure(ctx, "m1")
		if err != nil || got.Title != m.Title || !got.Due.Equal(m.Due) || got.Version != 1 {
			t.Fatalf("get %+v %v", got, err)
		}
		got.Status = measures.StatusInProgress
		if err := db.UpdateMeasure(ctx, got); err != nil || got.Version != 2 {
			t.Fatalf("update %v %d", err, got.Version)
		}
		stale := *got
		stale.Version = 1
		if err := db.UpdateMeasure(ctx, &stale); !errors.Is(err, measures.ErrConflict) {
			t.Errorf("stale update: %v", err)
		}
		if list, err := db.ListMeasures(ctx, "in_progress"); err != nil || len(list) != 1 {
			t.Errorf("list %v %d", err, len(list))
		}
		if err := db.DeleteMeasure(ctx, "m1"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GetMeasure(ctx, "m1"); !errors.Is(err, measures.ErrNotFound) {
			t.Errorf("after delete %v", err)
		}
	})
}

func TestGenerate(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		end := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		if err := db.Generate(ctx, store.GenerateOpts{Interactions: 2001, Cases: 300, Days: 60, End: end, Seed: 3}); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM interactions`).Scan(&n); err != nil || n != 2001 {
			t.Fatalf("interactions %d %v", n, err)
		}
		// The watermarks are past the generated rows: nothing to refresh.
		if st, err := db.RefreshInsight(ctx, insight.NewDeriver(nil, nil, nil), end.Add(time.Hour)); err != nil || st.Messages != 0 || st.Cases != 0 {
			t.Fatalf("refresh %+v %v", st, err)
		}
		from := end.AddDate(0, 0, -61)
		groups, err := db.ReportGroups(ctx, from, end)
		if err != nil {
			t.Fatal(err)
		}
		total := 0
		for _, g := range groups {
			total += g.Weight
		}
		if total != 300 || len(groups) >= 300 {
			t.Errorf("%d cases in %d groups", total, len(groups))
		}
		paid, red, err := db.Redress(ctx, from, end)
		if err != nil || paid == 0 || red["CNY"] <= 0 {
			t.Errorf("redress %d %v %v", paid, red, err)
		}
		rows, err := db.DailySeries(ctx, insight.SourceMessage, insight.DimAll, insight.DayIn(from, insight.DefaultZone()), insight.DayIn(end, insight.DefaultZone()))
		if err != nil {
			t.Fatal(err)
		}
		var msgs int64
		for _, r := range rows {
			msgs += r.N
		}
		if msgs < 900 || msgs > 1100 { // the customer half of 2001
			t.Errorf("customer messages in the roll-up: %d", msgs)
		}
		// Branches and products are spread: every message has a branch, few
		// lack a product (a data leak is about none), a few branches take
		// most of them.
		for _, dim := range []string{insight.DimBranch, insight.DimProduct} {
			rows, err := db.DailySeries(ctx, insight.SourceMessage, dim, insight.DayIn(from, insight.DefaultZone()), insight.DayIn(end, insight.DefaultZone()))
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]int64{}
			var sum int64
			for _, r := range rows {
				by[r.Value] += r.N
				sum += r.N
			}
			if sum != msgs || by[""]*20 > msgs || (dim == insight.DimBranch && by[""] != 0) || len(by) < 5 {
				t.Errorf("by %s: %v (%d of %d messages)", dim, by, sum, msgs)
			}
			if dim == insight.DimBranch && by["深圳分行营业部"] < 2*by["蛇口支行"] {
				t.Errorf("branches not skewed: %v", by)
			}
		}
		// Cases are spread over teams and branches.
		for _, dim := range []string{insight.DimTeam, insight.DimBranch} {
			rows, err := db.DailySeries(ctx, insight.SourceCase, dim, insight.DayIn(from, insight.DefaultZone()), insight.DayIn(end, insight.DefaultZone())+1)
			if err != nil {
				t.Fatal(err)
			}
			by := map[string]int64{}
			var sum int64
			for _, r := range rows {
				by[r.Value] += r.N
				sum += r.N
			}
			if sum != 300 || by[""] != 0 || len(by) < 3 {
				t.Errorf("cases by %s: %v", dim, by)
			}
		}
		// Each message is counted on its own day: the daily totals match the
		// stored messages' days.
		var first, last int64
		for _, r := range rows {
			if first == 0 || r.Day < first {
				first = r.Day
			}
			last = max(last, r.Day)
		}
		if last-first < 55 {
			t.Errorf("messages on days %d–%d of a 60-day span", first, last)
		}
		// A case made afterwards is still picked up by the refresh.
		s := newService(db, func() time.Time { return end.Add(time.Minute) })
		if _, err := s.Create(ctx, agent, intake("ATM吞卡")); err != nil {
			t.Fatal(err)
		}
		if st, err := db.RefreshInsight(ctx, insight.NewDeriver(nil, nil, nil), end.Add(time.Hour)); err != nil || st.Cases != 1 {
			t.Errorf("refresh after a new case %+v %v", st, err)
		}
	})
}
