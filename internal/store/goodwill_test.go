package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"huajie/internal/audit"
	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/goodwill"
	"huajie/internal/store"
)

func goodwillService(t *testing.T, db *store.DB, now func() time.Time) *cases.Service {
	t.Helper()
	a, err := goodwill.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cases.New(cases.Opts{Repo: db.Cases(), Now: now, Goodwill: casegoodwill.Func(a)})
}

func actions(trail []audit.Entry, action string) []audit.Entry {
	var out []audit.Entry
	for _, e := range trail {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// TestGoodwillAudit: the judgement on intake, its change when the customer
// writes again, and the supervisor's decision are audit entries (before →
// after) in the verified chain; the customer's history comes from the
// store, compensation included; the queue filters find the cases.
func TestGoodwillAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := &clock{t: time.Now().Add(-30 * 24 * time.Hour).UTC().Truncate(time.Second)}
		s := goodwillService(t, db, clk.Now)
		sup := cases.Actor{Name: "zhao.supervisor", Role: "supervisor"}

		// An earlier case of the same customer, resolved with 200 yuan.
		first, err := s.Create(ctx, agent, intake("信用卡年费被多扣了200元，希望退还。"))
		if err != nil {
			t.Fatal(err)
		}
		if first.Goodwill == nil || first.Goodwill.Result != cases.GoodwillGood || first.Goodwill.NeedsSupervisorReview {
			t.Fatalf("first case: %+v", first.Goodwill)
		}
		if first.Goodwill.History.PriorComplaints != 0 || len(first.Assessment.Goodwill) == 0 {
			t.Fatalf("first case history or assessment: %+v", first.Goodwill)
		}
		clk.Add(time.Hour)
		if _, err := s.Transition(ctx, handler, first.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ProposeSolution(ctx, handler, first.ID, cases.SolutionInput{Summary: "退还年费",
			Remedies: []cases.Remedy{{Kind: cases.RemedyRefund, AmountMinor: 20000}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordResponse(ctx, handler, first.ID, cases.ResponseInput{Accepted: true}); err != nil {
			t.Fatal(err)
		}

		// The second: polite, but a disproportionate demand.
		clk.Add(24 * time.Hour)
		c, err := s.Create(ctx, agent, intake("信用卡年费被扣了200元，请你们赔偿我2万元。"))
		if err != nil {
			t.Fatal(err)
		}
		g := c.Goodwill
		if g == nil || g.Result == cases.GoodwillGood || !g.NeedsSupervisorReview {
			t.Fatalf("disproportionate demand: %+v", g)
		}
		if g.History.PriorComplaints != 1 || len(g.History.Compensations) != 1 || g.History.Compensations[0].AmountMinor != 20000 ||
			g.History.CaseIDs[0] != first.ID {
			t.Fatalf("history from the store: %+v", g.History)
		}
		var as goodwill.Assessment
		if err := json.Unmarshal(c.Assessment.Goodwill, &as); err != nil || string(as.Result) != string(g.Result) || len(as.Dimensions) != 5 {
			t.Fatalf("stored assessment: %v %+v", err, as)
		}
		// Decision support only: nothing else about the case changed.
		plain := newService(db, clk.Now)
		twin, err := plain.Create(ctx, agent, intake("信用卡年费被扣了200元，请你们赔偿我2万元。"))
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.StateReceived || c.Assessment.Severity != twin.Assessment.Severity ||
			c.EscalationLevel != 0 || c.Assignee != "" || !slices.Equal(c.Deadline.Deadlines, twin.Deadline.Deadlines) {
			t.Errorf("the goodwill result changed the case: %+v vs %+v", c, twin)
		}

		trail, err := s.AuditTrail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		gw := actions(trail, "case.goodwill")
		if len(gw) != 1 || string(gw[0].Before) != "null" || gw[0].Actor != "system" {
			t.Fatalf("intake goodwill entry: %+v", gw)
		}
		var after struct {
			Result                string `json:"result"`
			NeedsSupervisorReview bool   `json:"needs_supervisor_review"`
			PriorComplaints       int    `json:"prior_complaints"`
		}
		if err := json.Unmarshal(gw[0].After, &after); err != nil || after.Result != string(g.Result) || !after.NeedsSupervisorReview || after.PriorComplaints != 1 {
			t.Fatalf("intake goodwill entry after: %s %v", gw[0].After, err)
		}
		var created cases.Case
		if err := json.Unmarshal(actions(trail, "case.create")[0].After, &created); err != nil || len(created.Assessment.Goodwill) != 0 {
			t.Errorf("the create entry carries the assessment's evidence: %v", err)
		}

		// Queue filters.
		pending, err := s.List(ctx, cases.ListFilter{GoodwillReview: cases.GoodwillReviewPending})
		if err != nil {
			t.Fatal(err)
		}
		if len(pending.Items) != 1 || pending.Items[0].ID != c.ID || !pending.Items[0].NeedsSupervisorReview || pending.Items[0].Goodwill != g.Result {
			t.Fatalf("pending: %+v", pending.Items)
		}
		byResult, err := s.List(ctx, cases.ListFilter{Goodwill: g.Result})
		if err != nil || len(byResult.Items) != 1 {
			t.Fatalf("by result: %+v %v", byResult.Items, err)
		}

		// A supervisor confirming a suspicion must say why.
		clk.Add(time.Hour)
		_, err = s.ReviewGoodwill(ctx, sup, c.ID, cases.GoodwillReviewInput{Decision: g.Result})
		var ve *cases.ValidationError
		if !errors.As(err, &ve) || ve.Field != "reason" {
			t.Fatalf("review without reason: %v", err)
		}
		if _, err := s.ReviewGoodwill(ctx, sup, c.ID, cases.GoodwillReviewInput{Decision: "malicious"}); !errors.As(err, &ve) || ve.Field != "decision" {
			t.Fatalf("unknown decision: %v", err)
		}
		r, err := s.ReviewGoodwill(ctx, sup, c.ID, cases.GoodwillReviewInput{Decision: cases.GoodwillGood, Reason: "客户只是不了解年费政策，愿意沟通"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Agrees || r.Assessed != g.Result || r.By != sup.Name || r.CaseID != c.ID {
			t.Fatalf("review: %+v", r)
		}
		trail, err = s.AuditTrail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rv := actions(trail, "case.goodwill_review")
		if len(rv) != 1 || rv[0].Actor != sup.Name || rv[0].Role != "supervisor" {
			t.Fatalf("review entry: %+v", rv)
		}
		var rec cases.GoodwillReview
		if err := json.Unmarshal(rv[0].After, &rec); err != nil || rec.Decision != cases.GoodwillGood || rec.Reason == "" || rec.Assessed != g.Result {
			t.Fatalf("review entry after: %s %v", rv[0].After, err)
		}
		if err := json.Unmarshal(rv[0].Before, &after); err != nil || !after.NeedsSupervisorReview {
			t.Fatalf("review entry before: %s %v", rv[0].Before, err)
		}
		got, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Goodwill.NeedsSupervisorReview || len(got.Goodwill.Reviews) != 1 || got.State != cases.StateReceived ||
			got.Assessment.Severity != c.Assessment.Severity || !slices.Equal(got.Deadline.Deadlines, c.Deadline.Deadlines) {
			t.Fatalf("after review: %+v", got.Goodwill)
		}
		if p, _ := s.List(ctx, cases.ListFilter{GoodwillReview: cases.GoodwillReviewPending}); len(p.Items) != 0 {
			t.Errorf("still pending after review: %+v", p.Items)
		}

		// The customer writes again with the same result: no new entry,
		// no new review asked. Then with extortion: the result changes,
		// an entry records it, and the case is back in the queue.
		clk.Add(time.Hour)
		if _, err := s.AddContact(ctx, agent, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound,
			Content: "我的要求就是赔偿2万元。"}); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.Get(ctx, c.ID); got.Goodwill.NeedsSupervisorReview || got.Goodwill.Contacts != 1 {
			t.Errorf("same result asked again: %+v", got.Goodwill)
		}
		if _, err := s.AddContact(ctx, agent, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Outbound,
			Content: "我们会尽快核实。"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddContact(ctx, agent, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound,
			Content: "给我5万封口费，不然就让你们丢饭碗，我要搞臭你们银行。"}); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Get(ctx, c.ID)
		if got.Goodwill.Result != cases.GoodwillMalicious || !got.Goodwill.NeedsSupervisorReview || got.Goodwill.Contacts != 3 {
			t.Fatalf("after extortion: %+v", got.Goodwill)
		}
		if got.State != cases.StateReceived || got.Assessment.Severity != c.Assessment.Severity {
			t.Errorf("re-assessment changed the case: %s %s", got.State, got.Assessment.Severity)
		}
		trail, _ = s.AuditTrail(ctx, c.ID)
		if gw := actions(trail, "case.goodwill"); len(gw) < 2 {
			t.Errorf("the changed result has no audit entry: %d", len(gw))
		}

		// The export: one labelled case per decision, with the input the
		// reviewed assessment saw (no contacts then).
		ls := casegoodwill.Labelled(got)
		if len(ls) != 1 || ls[0].ID != c.ID || string(ls[0].Label) != "goodwill" || len(ls[0].Contacts) != 0 || ls[0].History.PriorComplaints != 1 {
			t.Fatalf("labelled: %+v", ls)
		}
		reviewed := 0
		if err := s.ReviewedCases(ctx, func(*cases.Case) error { reviewed++; return nil }); err != nil || reviewed != 1 {
			t.Fatalf("reviewed cases: %d %v", reviewed, err)
		}

		// Serial complainers: three cases of C001 (the twin included).
		rep, err := s.SerialComplainers(ctx, cases.SerialFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Items) != 1 || rep.Items[0].CustomerID != "C001" || rep.Items[0].Complaints != 3 ||
			rep.Items[0].CompensationMinor["CNY"] != 20000 || rep.Items[0].Outcomes["accepted"] != 1 || rep.Notice.En == "" {
			t.Fatalf("serial report: %+v", rep)
		}
		if len(rep.Items[0].MergeOffers) == 0 {
			t.Errorf("the twin complaint is not offered for merging: %+v", rep.Items[0])
		}
		if rep, err := s.SerialComplainers(ctx, cases.SerialFilter{MinComplaints: 4}); err != nil || len(rep.Items) != 0 {
			t.Errorf("min 4: %+v %v", rep, err)
		}
		mustVerify(t, db)
	})
}
