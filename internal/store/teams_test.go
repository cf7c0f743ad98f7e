package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/insight"
	"huajie/internal/store"
)

// TestTeams: users have a team; a case records the branch it was received
// at and its assignee's team (again on reassignment); the case list
// filters by team; the insight case facts count by team and by branch.
func TestTeams(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		as := auth.New(auth.Opts{Store: db})
		for _, u := range []auth.NewUser{
			{Name: "wang", Role: auth.RoleHandler, Team: "投诉处理一组"},
			{Name: "li", Role: auth.RoleHandler, Team: "投诉处理二组"},
			{Name: "zhao", Role: auth.RoleHandler},
		} {
			if _, err := as.AddUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		// A bad team is refused and nothing is stored.
		for _, team := range []string{strings.Repeat("组", 43), "a\nb", " 一组"} {
			if _, err := as.AddUser(ctx, auth.NewUser{Name: "bad", Role: auth.RoleAgent, Team: team}); !errors.Is(err, auth.ErrInvalidTeam) {
				t.Errorf("team %q: %v", team, err)
			}
		}
		if _, err := db.UserByName(ctx, "bad"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("a user with a bad team was stored: %v", err)
		}
		if err := as.SetTeam(ctx, "zhao", "消保专班"); err != nil {
			t.Fatal(err)
		}
		if err := as.SetTeam(ctx, "nobody", "x"); !errors.Is(err, auth.ErrNotFound) {
			t.Errorf("team of an unknown user: %v", err)
		}
		tok, _, err := as.CreateToken(ctx, "zhao", auth.RoleHandler)
		if err != nil {
			t.Fatal(err)
		}
		if id, err := as.AuthenticateToken(ctx, tok); err != nil || id.Team != "消保专班" {
			t.Errorf("identity %+v %v", id, err)
		}

		clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		cs := cases.New(cases.Opts{Repo: db.Cases(), Now: clk.Now, TeamOf: as.TeamOf})
		in := intake("ATM吞卡了")
		in.Branch, in.Assignee = "南山支行", "wang"
		c1, err := cs.Create(ctx, agent, in)
		if err != nil {
			t.Fatal(err)
		}
		in = intake("柜员态度很差")
		in.Branch = "福田支行"
		c2, err := cs.Create(ctx, agent, in)
		if err != nil {
			t.Fatal(err)
		}
		if c1.Branch != "南山支行" || c1.Team != "投诉处理一组" || c2.Team != "" {
			t.Fatalf("created: %q %q, %q", c1.Branch, c1.Team, c2.Team)
		}
		for _, step := range []struct {
			id, assignee, team string
		}{
			{c2.ID, "li", "投诉处理二组"},
			{c1.ID, "zhao", "消保专班"},
			{c1.ID, "外包坐席", ""}, // not a user of Huajie: no team
			{c1.ID, "wang", "投诉处理一组"},
		} {
			clk.Add(time.Minute)
			c, err := cs.Assign(ctx, handler, step.id, step.assignee)
			if err != nil {
				t.Fatal(err)
			}
			got, err := cs.Get(ctx, step.id)
			if err != nil || c.Team != step.team || got.Team != step.team || got.Branch == "" {
				t.Errorf("assign %s to %s: team %q, stored %q %v", step.id, step.assignee, c.Team, got.Team, err)
			}
		}
		for team, want := range map[string]string{"投诉处理一组": c1.ID, "投诉处理二组": c2.ID} {
			pg, err := cs.List(ctx, cases.ListFilter{Team: team})
			if err != nil || len(pg.Items) != 1 || pg.Items[0].ID != want || pg.Items[0].Team != team {
				t.Errorf("list team %s: %+v %v", team, pg.Items, err)
			}
		}
		if pg, _ := cs.List(ctx, cases.ListFilter{Team: "消保专班"}); len(pg.Items) != 0 {
			t.Errorf("a reassigned case is still listed for its old team: %+v", pg.Items)
		}
		d := insight.NewDeriver(nil, nil, time.UTC)
		if _, err := db.RefreshInsight(ctx, d, clk.Now()); err != nil {
			t.Fatal(err)
		}
		day := d.Day(clk.Now())
		for _, tc := range []struct {
			dim  string
			want map[string]int64
		}{
			{insight.DimTeam, map[string]int64{"投诉处理一组": 1, "投诉处理二组": 1}},
			{insight.DimBranch, map[string]int64{"南山支行": 1, "福田支行": 1}},
		} {
			rows, err := db.DailySeries(ctx, insight.SourceCase, tc.dim, day, day+1)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int64{}
			for _, r := range rows {
				got[r.Value] += r.N
			}
			if len(got) != len(tc.want) || got[""] != 0 {
				t.Errorf("cases by %s: %v, want %v", tc.dim, got, tc.want)
			}
			for k, n := range tc.want {
				if got[k] != n {
					t.Errorf("cases by %s: %v, want %v", tc.dim, got, tc.want)
				}
			}
		}
	})
}
