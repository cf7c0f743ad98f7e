package casegoodwill

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/goodwill"
)

// The cases package mirrors goodwill's results; they must stay the same.
func TestResultsAgree(t *testing.T) {
	if len(cases.GoodwillResults) != len(goodwill.Results) {
		t.Fatalf("cases has %v, goodwill %v", cases.GoodwillResults, goodwill.Results)
	}
	for i, r := range goodwill.Results {
		if string(cases.GoodwillResults[i]) != string(r) {
			t.Errorf("result %d: cases %q, goodwill %q", i, cases.GoodwillResults[i], r)
		}
	}
	if cases.MaxReviewReason != goodwill.MaxReason {
		t.Errorf("reason limit: cases %d, goodwill %d", cases.MaxReviewReason, goodwill.MaxReason)
	}
}

func TestInputAndLabelled(t *testing.T) {
	at := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	c := &cases.Case{ID: "HJ1", Text: "年费扣了200元，赔我2万", ReceivedAt: at, Channel: cases.ChannelPhone,
		Contacts: []cases.Contact{
			{At: at.Add(time.Hour), Direction: cases.Inbound, Channel: cases.ChannelPhone, Content: "第一次"},
			{At: at.Add(2 * time.Hour), Direction: cases.Outbound, Content: "我们核实"},
			{At: at.Add(3 * time.Hour), Direction: cases.Inbound, Content: "第二次"},
		},
	}
	h := cases.CustomerHistory{PriorComplaints: 2, PriorCases: 1, Channels: []cases.Channel{cases.ChannelPhone, cases.ChannelApp},
		Compensations: []cases.Compensation{{CaseID: "HJ0", AmountMinor: 12345, Currency: "CNY", Kind: cases.RemedyRefund}}}
	c.Goodwill = &cases.GoodwillInfo{Result: cases.GoodwillUnreasonable, Contacts: 3, History: h, Reviews: []cases.GoodwillReview{
		{CaseID: "HJ1", Assessed: cases.GoodwillUnreasonable, Decision: cases.GoodwillUnreasonable, Reason: "不相称", By: "s", At: at, Contacts: 1, History: h},
		{CaseID: "HJ1", Assessed: cases.GoodwillUnreasonable, Decision: cases.GoodwillGood, Reason: "补充材料证明损失", By: "s", At: at, Contacts: 3, History: h},
	}}
	in := Input(cases.GoodwillInputOf(c, c.Goodwill.Reviews[1]))
	if len(in.Contacts) != 2 || in.Contacts[1].Text != "第二次" || in.Contacts[0].Role != "customer" {
		t.Fatalf("contacts: %+v", in.Contacts)
	}
	if in.History.Compensations[0].Amount != 123.45 || !slices.Equal(in.History.Channels, []string{"phone", "app"}) {
		t.Fatalf("history: %+v", in.History)
	}
	ls := Labelled(c)
	if len(ls) != 2 || ls[0].ID != "HJ1" || ls[1].ID != "HJ1#2" || len(ls[0].Contacts) != 1 || ls[1].Label != goodwill.Goodwill {
		t.Fatalf("labelled: %+v", ls)
	}
	var buf bytes.Buffer
	if err := goodwill.WriteLabelled(&buf, ls); err != nil {
		t.Fatal(err)
	}
	back, err := goodwill.ReadLabelled(&buf, "export")
	if err != nil || len(back) != 2 {
		t.Fatalf("read back: %v %d", err, len(back))
	}
	// Every review the service accepts is one goodwill accepts.
	for _, r := range c.Goodwill.Reviews {
		if err := Review(r).Validate(); err != nil {
			t.Errorf("review %+v: %v", r, err)
		}
	}
}

func TestFunc(t *testing.T) {
	a, err := goodwill.Default()
	if err != nil {
		t.Fatal(err)
	}
	f := Func(a)
	v := f(cases.GoodwillInput{Text: "不赔我十万块我就去银保监会投诉，还要找记者曝光你们！"})
	if v.Result == cases.GoodwillGood || !v.RouteToSupervisor || len(v.Assessment) == 0 || !v.Result.Valid() {
		t.Fatalf("threat: %+v", v)
	}
	if Func(nil) != nil {
		t.Error("Func(nil) is not nil")
	}
}
