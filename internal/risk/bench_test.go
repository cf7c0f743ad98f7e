package risk

import (
	"strings"
	"testing"
	"time"

	"huajie/internal/analysis"
)

// The benchmarks time Update alone: the analysis of each text is done
// before the timer starts (the ingest path analyses once per message and
// times that separately; see internal/analysis).
func benchUpdate(b *testing.B, msgs []Message) {
	an := testAnalyzer(b)
	m := Default()
	rs := make([]analysis.Result, len(msgs))
	for i, msg := range msgs {
		rs[i] = an.Analyze(msg.Text, false)
	}
	h := History{PriorComplaints: 1, RecentContacts: 2}
	var st State
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNanos()
	for i := 0; i < b.N; i++ {
		k := i % len(msgs)
		if k == 0 {
			st = State{}
		}
		m.Update(&st, msgs[k], rs[k], h)
	}
	if c := cpuNanos() - c0; c > 0 {
		b.ReportMetric(float64(c)/float64(b.N), "cpu-ns/op")
	}
}

func BenchmarkUpdateConversation(b *testing.B) {
	var msgs []Message
	for i, s := range []string{
		"c:我这个月的信用卡账单一直没收到,害我逾期了,还被扣了滞纳金,你们怎么搞的！",
		"a:非常抱歉给您带来困扰,我理解您的感受。我们会在24小时内为您补发账单。",
		"c:上次也是这么说的,到现在还没解决,再这样我就向银保监会投诉！",
		"a:这不归我管,您自己操作错误。",
		"c:I have called three times and still nobody called me back. This is ridiculous!",
		"a:I'm sorry. We will call you back within 24 hours.",
	} {
		m := msgOf(turn{s: s, at: 1})
		m.Time = t0.Add(timeOf(i))
		msgs = append(msgs, m)
	}
	benchUpdate(b, msgs)
}

func BenchmarkUpdateCustomerShort(b *testing.B) {
	benchUpdate(b, []Message{msgOf(turn{s: "c:怎么还没到账？"})})
}

// BenchmarkUpdateLong is a 64 KiB customer message of repeated phrases
// (the analyser's limit): the phrase scan and the signature are linear.
func BenchmarkUpdateLong(b *testing.B) {
	benchUpdate(b, []Message{msgOf(turn{s: "c:" + strings.Repeat("还是没解决,没办法,谢谢。", 64<<10/36)})})
}

func timeOf(i int) time.Duration { return time.Duration(i) * 30 * time.Second }
