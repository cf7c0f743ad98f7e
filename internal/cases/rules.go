package cases

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// transitions is the lifecycle. Moves not listed are refused.
//
//   - assessing → resolution_proposed lets a simple case skip investigation;
//   - resolution_proposed → investigating and awaiting_customer →
//     investigating / resolution_proposed are rework after a rejection;
//   - closed → assessing is reopen.
var transitions = map[State][]State{
	StateReceived:           {StateAssessing},
	StateAssessing:          {StateInvestigating, StateResolutionProposed},
	StateInvestigating:      {StateResolutionProposed},
	StateResolutionProposed: {StateAwaitingCustomer, StateInvestigating},
	StateAwaitingCustomer:   {StateFollowUp, StateInvestigating, StateResolutionProposed},
	StateFollowUp:           {StateClosed},
	StateClosed:             {StateAssessing},
}

// Allowed returns the states a case in state s may move to.
func Allowed(s State) []State { return slices.Clone(transitions[s]) }

// CheckTransition returns nil when from → to is allowed, else an
// *IllegalTransitionError naming the allowed next steps.
func CheckTransition(from, to State) error {
	if slices.Contains(transitions[from], to) {
		return nil
	}
	return &IllegalTransitionError{From: from, To: to, Allowed: Allowed(from)}
}

// Open reports whether a case in state s is still being handled.
func (s State) Open() bool { return s != StateClosed }

// Valid reports whether s is a known state.
func (s State) Valid() bool { return slices.Contains(States, s) }

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return slices.Contains(Channels, c) }

// Valid reports whether k is a known remedy.
func (k RemedyKind) Valid() bool { return slices.Contains(RemedyKinds, k) }

// Valid reports whether t is a known complaint type.
func (t ComplaintType) Valid() bool { return slices.Contains(ComplaintTypes, t) }

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool {
	switch s {
	case SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical:
		return true
	}
	return false
}

// Valid reports whether c is a known complexity.
func (c Complexity) Valid() bool {
	switch c {
	case ComplexitySimple, ComplexityComplex, ComplexityVeryComplex:
		return true
	}
	return false
}

// fallbackCues is used when no analyser is configured, so a case that names
// the regulator still counts as escalating. The analysis package's cue
// lists are richer; this is only the floor.
var fallbackCues = []struct {
	kind  CueKind
	words []string
}{
	{CueRegulator, []string{"监管", "12378", "银保监", "金融监管", "人民银行", "regulator", "ombudsman", "cfpb", "fca"}},
	{CueMedia, []string{"曝光", "媒体", "记者", "微博", "抖音", "journalist", "the press", "social media"}},
	{CueLegal, []string{"律师", "起诉", "法院", "诉讼", "lawyer", "sue ", "court"}},
	{CueChurn, []string{"销户", "换银行", "不再使用", "close my account"}},
	{CueRepeat, []string{"又", "再次", "第三次", "多次", "again", "third time"}},
}

// FallbackCues finds cue words in text without the analysis engine.
func FallbackCues(text string) []CueKind {
	low := strings.ToLower(text)
	var out []CueKind
	for _, c := range fallbackCues {
		for _, w := range c.words {
			if strings.Contains(low, w) {
				out = append(out, c.kind)
				break
			}
		}
	}
	return out
}

// typeWords map the seed 002 types to words; the first type whose words
// occur wins, in this order (a leak is also poor service, but the leak is
// what matters).
var typeWords = []struct {
	t     ComplaintType
	words []string
}{
	{TypeInformationLeak, []string{"泄露", "泄漏", "个人信息", "隐私", "骚扰电话", "leak", "privacy", "data breach"}},
	{TypeServiceQuality, []string{"态度", "冷漠", "服务", "排队", "不专业", "效率", "推诿", "attitude", "rude", "service", "waited"}},
	{TypeProductQuality, []string{"产品", "利率", "利息", "额度", "手续费", "年费", "账单", "理财", "贷款", "信用卡", "扣款", "收费", "fee", "interest", "card", "loan", "statement", "charge"}},
}

// AssessInput is what the automatic assessment looks at.
type AssessInput struct {
	Text        string
	Channel     Channel
	Signals     *Signals // nil without an analyser
	Departments []string
}

// Assess computes the automatic assessment. It is a pure function of its
// input. It never labels a complaint unreasonable or malicious: those are
// judgements about the customer that only a person may make.
func Assess(in AssessInput) Assessment {
	a := Assessment{Severity: SeverityLow, Complexity: ComplexitySimple}
	var cues []CueKind
	causeFound := false
	businessCodes := map[string]bool{}
	if r := in.Signals; r != nil && !r.Empty {
		a.Emotion = r.Emotion
		a.EmotionIntensity = r.Intensity
		a.Negative = r.Negative
		best := map[string]float64{}
		for _, p := range r.Problems {
			if p.Score < 0.3 {
				continue
			}
			switch p.Axis {
			case AxisBusiness:
				businessCodes[p.Code] = true
				if p.Score > best[p.Axis] {
					a.BusinessCode, a.BusinessName = p.Code, p.Name
				}
			case AxisCause:
				causeFound = true
				if p.Score > best[p.Axis] {
					a.CauseCode, a.CauseName = p.Code, p.Name
				}
			case AxisChannel:
				if p.Score > best[p.Axis] {
					a.ChannelCode = p.Code
				}
			}
			best[p.Axis] = max(best[p.Axis], p.Score)
		}
		for _, c := range r.Cues {
			if !c.Negated && !slices.Contains(cues, c.Kind) {
				cues = append(cues, c.Kind)
			}
		}
		res := *r
		a.Analysis = &res
	} else {
		cues = FallbackCues(in.Text)
		// Without problem recognition, demands cannot be judged unclear.
		causeFound = true
	}
	slices.Sort(cues)
	a.Cues = cues
	has := func(k CueKind) bool { return slices.Contains(cues, k) }

	negEmotion := a.Emotion == EmotionAnger || a.Emotion == EmotionAnxiety || a.Emotion == EmotionDisappointment
	a.Difficulty = Difficulty{
		StrongEmotion:      (negEmotion && a.EmotionIntensity >= 0.6) || has(CueAbuse),
		SeveralDepartments: len(uniq(in.Departments)) >= 2 || len(businessCodes) >= 2,
		UnclearDemands:     !causeFound && utf8.RuneCountInString(strings.TrimSpace(in.Text)) > 0,
		WideImpact:         has(CueMedia) || has(CueRegulator) || in.Channel == ChannelSocial || in.Channel == ChannelRegulator,
	}
	a.Severity = severity(a, cues, in.Channel)
	a.Complexity = complexity(a.Difficulty)
	a.Type = complaintType(in.Text)
	return a
}

