package insight

import (
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/interactions"
)

func TestCaseFact(t *testing.T) {
	d := NewDeriver(nil, nil, nil)
	yes, no := true, false
	recv := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	c := &cases.Case{
		ID: "c1", Channel: "app", ReceivedAt: recv, Text: "手机银行登录不了，验证码收不到",
		Assessment: cases.Assessment{CauseCode: "C02", BusinessCode: "B04", Emotion: "anger", Negative: 0.9},
		Findings:   []cases.Finding{{Substantiated: &no}, {Substantiated: &yes}, {}},
		Solutions: []cases.Solution{
			{ID: "s1", Remedies: []cases.Remedy{{Kind: cases.RemedyRefund, AmountMinor: 1000}}},
			{ID: "s2", Remedies: []cases.Remedy{{Kind: cases.RemedyCompensation, AmountMinor: 5000}, {Kind: cases.RemedyFeeWaiver, AmountMinor: 200, Currency: "HKD"}, {Kind: cases.RemedyApology}}},
		},
		Responses: []cases.CustomerResponse{{SolutionID: "s1", Accepted: false}, {SolutionID: "s2", Accepted: true}},
		Deadline:  cases.DeadlineInfo{Milestones: deadlines.Milestones{deadlines.MilestoneDecision: recv.Add(48 * time.Hour)}},
		ClosedAt:  recv.Add(72 * time.Hour),
	}
	f := d.Case(c)
	if f.ChannelCode != "A010303" || f.Touchpoint != "app_login" || f.Dimension != "tangibles" {
		t.Errorf("codes %q touchpoint %q dimension %q", f.ChannelCode, f.Touchpoint, f.Dimension)
	}
	if f.Upheld == nil || !*f.Upheld {
		t.Errorf("upheld %v", f.Upheld)
	}
	if f.Redress["CNY"] != 5000 || f.Redress["HKD"] != 200 || len(f.Redress) != 2 {
		t.Errorf("redress %v (only the accepted solution's money remedies)", f.Redress)
	}
	if !f.DecidedAt.Equal(recv.Add(48*time.Hour)) || f.Value(DimCause) != "C02" || f.Report().CauseCode != "C02" {
		t.Errorf("%+v", f)
	}
	c.Findings = []cases.Finding{{Substantiated: &no}}
	if f := d.Case(c); f.Upheld == nil || *f.Upheld {
		t.Errorf("all unsubstantiated: %v", f.Upheld)
	}
	c.Findings = nil
	if f := d.Case(c); f.Upheld != nil {
		t.Errorf("no findings: %v", f.Upheld)
	}
}

func TestMessageFact(t *testing.T) {
	d := NewDeriver(nil, nil, nil)
	a := interactions.Analysis{Emotion: "anger", Negative: 0.8, Problems: []interactions.Problem{
		{Axis: "cause", Code: "C01", Score: 0.4}, {Axis: "cause", Code: "C02", Score: 0.7}, {Axis: "business", Code: "B03", Score: 0.5}}}
	f := d.Message(Place{Channel: "phone", Team: "t1", Branch: "南山支行", Product: "借记卡"}, "ATM吞卡了", time.Now(), a, 0.6, "high")
	want := map[string]string{DimCause: "C02", DimBusiness: "B03", DimChannelCode: "A010302", DimTouchpoint: "atm", DimServqual: "tangibles", DimEmotion: "anger", DimTeam: "t1", DimBranch: "南山支行", DimProduct: "借记卡"}
	for k, v := range want {
		if f.Values[k] != v {
			t.Errorf("%s: %q, want %q", k, f.Values[k], v)
		}
	}
	if !f.High || f.Risk != 0.6 {
		t.Errorf("%+v", f)
	}
	p := d.Post("social_media", "counter", "南山", "信用卡", "", "ATM吞卡了", time.Now(), a)
	if p.Values[DimTouchpoint] != "counter" || p.Values[DimBranch] != "南山" {
		t.Errorf("post %+v", p.Values)
	}
}

func TestTrimCode(t *testing.T) {
	if TrimCode(DimCause, "C0102", true) != "C01" || TrimCode(DimTeam, "abcdef", true) != "abcdef" || TrimCode(DimCause, "C0102", false) != "C0102" {
		t.Error("TrimCode")
	}
}

func TestPeakEnd(t *testing.T) {
	msg := func(role string, risk, neg float64) interactions.Stored {
		return interactions.Stored{Message: interactions.Message{Role: role, Text: role}, Risk: risk, Analysis: interactions.Analysis{Negative: neg}}
	}
	ms := []interactions.Stored{msg("customer", 0.2, 0.3), msg("agent", 0.2, 0), msg("customer", 0.8, 0.9), msg("agent", 0.8, 0), msg("customer", 0.8, 0.95), msg("agent", 0.3, 0)}
	for i := range ms {
		ms[i].Turn = i + 1
	}
	pe := PeakEndOf(ms)
	if pe.Peak.Turn != 5 || pe.End.Turn != 6 || pe.Score != 0.55 || !pe.Recovered || len(pe.Curve) != 6 {
		t.Errorf("%+v peak %+v end %+v", pe, pe.Peak, pe.End)
	}
	if d := pe.Mean - 0.6; d > 1e-12 || d < -1e-12 {
		t.Errorf("mean %v", pe.Mean)
	}
	if pe := PeakEndOf(nil); pe.Peak != nil || pe.End != nil {
		t.Errorf("empty %+v", pe)
	}
}
