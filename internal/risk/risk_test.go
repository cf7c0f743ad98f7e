package risk

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"huajie/internal/analysis"
)

func testAnalyzer(t testing.TB) *analysis.Analyzer {
	t.Helper()
	an, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	return an
}

// turn is one message of a scripted conversation: "c:" customer, "a:"
// agent, then the text.
type turn struct {
	s   string
	sig Signals
	at  time.Duration // offset from the conversation's start; 0 = no time
}

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func msgOf(tu turn) Message {
	role := RoleCustomer
	if strings.HasPrefix(tu.s, "a:") {
		role = RoleAgent
	}
	m := Message{ID: "m", ConversationID: "c1", CustomerID: "u1", Channel: "chat", Role: role, Text: tu.s[2:], Signals: tu.sig}
	if tu.at > 0 {
		m.Time = t0.Add(tu.at)
	}
	return m
}

// run plays turns through the default model and returns every assessment
// and the final state.
func run(t testing.TB, h History, turns ...turn) ([]Assessment, State) {
	t.Helper()
	an := testAnalyzer(t)
	m := Default()
	var st State
	var out []Assessment
	for _, tu := range turns {
		msg := msgOf(tu)
		as := m.Update(&st, msg, an.Analyze(msg.Text, true), h)
		if as.Risk < 0 || as.Risk > 1 || math.IsNaN(as.Risk) {
			t.Fatalf("risk %v out of [0,1] after %q", as.Risk, tu.s)
		}
		if as.Level != m.Level(as.Risk) {
			t.Fatalf("level %q for risk %.3f", as.Level, as.Risk)
		}
		out = append(out, as)
	}
	return out, st
}

func ts(ss ...string) []turn {
	out := make([]turn, len(ss))
	for i, s := range ss {
		out[i] = turn{s: s}
	}
	return out
}

func hasReason(as Assessment, code string) *Reason {
	for i := range as.Reasons {
		if as.Reasons[i].Code == code {
			return &as.Reasons[i]
		}
	}
	return nil
}

func hasIntervention(as Assessment, code string) bool {
	for _, iv := range as.Interventions {
		if iv.Code == code {
			return true
		}
	}
	return false
}

func last(as []Assessment) Assessment { return as[len(as)-1] }

func TestCalmEnquiryStaysLow(t *testing.T) {
	as, _ := run(t, History{}, ts(
		"c:你好,请问信用卡的年费是多少？",
		"a:您好,我们的信用卡首年免年费,刷卡满6次免次年年费。",
		"c:好的,明白了,谢谢！",
	)...)
	for i, a := range as {
		if a.Level != LevelLow {
			t.Errorf("turn %d: level %s (risk %.3f), want low", i+1, a.Level, a.Risk)
		}
		if hasIntervention(a, "supervisor_handover") {
			t.Errorf("turn %d: supervisor handover for a calm enquiry", i+1)
		}
	}
	for i, a := range as {
		if len(a.Reasons) == 0 {
			t.Errorf("turn %d without reasons", i+1)
		}
	}
	if last(as).Turn != 3 {
		t.Errorf("Turn = %d, want 3", last(as).Turn)
	}
	en, _ := run(t, History{}, ts("c:Hi, what is the annual fee of the credit card?", "a:It is free in the first year.", "c:OK, thank you!")...)
	if l := last(en); l.Level != LevelLow {
		t.Errorf("English calm enquiry: level %s (risk %.3f)", l.Level, l.Risk)
	}
}

func TestLongCalmConversationStaysBelowAlert(t *testing.T) {
	var tt []turn
	for _, q := range []string{
		"你好,我想咨询一下理财产品。", "稳健一点的,期限半年左右。", "起购金额是多少？", "可以提前赎回吗？",
		"那手续费呢？", "在手机银行上能买吗？", "收益是每天计算的吗？", "到期以后钱会自动回到卡里吗？",
		"如果我想买两份可以吗？", "需要做风险评估吗？", "评估在哪里做？", "好的,我知道了。",
		"另外信用卡的额度能不能提高一点？", "需要提供什么材料？", "大概多久能审批下来？", "好的,谢谢你的耐心解答。",
	} {
		tt = append(tt, turn{s: "c:" + q}, turn{s: "a:好的,这个问题我来为您说明一下。"})
	}
	as, _ := run(t, History{}, tt...)
	for i, a := range as {
		if a.Level == LevelHigh {
			t.Errorf("turn %d of a calm 32-turn conversation: risk %.3f high", i+1, a.Risk)
		}
	}
}

