package goodwill

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"huajie/internal/analysis"
)

// Role is what an amount of money is in the complaint.
type Role string

const (
	RoleLoss   Role = "loss"   // the stated loss: a fee charged, money lost
	RoleDemand Role = "demand" // compensation asked for
	RoleOther  Role = "other"  // an amount mentioned otherwise
)

// Amount is a sum of money found in a text.
type Amount struct {
	Value float64 `json:"value"`
	// Currency is CNY, USD or "" when the text does not say (amounts in
	// 万 or with 元 are CNY).
	Currency string        `json:"currency,omitempty"`
	Role     Role          `json:"role"`
	Span     analysis.Span `json:"span"`
	// Word is the loss or demand word that gave the role (扣了, 赔偿).
	Word string `json:"word,omitempty"`
}

// usdToCNY converts US dollars for the absolute thresholds only (ratios
// compare amounts as written). A round figure is enough for "is this demand
// large".
const usdToCNY = 7

// CNY returns the amount in yuan, converting dollars at a fixed round rate.
func (a Amount) CNY() float64 {
	if a.Currency == "USD" {
		return a.Value * usdToCNY
	}
	return a.Value
}

var hanDigit = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '壹': 1, '二': 2, '两': 2, '贰': 2, '三': 3, '叁': 3,
	'四': 4, '肆': 4, '五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7,
	'八': 8, '捌': 8, '九': 9, '玖': 9,
}

var hanUnit = map[rune]float64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000}

var hanSection = map[rune]float64{'万': 1e4, '萬': 1e4, '亿': 1e8}

func isHanNumeral(r rune) bool {
	_, d := hanDigit[r]
	_, u := hanUnit[r]
	_, s := hanSection[r]
	return d || u || s
}

// ParseHanNumber reads a Chinese numeral: 五十 = 50, 一万 = 10000,
// 三千五 = 3500 (the spoken abbreviation of 三千五百), 一万五 = 15000,
// 一百零五 = 105, 十二 = 12, 两万 = 20000. ok is false for what is not a
// well-formed number (万一, 一二三).
func ParseHanNumber(s string) (v float64, ok bool) {
	var total, section float64
	digit := -1             // the pending digit
	lastUnit := 0.0         // the last unit seen (十百千万亿)
	justUnit := false       // the previous rune was a unit
	digitAfterUnit := false // the pending digit directly follows a unit: 三千五
	zero := false           // 零 since the last unit: 一千零五 does not abbreviate
	first := true
	for _, r := range s {
		if d, is := hanDigit[r]; is {
			if d == 0 {
				if first {
					return 0, false
				}
				zero, justUnit, first = true, false, false
				continue
			}
			if digit >= 0 {
				return 0, false // two digits in a row: 一二, 两三千
			}
			digit, digitAfterUnit = d, justUnit && !zero
			justUnit, first = false, false
			continue
		}
		if u, is := hanUnit[r]; is {
			if digit < 0 {
				if u != 10 || !(first || zero) {
					return 0, false
				}
				digit = 1 // 十二, 一百零十
			}
			section += float64(digit) * u
			digit, lastUnit, justUnit, zero, first = -1, u, true, false, false
			continue
		}
		if u, is := hanSection[r]; is {
			if digit >= 0 {
				section += float64(digit)
				digit = -1
			}
			if section == 0 && total == 0 {
				return 0, false // 万一
			}
			if u == 1e8 {
				total = (total + section) * u
			} else {
				total += section * u
			}
			section = 0
			lastUnit, justUnit, zero, first = u, true, false, false
			continue
		}
		return 0, false
	}
	if first {
		return 0, false
	}
	if digit >= 0 {
		if digitAfterUnit && lastUnit >= 100 {
			section += float64(digit) * lastUnit / 10
		} else {
			section += float64(digit)
		}
	}
	return total + section, true
}

