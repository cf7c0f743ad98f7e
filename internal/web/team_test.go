package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/interactions"
	"huajie/internal/web/client"
)

// TestTeamAndBranch: /api/v1/auth/me shows the user's team (nothing for a
// user without one); a case created through the API keeps its branch.
func TestTeamAndBranch(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		if _, err := e.auth.AddUser(ctx, auth.NewUser{Name: "王芳", Role: auth.RoleHandler, Team: "投诉处理一组"}); err != nil {
			t.Fatal(err)
		}
		tok, _, err := e.auth.CreateToken(ctx, "王芳", auth.RoleHandler)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			cl   *client.Client
			team string
		}{
			{client.New(e.base, tok), "投诉处理一组"},
			{e.as[auth.RoleHandler], ""},
		} {
			resp, err := tc.cl.Raw(ctx, "GET", "/api/v1/auth/me", nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			var me map[string]any
			if resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &me) != nil {
				t.Fatalf("me: %d %s", resp.Status, resp.Body)
			}
			if team, has := me["team"]; tc.team == "" && has || tc.team != "" && team != tc.team {
				t.Errorf("me %s", resp.Body)
			}
		}
		in := casesInput()
		in.Branch = "南山支行"
		c, err := client.New(e.base, tok).CreateCase(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		var got cases.Case
		resp, err := e.as[auth.RoleSupervisor].Raw(ctx, "GET", "/api/v1/cases/"+c.ID, nil, nil)
		if err != nil || json.Unmarshal(resp.Body, &got) != nil || got.Branch != "南山支行" || c.Branch != "南山支行" {
			t.Errorf("case branch: %q, read back %d %s", c.Branch, resp.Status, resp.Body)
		}
		// The list filters by team: the case joins 王芳's team when she is
		// assigned it.
		list := func() []string {
			t.Helper()
			resp, err := e.as[auth.RoleSupervisor].Raw(ctx, "GET", "/api/v1/cases?team="+url.QueryEscape("投诉处理一组"), nil, nil)
			var pg cases.ListPage
			if err != nil || resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &pg) != nil {
				t.Fatalf("list by team: %v %d %s", err, resp.Status, resp.Body)
			}
			var ids []string
			for _, it := range pg.Items {
				ids = append(ids, it.ID)
			}
			return ids
		}
		if ids := list(); len(ids) != 0 {
			t.Errorf("before assignment: %v", ids)
		}
		tc := cases.New(cases.Opts{Repo: e.db.Cases(), TeamOf: e.auth.TeamOf})
		if _, err := tc.Assign(ctx, cases.Actor{Name: "s", Role: "supervisor"}, c.ID, "王芳"); err != nil {
			t.Fatal(err)
		}
		if ids := list(); len(ids) != 1 || ids[0] != c.ID {
			t.Errorf("after assignment: %v", ids)
		}
		// ... and by branch: only the case received at 南山支行.
		for branch, want := range map[string]int{"南山支行": 1, "福田支行": 0} {
			resp, err := e.as[auth.RoleSupervisor].Raw(ctx, "GET", "/api/v1/cases?branch="+url.QueryEscape(branch), nil, nil)
			var pg cases.ListPage
			if err != nil || resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &pg) != nil {
				t.Fatalf("list by branch: %v %d %s", err, resp.Status, resp.Body)
			}
			if len(pg.Items) != want || want == 1 && pg.Items[0].ID != c.ID {
				t.Errorf("branch %s: %d cases, want %d", branch, len(pg.Items), want)
			}
		}
	})
}

// TestAlertCaseBranch: a case opened from an alert is received at the
// conversation's branch and concerns its product, unless the request says
// otherwise.
func TestAlertCaseBranch(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ag := e.as[auth.RoleAgent]
		now := time.Now().UTC().Add(-10 * time.Minute)
		for _, tc := range []struct {
			conv            string
			body            map[string]string
			branch, product string
		}{
			{"conv-p1", nil, "南山支行", "信用卡"},
			{"conv-p2", map[string]string{"branch": "福田支行", "product_ref": "借记卡"}, "福田支行", "借记卡"},
		} {
			m := msg(tc.conv+"-1", tc.conv, "customer", angry, now)
			m.Branch, m.Product = "南山支行", "信用卡"
			res, err := ag.Ingest(ctx, []interactions.Message{m})
			if err != nil || res.Items[0].AlertID == "" {
				t.Fatalf("ingest %+v %v", res, err)
			}
			ac, err := ag.CaseFromAlert(ctx, res.Items[0].AlertID, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			var c cases.Case
			if err := json.Unmarshal(ac.Case, &c); err != nil {
				t.Fatal(err)
			}
			if c.Branch != tc.branch || c.ProductRef != tc.product {
				t.Errorf("%s: case at %q about %q, want %q %q", tc.conv, c.Branch, c.ProductRef, tc.branch, tc.product)
			}
		}
	})
}