func TestRisingAngerEndsHighMonotonically(t *testing.T) {
	as, st := run(t, History{}, ts(
		"c:我的转账到现在还没到账,请帮我查一下。",
		"a:好的,请稍等。",
		"c:怎么还没查到？已经等了很久了",
		"a:正在为您查询。",
		"c:你们到底能不能办事？太过分了！",
		"a:请您再等一下。",
		"c:简直气死我了！你们银行就是一群骗子！！",
	)...)
	prev := -1.0
	for i := 0; i < len(as); i += 2 { // customer turns
		if as[i].Risk <= prev {
			t.Errorf("customer turn %d: risk %.3f not above the previous %.3f", i+1, as[i].Risk, prev)
		}
		prev = as[i].Risk
	}
	l := last(as)
	if l.Level != LevelHigh {
		t.Errorf("final level %s (risk %.3f), want high", l.Level, l.Risk)
	}
	if as[0].Level == LevelHigh {
		t.Errorf("first, merely negative message already high (%.3f)", as[0].Risk)
	}
	if hasReason(l, "negative_emotion") == nil || hasReason(l, "anger") == nil {
		t.Errorf("reasons %+v lack negative_emotion/anger", l.Reasons)
	}
	if r := hasReason(l, "abuse"); r == nil || r.Span == nil || r.Span.Text != "骗子" || r.SpanTurn != 7 {
		t.Errorf("abuse reason %+v, want span 骗子 in turn 7", r)
	}
	if !hasIntervention(l, "acknowledge_feeling") {
		t.Errorf("interventions %+v lack acknowledge_feeling", l.Interventions)
	}
	if st.PeakRisk != l.Risk || st.Distress.Rises < 1 {
		t.Errorf("state peak %.3f rises %d", st.PeakRisk, st.Distress.Rises)
	}

	// the same anger in one message weighs less than anger built up over turns
	one, _ := run(t, History{}, ts("c:简直气死我了！你们银行就是一群骗子！！")...)
	if one[0].Risk >= l.Risk {
		t.Errorf("one angry message %.3f ≥ anger built up over four turns %.3f", one[0].Risk, l.Risk)
	}
}

func TestRegulatorThreatJumps(t *testing.T) {
	base := ts("c:我的转账到现在还没到账,请帮我查一下。", "a:好的,请稍等。")
	calm, _ := run(t, History{}, append(base, turn{s: "c:请问大概还要多久？"})...)
	threat, _ := run(t, History{}, append(base, turn{s: "c:再不解决我就向银保监会反映,打12378！"})...)
	before := threat[1].Risk
	l := last(threat)
	if l.Risk-before < 0.25 || l.Risk-last(calm).Risk < 0.2 {
		t.Errorf("regulator threat: %.3f → %.3f (a calm follow-up: %.3f); want a jump", before, l.Risk, last(calm).Risk)
	}
	if l.Level != LevelHigh {
		t.Errorf("level %s after a regulator threat", l.Level)
	}
	r := hasReason(l, "threat_regulator")
	if r == nil || r.Span == nil || !strings.Contains("银保监会12378", r.Span.Text) || r.Zh == "" || r.En == "" {
		t.Errorf("threat_regulator reason %+v", r)
	}
	if len(l.Interventions) == 0 || l.Interventions[0].Code != "supervisor_handover" {
		t.Errorf("interventions %+v: want supervisor_handover first", l.Interventions)
	}
	// a negated threat is no threat
	neg, _ := run(t, History{}, append(base, turn{s: "c:我不会去找监管部门的,就是想快点解决"})...)
	if hasReason(last(neg), "threat_regulator") != nil {
		t.Errorf("negated regulator mention gave a threat reason: %+v", last(neg).Reasons)
	}
}