// currency prefixes and suffixes, longest first within each list.
var (
	curPrefix = []struct{ s, cur string }{
		{"人民币", "CNY"}, {"RMB", "CNY"}, {"rmb", "CNY"}, {"CNY", "CNY"}, {"￥", "CNY"}, {"¥", "CNY"},
		{"US$", "USD"}, {"USD", "USD"}, {"$", "USD"},
	}
	curSuffix = []struct{ s, cur string }{
		{"块钱", "CNY"}, {"元", "CNY"}, {"块", "CNY"}, {"圆", "CNY"}, {"人民币", "CNY"}, {"美元", "USD"}, {"美金", "USD"},
		{"yuan", "CNY"}, {"RMB", "CNY"}, {"rmb", "CNY"}, {"CNY", "CNY"}, {"dollars", "USD"}, {"dollar", "USD"},
		{"bucks", "USD"}, {"USD", "USD"},
	}
	// notMoney: a counter after the number means it counts something else.
	notMoney = []string{"个", "次", "遍", "倍", "人", "年", "月", "日", "号", "天", "分钟", "小时", "趟", "张", "条", "位", "%", "％", "岁", "times", "days", "months", "years", "%"}
)

// ParseAmounts finds the sums of money in text: Arabic numerals with
// thousands separators and decimals (10,000, 1.5), Chinese numerals (五十,
// 一万, 三千五), 万/千/k multipliers (1万, 1.5万, 10k), currency signs and
// words before or after (¥50, $200, RMB 10,000, 50元, 五十块钱, 200 yuan,
// 30 dollars). A number counts as money only with a currency mark, a 万/千/k
// multiplier or thousands separators, so dates, times and card numbers are
// not amounts. Roles are not set; see amounts.
func ParseAmounts(text string) []Amount {
	var out []Amount
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		isArabic := r >= '0' && r <= '9'
		isHan := isHanNumeral(r)
		inNumber := isArabic && i > 0 && (prev >= '0' && prev <= '9' || prev == '.' || prev == ',' || prev < utf8.RuneSelf && isASCIILetter(byte(prev))) ||
			isHan && i > 0 && isHanNumeral(prev)
		if (!isArabic && !isHan) || inNumber {
			i += size
			continue
		}
		var a rawAmount
		var end int
		var ok bool
		if isArabic {
			a, end, ok = arabicAmount(text, i)
		} else {
			a, end, ok = hanAmount(text, i)
		}
		if !ok {
			i = max(end, i+size)
			continue
		}
		// a currency prefix extends the span backwards
		start := i
		pre := strings.TrimRight(text[:i], " ")
		for _, p := range curPrefix {
			if strings.HasSuffix(pre, p.s) {
				if isLetterPrefix(p.s) && len(pre) > len(p.s) && isASCIILetter(pre[len(pre)-len(p.s)-1]) {
					continue // "XRMB" is not a currency mark
				}
				start = len(pre) - len(p.s)
				if a.Currency == "" {
					a.Currency = p.cur
				}
				break
			}
		}
		if start == i && a.Currency == "" && !a.hasMultiplier && !a.grouped {
			i = end
			continue
		}
		if a.Currency == "" && (a.hasMultiplier && a.hanMult) {
			a.Currency = "CNY"
		}
		a.Span = analysis.Span{Start: start, End: end, Text: text[start:end]}
		out = append(out, a.Amount)
		i = end
	}
	return out
}

func isLetterPrefix(s string) bool { return isASCIILetter(s[0]) }

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

type rawAmount struct {
	Amount
	hasMultiplier bool // 万, 千, k
	hanMult       bool // the multiplier was Chinese (万, 千): yuan
	grouped       bool // 10,000
}

