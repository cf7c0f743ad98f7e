package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// TestCaseLifecycle takes the seed 004 credit-card bill case from intake to
// closed through the API, as the agent, handler and supervisor who would.
func TestCaseLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		agent, handler, sup := e.as[auth.RoleAgent], e.as[auth.RoleHandler], e.as[auth.RoleSupervisor]

		c, err := agent.CreateCase(ctx, cases.NewCase{
			Channel:  cases.ChannelPhone,
			Customer: cases.Customer{ID: "C100", Name: "张伟", Phone: "13812345678", IDCard: "110101199003071233"},
			Text:     "我的信用卡账单这个月一直没有收到，差点逾期，你们到底怎么回事？",
		})
		if err != nil {
			t.Fatal(err)
		}
		if c.ID == "" || c.State != cases.StateReceived || c.Deadline.NextDue.IsZero() {
			t.Fatalf("created case: id %q state %s next due %v", c.ID, c.State, c.Deadline.NextDue)
		}
		id := c.ID

		if _, err := agent.AddContact(ctx, id, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound, Content: "客户来电，情绪焦虑"}); err != nil {
			t.Fatal(err)
		}
		if _, err := sup.Assign(ctx, id, "test-handler"); err != nil {
			t.Fatal(err)
		}
		step := func(to cases.State) {
			t.Helper()
			got, err := handler.Transition(ctx, id, cases.TransitionInput{To: to})
			if err != nil {
				t.Fatalf("transition to %s: %v", to, err)
			}
			if got.State != to {
				t.Fatalf("state after transition = %s, want %s", got.State, to)
			}
		}
		step(cases.StateAssessing)
		step(cases.StateInvestigating)
		yes := true
		if _, err := handler.AddFinding(ctx, id, cases.FindingInput{Department: "信用卡中心", Text: "系统故障导致账单未能及时发送", Substantiated: &yes}); err != nil {
			t.Fatal(err)
		}
		log := []byte("2026-10-05 02:00 bill-send FAILED: smtp relay timeout\n")
		ev, err := handler.UploadEvidence(ctx, id, "发送日志.txt", log, "账单发送日志", "科技部")
		if err != nil {
			t.Fatal(err)
		}
		got, ct, err := handler.DownloadEvidence(ctx, id, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(log) || !strings.HasPrefix(ct, "text/plain") {
			t.Fatalf("evidence round trip: %q (%s)", got, ct)
		}
		if _, err := handler.ProposeSolution(ctx, id, cases.SolutionInput{
			Summary:  "24小时内补发账单，并提供一个月免息期",
			Remedies: []cases.Remedy{{Kind: cases.RemedyExplanation}, {Kind: cases.RemedyInterestFree, Days: 30}},
		}); err != nil {
			t.Fatal(err)
		}
		step(cases.StateAwaitingCustomer)
		c, err = handler.RecordResponse(ctx, id, cases.ResponseInput{Accepted: true})
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.StateFollowUp {
			t.Fatalf("after acceptance state = %s, want follow_up", c.State)
		}
		if _, err := handler.RecordFollowUp(ctx, id, cases.FollowUpInput{Satisfaction: 5, Comment: "客户满意"}); err != nil {
			t.Fatal(err)
		}
		step(cases.StateClosed)

		// Reading back: everything recorded is on the case.
		c, err = e.as[auth.RoleCompliance].GetCase(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Contacts) != 1 || len(c.Findings) != 1 || len(c.Evidence) != 1 || len(c.Solutions) != 1 ||
			len(c.Responses) != 1 || len(c.FollowUps) != 1 || c.Assignee != "test-handler" || c.ClosedAt.IsZero() {
			t.Fatalf("closed case incomplete: %+v", c)
		}

		// The audit trail names who did what, and the chain verifies.
		trail, err := sup.AuditTrail(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(trail) < 10 {
			t.Fatalf("audit trail has %d entries, want one per change (≥10)", len(trail))
		}
		actors := map[string]bool{}
		for _, en := range trail {
			actors[en.Actor] = true
		}
		for _, who := range []string{"test-agent", "test-handler", "test-supervisor"} {
			if !actors[who] {
				t.Errorf("audit trail lacks actor %s: %v", who, actors)
			}
		}
		rep, err := e.as[auth.RoleCompliance].VerifyAudit(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("audit verify: %+v %v", rep, err)
		}

		// Lists: by state, and Chinese full text.
		for _, tc := range []struct {
			q    url.Values
			want bool
		}{
			{url.Values{"state": {"closed"}}, true},
			{url.Values{"state": {"received,assessing"}}, false},
			{url.Values{"q": {"账单"}}, true},
			{url.Values{"q": {"骚扰电话"}}, false},
			{url.Values{"channel": {"phone"}, "assignee": {"test-handler"}}, true},
			{url.Values{"channel": {"branch"}}, false},
		} {
			page, err := e.as[auth.RoleAnalyst].ListCases(ctx, tc.q)
			if err != nil {
				t.Fatalf("list %v: %v", tc.q, err)
			}
			found := slices.ContainsFunc(page.Items, func(s cases.Summary) bool { return s.ID == id })
			if found != tc.want {
				t.Errorf("list %v: found = %v, want %v", tc.q, found, tc.want)
			}
		}

		// Metrics count the route by its pattern, not the raw path.
		resp, err := http.Get(e.base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range []string{
			`huajie_http_requests_total{code="200",method="POST",route="/api/v1/cases/{id}/transitions"} 4`,
			`huajie_cases_created_total{channel="phone"} 1`,
			`huajie_case_transitions_total{to="closed"} 1`,
		} {
			if !strings.Contains(string(body), want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(string(body), id) {
			t.Error("metrics contain a case ID: labels must be route patterns")
		}
	})
}
