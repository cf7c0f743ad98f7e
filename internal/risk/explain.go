package risk

import (
	"math"
	"time"

	"huajie/internal/analysis"
)

// Reason codes, with their Chinese and English texts.
const (
	rNegative = iota
	rAnger
	rRising
	rRegulator
	rMedia
	rLegal
	rComplaint
	rChurn
	rAbuse
	rRepeat
	rUnresolved
	rConfused
	rThanks
	rEmpathy
	rDeflection
	rNextStep
	rLength
	rWait
	rVoice
	rSilence
	rInterruptions
	rApp
	rPriorComplaints
	rOpenCases
	rRecentContacts
	rNoSigns
	numReasons
)

type text3 struct{ code, zh, en string }

var reasonText = [numReasons]text3{
	rNegative:        {"negative_emotion", "客户表达了不满或负面情绪", "The customer expresses dissatisfaction or negative feelings"},
	rAnger:           {"anger", "客户情绪愤怒", "The customer is angry"},
	rRising:          {"emotion_rising", "客户的负面情绪在逐轮升级", "The customer's negative feeling is rising turn by turn"},
	rRegulator:       {"threat_regulator", "客户提到监管部门或12378", "The customer mentions the regulator or its hotline"},
	rMedia:           {"threat_media", "客户提到媒体或网上曝光", "The customer threatens to go to the media or post online"},
	rLegal:           {"threat_legal", "客户提到律师或起诉", "The customer mentions a lawyer or going to court"},
	rComplaint:       {"threat_complaint", "客户扬言正式投诉", "The customer threatens a formal complaint"},
	rChurn:           {"threat_churn", "客户扬言销户或更换银行", "The customer threatens to close the account or leave"},
	rAbuse:           {"abuse", "客户使用了辱骂性语言", "The customer uses abusive language"},
	rRepeat:          {"repeat", "客户多次来电或反复诉说同一问题", "Repeat contact, or the customer repeats the same complaint"},
	rUnresolved:      {"unresolved", "问题仍未解决,坐席尚未给出具体的下一步", "The problem is unresolved and no concrete next step has been given"},
	rConfused:        {"confused", "客户表示没听懂", "The customer does not understand"},
	rThanks:          {"customer_thanks", "客户表示感谢或满意", "The customer thanks the agent or is satisfied"},
	rEmpathy:         {"agent_empathy", "坐席表达了理解或歉意", "The agent acknowledged the feeling or apologised"},
	rDeflection:      {"agent_deflection", "坐席推诿或指责客户", "The agent deflected or blamed the customer"},
	rNextStep:        {"agent_next_step", "坐席给出了具体的下一步和时间", "The agent gave a concrete next step and its time"},
	rLength:          {"conversation_length", "对话轮次与客户消息的篇幅", "The number of turns and the length of the customer's messages"},
	rWait:            {"long_wait", "客户等待时间长", "The customer has waited long"},
	rVoice:           {"voice_agitation", "客户语速、音量或音调升高", "The customer speaks faster, louder or with rising pitch"},
	rSilence:         {"silence", "通话中长时间冷场", "Long silence on the call"},
	rInterruptions:   {"interruptions", "通话中多次打断", "Repeated interruptions"},
	rApp:             {"app_failures", "客户在APP上多次操作失败或中途放弃", "Repeated app failures or abandoned flows"},
	rPriorComplaints: {"prior_complaints", "客户此前投诉过", "The customer has complained before"},
	rOpenCases:       {"open_cases", "客户有未结的投诉案件", "The customer has open cases"},
	rRecentContacts:  {"recent_contacts", "客户近30天在其他渠道多次联系", "The customer contacted us on other channels in the last 30 days"},
	rNoSigns:         {"no_signs", "未发现明显的不满迹象", "No sign of dissatisfaction"},
}

// ReasonCodes lists every reason code, for documentation and UIs.
func ReasonCodes() []string {
	out := make([]string, numReasons)
	for i, t := range reasonText {
		out[i] = t.code
	}
	return out
}

// Interventions, from seed 000 §三 (主动倾听, 设身处地, 反馈与确认, 加快服务流程
// §四) and seed 002 §三 (情感共鸣, 清晰表达, 积极引导, 保持冷静).
const (
	iSupervisor = iota
	iAcknowledge
	iNextStep
	iSpeedUp
	iConfirm
	iPlain
	iCalm
	numInterventions
)

