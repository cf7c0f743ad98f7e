package goodwill

import (
	"regexp"
	"strconv"
	"strings"

	"huajie/internal/analysis"
)

// dateFact is a date or time named in a text. Key is "M-D" when the month
// and day are known (for comparing the same incident across contacts),
// else "".
type dateFact struct {
	span analysis.Span
	key  string
	time bool // a time of day rather than a date
}

var (
	reDateYMD   = regexp.MustCompile(`(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?`)
	reDateMD    = regexp.MustCompile(`(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]`)
	reDateHanMD = regexp.MustCompile(`([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})[日号]`)
	reDateEN    = regexp.MustCompile(`(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b`)
	reDateENDM  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b`)
	reMonth     = regexp.MustCompile(`\d{4}\s*年|\d{1,2}\s*月份?|[一二三四五六七八九十]{1,2}月份?`)
	reRelDate   = regexp.MustCompile(`(?i)昨天|前天|今天|今早|昨晚|上周[一二三四五六日天]?|上个?星期[一二三四五六日天]?|上个?月|本月|这个月|月初|月底|周[一二三四五六日]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\b(?:yesterday|today|last\s+(?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|this\s+morning|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b`)
	reTime      = regexp.MustCompile(`(?i)\b\d{1,2}\s*[:：]\s*\d{2}\b|\d{1,2}\s*点(?:\d{1,2}\s*分|半|多)?|上午|下午|中午|晚上|早上|凌晨|\b\d{1,2}\s*(?:am|pm)\b`)
	reCardTail  = regexp.MustCompile(`(?i)(?:尾号|末四位|后四位|ending(?:\s+in)?|last\s+four)\s*(?:为|是|:|：)?\s*\d{3,4}`)
)

var enMonth = map[string]int{"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12}

func mdKey(m, d int) string {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return ""
	}
	return strconv.Itoa(m) + "-" + strconv.Itoa(d)
}

func span(text string, s, e int) analysis.Span {
	return analysis.Span{Start: s, End: e, Text: text[s:e]}
}

// dates finds dates and times in text, longest patterns first; a shorter
// match inside a longer one is dropped.
func dates(text string) []dateFact {
	var out []dateFact
	taken := func(s, e int) bool {
		for _, f := range out {
			if s < f.span.End && e > f.span.Start {
				return true
			}
		}
		return false
	}
	add := func(s, e int, key string, isTime bool) {
		if !taken(s, e) {
			out = append(out, dateFact{span: span(text, s, e), key: key, time: isTime})
		}
	}
	for _, m := range reDateYMD.FindAllStringSubmatchIndex(text, -1) {
		mo, _ := strconv.Atoi(text[m[4]:m[5]])
		d, _ := strconv.Atoi(text[m[6]:m[7]])
		add(m[0], m[1], mdKey(mo, d), false)
	}
	for _, m := range reDateMD.FindAllStringSubmatchIndex(text, -1) {
		mo, _ := strconv.Atoi(text[m[2]:m[3]])
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		add(m[0], m[1], mdKey(mo, d), false)
	}
	for _, m := range reDateHanMD.FindAllStringSubmatchIndex(text, -1) {
		mo, ok1 := ParseHanNumber(text[m[2]:m[3]])
		d, ok2 := ParseHanNumber(text[m[4]:m[5]])
		key := ""
		if ok1 && ok2 {
			key = mdKey(int(mo), int(d))
		}
		add(m[0], m[1], key, false)
	}
	for _, m := range reDateEN.FindAllStringSubmatchIndex(text, -1) {
		d, _ := strconv.Atoi(text[m[4]:m[5]])
		add(m[0], m[1], mdKey(enMonth[strings.ToLower(text[m[2]:m[3]])], d), false)
	}
	for _, m := range reDateENDM.FindAllStringSubmatchIndex(text, -1) {
		d, _ := strconv.Atoi(text[m[2]:m[3]])
		add(m[0], m[1], mdKey(enMonth[strings.ToLower(text[m[4]:m[5]])], d), false)
	}
	for _, re := range []*regexp.Regexp{reMonth, reRelDate} {
		for _, m := range re.FindAllStringIndex(text, -1) {
			add(m[0], m[1], "", false)
		}
	}
	for _, m := range reTime.FindAllStringIndex(text, -1) {
		add(m[0], m[1], "", true)
	}
	return out
}

// cardTails finds card and account references with digits (尾号1234).
func cardTails(text string) []analysis.Span {
	var out []analysis.Span
	for _, m := range reCardTail.FindAllStringIndex(text, -1) {
		out = append(out, span(text, m[0], m[1]))
	}
	return out
}

// sentenceBounds returns the sentence around byte offset i: from after the
// previous 。！？；!?; or line break to the next one.
func sentenceBounds(text string, i int) (int, int) {
	s := 0
	for j := i - 1; j >= 0; j-- {
		if isSentenceBreak(text, j) {
			s = j + breakLen(text, j)
			break
		}
	}
	e := len(text)
	for j := i; j < len(text); j++ {
		if isSentenceBreak(text, j) {
			e = j
			break
		}
	}
	return s, e
}

// clauseStart returns where the clause holding byte offset i starts: after
// the previous sentence break or comma.
func clauseStart(text string, i int) int {
	for j := i - 1; j >= 0; j-- {
		if isSentenceBreak(text, j) || isComma(text, j) {
			return j + breakLen(text, j)
		}
	}
	return 0
}

// clauseEnd returns where the clause holding byte offset i ends.
func clauseEnd(text string, i int) int {
	for j := i; j < len(text); j++ {
		if isSentenceBreak(text, j) || isComma(text, j) {
			return j
		}
	}
	return len(text)
}

var (
	sentenceBreaks = []string{"。", "！", "？", "；", "!", "?", ";", "\n", "…"}
	commas         = []string{"，", ",", "、", "：", ":"}
)

func isSentenceBreak(text string, j int) bool {
	for _, b := range sentenceBreaks {
		if strings.HasPrefix(text[j:], b) {
			return true
		}
	}
	// an ASCII full stop ends a sentence when a space or the end follows
	// (not 1.5, not e.g.)
	if text[j] == '.' && (j+1 == len(text) || text[j+1] == ' ') && (j == 0 || !(text[j-1] >= '0' && text[j-1] <= '9')) {
		return true
	}
	return false
}

func isComma(text string, j int) bool {
	for _, b := range commas {
		if strings.HasPrefix(text[j:], b) {
			if b == "," && j+1 < len(text) && text[j+1] >= '0' && text[j+1] <= '9' && j > 0 && text[j-1] >= '0' && text[j-1] <= '9' {
				return false // 10,000
			}
			return true
		}
	}
	return false
}

func breakLen(text string, j int) int {
	for _, b := range append(sentenceBreaks, commas...) {
		if strings.HasPrefix(text[j:], b) {
			return len(b)
		}
	}
	return 1
}
