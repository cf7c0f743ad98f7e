package ui_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/demo"
)

// TestDeskTeamQueue: the team queue shows the open cases of the signed-in
// user's team and says which team; a user in no team sees every open case
// and is told why.
func TestDeskTeamQueue(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	cs := cases.New(cases.Opts{Repo: e.db.Cases(), TeamOf: e.auth.TeamOf})
	pg, err := cs.List(ctx, cases.ListFilter{States: []cases.State{cases.StateInvestigating, cases.StateAssessing}, Limit: 10})
	if err != nil || len(pg.Items) < 2 {
		t.Fatalf("open cases %v %d", err, len(pg.Items))
	}
	ours, theirs := pg.Items[0].ID, pg.Items[1].ID
	if _, err := cs.Assign(ctx, cases.Actor{Name: "s", Role: "supervisor"}, ours, "demo-handler"); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Assign(ctx, cases.Actor{Name: "s", Role: "supervisor"}, theirs, "demo-handler-2"); err != nil {
		t.Fatal(err)
	}
	team := demo.Teams[auth.RoleSupervisor]
	for _, tc := range []struct {
		role       auth.Role
		shows      []string
		hides      []string
		desc, lang string
	}{
		{auth.RoleSupervisor, []string{ours}, []string{theirs}, "团队「" + team + "」", ""},
		{auth.RoleSupervisor, []string{ours}, []string{theirs}, "Open cases of team " + team, "en"},
		{auth.RoleAdmin, []string{ours, theirs}, nil, "您未加入任何团队", ""},
		{auth.RoleAdmin, []string{ours, theirs}, nil, "You are in no team, so all open cases are shown", "en"},
	} {
		b := e.browser(t)
		b.lang = tc.lang
		b.signIn(tc.role)
		st, body := b.get("/ui/desk?queue=team")
		if st != http.StatusOK || !strings.Contains(body, `id="team-desc"`) || !strings.Contains(body, tc.desc) {
			t.Errorf("%s %s: %d, description %q missing", tc.role, tc.lang, st, tc.desc)
		}
		for _, id := range tc.shows {
			if !strings.Contains(body, `data-case="`+id+`"`) {
				t.Errorf("%s: case %s not in the team queue", tc.role, id)
			}
		}
		for _, id := range tc.hides {
			if strings.Contains(body, `data-case="`+id+`"`) {
				t.Errorf("%s: another team's case %s in the team queue", tc.role, id)
			}
		}
		// Other queues keep their own description.
		if _, body := b.get("/ui/desk?queue=mine"); strings.Contains(body, `id="team-desc"`) {
			t.Errorf("%s: the team description on the mine queue", tc.role)
		}
	}
}