// arabicAmount reads 10,000.50 / 1.5万 / 10k / 50 元 at i.
func arabicAmount(text string, i int) (rawAmount, int, bool) {
	j := i
	var num strings.Builder
	grouped := false
	for j < len(text) {
		c := text[j]
		switch {
		case c >= '0' && c <= '9':
			num.WriteByte(c)
			j++
			continue
		case c == ',' && j+3 < len(text)+1 && isDigits(text, j+1, 3) && !isDigitAt(text, j+4):
			grouped = true
			j++
			continue
		case c == '.' && isDigitAt(text, j+1) && !strings.Contains(num.String(), "."):
			num.WriteByte('.')
			j++
			continue
		}
		break
	}
	v, err := strconv.ParseFloat(num.String(), 64)
	if err != nil {
		return rawAmount{}, j, false
	}
	ra := rawAmount{grouped: grouped}
	k := skipSpaces(text, j)
	// multiplier
	if r, sz := utf8.DecodeRuneInString(text[k:]); r == '万' || r == '千' || r == '百' || r == '亿' {
		switch r {
		case '万':
			v *= 1e4
		case '千':
			v *= 1e3
		case '百':
			v *= 100
		case '亿':
			v *= 1e8
		}
		ra.hasMultiplier, ra.hanMult = r != '百', true
		k += sz
		j = k
	} else if k < len(text) && (text[k] == 'k' || text[k] == 'K') && (k+1 == len(text) || !isASCIILetter(text[k+1])) && k == j {
		v *= 1e3
		ra.hasMultiplier = true
		k++
		j = k
	}
	ra.Value = v
	end, cur, counted := suffix(text, j)
	if counted {
		return rawAmount{}, end, false
	}
	if cur != "" {
		ra.Currency = cur
		j = end
	}
	return ra, j, true
}

// hanAmount reads 五十元 / 一万 / 三千五百块 at i.
func hanAmount(text string, i int) (rawAmount, int, bool) {
	j := i
	for j < len(text) {
		r, sz := utf8.DecodeRuneInString(text[j:])
		if !isHanNumeral(r) {
			break
		}
		j += sz
	}
	run := text[i:j]
	// 三万一分都不能少: the trailing 一 counts cents (一分), it does not
	// abbreviate 三万一千
	if r, _ := utf8.DecodeRuneInString(text[j:]); r == '分' || r == '毛' || r == '角' {
		if last, sz := utf8.DecodeLastRuneInString(run); sz > 0 && len(run) > sz {
			if _, isDigit := hanDigit[last]; isDigit {
				j -= sz
				run = text[i:j]
			}
		}
	}
	v, ok := ParseHanNumber(run)
	if !ok {
		return rawAmount{}, j, false
	}
	ra := rawAmount{}
	ra.Value = v
	if strings.ContainsAny(run, "万萬亿千仟") {
		ra.hasMultiplier, ra.hanMult = true, true
	}
	end, cur, counted := suffix(text, j)
	if counted {
		return rawAmount{}, end, false
	}
	if cur != "" {
		ra.Currency = cur
		j = end
	} else if utf8.RuneCountInString(run) == 1 && !ra.hasMultiplier {
		return rawAmount{}, j, false
	}
	return ra, j, true
}

// suffix reads a currency word after a number (after optional spaces). It
// reports counted when a counter follows instead (三次, 5个, ten times).
func suffix(text string, j int) (end int, cur string, counted bool) {
	k := skipSpaces(text, j)
	rest := text[k:]
	// 多 / 余 between the number and the unit: 两千多元
	for _, p := range []string{"多", "余", "来"} {
		if strings.HasPrefix(rest, p) {
			k += len(p)
			rest = text[k:]
			break
		}
	}
	for _, s := range curSuffix {
		if hasPrefixFold(rest, s.s) {
			e := k + len(s.s)
			if isASCIILetter(s.s[0]) && e < len(text) && isASCIILetter(text[e]) {
				continue
			}
			return e, s.cur, false
		}
	}
	for _, s := range notMoney {
		if hasPrefixFold(rest, s) {
			return k + len(s), "", true
		}
	}
	return j, "", false
}

func hasPrefixFold(s, p string) bool {
	return len(s) >= len(p) && strings.EqualFold(s[:len(p)], p)
}

func skipSpaces(text string, j int) int {
	for j < len(text) && text[j] == ' ' {
		j++
	}
	return j
}

func isDigitAt(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

func isDigits(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	for k := i; k < i+n; k++ {
		if s[k] < '0' || s[k] > '9' {
			return false
		}
	}
	return true
}
