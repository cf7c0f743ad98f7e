package clusters

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	openers = []string{"你好，", "我想投诉一下，", "客服你好，", "", "请问一下，", "真的很生气，", "麻烦处理一下，"}
	closers = []string{"请尽快处理。", "希望给个说法！", "", "谢谢。", "这已经是第二次了。", "不然我就向监管部门投诉。", "太让人失望了"}
	topics  = map[string][]string{
		"bill": {
			"这个月的信用卡账单一直没有收到",
			"我的信用卡账单到现在都没有收到",
			"信用卡电子账单没有收到，还款日快到了",
			"上个月和这个月的信用卡账单都没有收到",
		},
		"atm": {
			"网点门口的ATM吞卡了，取不出来",
			"在自助取款机取钱时ATM吞卡，卡到现在没退",
			"ATM吞卡以后等了两天还没有拿回卡",
		},
		"app": {
			"手机银行APP登录不了，一直提示系统繁忙",
			"手机银行登录不了，提示系统繁忙请稍后再试",
			"昨天开始手机银行APP登录不了",
		},
	}
	// Distinct one-off complaints: none should form a cluster.
	noise = []string{
		"理财经理推销的产品收益和说的不一样", "贷款利率比合同上写的高", "柜员态度很差还翻白眼",
		"电话客服转了五次人工都没人接", "存款证明开具要收费不合理", "外汇汇款迟迟没有到账",
		"催收电话打到我单位去了", "个人信息被泄露，天天接到推销电话", "年费没有提前告知就扣了",
		"网点营业时间缩短很不方便", "保险被当成存款卖给了我母亲", "房贷提前还款手续太复杂",
		"积分兑换的礼品一直没有寄到", "短信通知的余额和实际不一致", "开户要求的材料太多",
		"大额取现要预约太麻烦", "转账限额被降低没有通知", "挂失补卡要回开户行办理",
	}
)

func corpus(r *rand.Rand, start time.Time) ([]Doc, map[string]string) {
	var docs []Doc
	truth := map[string]string{}
	add := func(topic, body string, day int) {
		id := fmt.Sprintf("d%04d", len(docs))
		text := openers[r.IntN(len(openers))] + body + "，" + closers[r.IntN(len(closers))]
		docs = append(docs, Doc{ID: id, Text: text, At: start.AddDate(0, 0, day).Add(time.Duration(r.IntN(86400)) * time.Second)})
		truth[id] = topic
	}
	for range 60 { // the bill wave: all in the last 10 of 60 days
		b := topics["bill"]
		add("bill", b[r.IntN(len(b))], 50+r.IntN(10))
	}
	for range 25 {
		b := topics["atm"]
		add("atm", b[r.IntN(len(b))], r.IntN(60))
	}
	for range 25 {
		b := topics["app"]
		add("app", b[r.IntN(len(b))], r.IntN(60))
	}
	for _, b := range noise {
		add("", b, r.IntN(60))
	}
	r.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	return docs, truth
}

func TestTopicsRecovered(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for seed := uint64(1); seed <= 5; seed++ {
		docs, truth := corpus(rand.New(rand.NewPCG(seed, 1)), start)
		res, err := Run(docs, Opts{})
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]Cluster{}
		covered := map[string]int{}
		for _, c := range res.Clusters {
			votes := map[string]int{}
			for _, m := range c.Members {
				votes[truth[m]]++
			}
			best, bn := "", 0
			for k, v := range votes {
				if v > bn {
					best, bn = k, v
				}
			}
			if purity := float64(bn) / float64(c.Size); purity < 0.9 || best == "" {
				t.Errorf("seed %d: impure cluster (%q %.2f): %v", seed, best, purity, c.TopTerms)
			}
			covered[best] += bn
			if prev, ok := found[best]; !ok || prev.Size < c.Size {
				found[best] = c
			}
		}
		// A topic worded in ways that share little (the ATM variants share
		// only "ATM吞卡") may come out as two clusters; together the
		// topic's pure clusters must hold 80% of it, the largest a third.
		sizes := map[string]int{"bill": 60, "atm": 25, "app": 25}
		for topic, n := range sizes {
			c := found[topic]
			if float64(covered[topic]) < 0.8*float64(n) || 3*c.Size < n {
				t.Errorf("seed %d: topic %s: %d of %d clustered, largest cluster %d", seed, topic, covered[topic], n, c.Size)
			}
		}
		if noise := res.Clustered - covered["bill"] - covered["atm"] - covered["app"]; noise > 0 {
			t.Errorf("seed %d: %d one-off complaints clustered", seed, noise)
		}
		bill := found["bill"]
		var terms []string
		for _, tm := range bill.TopTerms {
			terms = append(terms, tm.Term)
		}
		if !slices.ContainsFunc(terms, func(s string) bool { return strings.Contains(s, "账单") }) {
			t.Errorf("seed %d: bill cluster terms %v lack 账单", seed, terms)
		}
		if bill.Direction != "rising" || len(bill.Representatives) != 3 || !strings.Contains(bill.Representatives[0].Text, "账单") {
			t.Errorf("seed %d: bill cluster %s, reps %v", seed, bill.Direction, bill.Representatives)
		}
		if seed == 1 {
			t.Logf("clusters: %d docs, %d clustered; bill terms %v", res.Docs, res.Clustered, terms)
		}
	}
}

func TestShingles(t *testing.T) {
	got := Shingles("ATM吞卡了! 吞卡 a")
	want := []string{"atm", "吞卡"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	if got := Shingles("卡"); !slices.Equal(got, []string{"卡"}) {
		t.Errorf("lone char: %v", got)
	}
	// identifiers are no terms: card, ID (with its X), phone; short
	// numbers and codes stay
	got = Shingles("卡号6222021234567890 身份证11010119800101001X 电话13812345678 95588 12378 A320")
	want = []string{"12378", "95588", "a320", "份证", "卡号", "电话", "身份"}
	if !slices.Equal(got, want) {
		t.Errorf("identifiers: got %v, want %v", got, want)
	}
}

func TestEdges(t *testing.T) {
	res, err := Run(nil, Opts{})
	if err != nil || len(res.Clusters) != 0 {
		t.Errorf("empty: %v %v", res, err)
	}
	// Identical texts always cluster; texts with fewer than two shingles never.
	docs := []Doc{{ID: "a", Text: "账单没有收到"}, {ID: "b", Text: "账单没有收到"}, {ID: "c", Text: "账单没有收到"}, {ID: "d", Text: "好"}, {ID: "e", Text: "好"}, {ID: "f", Text: "好"}}
	res, _ = Run(docs, Opts{})
	if len(res.Clusters) != 1 || res.Clusters[0].Size != 3 || res.Clusters[0].Direction != "steady" {
		t.Errorf("got %+v", res.Clusters)
	}
	if _, err := Run(make([]Doc, MaxDocs+1), Opts{}); !errors.Is(err, ErrTooMany) {
		t.Errorf("too many: %v", err)
	}
}

func BenchmarkRun10k(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 9))
	var docs []Doc
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for len(docs) < 10000 {
		d, _ := corpus(r, start)
		docs = append(docs, d...)
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := Run(docs, Opts{}); err != nil {
			b.Fatal(err)
		}
	}
}
