package cases

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestTransitions(t *testing.T) {
	allowed := map[[2]State]bool{}
	for _, tc := range []struct{ from, to State }{
		{StateReceived, StateAssessing},
		{StateAssessing, StateInvestigating},
		{StateAssessing, StateResolutionProposed},
		{StateInvestigating, StateResolutionProposed},
		{StateResolutionProposed, StateAwaitingCustomer},
		{StateResolutionProposed, StateInvestigating},
		{StateAwaitingCustomer, StateFollowUp},
		{StateAwaitingCustomer, StateInvestigating},
		{StateAwaitingCustomer, StateResolutionProposed},
		{StateFollowUp, StateClosed},
		{StateClosed, StateAssessing},
	} {
		allowed[[2]State{tc.from, tc.to}] = true
	}
	// Every pair of states: allowed exactly when listed, and a refusal names
	// the state and the allowed next steps.
	for _, from := range States {
		for _, to := range States {
			err := CheckTransition(from, to)
			if allowed[[2]State{from, to}] {
				if err != nil {
					t.Errorf("%s → %s refused: %v", from, to, err)
				}
				continue
			}
			var ite *IllegalTransitionError
			if !errors.As(err, &ite) {
				t.Errorf("%s → %s allowed", from, to)
				continue
			}
			if ite.From != from || !slices.Equal(ite.Allowed, Allowed(from)) || !strings.Contains(err.Error(), string(from)) {
				t.Errorf("%s → %s: error %q", from, to, err)
			}
			for _, a := range ite.Allowed {
				if !strings.Contains(err.Error(), string(a)) {
					t.Errorf("%s → %s: %q does not name %s", from, to, err, a)
				}
			}
		}
	}
	if CheckTransition(StateReceived, "bogus") == nil {
		t.Error("unknown state allowed")
	}
}

func TestAssess(t *testing.T) {
	cause := func(code string, score float64) ProblemSignal {
		return ProblemSignal{Axis: AxisCause, Code: code, Score: score}
	}
	biz := func(code string) ProblemSignal { return ProblemSignal{Axis: AxisBusiness, Code: code, Score: 0.7} }
	for _, tc := range []struct {
		name       string
		in         AssessInput
		flags      Difficulty
		severity   Severity
		complexity Complexity
		typ        ComplaintType
		cause      string
	}{
		{
			name:     "calm, clear, no analyser",
			in:       AssessInput{Text: "请问信用卡年费怎么收", Channel: ChannelPhone},
			severity: SeverityLow, complexity: ComplexitySimple, typ: TypeProductQuality,
		},
		{
			name:  "fallback cues: regulator and media",
			in:    AssessInput{Text: "再不处理我就向银保监投诉，还要找媒体曝光", Channel: ChannelPhone},
			flags: Difficulty{WideImpact: true}, severity: SeverityHigh, complexity: ComplexityComplex,
		},
		{
			name: "strong anger, clear cause",
			in: AssessInput{Text: "柜员态度太差了", Channel: ChannelBranch, Signals: &Signals{Emotion: EmotionAnger, Intensity: 0.8,
				Negative: 0.9, Problems: []ProblemSignal{cause("C05", 0.6)}}},
			flags: Difficulty{StrongEmotion: true}, severity: SeverityMedium, complexity: ComplexityComplex,
			typ: TypeServiceQuality, cause: "C05",
		},
		{
			name: "mild anger is not strong emotion",
			in: AssessInput{Text: "有点不满意", Channel: ChannelApp, Signals: &Signals{Emotion: EmotionAnger, Intensity: 0.3,
				Problems: []ProblemSignal{cause("C05", 0.6)}}},
			severity: SeverityLow, complexity: ComplexitySimple, cause: "C05",
		},
		{
			name: "no recognised cause: unclear demands; low-score cause ignored",
			in: AssessInput{Text: "你们看着办吧", Channel: ChannelPhone, Signals: &Signals{Emotion: EmotionNeutral,
				Problems: []ProblemSignal{cause("C01", 0.1)}}},
			flags: Difficulty{UnclearDemands: true}, severity: SeverityLow, complexity: ComplexityComplex,
		},
		{
			name: "two businesses: several departments",
			in: AssessInput{Text: "贷款和信用卡都出了问题", Channel: ChannelPhone, Signals: &Signals{
				Problems: []ProblemSignal{biz("B01"), biz("B03"), cause("C02", 0.5)}}},
			flags: Difficulty{SeveralDepartments: true}, severity: SeverityLow, complexity: ComplexityComplex,
			typ: TypeProductQuality, cause: "C02",
		},
		{
			name: "negated regulator cue ignored",
			in: AssessInput{Text: "我不会去监管投诉的", Channel: ChannelPhone, Signals: &Signals{
				Problems: []ProblemSignal{cause("C02", 0.5)}, Cues: []CueSignal{{Kind: CueRegulator, Negated: true}}}},
			severity: SeverityLow, complexity: ComplexitySimple, cause: "C02",
		},
		{
			name: "leak, social media, media, legal, abuse: critical and very complex",
			in: AssessInput{Text: "我的个人信息被泄露了，天天骚扰电话，我要起诉", Channel: ChannelSocial, Signals: &Signals{
				Emotion: EmotionAnger, Intensity: 0.9, Negative: 0.95,
				Cues: []CueSignal{{Kind: CueMedia}, {Kind: CueLegal}, {Kind: CueAbuse}}}},
			flags:    Difficulty{StrongEmotion: true, UnclearDemands: true, WideImpact: true},
			severity: SeverityCritical, complexity: ComplexityVeryComplex, typ: TypeInformationLeak,
		},
		{
			name:  "regulator referral channel",
			in:    AssessInput{Text: "监管转办：客户反映扣款问题", Channel: ChannelRegulator},
			flags: Difficulty{WideImpact: true}, severity: SeverityHigh, complexity: ComplexityComplex, typ: TypeProductQuality,
		},
		{
			name:  "several departments from findings",
			in:    AssessInput{Text: "转账失败", Channel: ChannelApp, Departments: []string{"运营部", "科技部", "运营部"}},
			flags: Difficulty{SeveralDepartments: true}, severity: SeverityLow, complexity: ComplexityComplex,
		},
	} {
		a := Assess(tc.in)
		if a.Difficulty != tc.flags {
			t.Errorf("%s: flags %+v, want %+v", tc.name, a.Difficulty, tc.flags)
		}
		if a.Severity != tc.severity || a.Complexity != tc.complexity || a.Type != tc.typ || a.CauseCode != tc.cause {
			t.Errorf("%s: severity %s complexity %s type %q cause %q; want %s %s %q %q", tc.name,
				a.Severity, a.Complexity, a.Type, a.CauseCode, tc.severity, tc.complexity, tc.typ, tc.cause)
		}
		if a.Type == TypeMalicious || a.Type == TypeUnreasonableDemand {
			t.Errorf("%s: automatic assessment judged the customer %s", tc.name, a.Type)
		}
	}
}

