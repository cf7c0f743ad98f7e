package goodwill

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/analysis"
)

// turn is one text assessed: Input.Text or a contact.
type turn struct {
	source  string // "text" or "contact"
	contact int    // index into Input.Contacts
	text    string
	at      time.Time

	hits    map[string][]hit
	an      *analysis.Result
	amounts []Amount
	dates   []dateFact
	tails   []analysis.Span
	offP    float64 // offensive probability, -1 without a model
}

func (t *turn) ev(sp *analysis.Span, fact, zh, en string, w float64) Evidence {
	e := Evidence{Source: t.source, Span: sp, Fact: fact, Zh: zh, En: en, Weight: round3(w)}
	if t.source == "contact" {
		c := t.contact
		e.Contact = &c
	}
	return e
}

func (t *turn) spanOf(h hit) *analysis.Span {
	s := span(t.text, h.start, h.end)
	return &s
}

// cutText cuts s to at most n bytes on a rune boundary.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// turns lists the texts to assess: Input.Text first, then the customer's
// contacts by time, within the limits.
func (a *Assessor) turns(in Input) []*turn {
	var out []*turn
	budget := a.maxBytes
	text := strings.TrimSpace(in.Text)
	if text != "" {
		t := cutText(text, budget)
		budget -= len(t)
		out = append(out, &turn{source: "text", contact: -1, text: t, at: in.At})
	}
	idx := make([]int, 0, len(in.Contacts))
	for i, c := range in.Contacts {
		if strings.EqualFold(c.Role, "agent") || strings.TrimSpace(c.Text) == "" || strings.TrimSpace(c.Text) == text {
			continue
		}
		idx = append(idx, i)
	}
	sort.SliceStable(idx, func(x, y int) bool { return in.Contacts[idx[x]].At.Before(in.Contacts[idx[y]].At) })
	if len(idx) > a.maxContacts {
		idx = idx[len(idx)-a.maxContacts:]
	}
	for _, i := range idx {
		if budget <= 0 {
			break
		}
		t := cutText(strings.TrimSpace(in.Contacts[i].Text), budget)
		budget -= len(t)
		out = append(out, &turn{source: "contact", contact: i, text: t, at: in.Contacts[i].At})
	}
	return out
}

func (a *Assessor) scan(t *turn) {
	t.hits = a.cues.scan(t.text)
	if a.an != nil {
		r := a.an.Analyze(t.text, false)
		t.an = &r
	}
	t.offP = -1
	if a.off != nil {
		probs := make([]float64, len(a.off.Labels()))
		a.off.Predict(t.text, probs)
		t.offP = probs[a.offIdx]
	}
	t.amounts = ParseAmounts(t.text)
	if len(t.amounts) > maxAmounts {
		t.amounts = t.amounts[:maxAmounts]
	}
	a.roles(t)
	t.dates = dates(t.text)
	t.tails = cardTails(t.text)
}

// roles sets the role of each amount: a loss or demand word just after it
// (50元手续费, 5万元精神损失费, "$50 fee"), else the nearest one before it
// in its clause, else in its sentence.
func (a *Assessor) roles(t *turn) {
	type kw struct {
		h    hit
		role Role
	}
	var kws []kw
	for _, h := range t.hits[kDemandWord] {
		kws = append(kws, kw{h, RoleDemand})
	}
	for _, h := range t.hits[kLossWord] {
		kws = append(kws, kw{h, RoleLoss})
	}
	for i := range t.amounts {
		am := &t.amounts[i]
		am.Role = RoleOther
		// just after: within 6 bytes (的, " in ") and the same clause
		ce := clauseEnd(t.text, am.Span.End)
		best, bestStart := -1, 1<<30
		for j, k := range kws {
			if k.h.start >= am.Span.End && k.h.start <= am.Span.End+6 && k.h.start < ce && k.h.start < bestStart {
				best, bestStart = j, k.h.start
			}
		}
		if best < 0 {
			for _, from := range []int{clauseStart(t.text, am.Span.Start), sentenceStartOf(t.text, am.Span.Start)} {
				bestEnd := -1
				for j, k := range kws {
					if k.h.end <= am.Span.Start && k.h.start >= from && k.h.end > bestEnd {
						best, bestEnd = j, k.h.end
					}
				}
				if best >= 0 {
					break
				}
			}
		}
		if best >= 0 {
			am.Role = kws[best].role
			am.Word = strings.ToLower(t.text[kws[best].h.start:kws[best].h.end])
		}
	}
}