func severity(a Assessment, cues []CueKind, ch Channel) Severity {
	score := 0
	for _, c := range cues {
		switch c {
		case CueRegulator, CueMedia, CueLegal:
			score += 2
		case CueChurn, CueRepeat, CueAbuse:
			score++
		}
	}
	if ch == ChannelRegulator {
		score += 2
	}
	if a.Difficulty.StrongEmotion {
		score++
	}
	if a.Negative >= 0.8 {
		score++
	}
	switch {
	case score >= 5:
		return SeverityCritical
	case score >= 3:
		return SeverityHigh
	case score >= 1:
		return SeverityMedium
	}
	return SeverityLow
}

func complexity(d Difficulty) Complexity {
	n := 0
	for _, f := range []bool{d.StrongEmotion, d.SeveralDepartments, d.UnclearDemands, d.WideImpact} {
		if f {
			n++
		}
	}
	switch {
	case n >= 3:
		return ComplexityVeryComplex
	case n >= 1 || d.SeveralDepartments:
		return ComplexityComplex
	}
	return ComplexitySimple
}

func complaintType(text string) ComplaintType {
	low := strings.ToLower(text)
	for _, tw := range typeWords {
		for _, w := range tw.words {
			if strings.Contains(low, w) {
				return tw.t
			}
		}
	}
	return ""
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// Similarity is the Jaccard similarity of two texts' character bigram sets
// (lower-cased, spaces and punctuation dropped): cheap, language-neutral,
// and good enough to notice the same story told twice.
func Similarity(a, b string) float64 {
	sa, sb := bigrams(a), bigrams(b)
	if len(sa) == 0 || len(sb) == 0 {
		return 0
	}
	inter := 0
	for g := range sa {
		if sb[g] {
			inter++
		}
	}
	return float64(inter) / float64(len(sa)+len(sb)-inter)
}

func bigrams(s string) map[string]bool {
	var rs []rune
	for _, r := range strings.ToLower(s) {
		if r > 127 || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if strings.ContainsRune("，。！？、；：“”‘’（）《》…—～·", r) {
				continue
			}
			rs = append(rs, r)
		}
	}
	out := make(map[string]bool, len(rs))
	for i := 0; i+1 < len(rs); i++ {
		out[string(rs[i:i+2])] = true
	}
	return out
}

// Title is a case's list title: the text's first non-empty line, cut to 80
// runes.
func Title(text string) string {
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) > 80 {
			line = string([]rune(line)[:80]) + "…"
		}
		return line
	}
	return ""
}

// Masked returns the customer with phone and ID-card number masked
// (138****5678, 1101**********1234), for roles without the right to see
// personal data and for logs.
func (c Customer) Masked() Customer {
	c.Phone = MaskMiddle(c.Phone, 3, 4)
	c.IDCard = MaskMiddle(c.IDCard, 4, 4)
	return c
}

// MaskMiddle keeps the first keep1 and last keep2 runes of s and replaces the
// rest with '*'; short values are masked entirely.
func MaskMiddle(s string, keep1, keep2 int) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	if len(r) <= keep1+keep2 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:keep1]) + strings.Repeat("*", len(r)-keep1-keep2) + string(r[len(r)-keep2:])
}

// MaskPersonal returns a copy of the case with the customer's personal data
// masked.
func (c *Case) MaskPersonal() *Case {
	cp := *c
	cp.Customer = c.Customer.Masked()
	return &cp
}

// Summary returns the case as listed.
func (c *Case) Summary() Summary {
	s := Summary{
		ID: c.ID, State: c.State, Channel: c.Channel, CustomerID: c.Customer.ID,
		CustomerName: c.Customer.Name, ReceivedAt: c.ReceivedAt, UpdatedAt: c.UpdatedAt,
		Title: Title(c.Text), Assignee: c.Assignee, Team: c.Team, Branch: c.Branch, Severity: c.Assessment.Severity,
		CauseCode: c.Assessment.CauseCode, BusinessCode: c.Assessment.BusinessCode,
		Difficulty: c.Assessment.Difficulty, EscalationLevel: c.EscalationLevel,
		NextDue: c.Deadline.NextDue, DeadlineStatus: c.Deadline.Status,
	}
	if g := c.Goodwill; g != nil {
		s.Goodwill, s.NeedsSupervisorReview, s.GoodwillReviews = g.Result, g.NeedsSupervisorReview, len(g.Reviews)
	}
	return s
}
