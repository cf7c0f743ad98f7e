package goodwill

import (
	"fmt"
	"unicode/utf8"
)

// dimensions scores seed 001's five dimensions over all turns.
func (a *Assessor) dimensions(st *state) []DimensionScore {
	return []DimensionScore{
		a.constructiveness(st),
		a.emotional(st),
		a.goal(st),
		a.attitude(st),
		a.substance(st),
	}
}

func addEv(d *DimensionScore, e Evidence) {
	if len(d.Evidence) < maxEvidence {
		d.Evidence = append(d.Evidence, e)
	}
}

// factCategories counts the kinds of specific fact given (date or time,
// amount, place, product, card or account) and lists one example of each.
func factCategories(st *state) (int, []Evidence) {
	found := map[string]bool{}
	var ev []Evidence
	note := func(cat string, e Evidence) {
		if !found[cat] {
			found[cat] = true
			ev = append(ev, e)
		}
	}
	for _, t := range st.ts {
		for _, d := range t.dates {
			sp := d.span
			note("date", t.ev(&sp, "date", "具体日期或时间", "a specific date or time", 1))
		}
		for _, am := range t.amounts {
			sp := am.Span
			note("amount", t.ev(&sp, "amount", "具体金额", "a specific amount", 1))
		}
		for _, h := range t.hits[kPlace] {
			note("place", t.ev(t.spanOf(h), "place", "具体地点或网点", "a specific place or branch", h.weight))
		}
		for _, h := range t.hits[kProduct] {
			note("product", t.ev(t.spanOf(h), "product", "具体产品或业务", "a named product or service", h.weight))
		}
		for _, sp := range t.tails {
			s := sp
			note("account", t.ev(&s, "account", "卡号或账户信息", "a card or account reference", 1))
		}
		for _, h := range t.hits[kAccount] {
			note("account", t.ev(t.spanOf(h), "account", "卡号或账户信息", "a card or account reference", h.weight))
		}
	}
	return len(found), ev
}

// constructiveness (建设性): specific facts and suggestions.
func (a *Assessor) constructiveness(st *state) DimensionScore {
	d := DimensionScore{Dimension: Constructiveness, Evidence: []Evidence{}}
	n, ev := factCategories(st)
	for _, e := range ev {
		addEv(&d, e)
	}
	sug := 0.0
	for _, t := range st.ts {
		for _, h := range t.hits[kSuggestion] {
			if h.weight > sug {
				sug = h.weight
			}
			addEv(&d, t.ev(t.spanOf(h), "suggestion", "提出建议或希望", "a suggestion or wish", h.weight))
		}
	}
	d.Score = round3(clamp01(0.22*float64(n) + 0.3*sug))
	return d
}

// emotional investment (情感投入): attachment and expectations, and how
// strongly the customer feels (from the analyser).
func (a *Assessor) emotional(st *state) DimensionScore {
	d := DimensionScore{Dimension: EmotionalInvestment, Evidence: []Evidence{}}
	loy := 0.0
	for _, t := range st.ts {
		for _, h := range t.hits[kLoyalty] {
			loy = max(loy, h.weight)
			addEv(&d, t.ev(t.spanOf(h), "attachment", "对银行仍有期待或信任", "attachment to or expectations of the bank", h.weight))
		}
	}
	if st.intensityT != nil {
		addEv(&d, st.intensityT.ev(nil, "emotion_intensity", fmt.Sprintf("情绪强度 %.2f", st.intensity), fmt.Sprintf("emotion intensity %.2f", st.intensity), st.intensity))
	}
	if st.negEmotionT != nil {
		addEv(&d, st.negEmotionT.ev(nil, "negative_emotion", fmt.Sprintf("愤怒、焦虑或失望的概率 %.2f", st.negEmotion), fmt.Sprintf("probability of anger, anxiety or disappointment %.2f", st.negEmotion), st.negEmotion))
	}
	d.Score = round3(clamp01(0.45*loy + 0.35*st.intensity + 0.2*st.negEmotion))
	return d
}