func sentenceStartOf(text string, i int) int {
	s, _ := sentenceBounds(text, i)
	return s
}

// Assess judges one complaint. It never fails: text it cannot read gives
// a result with less evidence, and an empty complaint gives the presumption
// of good faith with zero confidence.
func (a *Assessor) Assess(in Input) Assessment {
	ts := a.turns(in)
	as := Assessment{Notice: Notice, Version: Version, Cues: []Cue{}, Reasons: []Reason{}}
	for _, t := range ts {
		a.scan(t)
	}
	if len(ts) == 0 {
		as.Result, as.Empty = Goodwill, true
		as.Dimensions = make([]DimensionScore, len(Dimensions))
		for i, d := range Dimensions {
			as.Dimensions[i] = DimensionScore{Dimension: d, Evidence: []Evidence{}}
		}
		as.Reasons = append(as.Reasons, Reason{
			Zh: "投诉内容为空，无从判断；按善意推定处理。",
			En: "The complaint has no text to assess; it is presumed to be in good faith.",
		})
		a.serial(&as, in) // history alone is still worth showing
		return as
	}
	for _, t := range ts {
		as.Amounts = append(as.Amounts, t.amounts...)
	}

	st := &state{ts: ts}
	a.findCues(st, in)
	dims := a.dimensions(st)
	as.Dimensions = dims
	if st.abuse > 0 {
		sub := dims[4].Score
		if ag := st.abuse * (1 - sub); ag >= 0.1 {
			ev := append([]Evidence{}, st.abuseEv...)
			ev = append(ev, Evidence{Source: "all", Fact: "substance", Zh: fmt.Sprintf("实质内容得分 %.2f", sub), En: fmt.Sprintf("substance score %.2f", sub), Weight: round3(sub)})
			st.add(CueAggression, ag, ev...)
		}
	}

	w := a.w
	num, den := 0.0, 0.0
	dw := map[Dimension]float64{Constructiveness: w.Constructiveness, EmotionalInvestment: w.EmotionalInvestment,
		GoalClarity: w.GoalClarity, Attitude: w.Attitude, Substance: w.Substance}
	for _, d := range dims {
		num += dw[d.Dimension] * d.Score
		den += dw[d.Dimension]
	}
	g := num / den
	u := max(w.Disproportion*st.strength(CueDisproportion), w.Outsized*st.strength(CueOutsized))
	lev := st.strength(CueLeverage)
	ser := st.strength(CueSerial)
	m := clamp01(w.Extortion*st.strength(CueExtortion) + w.Contradiction*st.strength(CueContradiction) +
		w.Retaliation*st.strength(CueRetaliation) + w.Aggression*st.strength(CueAggression) +
		w.Leverage*lev + w.Serial*ser + w.PressureOnExcess*max(lev, ser)*clamp01(u))
	u = clamp01(u)
	as.Scores = Scores{Goodwill: round3(g), Unreasonable: round3(u), Malicious: round3(m)}
	switch {
	case m >= w.MaliciousAt:
		as.Result = SuspectedMalicious
		as.Confidence = 0.55 + 0.4*clamp01((m-w.MaliciousAt)/(1-w.MaliciousAt+1e-9))
	case u >= w.UnreasonableAt:
		as.Result = UnreasonableDemand
		as.Confidence = 0.55 + 0.4*clamp01((u-w.UnreasonableAt)/(1-w.UnreasonableAt+1e-9))
	default:
		as.Result = Goodwill
		margin := min(1-m/w.MaliciousAt, 1-u/w.UnreasonableAt)
		as.Confidence = 0.5 + 0.45*clamp01(margin)*(0.5+0.5*g)
	}
	as.Confidence = round3(as.Confidence)
	as.RouteToSupervisor = as.Result != Goodwill || m >= w.MaliciousAt*2/3 || u >= 0.7*w.UnreasonableAt
	as.Cues = st.cues
	if as.Cues == nil {
		as.Cues = []Cue{}
	}
	as.Reasons = reasons(as, st)
	return as
}

// state collects the cues found across turns.
type state struct {
	ts   []*turn
	cues []Cue
	// abuse is the strongest abuse strength of any turn, with evidence
	abuse   float64
	abuseEv []Evidence
	// negative-emotion and intensity maxima from the analyser
	intensity, negEmotion   float64
	intensityT, negEmotionT *turn // the turns they come from
	hasProblem              bool
	problemEv               []Evidence
}

