package interactions_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/interactions"
)

var benchTexts = []string{
	"您好，我想查询一下信用卡账单",
	"我已经等了一个小时了，你们的效率太低了！",
	"转账一直显示处理中，钱到底去哪了",
	"上个月的年费为什么没有提前通知？我要投诉",
	"谢谢，问题已经解决了",
}

// BenchmarkIngestBatch is the batch path without HTTP: 1,000 messages of
// 100 conversations per call, on SQLite. Reported as messages/s.
func BenchmarkIngestBatch(b *testing.B) {
	s := newStack(b, openSQLite(b), alerts.Policy{})
	ctx := context.Background()
	base := time.Now().Add(-time.Hour).UTC()
	n := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in := make([]interactions.Input, 1000)
		for j := range in {
			k := n + j
			conv := k / 10
			role := "customer"
			if k%2 == 1 {
				role = "agent"
			}
			in[j].Message = interactions.Message{ID: fmt.Sprintf("b%d", k), ConversationID: fmt.Sprintf("c%d", conv),
				CustomerID: fmt.Sprintf("u%d", conv%500), Channel: interactions.Channels[conv%7], Role: role,
				Time: base.Add(time.Duration(k) * time.Millisecond), Text: benchTexts[k%len(benchTexts)]}
		}
		n += len(in)
		res, err := s.svc.Ingest(ctx, in)
		if err != nil || res.Accepted != len(in) {
			b.Fatal(err, res.Accepted)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}
