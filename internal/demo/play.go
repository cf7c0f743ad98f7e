package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"huajie/internal/cases"
)

type builder struct {
	svc *cases.Service
	now time.Time
	clk *clock
	// ids are the cases opened per scenario key, in stage order.
	ids map[string][]string
}

var order = []cases.State{cases.StateReceived, cases.StateAssessing, cases.StateInvestigating,
	cases.StateResolutionProposed, cases.StateAwaitingCustomer, cases.StateFollowUp, cases.StateClosed}

func reached(st stage, s cases.State) bool {
	return slices.Index(order, st.until) >= slices.Index(order, s)
}

// play opens one case and takes it through the lifecycle up to st.until,
// the way staff would: an agent takes the complaint, a handler works it, a
// supervisor escalates and extends.
func (b *builder) play(ctx context.Context, sc scenario, st stage, i, j int) (*cases.Case, error) {
	received := b.now.Add(-time.Duration(st.daysAgo * float64(24*time.Hour)))
	at := func(hours float64) time.Time {
		t := received.Add(time.Duration(hours * float64(time.Hour)))
		if t.After(b.now) {
			return b.now
		}
		return t
	}
	// when moves the simulated clock to hours after receipt.
	when := func(hours float64) { b.clk.set(at(hours)) }
	when(0)
	n := i*10 + j
	// Every third case goes to the second team's handler.
	h := handler
	if n%3 == 2 {
		h = handler2
	}
	c, err := b.svc.Create(ctx, agent, cases.NewCase{
		Channel: sc.channel,
		Customer: cases.Customer{
			ID: fmt.Sprintf("C%06d", 100000+n), Name: st.customer,
			Phone:  fmt.Sprintf("139%08d", 10000000+n*7919%90000000),
			IDCard: idCard(fmt.Sprintf("19%02d%02d%02d", 60+n%40, 1+n%12, 1+n%28), n),
		},
		ReceivedAt: received,
		Text:       sc.text,
		ProductRef: sc.product,
		Branch:     branches[n%len(branches)],
	})
	if err != nil {
		return nil, err
	}
	id := c.ID
	if b.ids == nil {
		b.ids = map[string][]string{}
	}
	b.ids[sc.key] = append(b.ids[sc.key], id)
	if len(sc.contacts) > 0 {
		ct := sc.contacts[0]
		if _, err := b.svc.AddContact(ctx, agent, id, cases.ContactInput{Channel: sc.channel, Direction: ct.dir, Content: ct.content}); err != nil {
			return nil, err
		}
	}
	if !reached(st, cases.StateAssessing) {
		return c, nil
	}
	when(2)
	if _, err := b.svc.Assign(ctx, supervisor, id, h.Name); err != nil {
		return nil, err
	}
	if c, err = b.svc.Transition(ctx, h, id, cases.TransitionInput{To: cases.StateAssessing, Note: "开始评估"}); err != nil {
		return nil, err
	}
	when(4)
	for _, ct := range sc.contacts[1:] {
		if _, err := b.svc.AddContact(ctx, h, id, cases.ContactInput{Channel: cases.ChannelPhone, Direction: ct.dir, Content: ct.content}); err != nil {
			return nil, err
		}
	}
	when(6)
	if sc.escalate != "" {
		if c, err = b.svc.Escalate(ctx, supervisor, id, cases.EscalateInput{Reason: sc.escalate}); err != nil {
			return nil, err
		}
	}
	if !reached(st, cases.StateInvestigating) {
		return c, nil
	}
	when(24)
	if c, err = b.svc.Transition(ctx, h, id, cases.TransitionInput{To: cases.StateInvestigating, Note: "深入调查"}); err != nil {
		return nil, err
	}
	when(48)
	for _, f := range sc.findings {
		sub := f.substantiated
		if _, err := b.svc.AddFinding(ctx, h, id, cases.FindingInput{Department: f.dept, Text: f.text, Substantiated: &sub}); err != nil {
			return nil, err
		}
	}
	if sc.evidence != nil {
		e := sc.evidence
		if _, err := b.svc.AddEvidence(ctx, h, id, cases.EvidenceInput{Name: e.name, Description: e.description, Department: e.dept, Content: []byte(e.content)}); err != nil {
			return nil, err
		}
	}
	if sc.extendReason != "" {
		if c, err = b.svc.ExtendDeadline(ctx, supervisor, id, cases.ExtendInput{
			Reason: sc.extendReason, CustomerNotified: true, NotifiedAt: at(30), Approver: supervisor.Name,
		}); err != nil {
			return nil, err
		}
	}
	if !reached(st, cases.StateResolutionProposed) {
		return c, nil
	}
	when(72)
	if sc.rejectFirst != "" && reached(st, cases.StateFollowUp) {
		first := cases.SolutionInput{Summary: "向客户解释相关政策。", Remedies: []cases.Remedy{{Kind: cases.RemedyExplanation}}}
		if _, err := b.svc.ProposeSolution(ctx, h, id, first); err != nil {
			return nil, err
		}
		if _, err := b.svc.Transition(ctx, h, id, cases.TransitionInput{To: cases.StateAwaitingCustomer}); err != nil {
			return nil, err
		}
		if _, err := b.svc.RecordResponse(ctx, h, id, cases.ResponseInput{Accepted: false, Reason: sc.rejectFirst}); err != nil {
			return nil, err
		}
	}
	when(96)
	if _, err := b.svc.ProposeSolution(ctx, h, id, sc.solution); err != nil {
		return nil, err
	}
	if c, err = b.svc.Get(ctx, id); err != nil {
		return nil, err
	}
	if !reached(st, cases.StateAwaitingCustomer) {
		return c, nil
	}
	when(100)
	if c, err = b.svc.Transition(ctx, h, id, cases.TransitionInput{To: cases.StateAwaitingCustomer, Note: "已向客户反馈方案"}); err != nil {
		return nil, err
	}
	if !reached(st, cases.StateFollowUp) {
		return c, nil
	}
	when(144)
	if c, err = b.svc.RecordResponse(ctx, h, id, cases.ResponseInput{Accepted: true}); err != nil {
		return nil, err
	}
	if !reached(st, cases.StateClosed) {
		return c, nil
	}
	when(240)
	if _, err := b.svc.RecordFollowUp(ctx, h, id, cases.FollowUpInput{Satisfaction: sc.satisfaction, Comment: sc.followUp}); err != nil {
		return nil, err
	}
	return b.svc.Transition(ctx, h, id, cases.TransitionInput{To: cases.StateClosed, Note: "回访完成，结案"})
}

