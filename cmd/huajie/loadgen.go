package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"huajie/internal/interactions"
)

func init() {
	register(command{
		name:    "loadgen",
		summary: "measure ingest throughput and alert latency against a local server (loopback only)",
		run:     runLoadgen,
	})
}

// Bounds: the load generator is a measuring tool, not a weapon.
const (
	loadgenMaxN        = 5_000_000
	loadgenMaxDuration = 10 * time.Minute
)

// loadgenCalm and loadgenUnhappy are the messages posted: one conversation
// in ten is unhappy (and usually alerts), the rest are routine, so the
// analysis, the risk model and the alert path all do their usual work.
var loadgenCalm = []string{
	"您好，我想查询一下信用卡账单",
	"好的，谢谢您的帮助",
	"请问手机银行怎么修改预留手机号",
	"我想开通网上银行，需要带什么材料？",
	"Could you tell me my current balance please?",
	"明白了，那我明天再去网点办理",
	"谢谢，问题已经解决了",
}

var loadgenUnhappy = []string{
	"我的卡被吞了，怎么办？",
	"我已经等了一个小时了，你们的效率太低了！",
	"转账一直显示处理中，钱到底去哪了",
	"上个月的年费为什么没有提前通知？我要投诉",
	"Why was my card declined again? This is the third time.",
	"你们客服电话永远打不通，我已经打了三次了",
}

const loadgenAngry = "你们到底管不管？我已经打了三次电话了，再不解决我就去银保监会投诉，还要找媒体曝光！"

type loadgenConfig struct {
	base, token, mode string
	n, batch, conc    int
	perConv           int
	duration          time.Duration
}

func runLoadgen(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("loadgen", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	var c loadgenConfig
	fs.StringVar(&c.base, "url", "http://127.0.0.1:8080", "server base URL (loopback addresses only)")
	fs.StringVar(&c.token, "token", "", "API token of a role with interaction:write (and alert:read for --mode alert)")
	fs.StringVar(&c.mode, "mode", "batch", "batch (POST arrays), single (one message per request) or alert (post-to-SSE alert latency)")
	fs.IntVar(&c.n, "n", 0, "messages to post (default 200000 batch, 30000 single, 300 alert)")
	fs.IntVar(&c.batch, "batch", 1000, "messages per request in batch mode")
	fs.IntVar(&c.conc, "concurrency", 4, "concurrent requests")
	fs.IntVar(&c.perConv, "per-conversation", 10, "messages per conversation")
	fs.DurationVar(&c.duration, "max-duration", 2*time.Minute, "stop after this long whatever n is (at most 10m)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: "unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	if err := checkLoopback(c.base); err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	if c.token == "" {
		return &exitError{code: 2, msg: "--token is required (huajie token create --user NAME --role admin)"}
	}
	if c.n == 0 {
		c.n = map[string]int{"batch": 200000, "single": 30000, "alert": 300}[c.mode]
	}
	if c.n <= 0 || c.n > loadgenMaxN || c.batch <= 0 || c.batch > interactions.DefaultMaxBatch || c.conc <= 0 || c.conc > 256 || c.perConv <= 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("bounds: 0 < n <= %d, 0 < batch <= %d, 0 < concurrency <= 256, per-conversation > 0", loadgenMaxN, interactions.DefaultMaxBatch)}
	}
	if c.duration <= 0 || c.duration > loadgenMaxDuration {
		c.duration = loadgenMaxDuration
	}
	c.base = strings.TrimRight(c.base, "/")
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	switch c.mode {
	case "batch", "single":
		return loadIngest(ctx, env, c)
	case "alert":
		return loadAlert(ctx, env, c)
	}
	return &exitError{code: 2, msg: "--mode: batch, single or alert"}
}

// checkLoopback refuses any host that is not a loopback address.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("--url %q: expected http://127.0.0.1:PORT", base)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--url %q: the load generator only targets loopback addresses (127.0.0.1, ::1, localhost)", base)
	}
	return nil
}

func runID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// loadMessages generates n messages of n/perConv conversations, each
// conversation's messages in time order, customers spread over channels.
func loadMessages(run string, n, perConv int, team string) []interactions.Message {
	base := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	out := make([]interactions.Message, n)
	for i := range out {
		conv := i / perConv
		turn := i % perConv
		role := "customer"
		if turn%2 == 1 {
			role = "agent"
		}
		out[i] = interactions.Message{
			ID:             fmt.Sprintf("lg-%s-%d", run, i),
			ConversationID: fmt.Sprintf("lg-%s-c%d", run, conv),
			CustomerID:     fmt.Sprintf("lg-%s-u%d", run, conv%5000),
			Channel:        interactions.Channels[conv%len(interactions.Channels)],
			Role:           role,
			Time:           base.Add(time.Duration(turn) * time.Second).Add(time.Duration(conv) * time.Millisecond),
			Text:           loadgenText(conv, turn),
			Team:           team,
			Agent:          fmt.Sprintf("agent-%d", conv%50),
			Branch:         loadgenBranch(conv),
			Product:        loadgenProducts[(conv/7)%len(loadgenProducts)],
		}
	}
	return out
}