func TestAgentEmpathyAndNextStepLower(t *testing.T) {
	base := ts("c:我这个月的信用卡账单一直没收到,害我逾期了,还被扣了滞纳金！")
	good, _ := run(t, History{}, append(base, turn{s: "a:非常抱歉,我理解您的感受。我们会在24小时内给您补发账单,并为您申请减免滞纳金。"})...)
	neutral, _ := run(t, History{}, append(base, turn{s: "a:好的,您的问题已记录。"})...)
	if !(good[1].Risk < good[0].Risk) || !(good[1].Risk < neutral[1].Risk) {
		t.Errorf("empathy + next step: %.3f → %.3f (a neutral reply: %.3f); want lower than both", good[0].Risk, good[1].Risk, neutral[1].Risk)
	}
	if r := hasReason(good[1], "agent_next_step"); r == nil || r.Weight >= 0 || r.Span == nil {
		t.Errorf("agent_next_step reason %+v", r)
	}
	if r := hasReason(good[1], "agent_empathy"); r == nil || r.Weight >= 0 {
		t.Errorf("agent_empathy reason %+v", r)
	}
	if hasIntervention(good[1], "next_step_with_time") || hasIntervention(good[1], "acknowledge_feeling") {
		t.Errorf("after empathy and a next step the model still suggests them: %+v", good[1].Interventions)
	}
	if !hasIntervention(neutral[1], "next_step_with_time") {
		t.Errorf("after a neutral reply to a complaint: interventions %+v lack next_step_with_time", neutral[1].Interventions)
	}
	// a step without a time lowers less than one with a time
	vague, _ := run(t, History{}, append(base, turn{s: "a:非常抱歉,我理解您的感受。我们会为您补发账单。"})...)
	if !(vague[1].Risk > good[1].Risk) {
		t.Errorf("step without a time %.3f not above the step with one %.3f", vague[1].Risk, good[1].Risk)
	}
	en, _ := run(t, History{}, ts("c:I never received my statement and now I was charged a late fee!", "a:I'm sorry, I understand how you feel. We will call you back within 24 hours.")...)
	if !(en[1].Risk < en[0].Risk) || hasReason(en[1], "agent_next_step") == nil {
		t.Errorf("English empathy + next step: %.3f → %.3f, reasons %+v", en[0].Risk, en[1].Risk, en[1].Reasons)
	}
}

func TestAgentDeflectionRaises(t *testing.T) {
	base := ts("c:我这个月的信用卡账单一直没收到,害我逾期了,还被扣了滞纳金！")
	for _, d := range []string{"a:这不归我管,你自己操作错误。", "a:没办法,这是系统的问题。", "a:That's not my department, there is nothing I can do."} {
		defl, _ := run(t, History{}, append(base, turn{s: d})...)
		neutral, _ := run(t, History{}, append(base, turn{s: "a:好的,您的问题已记录。"})...)
		if !(defl[1].Risk > defl[0].Risk) || !(defl[1].Risk > neutral[1].Risk) {
			t.Errorf("%q: %.3f → %.3f (neutral reply %.3f); want higher than both", d, defl[0].Risk, defl[1].Risk, neutral[1].Risk)
		}
		r := hasReason(defl[1], "agent_deflection")
		if r == nil || r.Weight <= 0 || r.Span == nil || r.SpanTurn != 2 {
			t.Errorf("%q: agent_deflection reason %+v", d, r)
		}
		if !hasIntervention(defl[1], "stay_calm") && !hasIntervention(defl[1], "supervisor_handover") {
			t.Errorf("%q: interventions %+v", d, defl[1].Interventions)
		}
	}
}

func ptr[T any](v T) *T { return &v }

