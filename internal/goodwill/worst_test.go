package goodwill

import (
	"strings"
	"testing"
)

// BenchmarkAssessWorst: the largest input the limits allow, made of what
// the assessment does the most work on (amounts, loss words, threats,
// negators), split over two contacts.
func BenchmarkAssessWorst(b *testing.B) {
	a := testAssessor(b)
	unit := "不会去曝光，年费扣了1元，不赔就投诉到监管，赔我9万。"
	half := strings.Repeat(unit, (DefaultMaxBytes/2)/len(unit))
	in := Input{Contacts: []Contact{{Text: half}, {Text: strings.Replace(half, "1元", "3元", -1)}}}
	b.ReportAllocs()
	for b.Loop() {
		a.Assess(in)
	}
}