// loadgenBranches: a conversation's branch is the i-th with weight about
// 1/(i+1) (a few large branches, a long tail), drawn from its number.
var loadgenBranches = []string{"深圳分行营业部", "南山支行", "福田支行", "罗湖支行", "宝安支行", "龙岗支行", "前海支行", "蛇口支行"}

var loadgenProducts = []string{"储蓄存款", "借记卡", "信用卡", "手机银行", "理财产品", "个人住房贷款", "个人消费贷款"}

func loadgenBranch(conv int) string {
	// Harmonic weights over a fixed cycle: branch i gets ⌊840/(i+1)⌋ of
	// every 2,283 conversations (7919 is prime to 2,283: every slot is hit).
	x := (conv * 7919) % 2283
	for i := range loadgenBranches {
		w := 840 / (i + 1)
		if x < w {
			return loadgenBranches[i]
		}
		x -= w
	}
	return loadgenBranches[len(loadgenBranches)-1]
}

func loadgenText(conv, turn int) string {
	if conv%10 == 0 && turn%2 == 0 {
		return loadgenUnhappy[(conv/10+turn)%len(loadgenUnhappy)]
	}
	return loadgenCalm[(conv+turn)%len(loadgenCalm)]
}

func newLoadClient(conc int) *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: conc * 2, MaxIdleConnsPerHost: conc * 2, IdleConnTimeout: time.Minute,
	}}
}