func TestLongWaitRaises(t *testing.T) {
	msg := "c:我想问一下我的贷款审批进度。"
	short, _ := run(t, History{}, turn{s: msg, sig: Signals{WaitSeconds: ptr(20.0)}})
	long, _ := run(t, History{}, turn{s: msg, sig: Signals{WaitSeconds: ptr(1200.0)}})
	if !(long[0].Risk > short[0].Risk+0.05) {
		t.Errorf("20-minute wait %.3f vs 20 s %.3f", long[0].Risk, short[0].Risk)
	}
	r := hasReason(long[0], "long_wait")
	if r == nil || r.Value != 1200 || r.Weight <= 0 {
		t.Errorf("long_wait reason %+v", r)
	}
	if hasReason(short[0], "long_wait") != nil {
		t.Error("a 20 s wait is a reason")
	}
	if !hasIntervention(long[0], "speed_up") {
		t.Errorf("interventions %+v lack speed_up", long[0].Interventions)
	}

	// unanswered customer messages: the wait comes from their times
	un, st := run(t, History{},
		turn{s: "c:你好,在吗？我的卡被锁了", at: time.Second},
		turn{s: "c:有人吗？", at: 8 * time.Minute},
		turn{s: "c:怎么一直没人回复", at: 15 * time.Minute},
	)
	if st.MaxWait < 14*60 || hasReason(last(un), "long_wait") == nil || !hasIntervention(last(un), "speed_up") {
		t.Errorf("unanswered for 15 min: MaxWait %.0f, reasons %+v, interventions %+v", st.MaxWait, last(un).Reasons, last(un).Interventions)
	}
	// once answered, the wait still counts but speeding up is no longer the advice
	an := testAnalyzer(t)
	reply := Message{Role: RoleAgent, Text: "您好,让您久等了,我马上为您处理。", Time: t0.Add(16 * time.Minute)}
	after := Default().Update(&st, reply, an.Analyze(reply.Text, false), History{})
	if hasReason(after, "long_wait") == nil || hasIntervention(after, "speed_up") {
		t.Errorf("after the answer: reasons %+v, interventions %+v", after.Reasons, after.Interventions)
	}
	// an agent answer ends the wait
	ans, st2 := run(t, History{},
		turn{s: "c:你好,在吗？我的卡被锁了", at: time.Second},
		turn{s: "a:您好,请问有什么可以帮您？", at: 20 * time.Second},
		turn{s: "c:我的卡被锁了", at: 15 * time.Minute},
	)
	if st2.MaxWait > 60 || hasReason(last(ans), "long_wait") != nil {
		t.Errorf("answered: MaxWait %.0f", st2.MaxWait)
	}
	// a message older than the latest counts as simultaneous
	_, st3 := run(t, History{}, turn{s: "c:你好", at: 10 * time.Minute}, turn{s: "c:在吗", at: time.Minute})
	if st3.MaxWait != 0 || !st3.Last.Equal(t0.Add(10*time.Minute)) {
		t.Errorf("out-of-order message: MaxWait %.0f Last %v", st3.MaxWait, st3.Last)
	}
}

