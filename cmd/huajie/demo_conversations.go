package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// demoConversations are live conversations for the workstation's
// screenshot: two customers escalating with the demo agent (they alert),
// one calm enquiry (it does not).
var demoConversations = []struct {
	conv, customer, channel string
	texts                   []string
}{
	{"demo-conv-1", "C100001", "phone", []string{
		"我的信用卡账单一直没收到，被扣了滞纳金，这已经是我第三次打电话了！",
		"你们到底怎么回事？每次都说查一下就没下文了。",
		"再不给我解决，我就去12378投诉，还要找媒体曝光你们！"}},
	{"demo-conv-2", "C100007", "online_chat", []string{
		"手机银行转账失败了三次，钱被扣了却没到账，急死了！",
		"我等了四十分钟了，还没有人处理，太失望了。"}},
	{"demo-conv-3", "C100010", "app", []string{"请问信用卡的账单日可以修改吗？"}},
}

// postDemoConversations posts the demo conversations to the API as the
// demo agent's, the way a contact-centre integration would.
func postDemoConversations(ctx context.Context, base, token string) error {
	now := time.Now().UTC().Add(-10 * time.Minute)
	var batch []map[string]any
	for _, c := range demoConversations {
		for i, t := range c.texts {
			batch = append(batch, map[string]any{"id": fmt.Sprintf("%s-%d", c.conv, i), "conversation_id": c.conv,
				"customer_id": c.customer, "channel": c.channel, "role": "customer", "agent": "demo-agent", "team": "card-team",
				"time": now.Add(time.Duration(i) * time.Minute), "text": t})
		}
	}
	body, _ := json.Marshal(batch)
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/interactions", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("posting demo conversations: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("posting demo conversations: %s: %s", resp.Status, b)
	}
	return nil
}
