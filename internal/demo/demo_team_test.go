package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/demo"
	"huajie/internal/insight"
	"huajie/internal/store"
)

// TestSeedTeams: the demo's users sign in with their teams, its cases are
// received at branches and, once assigned, belong to one of two teams, and
// the insight case facts count them by team and branch.
func TestSeedTeams(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as := auth.New(auth.Opts{Store: db})
	now := time.Now()
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: now, NewCases: func(clock func() time.Time) *cases.Service {
		return cases.New(cases.Opts{Repo: db.Cases(), Now: clock, TeamOf: as.TeamOf})
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range res.Users {
		_, id, err := as.Login(ctx, u.Name, u.Password)
		if err != nil || id.Team != demo.Teams[u.Role] || u.Team != id.Team {
			t.Errorf("%s: team %q %v, want %q", u.Name, id.Team, err, demo.Teams[u.Role])
		}
	}
	cs := cases.New(cases.Opts{Repo: db.Cases()})
	pg, err := cs.List(ctx, cases.ListFilter{Limit: cases.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	teams := map[string]int{}
	for _, c := range pg.Items {
		if c.Branch == "" {
			t.Errorf("case %s has no branch", c.ID)
		}
		if (c.Assignee == "") != (c.Team == "") {
			t.Errorf("case %s: assignee %q team %q", c.ID, c.Assignee, c.Team)
		}
		teams[c.Team]++
	}
	if teams[demo.Teams[auth.RoleHandler]] == 0 || teams[demo.Team2] == 0 {
		t.Errorf("cases by team %v", teams)
	}
	an := insight.NewDeriver(nil, nil, nil)
	if _, err := db.RefreshInsight(ctx, an, now); err != nil {
		t.Fatal(err)
	}
	for _, dim := range []string{insight.DimTeam, insight.DimBranch} {
		rows, err := db.DailySeries(ctx, insight.SourceCase, dim, an.Day(now)-120, an.Day(now)+1)
		if err != nil {
			t.Fatal(err)
		}
		vals := map[string]bool{}
		for _, r := range rows {
			vals[r.Value] = true
		}
		if len(vals) < 3 {
			t.Errorf("cases by %s: %v", dim, vals)
		}
	}
}
