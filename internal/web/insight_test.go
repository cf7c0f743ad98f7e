package web_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/insight"
	"huajie/internal/measures"
	"huajie/internal/reports"
)

// TestInsightAPI goes through the analyst's routes as the analyst and the
// compliance officer, on SQLite and PostgreSQL.
func TestInsightAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.newCase(t, "这个月信用卡账单没有收到")
		e.newCase(t, "ATM吞卡了，等了一个小时没人理")
		co := e.as[auth.RoleCompliance]
		do := func(role auth.Role, method, path string, body any, want int) []byte {
			t.Helper()
			resp, err := e.as[role].Raw(ctx, method, path, body, nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != want {
				t.Fatalf("%s %s as %s: %d %s, want %d", method, path, role, resp.Status, resp.Body, want)
			}
			return resp.Body
		}
		// Dates in the analyst's zone (the default, UTC+8).
		today := time.Now().In(insight.DefaultZone()).Format(time.DateOnly)
		tomorrow := time.Now().In(insight.DefaultZone()).AddDate(0, 0, 1).Format(time.DateOnly)
		var v analyst.Volumes
		if err := json.Unmarshal(do(auth.RoleAnalyst, "GET", "/api/v1/insight/volumes?by=touchpoint&from="+today+"&to="+tomorrow, nil, 200), &v); err != nil {
			t.Fatal(err)
		}
		if len(v.Buckets) != 1 || v.Totals[0] != 2 || len(v.Series) != 2 {
			t.Fatalf("volumes %+v", v)
		}
		do(auth.RoleAnalyst, "GET", "/api/v1/insight/volumes?by=colour", nil, 400)
		do(auth.RoleAnalyst, "GET", "/api/v1/insight/volumes?bye=cause", nil, 400)
		do(auth.RoleAnalyst, "GET", "/api/v1/insight/volumes?from=yesterday", nil, 400)
		do(auth.RoleCompliance, "GET", "/api/v1/insight/spikes?by=cause", nil, 200)
		do(auth.RoleCompliance, "GET", "/api/v1/insight/clusters?threshold=0.4", nil, 200)
		do(auth.RoleCompliance, "GET", "/api/v1/insight/clusters?threshold=2", nil, 400)
		do(auth.RoleCompliance, "GET", "/api/v1/insight/servqual", nil, 200)
		do(auth.RoleAnalyst, "GET", "/api/v1/insight/touchpoints", nil, 200)

		// Measures: the analyst creates and edits; compliance reads only.
		in := analyst.MeasureInput{Title: "ATM 巡检", Owner: "运营部", Due: today, Target: measures.Target{Kind: measures.TargetTouchpoint, Value: "atm"}}
		var m measures.Measure
		if err := json.Unmarshal(do(auth.RoleAnalyst, "POST", "/api/v1/measures", in, 201), &m); err != nil {
			t.Fatal(err)
		}
		do(auth.RoleCompliance, "POST", "/api/v1/measures", in, 403)
		bad := in
		bad.Target.Value = "moon"
		if body := do(auth.RoleAnalyst, "POST", "/api/v1/measures", bad, 422); !strings.Contains(string(body), "target.value") {
			t.Errorf("bad target: %s", body)
		}
		in.Status = measures.StatusInProgress
		in.IfVersion = 1
		do(auth.RoleAnalyst, "PUT", "/api/v1/measures/"+m.ID, in, 200)
		do(auth.RoleAnalyst, "PUT", "/api/v1/measures/"+m.ID, in, 409) // version 1 is stale now
		do(auth.RoleCompliance, "GET", "/api/v1/measures/"+m.ID, nil, 200)
		do(auth.RoleCompliance, "GET", "/api/v1/measures/nope", nil, 404)
		// In effect since midnight: today's ATM case is after it.
		var ef analyst.EffectView
		if err := json.Unmarshal(do(auth.RoleCompliance, "GET", "/api/v1/measures/"+m.ID+"/effect?days=7", nil, 200), &ef); err != nil {
			t.Fatal(err)
		}
		if ef.Effect.After.Events != 1 || ef.Effect.After.Exposure != 2 || ef.Effect.Before.Events != 0 {
			t.Errorf("effect %+v", ef.Effect)
		}
		// Due tomorrow: not in effect yet, nothing to compare.
		later := in
		later.Due, later.IfVersion = tomorrow, 0
		var m2 measures.Measure
		if err := json.Unmarshal(do(auth.RoleAnalyst, "POST", "/api/v1/measures", later, 201), &m2); err != nil {
			t.Fatal(err)
		}
		do(auth.RoleAnalyst, "GET", "/api/v1/measures/"+m2.ID+"/effect", nil, 400)
		do(auth.RoleAnalyst, "GET", "/api/v1/measures/"+m2.ID+"/effect?days=999", nil, 400)

		// Reports as JSON and CSV.
		var d reports.Deadlines
		if err := json.Unmarshal(do(auth.RoleCompliance, "GET", "/api/v1/reports/deadlines?from="+today+"&to="+tomorrow, nil, 200), &d); err != nil {
			t.Fatal(err)
		}
		if d.Received != 2 {
			t.Errorf("deadlines %+v", d)
		}
		resp, err := co.Raw(ctx, "GET", "/api/v1/reports/regulatory?format=csv&from="+today+"&to="+tomorrow, nil, nil)
		if err != nil || resp.Status != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || !strings.Contains(string(resp.Body), "cause,C01,") {
			t.Fatalf("csv %v %d %s", err, resp.Status, resp.Body)
		}
		do(auth.RoleCompliance, "GET", "/api/v1/reports/regulatory?from="+tomorrow+"&to="+today, nil, 400)
		do(auth.RoleCompliance, "GET", "/api/v1/reports/regulatory", nil, 400)
		do(auth.RoleAgent, "GET", "/api/v1/reports/regulatory?from="+today+"&to="+tomorrow, nil, 403)
		do(auth.RoleAnalyst, "DELETE", "/api/v1/measures/"+m.ID, nil, 204)
	})
}