func TestSignalsRaise(t *testing.T) {
	msg := "c:我的卡怎么又用不了了"
	plain, _ := run(t, History{}, turn{s: msg})
	cases := []struct {
		name string
		sig  Signals
		code string
	}{
		{"voice", Signals{SpeechRate: ptr(1.5), Loudness: ptr(1.6), PitchRise: ptr(0.4)}, "voice_agitation"},
		{"silence", Signals{SilenceSeconds: ptr(20.0)}, "silence"},
		{"interruptions", Signals{Interruptions: ptr(3)}, "interruptions"},
		{"app", Signals{AppFailures: ptr(3), AbandonedFlows: ptr(1)}, "app_failures"},
	}
	for _, c := range cases {
		as, _ := run(t, History{}, turn{s: msg, sig: c.sig})
		if !(as[0].Risk > plain[0].Risk) || hasReason(as[0], c.code) == nil {
			t.Errorf("%s: %.3f vs %.3f without, reasons %+v", c.name, as[0].Risk, plain[0].Risk, as[0].Reasons)
		}
	}
	// normal values are no reason
	calm, _ := run(t, History{}, turn{s: msg, sig: Signals{SpeechRate: ptr(1.0), Loudness: ptr(1.0), PitchRise: ptr(0.0), SilenceSeconds: ptr(2.0), Interruptions: ptr(0), AppFailures: ptr(0)}})
	if math.Abs(calm[0].Risk-plain[0].Risk) > 1e-12 {
		t.Errorf("normal signals moved the risk: %.4f vs %.4f", calm[0].Risk, plain[0].Risk)
	}
	// an agent's loud voice is not the customer's agitation
	ag, _ := run(t, History{}, turn{s: msg}, turn{s: "a:请稍等", sig: Signals{Loudness: ptr(2.0)}})
	if hasReason(ag[1], "voice_agitation") != nil {
		t.Error("the agent's voice counted as the customer's")
	}
	// hostile values stay bounded
	bad, _ := run(t, History{}, turn{s: msg, sig: Signals{WaitSeconds: ptr(math.Inf(1)), SpeechRate: ptr(math.NaN()), Loudness: ptr(1e300), AppFailures: ptr(1 << 40)}})
	if math.IsNaN(bad[0].Risk) {
		t.Fatal("NaN risk")
	}
}

func TestHistoryRaises(t *testing.T) {
	msg := turn{s: "c:我的卡怎么又用不了了", at: time.Hour}
	none, _ := run(t, History{}, msg)
	h := History{PriorComplaints: 2, OpenCases: 1, RecentContacts: 3, LastComplaintAt: t0.Add(-10 * 24 * time.Hour)}
	hist, _ := run(t, h, msg)
	if !(hist[0].Risk > none[0].Risk+0.1) {
		t.Errorf("history %.3f vs none %.3f", hist[0].Risk, none[0].Risk)
	}
	for _, c := range []string{"prior_complaints", "open_cases", "recent_contacts"} {
		if hasReason(hist[0], c) == nil {
			t.Errorf("reasons %+v lack %s", hist[0].Reasons, c)
		}
	}
	old := h
	old.LastComplaintAt = t0.Add(-400 * 24 * time.Hour)
	o, _ := run(t, old, msg)
	if !(o[0].Risk < hist[0].Risk) {
		t.Errorf("a complaint 400 days ago weighs as much as one 10 days ago: %.3f vs %.3f", o[0].Risk, hist[0].Risk)
	}
}

func TestRepeatedComplaint(t *testing.T) {
	as, st := run(t, History{}, ts(
		"c:我的信用卡年费为什么扣了两次,请给我退回多扣的年费",
		"a:您好,请提供一下卡号后四位。",
		"c:我的信用卡年费扣了两次,请给我退回多扣的那一笔年费",
	)...)
	if st.Repeats != 1 {
		t.Errorf("Repeats = %d, want 1", st.Repeats)
	}
	if hasIntervention(last(as), "confirm_understanding") == false && last(as).Level != LevelLow {
		t.Errorf("repeated complaint: interventions %+v", last(as).Interventions)
	}
	_, st2 := run(t, History{}, ts("c:我的信用卡年费为什么扣了两次", "a:请稍等", "c:另外我想问一下房贷提前还款要什么手续")...)
	if st2.Repeats != 0 {
		t.Errorf("a different question counted as a repeat")
	}
}