func TestSimilarityAndRepeat(t *testing.T) {
	a := "信用卡账单一直没有收到，害我产生了滞纳金"
	for _, tc := range []struct {
		b        string
		min, max float64
	}{
		{a, 1, 1},
		{"又是信用卡账单没有收到，滞纳金还是扣了", 0.3, 0.9},
		{"柜员服务态度冷漠，排队两个小时", 0, 0.05},
		{"", 0, 0},
	} {
		if s := Similarity(a, tc.b); s < tc.min || s > tc.max {
			t.Errorf("Similarity(%q) = %.2f, want [%.2f, %.2f]", tc.b, s, tc.min, tc.max)
		}
	}
	c1 := &Case{Text: "账单问题", Assessment: Assessment{CauseCode: "C02"}}
	c2 := &Case{Text: "完全不同的描述", Assessment: Assessment{CauseCode: "C02"}}
	if ok, why, _ := IsRepeat(c1, c2); !ok || why != "same_cause" {
		t.Errorf("same cause: %v %s", ok, why)
	}
	c2.Assessment.CauseCode = "C03"
	if ok, _, _ := IsRepeat(c1, c2); ok {
		t.Error("different cause and text counted as repeat")
	}
}

func TestMasking(t *testing.T) {
	c := Customer{ID: "C1", Name: "张三", Phone: "13812345678", IDCard: "11010519491231002X"}.Masked()
	if c.Phone != "138****5678" || c.IDCard != "1101**********002X" || c.Name != "张三" {
		t.Fatalf("%+v", c)
	}
	if MaskMiddle("123", 3, 4) != "***" {
		t.Fatal("short value not fully masked")
	}
}

func TestValidIDCard(t *testing.T) {
	for id, ok := range map[string]bool{
		"11010519491231002X": true,
		"11010519491231002x": true, // lower-case x accepted
		"110105194912310021": false,
		"1101051949123100":   false,
		"1101051949123100AX": false,
		"":                   true,
	} {
		if err := validIDCard(id); (err == nil) != ok {
			t.Errorf("%q: %v", id, err)
		}
	}
}

func TestTitle(t *testing.T) {
	if got := Title("\n  第一行\n第二行"); got != "第一行" {
		t.Fatalf("%q", got)
	}
	long := strings.Repeat("长", 100)
	if got := Title(long); len([]rune(got)) != 81 {
		t.Fatalf("%d runes", len([]rune(got)))
	}
}
