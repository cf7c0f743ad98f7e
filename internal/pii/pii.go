// Package pii masks the personal data Huajie must not show or log in clear:
// mainland mobile phone numbers, resident ID-card numbers (18-digit and the
// old 15-digit form) and bank-card numbers, whether they sit in a field of
// their own or inside free text such as a complaint or a contact note.
//
// Masking keeps just enough to let a person recognise the number on a call
// ("138****5678", "110***********1234", "6222 **** **** 1234") and never
// enough to reconstruct it. Text masking over-masks rather than under-masks:
// any run of 12 to 19 digits is treated as a card number, because a false
// positive hides a harmless number while a false negative leaks a customer's.
//
// Who may see data in clear is decided by the auth package (the pii:view
// permission); this package only masks. NewHandler wraps a slog.Handler so
// that logs are always masked, whoever the caller is.
package pii

import (
	"strings"
)

// Kind is the kind of personal number recognised in text.
type Kind int

const (
	KindNone Kind = iota
	KindPhone
	KindIDCard
	KindCard
)

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isWordByte reports whether b would make a digit run part of a larger
// token (an ASCII letter or digit), in which case it is not a number on its
// own: "ORD20261123000123" is an order reference, not a card.
func isWordByte(b byte) bool {
	return isDigit(b) || (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_'
}

// MaskText returns s with every phone, ID-card and bank-card number masked.
// Other text, including dates, amounts and short numbers, is left alone.
func MaskText(s string) string {
	// Fast path: nothing to mask in text without a long enough digit run.
	if !hasDigitRun(s, 11) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i := 0; i < len(s); {
		if !isDigit(s[i]) || (i > 0 && isWordByte(s[i-1])) {
			i++
			continue
		}
		end, digits := scanNumber(s, i)
		if end < len(s) && isWordByte(s[end]) {
			// Part of a longer alphanumeric token; skip the whole token.
			for end < len(s) && isWordByte(s[end]) {
				end++
			}
			i = end
			continue
		}
		kind := classify(digits)
		if kind == KindNone {
			i = end
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(maskSpan(s[i:end], kind))
		last = end
		i = end
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch {
		case isDigit(s[i]):
			run++
			if run >= n {
				return true
			}
		case (s[i] == ' ' || s[i] == '-') && run > 0:
			// A separator inside a grouped number keeps the run going.
		default:
			run = 0
		}
	}
	return false
}

// scanNumber reads the number starting at s[i]: a run of digits, possibly in
// groups of 3 to 6 digits separated by one space or hyphen (how card and
// phone numbers are written: "6222 0212 3456 7890", "138-1234-5678"), with
// an optional final X for ID cards. It returns the end offset and the digits
// alone. Groups shorter than 3 stop the scan so that dates such as
// "2026-01-15" never join into a long number.
func scanNumber(s string, i int) (end int, digits string) {
	var d strings.Builder
	j := i
	for {
		start := j
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		glen := j - start
		d.WriteString(s[start:j])
		if j < len(s) && (s[j] == 'X' || s[j] == 'x') && d.Len() == 17 && (j+1 >= len(s) || !isWordByte(s[j+1])) {
			d.WriteByte('X')
			j++
			break
		}
		if glen < 3 || glen > 6 || j+1 >= len(s) || (s[j] != ' ' && s[j] != '-') || !isDigit(s[j+1]) {
			break
		}
		// Look ahead: the next group must also be at least 3 digits, or the
		// separator is ordinary punctuation.
		k := j + 1
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k-(j+1) < 3 {
			break
		}
		j++
	}
	return j, d.String()
}

func classify(d string) Kind {
	n := len(d)
	switch {
	case n == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9':
		return KindPhone
	case n == 13 && strings.HasPrefix(d, "86") && d[2] == '1' && d[3] >= '3' && d[3] <= '9':
		return KindPhone
	case n == 18 && looksLikeID(d):
		return KindIDCard
	case n == 15 && d[0] >= '1' && d[0] <= '9' && !strings.ContainsRune(d, 'X'):
		// Old 15-digit ID cards and 15-digit cards are both masked the
		// same way; call it an ID card.
		return KindIDCard
	case n >= 12 && n <= 19 && !strings.ContainsRune(d, 'X'):
		return KindCard
	}
	return KindNone
}

// looksLikeID checks the shape of an 18-digit resident ID: region code not
// starting with 0 and a birth year in 18xx–20xx. The check digit is not
// required to be right: a mistyped ID card is still personal data.
func looksLikeID(d string) bool {
	if d[0] < '1' || d[0] > '9' {
		return false
	}
	y := d[6:8]
	return y == "18" || y == "19" || y == "20"
}

// maskSpan masks the digits of span (which may contain separators and a
// final X) keeping the first keepHead and last keepTail digits.
func maskSpan(span string, k Kind) string {
	head, tail := 3, 4
	if k == KindCard {
		head = 4
	}
	total := 0
	for i := 0; i < len(span); i++ {
		if isDigit(span[i]) || span[i] == 'X' || span[i] == 'x' {
			total++
		}
	}
	if k == KindPhone && total == 13 {
		head = 5 // keep "86" and the operator prefix
	}
	out := []byte(span)
	n := 0
	for i := 0; i < len(out); i++ {
		c := out[i]
		if !isDigit(c) && c != 'X' && c != 'x' {
			continue
		}
		if n >= head && n < total-tail {
			out[i] = '*'
		}
		n++
	}
	return string(out)
}

// MaskPhone masks a phone-number field whatever its format: everything but
// the first three and last four digits is hidden. Short values are hidden
// entirely, since they cannot be shown partially without showing most.
func MaskPhone(s string) string { return maskField(s, 3, 4) }

// MaskIDCard masks an ID-card field, keeping the first three and last four
// characters.
func MaskIDCard(s string) string { return maskField(s, 3, 4) }

// MaskCard masks a bank-card field, keeping the first four and last four
// digits.
func MaskCard(s string) string { return maskField(s, 4, 4) }

func maskField(s string, head, tail int) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	rs := []rune(s)
	total := 0
	for _, r := range rs {
		if r != ' ' && r != '-' {
			total++
		}
	}
	if total <= head+tail {
		return strings.Repeat("*", total)
	}
	n := 0
	for i, r := range rs {
		if r == ' ' || r == '-' {
			continue
		}
		if n >= head && n < total-tail {
			rs[i] = '*'
		}
		n++
	}
	return string(rs)
}