var interventionText = [numInterventions]text3{
	iSupervisor:  {"supervisor_handover", "转交主管或资深处理人员接手,避免升级为外部投诉", "Hand over to a supervisor or senior handler before it becomes an external complaint"},
	iAcknowledge: {"acknowledge_feeling", "先回应情绪:“我理解您的感受”,并对给您带来的不便表示歉意", "Acknowledge the feeling first: \"I understand how you feel\", and apologise for the trouble"},
	iNextStep:    {"next_step_with_time", "给出具体的下一步和完成时间,例如“24小时内给您回电”", "Give the concrete next step and when, e.g. \"we will call you back within 24 hours\""},
	iSpeedUp:     {"speed_up", "加快办理,缩短客户等待,告知预计等待时间", "Speed up: cut the wait and tell the customer how long it will take"},
	iConfirm:     {"confirm_understanding", "复述客户的问题和诉求,确认理解无误(反馈与确认)", "Repeat back the problem and what the customer wants, and confirm you understood"},
	iPlain:       {"plain_language", "用简单明了的语言说明,避免行业术语", "Explain in plain words; avoid jargon"},
	iCalm:        {"stay_calm", "保持冷静,不争辩,把话题引向解决方案", "Stay calm, do not argue, steer towards the solution"},
}

// InterventionCodes lists every intervention code.
func InterventionCodes() []string {
	out := make([]string, numInterventions)
	for i, t := range interventionText {
		out[i] = t.code
	}
	return out
}

// Bounds on what one assessment carries.
const (
	MaxReasons       = 6
	MaxInterventions = 4
	// minReasonWeight: smaller contributions (log-odds) are not reported.
	minReasonWeight = 0.1
)

// contrib holds each reason's contribution to the log-odds and its value.
type contrib struct {
	w   [numReasons]float64
	val [numReasons]float64
}

var featureReason = [NumFeatures]int{
	FNegMax: rNegative, FNegMean: rNegative, FNegLast: rNegative, FDistSlope: rRising,
	FDistMax: rNegative, FDistLast: rNegative, FAngerMax: rAnger, FIntensMax: rNegative,
	FRises: rRising, FEscalation: -1, FMedia: rMedia, FComplaint: rComplaint, FChurn: rChurn, FAbuse: rAbuse,
	FRepeat: rRepeat, FStill: rUnresolved, FConfused: rConfused, FThanks: rThanks,
	FThanksLast: rThanks, FEmpathy: rEmpathy, FDeflection: rDeflection, FNextStep: rNextStep,
	FVagueStep: rNextStep, FOpen: rUnresolved, FCustTurns: rLength, FCustLen: rLength,
}

// score is the log-odds of the state, with each reason's share in c.
func (m *Model) score(st *State, h *History, now time.Time, c *contrib) float64 {
	x := Features(st)
	w := &m.w
	logit := w.Bias
	for i := range x {
		logit += w.W[i] * x[i]
		// a reason in the feature's own direction only ("less angry than a
		// calm conversation" is no reason); the free features (length) only
		// when they raise the risk
		d := w.W[i] * (x[i] - w.Ref[i])
		if FeatureSign[i] >= 0 && d < 0 || FeatureSign[i] < 0 && d > 0 {
			d = 0
		}
		if r := featureReason[i]; r >= 0 {
			c.w[r] += d
		} else if n := st.Cues[ciRegulator] + st.Cues[ciLegal]; n > 0 {
			// escalation: shared between the kinds present
			c.w[rRegulator] += d * float64(st.Cues[ciRegulator]) / float64(n)
			c.w[rLegal] += d * float64(st.Cues[ciLegal]) / float64(n)
		}
	}
	c.val[rNegative] = st.Neg.Max
	c.val[rAnger] = st.Anger.Max
	c.val[rRising] = st.Distress.Slope()
	c.val[rRepeat] = float64(st.Cues[ciRepeat] + st.Repeats)
	c.val[rUnresolved] = float64(st.OpenTurns)

	add := func(r int, v, val float64) {
		c.w[r] += v
		c.val[r] = val
		logit += v
	}
	if wait := st.MaxWait - 30; wait > 0 {
		add(rWait, math.Min(wWaitPerDoubling*math.Log2(1+wait/120), capWait), st.MaxWait)
	}
	voice := wVoice*math.Max(0, st.MaxSpeechRate-1.15) + wVoice*math.Max(0, st.MaxLoudness-1.15) + wPitch*math.Max(0, st.MaxPitchRise-0.10)
	if voice > 0 {
		add(rVoice, math.Min(voice, capVoice), math.Max(st.MaxSpeechRate, st.MaxLoudness))
	}
	if s := st.MaxSilence - 5; s > 0 {
		add(rSilence, math.Min(wSilence*s, capSilence), st.MaxSilence)
	}
	if st.Interruptions > 0 {
		add(rInterruptions, math.Min(wInterruption*float64(st.Interruptions), capInterruptions), float64(st.Interruptions))
	}
	if st.AppFailures+st.AbandonedFlows > 0 {
		v := wAppFailure*float64(st.AppFailures) + wAbandoned*float64(st.AbandonedFlows)
		add(rApp, math.Min(v, capApp), float64(st.AppFailures+st.AbandonedFlows))
	}
	if h.PriorComplaints > 0 {
		v := math.Min(wPriorComplaint*float64(h.PriorComplaints), capPrior)
		if !h.LastComplaintAt.IsZero() && !now.IsZero() && now.Sub(h.LastComplaintAt) <= 90*24*time.Hour {
			v += wRecentComplaint
		}
		add(rPriorComplaints, v, float64(h.PriorComplaints))
	}
	if h.OpenCases > 0 {
		add(rOpenCases, math.Min(wOpenCase*float64(h.OpenCases), capOpenCases), float64(h.OpenCases))
	}
	if h.RecentContacts > 0 {
		add(rRecentContacts, math.Min(wRecentContact*float64(h.RecentContacts), capRecent), float64(h.RecentContacts))
	}
	if math.IsNaN(logit) {
		logit = w.Bias
	}
	return logit
}