func post(ctx context.Context, hc *http.Client, c loadgenConfig, body []byte) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+"/api/v1/interactions", bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func loadIngest(ctx context.Context, env *cmdEnv, c loadgenConfig) error {
	run := runID()
	msgs := loadMessages(run, c.n, c.perConv, "loadgen")
	per := 1
	if c.mode == "batch" {
		per = c.batch
	}
	// Bodies are encoded before the clock starts: the figures are the
	// server's, not the generator's JSON encoder's.
	var bodies [][]byte
	for i := 0; i < len(msgs); i += per {
		var b []byte
		var err error
		if c.mode == "batch" {
			b, err = json.Marshal(msgs[i:min(i+per, len(msgs))])
		} else {
			b, err = json.Marshal(msgs[i])
		}
		if err != nil {
			return err
		}
		bodies = append(bodies, b)
	}
	fmt.Fprintf(env.stderr, "loadgen: %s mode, %d messages in %d requests, concurrency %d, run %s\n", c.mode, len(msgs), len(bodies), c.conc, run)
	hc := newLoadClient(c.conc)
	// Requests are handed out in order; in single mode each worker takes
	// whole conversations (a conversation's messages come from one chat
	// or call, in order), so late arrivals — which make the server replay
	// the conversation — are not manufactured by the generator itself.
	var queues [][]int
	var sent atomic.Int64
	order := make([]int, len(bodies))
	for i := range order {
		order[i] = i
	}
	if c.mode == "single" {
		order = order[:0]
		perWorker := make([][]int, c.conc)
		for i := range bodies {
			w := (i / c.perConv) % c.conc
			perWorker[w] = append(perWorker[w], i)
		}
		queues = perWorker
	}
	var next atomic.Int64
	var accepted, failedItems, errs atomic.Int64
	lats := make([][]time.Duration, c.conc)
	var firstErr atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for w := range c.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k := 0
			for ctx.Err() == nil {
				var i int
				if queues != nil {
					if k >= len(queues[w]) {
						return
					}
					i = queues[w][k]
					k++
					sent.Add(1)
				} else {
					i = int(next.Add(1)) - 1
					if i >= len(order) {
						return
					}
					i = order[i]
					sent.Add(1)
				}
				t0 := time.Now()
				status, b, err := post(ctx, hc, c, bodies[i])
				d := time.Since(t0)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("HTTP %d: %.200s", status, b)
				}
				if err != nil {
					if ctx.Err() == nil {
						errs.Add(1)
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				var res interactions.Result
				if json.Unmarshal(b, &res) == nil {
					accepted.Add(int64(res.Accepted))
					failedItems.Add(int64(res.Failed))
				}
				lats[w] = append(lats[w], d)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lats {
		all = append(all, l...)
	}
	slices.Sort(all)
	n := accepted.Load()
	fmt.Fprintf(env.stdout, "mode=%s messages=%d accepted=%d failed_items=%d requests=%d errors=%d elapsed=%.2fs\n",
		c.mode, len(msgs), n, failedItems.Load(), len(all), errs.Load(), elapsed.Seconds())
	fmt.Fprintf(env.stdout, "throughput: %.0f messages/s, %.0f requests/s\n", float64(n)/elapsed.Seconds(), float64(len(all))/elapsed.Seconds())
	fmt.Fprintf(env.stdout, "request latency: p50=%s p99=%s max=%s\n", pct(all, 0.50), pct(all, 0.99), pct(all, 1))
	if e := firstErr.Load(); e != nil {
		fmt.Fprintf(env.stdout, "first error: %s\n", e)
	}
	if ctx.Err() != nil && int(sent.Load()) < len(bodies) {
		fmt.Fprintln(env.stdout, "stopped by --max-duration before all messages were sent")
	}
	return nil
}

func pct(xs []time.Duration, p float64) time.Duration {
	if len(xs) == 0 {
		return 0
	}
	i := int(p*float64(len(xs))+0.5) - 1
	i = max(0, min(i, len(xs)-1))
	return xs[i].Round(10 * time.Microsecond)
}

// loadAlert measures, per conversation, the time from posting a message
// that crosses the threshold to the alert arriving on the SSE stream.
func loadAlert(ctx context.Context, env *cmdEnv, c loadgenConfig) error {
	run := runID()
	team := "loadgen-" + run
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/api/v1/alerts/stream?team="+url.QueryEscape(team), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := (&http.Client{}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1024))
		return fmt.Errorf("alert stream: HTTP %d: %s", resp.StatusCode, b)
	}
	rd := bufio.NewReader(resp.Body)
	if line, err := rd.ReadString('\n'); err != nil || !strings.HasPrefix(line, ": connected") {
		return fmt.Errorf("alert stream: unexpected start %q: %v", line, err)
	}
	var mu sync.Mutex
	sent := map[string]time.Time{}
	var lats []time.Duration
	done := make(chan struct{})
	go func() {
		defer close(done)
		var data string
		for {
			line, err := rd.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "data: "):
				data = line[6:]
			case line == "" && data != "":
				now := time.Now()
				var ev struct {
					Kind  string `json:"kind"`
					Alert struct {
						ConversationID string `json:"conversation_id"`
					} `json:"alert"`
				}
				if json.Unmarshal([]byte(data), &ev) == nil && ev.Kind == "alert.opened" {
					mu.Lock()
					if t, ok := sent[ev.Alert.ConversationID]; ok {
						lats = append(lats, now.Sub(t))
						delete(sent, ev.Alert.ConversationID)
					}
					n := len(lats)
					mu.Unlock()
					if n >= c.n {
						return
					}
				}
				data = ""
			}
		}
	}()
	hc := newLoadClient(c.conc)
	var next atomic.Int64
	var errs atomic.Int64
	base := time.Now().UTC()
	start := time.Now()
	var wg sync.WaitGroup
	for range c.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= c.n {
					return
				}
				m := interactions.Message{ID: fmt.Sprintf("la-%s-%d", run, i), ConversationID: fmt.Sprintf("la-%s-c%d", run, i),
					CustomerID: fmt.Sprintf("la-%s-u%d", run, i), Channel: "phone", Role: "customer",
					Time: base.Add(time.Duration(i) * time.Millisecond), Text: loadgenAngry, Team: team, Agent: "agent-1"}
				body, _ := json.Marshal(m)
				mu.Lock()
				sent[m.ConversationID] = time.Now()
				mu.Unlock()
				status, b, err := post(ctx, hc, c, body)
				if err == nil && status != http.StatusOK {
					err = fmt.Errorf("HTTP %d: %.200s", status, b)
				}
				if err != nil && ctx.Err() == nil {
					errs.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	select {
	case <-done:
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
	}
	resp.Body.Close()
	elapsed := time.Since(start)
	mu.Lock()
	all := slices.Clone(lats)
	missing := len(sent)
	mu.Unlock()
	slices.Sort(all)
	fmt.Fprintf(env.stdout, "mode=alert posted=%d alerts_received=%d missing=%d errors=%d elapsed=%.2fs concurrency=%d\n",
		c.n, len(all), missing, errs.Load(), elapsed.Seconds(), c.conc)
	fmt.Fprintf(env.stdout, "post-to-SSE alert latency: p50=%s p99=%s max=%s\n", pct(all, 0.50), pct(all, 0.99), pct(all, 1))
	if len(all) == 0 {
		return errors.New("no alert arrived on the stream")
	}
	return nil
}