func (st *state) strength(k CueKind) float64 {
	for _, c := range st.cues {
		if c.Kind == k {
			return c.Strength
		}
	}
	return 0
}

func (st *state) add(k CueKind, s float64, ev ...Evidence) {
	s = clamp01(s)
	for i := range st.cues {
		if st.cues[i].Kind == k {
			st.cues[i].Strength = round3(max(st.cues[i].Strength, s))
			for _, e := range ev {
				if len(st.cues[i].Evidence) < maxEvidence && !hasEvidence(st.cues[i].Evidence, e) {
					st.cues[i].Evidence = append(st.cues[i].Evidence, e)
				}
			}
			return
		}
	}
	st.cues = append(st.cues, Cue{Kind: k, Strength: round3(s), Evidence: append([]Evidence{}, ev...)})
}

// maxAmounts bounds the amounts considered per turn: a complaint names a
// few sums, and comparing every pair across contacts is quadratic.
const maxAmounts = 64

// maxEvidence bounds the evidence listed per cue or dimension.
const maxEvidence = 8

// threatKinds are the analyser's cue kinds that can be threatened.
var threatKinds = map[analysis.CueKind]bool{analysis.CueRegulator: true, analysis.CueMedia: true, analysis.CueLegal: true, analysis.CueComplaint: true}

func (a *Assessor) findCues(st *state, in Input) {
	for _, t := range st.ts {
		a.leverage(st, t)
		for _, h := range t.hits[kExtortion] {
			if a.negatedAt(t, h.start) {
				continue
			}
			// an ambiguous word (私了) is extortion for certain when a sum
			// of money stands in its sentence: 私了吧，两万块
			w := h.weight
			if s, e := sentenceBounds(t.text, h.start); w < 1 && (t.amountIn(s, e) || hitsIn(t.hits[kMoney], s, e)) {
				w = 1
			}
			st.add(CueExtortion, w, t.ev(t.spanOf(h), "extortion", "勒索性措辞", "extortion wording", w))
		}
		for _, h := range t.hits[kRetaliation] {
			if !a.negatedAt(t, h.start) {
				st.add(CueRetaliation, h.weight, t.ev(t.spanOf(h), "retaliation", "报复、纠缠或拒绝任何解决方案的措辞", "retaliation, harassment or refusal of any solution", h.weight))
			}
		}
		for _, h := range t.hits[kOutsized] {
			if !a.negatedAt(t, h.start) && !promisedAt(t, h.start) {
				st.add(CueOutsized, h.weight, t.ev(t.spanOf(h), "outsized_demand", "超出投诉事项的要求", "a demand beyond what the complaint is about", h.weight))
			}
		}
		a.abuse(st, t)
		if t.an != nil && !t.an.Empty {
			if t.an.Emotion.Intensity > st.intensity {
				st.intensity, st.intensityT = t.an.Emotion.Intensity, t
			}
			p := t.an.Emotion.Probs
			if ne := p.Of(analysis.Anger) + p.Of(analysis.Anxiety) + p.Of(analysis.Disappointment); ne > st.negEmotion {
				st.negEmotion, st.negEmotionT = ne, t
			}
			for _, pr := range t.an.Problems {
				if pr.Score >= 0.3 && (pr.Axis == analysis.AxisCause || pr.Axis == analysis.AxisBusiness) {
					st.hasProblem = true
					var sp *analysis.Span
					if len(pr.Spans) > 0 {
						s := pr.Spans[0]
						sp = &s
					}
					if len(st.problemEv) < maxEvidence {
						st.problemEv = append(st.problemEv, t.ev(sp, "problem:"+pr.Code, "问题："+pr.Name, "problem: "+pr.NameEn, pr.Score))
					}
				}
			}
		}
	}
	a.disproportion(st)
	a.contradictions(st)
	var tmp Assessment
	a.serial(&tmp, in)
	for _, c := range tmp.Cues {
		st.add(c.Kind, c.Strength, c.Evidence...)
	}
}

// negatedAt reports whether a threat-negator (不会, 不想, won't …) stands
// just before byte offset i, with no condition or 就 between: 我不会去曝光
// is no threat, 不赔就曝光 is one.
func (a *Assessor) negatedAt(t *turn, i int) bool {
	for _, n := range t.hits[kTNegator] {
		if n.end <= i && i-n.end <= 12 {
			between := t.text[n.end:i]
			if strings.Contains(between, "就") || strings.ContainsAny(between, "，,。！!？?") {
				continue
			}
			return true
		}
	}
	return false
}