// block is the single allocation of an assessment: its reasons, their
// spans and its interventions.
type block struct {
	r  [MaxReasons]Reason
	sp [MaxReasons]analysis.Span
	iv [MaxInterventions]Intervention
}

func (m *Model) explain(st *State, c *contrib, as *Assessment) {
	// the strongest reasons, by |weight|, by selection (numReasons is small)
	var picked [MaxReasons]int
	n := 0
	var used [numReasons]bool
	for n < MaxReasons {
		best, bw := -1, minReasonWeight
		for r := range c.w {
			if !used[r] && math.Abs(c.w[r]) >= bw {
				best, bw = r, math.Abs(c.w[r])
			}
		}
		if best < 0 {
			break
		}
		used[best] = true
		picked[n] = best
		n++
	}
	if n == 0 { // every risk comes with a reason, a calm one too
		picked[0] = rNoSigns
		n = 1
	}
	var ivs [MaxInterventions]int
	k := m.interventions(st, as.Risk, &ivs)

	b := &block{}
	for i := 0; i < n; i++ {
		r := picked[i]
		t := reasonText[r]
		b.r[i] = Reason{Code: t.code, Zh: t.zh, En: t.en, Weight: round4(c.w[r]), Value: round4(c.val[r])}
		if ref := st.reasonSpan(r); ref.set() {
			b.sp[i] = ref.span()
			b.r[i].Span = &b.sp[i]
			b.r[i].SpanTurn = ref.Turn
		}
	}
	for i := 0; i < k; i++ {
		t := interventionText[ivs[i]]
		b.iv[i] = Intervention{Code: t.code, Zh: t.zh, En: t.en}
	}
	as.Reasons = b.r[:n:n]
	as.Interventions = b.iv[:k:k]
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func (st *State) reasonSpan(r int) SpanRef {
	switch r {
	case rNegative, rAnger:
		return st.EmoSpan
	case rRegulator:
		return st.CueSpan[ciRegulator]
	case rMedia:
		return st.CueSpan[ciMedia]
	case rLegal:
		return st.CueSpan[ciLegal]
	case rComplaint:
		return st.CueSpan[ciComplaint]
	case rChurn:
		return st.CueSpan[ciChurn]
	case rAbuse:
		return st.CueSpan[ciAbuse]
	case rRepeat:
		return st.CueSpan[ciRepeat]
	case rUnresolved:
		return st.StillSpan
	case rEmpathy:
		return st.EmpSpan
	case rDeflection:
		return st.DeflSpan
	case rNextStep:
		return st.StepSpan
	}
	return SpanRef{}
}

// interventions picks the suggestions that fit the state, most urgent
// first, into out; it returns how many.
func (m *Model) interventions(st *State, risk float64, out *[MaxInterventions]int) int {
	n := 0
	push := func(i int) {
		if n < len(out) {
			out[n] = i
			n++
		}
	}
	elevated := risk >= m.w.Medium
	escal := st.Cues[ciRegulator]+st.Cues[ciMedia]+st.Cues[ciLegal] > 0
	if escal || risk >= HandoverRisk || (st.Deflection > 0 && risk >= m.w.Alert) {
		push(iSupervisor)
	}
	if elevated && !st.Acknowledged && (st.Neg.Last >= 0.5 || st.Distress.Last >= 0.5 || st.Neg.Max >= 0.5) {
		push(iAcknowledge)
	}
	if elevated && st.Open {
		push(iNextStep)
	}
	if st.Waiting >= 180 || (st.LastRole == RoleCustomer && st.AppFailures+st.AbandonedFlows >= 2) {
		push(iSpeedUp)
	}
	if elevated && (st.Repeats > 0 || st.OpenTurns >= 2 || st.Cues[ciRepeat] > 0) {
		push(iConfirm)
	}
	if st.Confused > 0 || (st.Jargon > 0 && elevated) {
		push(iPlain)
	}
	if elevated && (st.Cues[ciAbuse] > 0 || st.Deflection > 0 || (st.Anger.Last >= 0.5 && st.Intensity.Last >= 0.6)) {
		push(iCalm)
	}
	return n
}
