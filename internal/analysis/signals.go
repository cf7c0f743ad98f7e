package analysis

import (
	"math"
	"unicode/utf8"
)

// signals are the surface marks of intensity and language, gathered in one
// pass over the runes plus the lexicon hits.
type signals struct {
	han, words int // Chinese characters; English words (acronyms excluded)

	intens   float64 // intensifiers and downtoners (lexicon), summed
	punct    float64 // repeated ! and ?
	caps     float64 // all-caps English words
	emotic   float64 // listed emoticons and emoji
	emoji    float64 // other emoji
	nPunct   int
	nCaps    int
	nEmoji   int
	nListed  int // listed emoji among the emoticon hits
	firstCap [4]Span
}

// Intensity weights. Each family is capped so one kind of mark cannot
// saturate intensity alone; the sum goes through 1-exp(-x).
const (
	wPunctRun   = 0.3  // a run of two or more ! or ?
	wPunctExtra = 0.1  // each further mark in the run
	wPunctOne   = 0.08 // a single !
	capPunct    = 0.9
	wCaps       = 0.3 // an all-caps English word of 3+ letters, not an acronym
	capCaps     = 0.6
	capEmotic   = 1.0
	wEmoji      = 0.15 // an emoji not in the emoticon list
	capEmoji    = 0.45
	capIntens   = 1.2
	wModel      = 0.6 // times (1 - P(neutral)): how emotional the model finds the text
)

func (a *Analyzer) signals(text string, s *scratch) signals {
	var sg signals
	for i := range s.th {
		h := &s.th[i]
		if h.drop {
			continue
		}
		switch h.cls {
		case clsInt:
			w := a.ints[h.idx].Weight
			if h.negated && w > 0 {
				w = -w / 2 // 不太, "not very": a negated intensifier tones down
			}
			sg.intens += w
		case clsEmo:
			e := &a.emos[h.idx]
			sg.emotic += e.Weight
			if e.emoji {
				sg.nListed++
			}
		}
	}
	sg.intens = clamp(sg.intens, -capIntens, capIntens)
	sg.emotic = math.Min(sg.emotic, capEmotic)

	run := 0
	bang := false
	endRun := func() {
		switch {
		case run >= 2:
			sg.punct += wPunctRun + wPunctExtra*float64(run-2)
			sg.nPunct++
		case run == 1 && bang:
			sg.punct += wPunctOne
		}
		run, bang = 0, false
	}
	for p := 0; p < len(text); {
		c := rune(text[p])
		size := 1
		if c >= utf8.RuneSelf {
			c, size = utf8.DecodeRuneInString(text[p:])
		}
		switch c {
		case '!', '！':
			run++
			bang = true
			p += size
			continue
		case '?', '？':
			run++
			p += size
			continue
		}
		if run > 0 {
			endRun()
		}
		switch {
		case c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'):
			q := p
			upper := true
			for q < len(text) && isLetter(text[q]) {
				if text[q] >= 'a' {
					upper = false
				}
				q++
			}
			n := q - p
			acr := false
			if n <= len(s.up) {
				for k := 0; k < n; k++ {
					b := text[p+k]
					if b >= 'a' {
						b -= 'a' - 'A'
					}
					s.up[k] = b
				}
				acr = a.acronyms[string(s.up[:n])]
			}
			if n >= 2 && !acr {
				sg.words++
			}
			if upper && n >= 3 && !acr {
				if sg.nCaps < len(sg.firstCap) {
					sg.firstCap[sg.nCaps] = Span{Start: p, End: q, Text: text[p:q]}
				}
				sg.nCaps++
			}
			p = q
			continue
		case isHan(c):
			sg.han++
		case isEmoji(c):
			sg.nEmoji++
		}
		p += size
	}
	if run > 0 {
		endRun()
	}
	sg.punct = math.Min(sg.punct, capPunct)
	sg.caps = math.Min(wCaps*float64(sg.nCaps), capCaps)
	if n := sg.nEmoji - sg.nListed; n > 0 {
		sg.emoji = math.Min(wEmoji*float64(n), capEmoji)
	}
	return sg
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func isHan(c rune) bool {
	return c >= 0x4E00 && c <= 0x9FFF || c >= 0x3400 && c <= 0x4DBF || c >= 0xF900 && c <= 0xFAFF || c >= 0x20000 && c <= 0x2FFFF
}

func isEmoji(c rune) bool {
	return c >= 0x1F000 && c <= 0x1FAFF || c >= 0x2600 && c <= 0x27BF || c >= 0x2B00 && c <= 0x2BFF
}

// lang is zh when the text has Chinese and no English words, en for the
// reverse, mixed for both; text with neither (digits, emoji) counts as zh,
// Huajie's first language. Acronyms (ATM, APP) are not English words.
func (sg *signals) lang() string {
	switch {
	case sg.words > 0 && sg.han > 0:
		return "mixed"
	case sg.words > 0:
		return "en"
	}
	return "zh"
}

// intensity combines the marks with how emotional the model finds the text
// (1 - P(neutral)): 1 - exp(-sum), 0 when the sum is not positive.
func (sg *signals) intensity(emotional float64) float64 {
	x := sg.intens + sg.punct + sg.caps + sg.emotic + sg.emoji + wModel*emotional
	if x <= 0 {
		return 0
	}
	return 1 - math.Exp(-x)
}