// promisedAt reports whether a promise word (说好, 承诺, advertised …)
// stands shortly before byte offset i in the same clause, with no demand
// word between: 客户经理说好终身免年费 reports the bank's promise, which the
// customer may fairly hold it to; 我要求终身免年费 is a demand.
func promisedAt(t *turn, i int) bool {
	for _, p := range t.hits[kPromise] {
		if p.end > i || i-p.end > 24 {
			continue
		}
		between := t.text[p.end:i]
		if strings.ContainsAny(between, "，,。；;！!？?") || hitsIn(t.hits[kDemandWord], p.end, i) ||
			strings.Contains(between, "要求") || strings.Contains(between, "必须") {
			continue
		}
		return true
	}
	return false
}

type target struct {
	start, end int
	kind       string // regulator, media, legal, complaint, or "threat"
}

// targets are the threat targets of a turn: the analyser's escalation cues
// and the package's own threat list, overlapping ones merged.
func targets(t *turn) []target {
	var out []target
	if t.an != nil {
		for _, c := range t.an.Cues {
			if threatKinds[c.Kind] {
				out = append(out, target{c.Span.Start, c.Span.End, string(c.Kind)})
			}
		}
	}
	for _, h := range t.hits[kThreat] {
		out = append(out, target{h.start, h.end, "threat"})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].start < out[j].start })
	var merged []target
	for _, x := range out {
		if n := len(merged); n > 0 && x.start < merged[n-1].end {
			if x.end > merged[n-1].end {
				merged[n-1].end = x.end
			}
			if merged[n-1].kind == "threat" {
				merged[n-1].kind = x.kind
			}
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

func hitsIn(hs []hit, s, e int) bool {
	for _, h := range hs {
		if h.start >= s && h.end <= e {
			return true
		}
	}
	return false
}

func (t *turn) amountIn(s, e int) bool {
	for _, am := range t.amounts {
		if am.Span.Start >= s && am.Span.End <= e {
			return true
		}
	}
	return false
}

// leverage finds threats made conditional on a demand.
func (a *Assessor) leverage(st *state, t *turn) {
	for _, tg := range targets(t) {
		sp := span(t.text, tg.start, tg.end)
		if a.negatedAt(t, tg.start) {
			st.add(CueThreatMention, 0, t.ev(&sp, "threat_negated", "提到监管、媒体或诉讼，但为否定（不会去）", "regulator, media or court mentioned, negated (will not)", 0))
			continue
		}
		s, e := sentenceBounds(t.text, tg.start)
		cond := -1
		for _, c := range t.hits[kCondition] {
			after := strings.HasPrefix(c.kindTerm(t.text), "除非") || strings.EqualFold(c.kindTerm(t.text), "unless")
			if c.start >= s && (c.end <= tg.start || after && c.start >= tg.end && c.end <= e) {
				cond = c.start
				break
			}
		}
		if cond < 0 {
			// the general 不……就 / 没……就 pattern: 不把钱退给我就去曝光
			pre := t.text[s:tg.start]
			if j := strings.LastIndex(pre, "就"); j > 0 && strings.ContainsAny(pre[:j], "不没") {
				cond = s + strings.IndexAny(pre[:j], "不没")
			}
		}
		if cond < 0 {
			st.add(CueThreatMention, 0, t.ev(&sp, "threat_mention", "提到监管、媒体或诉讼，但未以此为要挟条件", "regulator, media or court mentioned, not as a condition", 0))
			continue
		}
		// the demand is in the threat's sentence or the one before it
		// (我要求赔偿5万元。不答应就投诉到监管！)
		lo, hi := s, e
		if s > 0 {
			lo, _ = sentenceBounds(t.text, max(0, s-4))
		}
		money := hitsIn(t.hits[kMoney], lo, hi) || hitsIn(t.hits[kDemandWord], lo, hi) || t.amountIn(lo, hi)
		strength := 0.5
		if money {
			strength = 1
		}
		if tg.kind == string(analysis.CueComplaint) {
			strength *= 0.7 // a formal complaint is the customer's plain right
		}
		whole := span(t.text, min(cond, tg.start), runeFloor(t.text, max(tg.end, min(e, tg.end+30))))
		if money {
			st.add(CueLeverage, strength, t.ev(&whole, "leverage_money", "以投诉、曝光或诉讼为要挟索取钱款", "a threat of complaint, publicity or legal action made conditional on money", strength))
		} else {
			st.add(CueLeverage, strength, t.ev(&whole, "leverage", "以投诉、曝光或诉讼为要挟条件", "a threat of complaint, publicity or legal action made conditional on a demand", strength))
		}
	}
	for _, h := range t.hits[kPayWithdraw] {
		s, _ := sentenceBounds(t.text, h.start)
		if hitsIn(t.hits[kMoney], s, h.start) || hitsIn(t.hits[kDemandWord], s, h.start) || t.amountIn(s, h.start) {
			whole := span(t.text, s, h.end)
			st.add(CueLeverage, 1, t.ev(&whole, "pay_and_withdraw", "以撤回投诉、删帖为交换索取钱款", "money asked in exchange for withdrawing a complaint or post", 1))
		}
	}
}

func (h hit) kindTerm(text string) string { return text[h.start:h.end] }

// abuse records the strongest abuse of any turn: the analyser's abuse cues
// (or, without an analyser, the lexicon's abuse list through the package's
// own matcher) and the offensive model.
func (a *Assessor) abuse(st *state, t *turn) {
	n := 0
	var ev []Evidence
	if t.an != nil {
		for _, c := range t.an.Cues {
			if c.Kind == analysis.CueAbuse && !c.Negated {
				n++
				sp := c.Span
				ev = append(ev, t.ev(&sp, "abuse", "辱骂或攻击性用语", "abusive or insulting wording", 1))
			}
		}
	} else {
		for _, h := range t.hits[kAbuse] {
			n++
			ev = append(ev, t.ev(t.spanOf(h), "abuse", "辱骂或攻击性用语", "abusive or insulting wording", h.weight))
		}
	}
	s := 0.0
	switch {
	case n >= 2:
		s = 1
	case n == 1:
		s = 0.6
	}
	if t.offP >= 0.5 {
		o := clamp01((t.offP - 0.5) * 2)
		ev = append(ev, t.ev(nil, "offensive_model", fmt.Sprintf("冒犯性语言模型概率 %.2f", t.offP), fmt.Sprintf("offensive-language model probability %.2f", t.offP), o))
		s = max(s, o)
	}
	if s > st.abuse {
		st.abuse = s
	}
	if len(st.abuseEv) < maxEvidence {
		st.abuseEv = append(st.abuseEv, ev...)
	}
}

// disproportion compares the largest demand with the stated loss.
func (a *Assessor) disproportion(st *state) {
	var loss, other, demand *Amount
	var lossT, otherT, demandT *turn
	hasLossWord := false
	for _, t := range st.ts {
		if len(t.hits[kLossWord]) > 0 {
			hasLossWord = true
		}
		for i := range t.amounts {
			am := &t.amounts[i]
			switch am.Role {
			case RoleLoss:
				if loss == nil || am.CNY() > loss.CNY() {
					loss, lossT = am, t
				}
			case RoleDemand:
				if demand == nil || am.CNY() > demand.CNY() {
					demand, demandT = am, t
				}
			default:
				if repeatsDemand(st.ts, *am) {
					continue // 三万一分都不能少 repeats the demand, it states no loss
				}
				if other == nil || am.CNY() > other.CNY() {
					other, otherT = am, t
				}
			}
		}
	}
	if demand == nil {
		return
	}
	ref, refT := loss, lossT
	if ref == nil {
		ref, refT = other, otherT
	}
	dsp := demand.Span
	dev := demandT.ev(&dsp, "demand", fmt.Sprintf("要求金额 %s", fmtMoney(*demand)), fmt.Sprintf("amount demanded %s", fmtMoney(*demand)), 0)
	if ref != nil && ref.CNY() > 0 {
		r := demand.CNY() / ref.CNY()
		s := 0.0
		switch {
		case r >= 10:
			s = 1
		case r >= 5:
			s = 0.7
		case r >= 3:
			s = 0.4
		}
		if s == 0 {
			return
		}
		rsp := ref.Span
		dev.Weight = s
		st.add(CueDisproportion, s,
			refT.ev(&rsp, "stated_loss", fmt.Sprintf("所述损失 %s", fmtMoney(*ref)), fmt.Sprintf("stated loss %s", fmtMoney(*ref)), 0),
			dev,
			Evidence{Source: dev.Source, Contact: dev.Contact, Fact: "ratio", Zh: fmt.Sprintf("要求为所述损失的 %.0f 倍", r), En: fmt.Sprintf("the demand is %.0f times the stated loss", r), Weight: s})
		return
	}
	// No loss stated at all, not even in words (亏了, 损失, charged): the
	// size of the demand alone speaks.
	if !hasLossWord {
		s := 0.0
		switch v := demand.CNY(); {
		case v >= 50000:
			s = 0.8
		case v >= 5000:
			s = 0.6
		case v >= 1000:
			s = 0.4
		}
		if s == 0 {
			return
		}
		dev.Weight = s
		dev.Zh += "，未说明任何损失"
		dev.En += ", with no loss stated"
		st.add(CueDisproportion, s, dev)
	}
}

func fmtMoney(a Amount) string {
	v := fmt.Sprintf("%.2f", a.Value)
	v = strings.TrimSuffix(strings.TrimSuffix(v, "00"), ".")
	switch a.Currency {
	case "USD":
		return "$" + v
	case "CNY":
		return v + " 元"
	}
	return v
}

// contradictions: the same loss (by its word: 年费, 盗刷, 损失) with
// amounts that differ by half or more between turns, or the same incident
// dated differently.
func (a *Assessor) contradictions(st *state) {
	if len(st.ts) < 2 {
		return
	}
	// The same loss is two loss amounts whose sentences share a specific
	// term (年费, 盗刷, "charge"; not the bare verb 扣了) and do not name
	// different products (手续费 and 利息 are two losses).
	type seen struct {
		t    *turn
		am   Amount
		keys map[string]bool
		prod map[string]bool
	}
	var all []seen
	for _, t := range st.ts {
		for _, am := range t.amounts {
			if am.Role != RoleLoss {
				continue
			}
			s, e := sentenceBounds(t.text, am.Span.Start)
			x := seen{t: t, am: am, keys: map[string]bool{}, prod: map[string]bool{}}
			for _, h := range t.hits[kProduct] {
				if h.start >= s && h.end <= e {
					w := strings.ToLower(t.text[h.start:h.end])
					x.keys[w], x.prod[w] = true, true
				}
			}
			for _, h := range t.hits[kLossWord] {
				if w := strings.ToLower(t.text[h.start:h.end]); h.start >= s && h.end <= e && !genericLoss[w] {
					x.keys[w] = true
				}
			}
			all = append(all, x)
		}
	}
	for i := 0; i < len(all); i++ {
		for j := i + 1; j < len(all); j++ {
			p, q := all[i], all[j]
			if p.t == q.t || !intersects(p.keys, q.keys) || len(p.prod) > 0 && len(q.prod) > 0 && !intersects(p.prod, q.prod) {
				continue
			}
			hi, lo := max(p.am.CNY(), q.am.CNY()), min(p.am.CNY(), q.am.CNY())
			// a customer comparing two figures (详单 22.8 元, 账单 204.75
			// 元) repeats both: a figure still stated later was not changed
			if lo > 0 && hi/lo >= 1.5 && !mentions(q.t, p.am) && !mentions(p.t, q.am) {
				s1, s2 := p.am.Span, q.am.Span
				st.add(CueContradiction, 1,
					p.t.ev(&s1, "loss_changed", "先称损失 "+fmtMoney(p.am), "first stated loss "+fmtMoney(p.am), 1),
					q.t.ev(&s2, "loss_changed", "后称损失 "+fmtMoney(q.am), "later stated loss "+fmtMoney(q.am), 1))
			}
		}
	}
	type dseen struct {
		t *turn
		d dateFact
	}
	incidents := map[string]dseen{}
	for _, t := range st.ts {
		for _, d := range t.dates {
			if d.key == "" || d.time {
				continue
			}
			s, e := sentenceBounds(t.text, d.span.Start)
			for _, h := range t.hits[kIncident] {
				if h.start < s || h.end > e {
					continue
				}
				word := strings.ToLower(t.text[h.start:h.end])
				p, ok := incidents[word]
				if !ok {
					incidents[word] = dseen{t, d}
					continue
				}
				if p.t != t && p.d.key != d.key {
					s1, s2 := p.d.span, d.span
					st.add(CueContradiction, 0.7,
						p.t.ev(&s1, "date_changed", "先称事发日期 "+p.d.span.Text+"（"+word+"）", "first gave the date "+p.d.span.Text+" ("+word+")", 0.7),
						t.ev(&s2, "date_changed", "后称事发日期 "+d.span.Text, "later gave the date "+d.span.Text, 0.7))
				}
			}
		}
	}
}

// serial scores the customer's history. It puts its cue on as.Cues.
func (a *Assessor) serial(as *Assessment, in Input) {
	h := in.History
	at := in.At
	if at.IsZero() {
		for _, c := range in.Contacts {
			if c.At.After(at) {
				at = c.At
			}
		}
	}
	inYear := 0
	for _, d := range h.ComplaintDates {
		if at.IsZero() || (!d.After(at) && at.Sub(d) <= 365*24*time.Hour) {
			inYear++
		}
	}
	n := max(h.PriorComplaints, h.PriorCases, inYear)
	comps := len(h.Compensations)
	total := 0.0
	for _, c := range h.Compensations {
		total += c.Amount
	}
	chans := map[string]bool{}
	for _, c := range h.Channels {
		if c = strings.TrimSpace(strings.ToLower(c)); c != "" {
			chans[c] = true
		}
	}
	s := 0.0
	var ev []Evidence
	if n >= 3 {
		s += 0.4
		if n >= 6 {
			s += 0.3
		}
		zh := fmt.Sprintf("此前投诉 %d 次", n)
		en := fmt.Sprintf("%d earlier complaints", n)
		if len(h.ComplaintDates) > 0 && !at.IsZero() {
			zh += fmt.Sprintf("（近一年 %d 次）", inYear)
			en += fmt.Sprintf(" (%d in the last year)", inYear)
		}
		ev = append(ev, Evidence{Source: "history", Fact: "prior_complaints", Zh: zh, En: en, Weight: round3(s)})
	}
	if comps >= 1 {
		w := 0.2
		if comps >= 2 {
			w = 0.5
		}
		s += w
		ev = append(ev, Evidence{Source: "history", Fact: "prior_compensation",
			Zh: fmt.Sprintf("此前获得补偿 %d 次，共 %s 元", comps, trimFloat(total)),
			En: fmt.Sprintf("compensation obtained %d times before, %s in total", comps, trimFloat(total)), Weight: w})
	}
	if len(chans) >= 3 && n >= 3 {
		s += 0.1
		ev = append(ev, Evidence{Source: "history", Fact: "channels", Zh: fmt.Sprintf("通过 %d 个渠道投诉", len(chans)), En: fmt.Sprintf("complained through %d channels", len(chans)), Weight: 0.1})
	}
	if s > 0 {
		as.Cues = append(as.Cues, Cue{Kind: CueSerial, Strength: round3(clamp01(s)), Evidence: ev})
	}
}

func trimFloat(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimSuffix(strings.TrimSuffix(s, "00"), ".")
	return s
}

// hasEvidence reports whether evs already holds e's fact at e's place.
func hasEvidence(evs []Evidence, e Evidence) bool {
	for _, x := range evs {
		if x.Source == e.Source && x.Fact == e.Fact && (x.Contact == nil) == (e.Contact == nil) &&
			(x.Contact == nil || *x.Contact == *e.Contact) && (x.Span == nil) == (e.Span == nil) &&
			(x.Span == nil || *x.Span == *e.Span) {
			return true
		}
	}
	return false
}

// repeatsDemand reports whether an amount without a role has the value of
// an amount demanded somewhere in the complaint.
func repeatsDemand(ts []*turn, am Amount) bool {
	for _, t := range ts {
		for _, d := range t.amounts {
			if d.Role == RoleDemand && d.CNY() > 0 && math.Abs(d.CNY()-am.CNY()) <= 0.01*d.CNY() {
				return true
			}
		}
	}
	return false
}

// genericLoss are loss words too general to identify a loss.
var genericLoss = map[string]bool{"扣": true, "扣了": true, "扣款": true, "扣除": true, "收了": true, "收取": true, "被收": true, "费用": true, "charged": true, "亏": true}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// runeFloor moves i back to the start of the rune it falls in.
func runeFloor(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// mentions reports whether a turn states an amount of the same value.
func mentions(t *turn, am Amount) bool {
	for _, x := range t.amounts {
		if math.Abs(x.CNY()-am.CNY()) <= 0.005*am.CNY() {
			return true
		}
	}
	return false
}
