package goodwill

import (
	"testing"
	"time"
)

// BenchmarkAssess: one complaint of about 60 characters with the real
// analyser and offensive model.
func BenchmarkAssess(b *testing.B) {
	a := testAssessor(b)
	in := Input{Text: "你们服务态度这么差，我要求：退还我这几年交的所有年费，赔偿我5万元，行长亲自登门道歉。不答应就投诉到银保监会和人民银行！"}
	b.ReportAllocs()
	for b.Loop() {
		a.Assess(in)
	}
}

// BenchmarkAssessContacts: a complaint with five contacts and a history.
func BenchmarkAssessContacts(b *testing.B) {
	a := testAssessor(b)
	in := Input{Text: "信用卡被盗刷了3000元。", History: History{PriorComplaints: 6, Compensations: []Compensation{{Amount: 200}}}}
	t0 := time.Date(2025, 7, 1, 10, 0, 0, 0, time.UTC)
	for i, s := range []string{"信用卡被盗刷了3000元，11月2日凌晨发生的。", "被盗刷了8000元，你们必须全赔。", "我再说一遍，盗刷了15000元，一分不能少。", "不赔钱我就去网上曝光你们。", "你们到底什么时候处理？"} {
		in.Contacts = append(in.Contacts, Contact{At: t0.Add(time.Duration(i) * time.Hour), Text: s})
	}
	b.ReportAllocs()
	for b.Loop() {
		a.Assess(in)
	}
}