// repeat files the bill complaint again for an open case's customer (the
// customer calls back about the same bill) and a third time, then merges
// the third into the second: one repeat left to merge in the UI, one merged.
func (b *builder) repeat(ctx context.Context) error {
	b.clk.set(b.now.Add(-2 * 24 * time.Hour))
	// The open case of 王芳 is the second of the scenario; find it by list.
	page, err := b.svc.List(ctx, cases.ListFilter{CustomerID: "C100001"})
	if err != nil {
		return err
	}
	if len(page.Items) == 0 {
		return fmt.Errorf("no case for customer C100001")
	}
	target := page.Items[0]
	in := cases.NewCase{
		Channel:    cases.ChannelApp,
		Customer:   cases.Customer{ID: target.CustomerID, Name: target.CustomerName},
		ReceivedAt: b.now.Add(-2 * 24 * time.Hour),
		Text:       "又是信用卡账单没收到的问题！上次说24小时内补发，到现在还没收到，这是我第二次投诉了。",
		ProductRef: "信用卡",
		Branch:     target.Branch,
	}
	if _, err := b.svc.Create(ctx, agent, in); err != nil {
		return err
	}
	b.clk.set(b.now.Add(-3 * time.Hour))
	in.ReceivedAt = b.now.Add(-3 * time.Hour)
	in.Channel = cases.ChannelPhone
	in.Text = "信用卡账单还是没收到，我已经第三次打电话了，再不解决我就投诉到监管！"
	third, err := b.svc.Create(ctx, agent, in)
	if err != nil {
		return err
	}
	b.clk.set(b.now)
	_, err = b.svc.Merge(ctx, supervisor, target.ID, third.ID)
	return err
}

// reviewGoodwill records a supervisor's decision on the goodwill
// assessment of the first regulator-threat case (the one closed weeks
// ago), so the demo shows a decision in the case and its audit trail; the
// other regulator-threat cases stay in the supervisors' review queue. It
// does nothing when the service assesses no goodwill.
func (b *builder) reviewGoodwill(ctx context.Context) (bool, error) {
	ids := b.ids["regulator-threat"]
	if len(ids) == 0 {
		return false, nil
	}
	c, err := b.svc.Get(ctx, ids[0])
	if err != nil {
		return false, err
	}
	if c.Goodwill == nil {
		return false, nil
	}
	b.clk.set(b.now)
	_, err = b.svc.ReviewGoodwill(ctx, supervisor, c.ID, cases.GoodwillReviewInput{
		Decision: c.Goodwill.Result,
		Reason: "同意系统提示：客户以向监管投诉、找媒体曝光相要挟，索赔十万元与实际损失明显不相称。" +
			"按正常流程受理并解释收费政策，合理范围内减免手续费；不因此拒绝或降低处理。",
	})
	return err == nil, err
}