// goal clarity (目标明确): an explicit wanted resolution, or an amount asked
// for; a vague one (解决, 给个说法) counts half.
func (a *Assessor) goal(st *state) DimensionScore {
	d := DimensionScore{Dimension: GoalClarity, Evidence: []Evidence{}}
	s := 0.0
	for _, t := range st.ts {
		for _, h := range t.hits[kResolution] {
			if a.negatedAt(t, h.start) {
				continue
			}
			s = max(s, h.weight)
			zh, en := "明确提出想要的解决方式", "an explicit wanted resolution"
			if h.weight < 0.7 {
				zh, en = "笼统要求解决", "a vague request to resolve"
			}
			addEv(&d, t.ev(t.spanOf(h), "resolution", zh, en, h.weight))
		}
		for _, am := range t.amounts {
			if am.Role == RoleDemand {
				s = 1
				sp := am.Span
				addEv(&d, t.ev(&sp, "amount_demanded", "提出具体金额的要求", "a specific amount asked for", 1))
			}
		}
		for _, h := range t.hits[kSuggestion] {
			if h.weight >= 1 && s < 0.4 {
				s = 0.4
			}
		}
	}
	d.Score = round3(s)
	return d
}

// attitude (积极态度): cooperative wording raises it; abuse, leverage and
// retaliation lower it.
func (a *Assessor) attitude(st *state) DimensionScore {
	d := DimensionScore{Dimension: Attitude, Evidence: []Evidence{}}
	coop := 0
	for _, t := range st.ts {
		for _, h := range t.hits[kCooperative] {
			coop++
			addEv(&d, t.ev(t.spanOf(h), "cooperative", "礼貌、合作的措辞", "polite, cooperative wording", h.weight))
		}
	}
	for _, e := range st.abuseEv {
		addEv(&d, e)
	}
	if l := st.strength(CueLeverage); l > 0 {
		addEv(&d, Evidence{Source: "all", Fact: "leverage", Zh: "以投诉、曝光或诉讼相要挟", En: "threatens complaint, publicity or legal action as leverage", Weight: round3(-0.15 * l)})
	}
	if r := st.strength(CueRetaliation); r > 0 {
		addEv(&d, Evidence{Source: "all", Fact: "retaliation", Zh: "报复或纠缠的表达", En: "retaliation or harassment wording", Weight: round3(-0.3 * r)})
	}
	s := 0.6 + min(0.3, 0.1*float64(coop)) - 0.5*st.abuse - 0.15*st.strength(CueLeverage) - 0.3*st.strength(CueRetaliation)
	d.Score = round3(clamp01(s))
	return d
}

// substance (实质内容): a recognised problem, specific facts, a loss or an
// incident, and enough text to hold them.
func (a *Assessor) substance(st *state) DimensionScore {
	d := DimensionScore{Dimension: Substance, Evidence: []Evidence{}}
	s := 0.0
	if st.hasProblem {
		s += 0.35
		for _, e := range st.problemEv {
			addEv(&d, e)
		}
	}
	n, _ := factCategories(st)
	switch {
	case n >= 2:
		s += 0.3
	case n == 1:
		s += 0.15
	}
	if n > 0 {
		addEv(&d, Evidence{Source: "all", Fact: "facts", Zh: fmt.Sprintf("给出 %d 类具体事实", n), En: fmt.Sprintf("%d kinds of specific fact given", n), Weight: round3(min(0.3, 0.15*float64(n)))})
	}
	incident := false
	for _, t := range st.ts {
		for _, k := range []string{kLossWord, kIncident} {
			for _, h := range t.hits[k] {
				if !incident {
					addEv(&d, t.ev(t.spanOf(h), "incident", "描述了发生的事情或损失", "says what happened or what was lost", 0.2))
				}
				incident = true
			}
		}
	}
	if incident {
		s += 0.2
	}
	runes := 0
	for _, t := range st.ts {
		runes += utf8.RuneCountInString(t.text)
	}
	switch {
	case runes >= 20:
		s += 0.15
	case runes >= 8:
		s += 0.05
	}
	d.Score = round3(clamp01(s))
	return d
}