// The cases of the seeds, as conversations.
func TestSeedCases(t *testing.T) {
	t.Run("credit card bill not received (seed 004 案例一)", func(t *testing.T) {
		as, _ := run(t, History{}, ts(
			"c:我这个月的信用卡账单一直没收到,害我逾期了,还被扣了滞纳金,你们怎么搞的！",
			"a:非常抱歉给您带来困扰,我理解您的感受。经查是系统故障导致账单未能及时发送,我们会在24小时内为您补发账单,并为您提供一个月的免息期作为补偿。",
			"c:好的,谢谢,这样可以。",
		)...)
		if !hasIntervention(as[0], "acknowledge_feeling") || !hasIntervention(as[0], "next_step_with_time") {
			t.Errorf("first turn: interventions %+v", as[0].Interventions)
		}
		if !(as[1].Risk < as[0].Risk && as[2].Risk < as[1].Risk) || as[2].Level != LevelLow {
			t.Errorf("risks %.3f %.3f %.3f (%s): want falling to low", as[0].Risk, as[1].Risk, as[2].Risk, as[2].Level)
		}
	})
	t.Run("leaked phone number (seed 002 案例二)", func(t *testing.T) {
		as, _ := run(t, History{}, ts(
			"c:我的手机号被泄露了,天天接到骚扰电话,是不是你们银行泄露的？",
			"a:这个我们不清楚。",
			"c:你们不给个说法,我就发微博曝光你们！",
		)...)
		l := last(as)
		if l.Level != LevelHigh || hasReason(l, "threat_media") == nil || !hasIntervention(l, "supervisor_handover") {
			t.Errorf("risk %.3f %s, reasons %+v, interventions %+v", l.Risk, l.Level, l.Reasons, l.Interventions)
		}
		if !(as[1].Risk > as[0].Risk) {
			t.Errorf("'这个我们不清楚' did not raise the risk: %.3f → %.3f", as[0].Risk, as[1].Risk)
		}
	})
	t.Run("cold attitude (seed 002 案例一)", func(t *testing.T) {
		as, _ := run(t, History{}, ts(
			"c:我上午在你们网点办业务,柜员态度太冷漠了,问什么都爱答不理的。",
			"a:没办法,我们这边人手不够。",
			"c:这是什么服务态度？我以后再也不来你们银行了,我要销户！",
		)...)
		l := last(as)
		if l.Level != LevelHigh || hasReason(l, "agent_deflection") == nil || hasReason(l, "threat_churn") == nil {
			t.Errorf("risk %.3f %s, reasons %+v", l.Risk, l.Level, l.Reasons)
		}
		if as[0].Level == LevelLow {
			t.Errorf("a complaint about a cold attitude is low (%.3f)", as[0].Risk)
		}
	})
}

func TestStateJSONRoundTrip(t *testing.T) {
	an := testAnalyzer(t)
	m := Default()
	turns := ts(
		"c:我的转账到现在还没到账,请帮我查一下。",
		"a:非常抱歉,我们会在今天下午5点前给您回电。",
		"c:怎么还没查到？已经等了很久了,我要投诉！",
		"a:这不归我管。",
		"c:我要向银保监会反映！",
	)
	var whole, split State
	for i, tu := range turns {
		msg := msgOf(tu)
		msg.Time = t0.Add(time.Duration(i) * time.Minute)
		r := an.Analyze(msg.Text, true)
		a1 := m.Update(&whole, msg, r, History{PriorComplaints: 1})
		b, err := json.Marshal(split)
		if err != nil {
			t.Fatal(err)
		}
		var restored State
		if err := json.Unmarshal(b, &restored); err != nil {
			t.Fatal(err)
		}
		a2 := m.Update(&restored, msg, r, History{PriorComplaints: 1})
		split = restored
		j1, _ := json.Marshal(a1)
		j2, _ := json.Marshal(a2)
		if string(j1) != string(j2) {
			t.Fatalf("turn %d: after a JSON round trip\n%s\nwant\n%s", i+1, j2, j1)
		}
	}
	if split.Version != StateVersion || split.Turns != 5 {
		t.Errorf("state version %d turns %d", split.Version, split.Turns)
	}
}

