package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"huajie/internal/collect"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/store"
	"huajie/internal/store/storetest"
)

// TestInsightZone: a message, a case, a post and a survey at 23:30 UTC
// count on the next day in +08:00 and on their own day in UTC; a refresh
// in another zone than the roll-up's rebuilds it, once.
func TestInsightZone(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		late := time.Date(2026, 3, 2, 23, 30, 0, 0, time.UTC)
		an, _ := json.Marshal(interactions.Analysis{Emotion: "anger", Negative: 0.9})
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`INSERT INTO interactions (id, conversation_id, customer_id, channel, role, at, received_at, team, text, analysis, risk, level)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`), "m1", "v1", "c1", "phone", "customer", late.UnixMicro(), late.UnixMicro(), "t1", "ATM吞卡了", string(an), 0.5, "medium"); err != nil {
			t.Fatal(err)
		}
		s := newService(db, func() time.Time { return late })
		if _, err := s.Create(ctx, agent, intake("ATM吞卡了")); err != nil {
			t.Fatal(err)
		}
		five := 5
		if _, err := db.ImportSurveys(ctx, []collect.Survey{{ID: "s1", Kind: "csat", At: late, Score: &five}}, nil); err != nil {
			t.Fatal(err)
		}
		cst, err := insight.ParseZone("+08:00")
		if err != nil {
			t.Fatal(err)
		}
		post := collect.Post{ID: "p1", Platform: "weibo", At: late, Text: "ATM吞卡"}
		a := interactions.Analysis{Negative: 0.8}
		pd := insight.NewDeriver(nil, nil, cst)
		if _, err := db.ImportPosts(ctx, []store.PostRow{{Post: post, Analysis: a, Fact: pd.Post("social_media", "", "", "", "", post.Text, late, a)}}, nil); err != nil {
			t.Fatal(err)
		}
		own := insight.DayIn(late, time.UTC)
		for i, tc := range []struct {
			loc            *time.Location
			day            int64
			rebuilt        bool
			previous, zone string
			messages       int
		}{
			{cst, own + 1, true, "", "+08:00", 1},                 // never marked: built in +08:00
			{cst, own + 1, false, "", "+08:00", 0},                // same zone: nothing to do
			{time.UTC, own, true, "+08:00", "UTC", 1},             // zone changed: rebuilt
			{cst, own + 1, true, "UTC", "+08:00", 1},              // and back
			{nil, own + 1, false, "", insight.DefaultZoneName, 0}, // the default is +08:00
		} {
			d := insight.NewDeriver(nil, nil, tc.loc)
			st, err := db.RefreshInsight(ctx, d, late.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if st.Rebuilt != tc.rebuilt || st.PreviousZone != tc.previous || st.Zone != tc.zone || st.Messages != tc.messages {
				t.Errorf("%d: refresh %+v, want rebuilt %v from %q in %q, %d messages", i, st, tc.rebuilt, tc.previous, tc.zone, tc.messages)
			}
			if z, err := db.InsightZone(ctx); err != nil || z != tc.zone {
				t.Errorf("%d: stored zone %q %v", i, z, err)
			}
			for _, src := range []string{insight.SourceMessage, insight.SourceCase, insight.SourcePost} {
				rows, err := db.DailySeries(ctx, src, insight.DimAll, own-1, own+3)
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) != 1 || rows[0].Day != tc.day || rows[0].N != 1 {
					t.Errorf("%d: %s rows %+v, want one on day %d", i, src, rows, tc.day)
				}
			}
			var sday, pday int64
			if err := db.QueryRowContext(ctx, `SELECT day FROM surveys WHERE id = 's1'`).Scan(&sday); err != nil || sday != tc.day {
				t.Errorf("%d: survey day %d %v, want %d", i, sday, err, tc.day)
			}
			if err := db.QueryRowContext(ctx, `SELECT day FROM posts WHERE id = 'p1'`).Scan(&pday); err != nil || pday != tc.day {
				t.Errorf("%d: post day %d %v, want %d", i, pday, err, tc.day)
			}
		}
		// A post imported while the roll-up is in UTC counts in UTC, even if
		// its fact was derived in +08:00.
		if _, err := db.RefreshInsight(ctx, insight.NewDeriver(nil, nil, time.UTC), late.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		post2 := collect.Post{ID: "p2", Platform: "weibo", At: late, Text: "柜员态度差"}
		if _, err := db.ImportPosts(ctx, []store.PostRow{{Post: post2, Analysis: a, Fact: pd.Post("social_media", "", "", "", "", post2.Text, late, a)}}, nil); err != nil {
			t.Fatal(err)
		}
		rows, err := db.DailySeries(ctx, insight.SourcePost, insight.DimAll, own-1, own+3)
		if err != nil || len(rows) != 1 || rows[0].Day != own || rows[0].N != 2 {
			t.Errorf("posts after a UTC import: %+v %v", rows, err)
		}
	})
}

// TestInsightConcurrentRefresh: two servers on one PostgreSQL schema
// refreshing (and rebuilding for a new zone) at once count every message
// once.
func TestInsightConcurrentRefresh(t *testing.T) {
	dsn := storetest.PostgresSchemaDSN(t)
	ctx := context.Background()
	var dbs [2]*store.DB
	for i := range dbs {
		db, err := store.OpenAndMigrate(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		dbs[i] = db
	}
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	an, _ := json.Marshal(interactions.Analysis{Emotion: "anger", Negative: 0.9})
	const n = 3000
	for i := range n {
		if _, err := dbs[0].Writer().ExecContext(ctx, dbs[0].Rebind(`INSERT INTO interactions (id, conversation_id, customer_id, channel, role, at, received_at, team, text, analysis, risk, level)
VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`), fmt.Sprintf("m%05d", i), "v", "c", "phone", "customer", at.UnixMicro(), at.UnixMicro()+int64(i), "t", "x", string(an), 0.5, "medium"); err != nil {
			t.Fatal(err)
		}
	}
	for round, loc := range []*time.Location{time.UTC, insight.DefaultZone()} {
		var wg sync.WaitGroup
		errs := make([]error, len(dbs))
		for i, db := range dbs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = db.RefreshInsight(ctx, insight.NewDeriver(nil, nil, loc), at.Add(time.Hour))
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		day := insight.DayIn(at, loc)
		rows, err := dbs[1].DailySeries(ctx, insight.SourceMessage, insight.DimAll, day-1, day+2)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].N != n {
			t.Errorf("round %d: %+v, want %d messages once", round, rows, n)
		}
	}
}
