package analysis

import (
	"sort"
	"strconv"
	"unicode/utf8"
)

// explainTop is how many model features are reported per target.
const explainTop = 6

// explain fills r.Explanation: the model features behind the emotion label
// and the sentiment, the negation corrections, the intensity marks, the
// cue and problem keywords. It allocates; it runs only when asked.
func (a *Analyzer) explain(text string, s *scratch, r *Result, sg *signals) {
	add := func(target, feature string, sp *Span, w float64) {
		r.Explanation = append(r.Explanation, Evidence{Target: target, Feature: feature, Span: sp, Weight: round4(w)})
	}
	span := func(st, en int) *Span { return &Span{Start: st, End: en, Text: text[st:en]} }

	li := a.emoMap[emotionIndex(r.Emotion.Label)]
	for _, c := range a.emo.Explain(text, li, explainTop) {
		add("emotion:"+string(r.Emotion.Label), "model:"+c.Feature, modelSpan(text, c.Start, c.End), c.Weight)
	}
	for _, c := range a.sen.Explain(text, a.senNeg, explainTop) {
		add("sentiment", "model:"+c.Feature, modelSpan(text, c.Start, c.End), c.Weight)
	}
	for _, ad := range s.adj {
		h := s.th[ad.pol]
		neg := h
		if h.negBy >= 0 {
			neg = s.th[h.negBy]
		}
		feat := "negation:" + text[neg.start:neg.end] + "+" + text[h.start:h.end]
		sp := span(int(min(neg.start, h.start)), int(max(neg.end, h.end)))
		if ad.sent != 0 {
			add("sentiment", feat, sp, ad.sent)
		}
		if ad.joy != 0 {
			add("emotion:joy", feat, sp, ad.joy)
		}
		if ad.negEm != 0 {
			add("emotion:anger,anxiety,disappointment", feat, sp, ad.negEm)
		}
	}
	for i := range s.th {
		h := &s.th[i]
		if h.drop {
			continue
		}
		switch h.cls {
		case clsInt:
			e := &a.ints[h.idx]
			w := e.Weight
			if h.negated && w > 0 {
				w = -w / 2
			}
			add("intensity", e.Kind+":"+e.Term, span(int(h.start), int(h.end)), w)
		case clsEmo:
			e := &a.emos[h.idx]
			add("intensity", "emoticon:"+e.Term+"("+e.Kind+")", span(int(h.start), int(h.end)), e.Weight)
		case clsCue:
			e := &a.cues[h.idx]
			w := e.Weight
			f := "lexicon:" + e.Term
			if h.negated {
				w = -w
				f += " (negated)"
			}
			add("cue:"+e.Kind, f, span(int(h.start), int(h.end)), w)
		}
	}
	if !a.noAdjust {
		for _, i := range s.cueHits {
			h := s.th[i]
			add("sentiment", "cue:"+a.cues[h.idx].Kind+":"+text[h.start:h.end], span(int(h.start), int(h.end)), adjCue*a.cues[h.idx].Weight)
		}
	}
	if r.Lang == "en" && !a.noAdjust {
		for i := range s.th {
			h := &s.th[i]
			if h.drop {
				continue
			}
			sp := span(int(h.start), int(h.end))
			switch {
			case h.cls == clsEmoWord && a.emoWords[h.idx].emotion >= 0:
				e := &a.emoWords[h.idx]
				w := adjEnEmotion * e.Weight
				if h.negated {
					w = -w
				}
				add("emotion:"+e.Kind, "english:"+e.Term, sp, w)
				if d := enSentimentOf(e.emotion, h.negated, e.Weight); d != 0 {
					add("sentiment", "english:"+e.Term, sp, d)
				}
			case h.cls == clsPol && !h.negated:
				w := adjEnSentiment * a.pols[h.idx].Weight
				if a.pols[h.idx].Kind == "pos" {
					w = -w
				}
				add("sentiment", "english:"+a.pols[h.idx].Term, sp, w)
			}
		}
	}
	if sg.punct > 0 {
		add("intensity", "punctuation:repeated !/? ×"+strconv.Itoa(sg.nPunct), nil, sg.punct)
	}
	for i := 0; i < sg.nCaps && i < len(sg.firstCap); i++ {
		c := sg.firstCap[i]
		add("intensity", "caps:"+c.Text, &c, wCaps)
	}
	if sg.emoji > 0 {
		add("intensity", "emoji:unlisted ×"+strconv.Itoa(sg.nEmoji-sg.nListed), nil, sg.emoji)
	}
	add("intensity", "model:1-P(neutral)", nil, wModel*(1-r.Emotion.Probs[5]))
	for _, p := range r.Problems {
		for _, sp := range p.Spans {
			sp := sp
			add("problem:"+p.Code, "keyword:"+sp.Text, &sp, a.keywordWeight(sp.Text))
		}
	}
	sort.SliceStable(r.Explanation, func(i, j int) bool { return r.Explanation[i].Target < r.Explanation[j].Target })
}

func (a *Analyzer) keywordWeight(term string) float64 {
	for _, k := range a.jrt.Keywords {
		if equalFoldASCII(k.Term, term) {
			return k.Weight
		}
	}
	return 0
}

func equalFoldASCII(x, y string) bool {
	if len(x) != len(y) {
		return false
	}
	for i := 0; i < len(x); i++ {
		a, b := x[i], y[i]
		if a >= 'A' && a <= 'Z' {
			a += 'a' - 'A'
		}
		if b >= 'A' && b <= 'Z' {
			b += 'a' - 'A'
		}
		if a != b {
			return false
		}
	}
	return true
}

// modelSpan turns a model feature's offsets into a span of the text, or nil
// when the feature has none (a bias, a begin-of-text n-gram reaching out).
func modelSpan(text string, st, en int) *Span {
	if st < 0 || en > len(text) || st >= en || !utf8.RuneStart(text[st]) || en < len(text) && !utf8.RuneStart(text[en]) {
		return nil
	}
	return &Span{Start: st, End: en, Text: text[st:en]}
}

func round4(x float64) float64 {
	if x != x {
		return 0
	}
	return float64(int64(x*1e4+copySign(0.5, x))) / 1e4
}

func copySign(v, x float64) float64 {
	if x < 0 {
		return -v
	}
	return v
}