func TestDeterministicAndPure(t *testing.T) {
	an := testAnalyzer(t)
	m := Default()
	msg := Message{Role: RoleCustomer, Text: "你们银行太差劲了,我要投诉！", Time: t0}
	r := an.Analyze(msg.Text, true)
	var s1, s2 State
	a1 := m.Update(&s1, msg, r, History{})
	a2 := m.Update(&s2, msg, r, History{})
	j1, _ := json.Marshal(a1)
	j2, _ := json.Marshal(a2)
	if string(j1) != string(j2) || s1 != s2 {
		t.Errorf("two runs differ:\n%s\n%s", j1, j2)
	}
	// the returned slices are the caller's: changing them changes nothing else
	a1.Reasons[0].Code = "x"
	if a2.Reasons[0].Code == "x" {
		t.Error("assessments share memory")
	}
}

func TestEmptyAndOddInput(t *testing.T) {
	an := testAnalyzer(t)
	m := Default()
	var st State
	for _, msg := range []Message{
		{Role: RoleCustomer, Text: ""},
		{Role: "system", Text: "   "},
		{Role: RoleAgent, Text: strings.Repeat("没办法", 30000)},
		{Role: RoleCustomer, Text: strings.Repeat("我要投诉！", 20000)},
		{Role: RoleCustomer, Text: "\xff\xfe invalid"},
	} {
		as := m.Update(&st, msg, an.Analyze(msg.Text, false), History{PriorComplaints: -3, OpenCases: 1 << 40})
		if math.IsNaN(as.Risk) || as.Risk < 0 || as.Risk > 1 || len(as.Reasons) > MaxReasons || len(as.Interventions) > MaxInterventions {
			t.Fatalf("odd input: %+v", as)
		}
	}
	if st.Turns != 5 || st.AgentTurns != 1 || st.CustomerTurns != 4 {
		t.Errorf("turn counts %d %d %d", st.Turns, st.AgentTurns, st.CustomerTurns)
	}
}

func TestTextsAndCodes(t *testing.T) {
	seen := map[string]bool{}
	for _, tx := range reasonText {
		if tx.code == "" || tx.zh == "" || tx.en == "" || seen[tx.code] {
			t.Errorf("reason text %+v", tx)
		}
		seen[tx.code] = true
	}
	for _, tx := range interventionText {
		if tx.code == "" || tx.zh == "" || tx.en == "" || seen[tx.code] {
			t.Errorf("intervention text %+v", tx)
		}
		seen[tx.code] = true
	}
	if len(ReasonCodes()) != numReasons || len(InterventionCodes()) != numInterventions {
		t.Error("code lists")
	}
	for j, n := range FeatureNames {
		if n == "" {
			t.Errorf("feature %d has no name", j)
		}
	}
}

func TestDefaultThresholds(t *testing.T) {
	w := Default().Weights()
	if w.Alert != DefaultAlertThreshold {
		t.Errorf("DefaultAlertThreshold %.3f, weights' alert %.3f", DefaultAlertThreshold, w.Alert)
	}
	if !(w.Medium > 0 && w.Medium <= w.Alert && w.Alert < 1) {
		t.Errorf("thresholds medium %.3f alert %.3f", w.Medium, w.Alert)
	}
	for j, s := range FeatureSign {
		if s > 0 && w.W[j] < FeaturePrior[j] || s < 0 && w.W[j] > -FeaturePrior[j] {
			t.Errorf("%s: weight %.3f breaks its sign %d / prior %.2f", FeatureNames[j], w.W[j], s, FeaturePrior[j])
		}
	}
}

func TestUpdateAllocations(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	an := testAnalyzer(t)
	m := Default()
	cust := Message{Role: RoleCustomer, Text: "我的转账到现在还没到账,再不解决我就向银保监会投诉！", Time: t0, Signals: Signals{WaitSeconds: ptr(300.0)}}
	agent := Message{Role: RoleAgent, Text: "非常抱歉,我们会在24小时内给您回电。", Time: t0}
	rc := an.Analyze(cust.Text, true)
	ra := an.Analyze(agent.Text, false)
	h := History{PriorComplaints: 1}
	var st State
	n := testing.AllocsPerRun(200, func() {
		m.Update(&st, cust, rc, h)
		m.Update(&st, agent, ra, h)
	})
	if n > 2 {
		t.Errorf("%.1f allocations per two Updates, want at most one each", n)
	}
}
