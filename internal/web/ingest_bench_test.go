package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/interactions"
)

// BenchmarkIngestHTTP posts batches of 1,000 messages (100 conversations,
// one in ten unhappy) through the real handler over loopback, on SQLite.
func BenchmarkIngestHTTP(b *testing.B) {
	e := newEnv(b, openSQLite(b))
	ctx := context.Background()
	ad := e.as[auth.RoleAdmin]
	calm := []string{"您好，我想查询一下信用卡账单", "好的，谢谢您的帮助", "请问手机银行怎么修改预留手机号", "明白了，那我明天再去网点办理"}
	unhappy := []string{"我已经等了一个小时了，你们的效率太低了！", "上个月的年费为什么没有提前通知？我要投诉"}
	base := time.Now().Add(-time.Hour).UTC()
	var bodies [][]byte
	n := 0
	for i := 0; i < b.N; i++ {
		ms := make([]interactions.Message, 1000)
		for j := range ms {
			k := n + j
			conv, turn := k/10, k%10
			role, text := "customer", calm[(conv+turn)%len(calm)]
			if turn%2 == 1 {
				role = "agent"
			} else if conv%10 == 0 {
				text = unhappy[turn%len(unhappy)]
			}
			ms[j] = interactions.Message{ID: fmt.Sprint("h", k), ConversationID: fmt.Sprint("hc", conv), CustomerID: fmt.Sprint("hu", conv%500),
				Channel: interactions.Channels[conv%7], Role: role, Time: base.Add(time.Duration(k) * time.Millisecond), Text: text}
		}
		n += len(ms)
		body, _ := json.Marshal(ms)
		bodies = append(bodies, body)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := ad.Raw(ctx, "POST", "/api/v1/interactions", bodies[i], nil)
		if err != nil || r.Status != 200 {
			b.Fatal(err, r.Status)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkIngestSingle posts one message per request from 8 concurrent
// clients, each posting whole conversations (10 messages) in order.
func BenchmarkIngestSingle(b *testing.B) {
	e := newEnv(b, openSQLite(b))
	ctx := context.Background()
	ad := e.as[auth.RoleAdmin]
	base := time.Now().Add(-time.Hour).UTC()
	const workers = 8
	queues := make([][][]byte, workers)
	for k := range b.N {
		conv := k / 10
		role := "customer"
		if k%2 == 1 {
			role = "agent"
		}
		body, _ := json.Marshal(interactions.Message{ID: fmt.Sprint("s", k), ConversationID: fmt.Sprint("sc", conv), CustomerID: fmt.Sprint("su", conv%500),
			Channel: "phone", Role: role, Time: base.Add(time.Duration(k) * time.Millisecond), Text: "请问手机银行怎么修改预留手机号"})
		queues[conv%workers] = append(queues[conv%workers], body)
	}
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, body := range queues[w] {
				r, err := ad.Raw(ctx, "POST", "/api/v1/interactions", body, nil)
				if err != nil || r.Status != 200 {
					b.Error(err, r.Status)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
}
