package goodwill

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseHanNumber(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"五十", 50, true},
		{"一万", 10000, true},
		{"两万", 20000, true},
		{"十", 10, true},
		{"十二", 12, true},
		{"二十", 20, true},
		{"一百二十", 120, true},
		{"一百二", 120, true},
		{"三千五", 3500, true},
		{"三千五百", 3500, true},
		{"一千零五", 1005, true},
		{"一万五", 15000, true},
		{"一万五千", 15000, true},
		{"十万", 100000, true},
		{"二十万", 200000, true},
		{"八万", 80000, true},
		{"一亿", 1e8, true},
		{"壹万", 10000, true},
		{"伍佰", 500, true},
		{"一", 1, true},
		{"万一", 0, false},
		{"一二三", 0, false},
		{"两三千", 0, false},
		{"千万", 0, false},
		{"百", 0, false},
		{"", 0, false},
		{"零", 0, false},
	} {
		got, ok := ParseHanNumber(c.in)
		if ok != c.ok || (ok && got != c.want) {
			t.Errorf("ParseHanNumber(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseAmounts(t *testing.T) {
	type am struct {
		v   float64
		cur string
	}
	for _, c := range []struct {
		text string
		want []am
	}{
		{"收了五十元手续费", []am{{50, "CNY"}}},
		{"赔我一万", []am{{10000, "CNY"}}},
		{"赔我1万", []am{{10000, "CNY"}}},
		{"赔我1.5万元", []am{{15000, "CNY"}}},
		{"要10,000", []am{{10000, ""}}},
		{"a $50 fee and $10,000.50 more", []am{{50, "USD"}, {10000.5, "USD"}}},
		{"¥200 和 ￥30", []am{{200, "CNY"}, {30, "CNY"}}},
		{"RMB 10,000 please", []am{{10000, "CNY"}}},
		{"人民币3000元", []am{{3000, "CNY"}}},
		{"paid 200 yuan", []am{{200, "CNY"}}},
		{"30 dollars", []am{{30, "USD"}}},
		{"USD 2,000到现在没到账", []am{{2000, "USD"}}},
		{"late fee 39块", []am{{39, "CNY"}}},
		{"五十块钱", []am{{50, "CNY"}}},
		{"三千五百元", []am{{3500, "CNY"}}},
		{"两千多元", []am{{2000, "CNY"}}},
		{"10k in damages", []am{{10000, ""}}},
		{"三万一分都不能少", []am{{30000, "CNY"}}},
		{"100美元", []am{{100, "USD"}}},
		// not money
		{"尾号1234的卡", nil},
		{"11月3日下单", nil},
		{"打了三次电话", nil},
		{"十倍赔偿", nil},
		{"万一出事", nil},
		{"2025年", nil},
		{"打12378", nil},
		{"晚上9点", nil},
		{"等了40分钟", nil},
		{"千万不要", nil},
		{"统一处理", nil},
		{"ID123元", nil},
		{"第一万个", nil},
	} {
		got := ParseAmounts(c.text)
		if len(got) != len(c.want) {
			t.Errorf("%q: got %d amounts %+v, want %v", c.text, len(got), got, c.want)
			continue
		}
		for i, g := range got {
			if g.Value != c.want[i].v || g.Currency != c.want[i].cur {
				t.Errorf("%q: amount %d = %v %q, want %v %q", c.text, i, g.Value, g.Currency, c.want[i].v, c.want[i].cur)
			}
			if c.text[g.Span.Start:g.Span.End] != g.Span.Text {
				t.Errorf("%q: span %+v does not hold its text", c.text, g.Span)
			}
		}
	}
}

func amountsOf(a *Assessor, text string) []Amount {
	return a.Assess(Input{Text: text}).Amounts
}

func TestAmountRoles(t *testing.T) {
	a := testAssessor(t)
	for _, c := range []struct {
		text  string
		roles []Role
	}{
		{"扣了我50元，要求赔偿10000元", []Role{RoleLoss, RoleDemand}},
		{"50元手续费被扣了两次", []Role{RoleLoss}},
		{"赔偿5万元精神损失费", []Role{RoleDemand}},
		{"5万元精神损失费", []Role{RoleDemand}},
		{"You charged me a $50 fee and I want $10,000 in compensation", []Role{RoleLoss, RoleDemand}},
		{"年费300元，请退还", []Role{RoleLoss}},
		{"理财亏了4万，要求赔偿4万元", []Role{RoleLoss, RoleDemand}},
		{"我在超市花了300元", []Role{RoleOther}},
	} {
		got := amountsOf(a, c.text)
		if len(got) != len(c.roles) {
			t.Errorf("%q: %d amounts %+v, want roles %v", c.text, len(got), got, c.roles)
			continue
		}
		for i, g := range got {
			if g.Role != c.roles[i] {
				t.Errorf("%q: amount %q role %s, want %s", c.text, g.Span.Text, g.Role, c.roles[i])
			}
		}
	}
}

func cueOf(as Assessment, k CueKind) (Cue, bool) {
	for _, c := range as.Cues {
		if c.Kind == k {
			return c, true
		}
	}
	return Cue{}, false
}

func TestLeverageVersusMention(t *testing.T) {
	a := testAssessor(t)
	for _, c := range []struct {
		text     string
		leverage float64 // 0: none
		mention  bool
	}{
		{"不赔就曝光", 1, false},
		{"不赔钱我就去网上曝光你们", 1, false},
		{"不给个说法就投诉到监管", 0.5, false},
		{"如果这周不处理，我就向人民银行反映", 0.5, false},
		{"不退回这50元我就投诉到银保监会", 1, false},
		{"我的要求是赔偿两万元。不答应就投诉到银保监会！", 1, false},
		{"除非赔我八万块，否则我就起诉你们", 1, false},
		{"给钱就撤诉", 1, false},
		{"Refund the fee or I will go to the regulator.", 1, false},
		{"Pay me $500 and I'll delete the post.", 1, false},
		{"Unless you compensate me I will sue.", 1, false},
		// a mention is no leverage
		{"我已经向12378反映了，请你们尽快查明", 0, true},
		{"I have already filed a complaint with the CFPB.", 0, true},
		{"上次我在微博上发了这件事", 0, false},
		// negation
		{"我不会去曝光，只希望退回手续费", 0, true},
		{"我不想投诉到监管，只想把问题解决", 0, true},
		{"I won't go to the press, I just want my money back.", 0, true},
	} {
		as := a.Assess(Input{Text: c.text})
		lc, ok := cueOf(as, CueLeverage)
		if c.leverage == 0 && ok {
			t.Errorf("%q: leverage %.2f, want none (%+v)", c.text, lc.Strength, lc.Evidence)
		}
		if c.leverage > 0 && (!ok || math.Abs(lc.Strength-c.leverage) > 0.31) {
			t.Errorf("%q: leverage %v (found %v), want about %.2f", c.text, lc.Strength, ok, c.leverage)
		}
		_, m := cueOf(as, CueThreatMention)
		if c.mention && !m {
			t.Errorf("%q: no threat mention recorded", c.text)
		}
		if mc, ok := cueOf(as, CueThreatMention); ok && mc.Strength != 0 {
			t.Errorf("%q: a mention weighs %.2f, want 0", c.text, mc.Strength)
		}
	}
}

func TestDisproportion(t *testing.T) {
	a := testAssessor(t)
	for _, c := range []struct {
		text string
		want float64
	}{
		{"多收了我50元手续费，我要求赔偿10,000元", 1},
		{"年费被扣了200元，我要求赔偿我2万元", 1},
		{"You charged me a $50 fee and I want $10,000 in compensation.", 1},
		{"滞纳金12元，请退还，并补偿我60元", 0.7},
		{"扣了100元年费，赔我300元", 0.4},
		{"理财亏了4万，要求赔偿4万元", 0},
		{"多扣了50元手续费，请退回50元", 0},
		{"态度太差了，赔我八万块", 0.8},
		{"态度太差了，赔我一万", 0.6},
		{"态度太差了，赔我2000元", 0.4},
		{"态度太差了，赔我500元", 0},
		{"理财亏了不少，要求赔偿20万", 0}, // a loss stated in words: no figure to compare
	} {
		as := a.Assess(Input{Text: c.text})
		got, _ := cueOf(as, CueDisproportion)
		if math.Abs(got.Strength-c.want) > 1e-9 {
			t.Errorf("%q: disproportion %.2f, want %.2f (amounts %+v)", c.text, got.Strength, c.want, as.Amounts)
		}
	}
}

func TestWordingCues(t *testing.T) {
	a := testAssessor(t)
	// 私了 alone is ambiguous; with a sum of money it is extortion
	if c, _ := cueOf(a.Assess(Input{Text: "私了，"}), CueExtortion); c.Strength >= 1 {
		t.Errorf("bare 私了: extortion %.2f", c.Strength)
	}
	if c, _ := cueOf(a.Assess(Input{Text: "咱们私了吧，两万块"}), CueExtortion); c.Strength != 1 {
		t.Errorf("私了 with money: extortion %.2f", c.Strength)
	}
	for _, c := range []struct {
		text string
		kind CueKind
		want bool
	}{
		{"给我封口费三万", CueExtortion, true},
		{"咱们私了吧", CueExtortion, true},
		{"你们最好花钱消灾", CueExtortion, true},
		{"Hush money is what I want.", CueExtortion, true},
		{"我不是要封口费，只要退款", CueExtortion, false},
		{"我就是要投诉，不管你们怎么处理", CueRetaliation, true},
		{"我要让你丢饭碗", CueRetaliation, true},
		{"我不想报复谁，只想要个解释", CueRetaliation, false},
		{"请把这个柜员开除", CueOutsized, true},
		{"要求行长亲自道歉", CueOutsized, true},
		{"I want you to fire the teller.", CueOutsized, true},
		{"我不要求开除她，只要她道歉", CueOutsized, false},
		{"请退还年费", CueOutsized, false},
		// the bank's promise the customer holds it to is no demand (found
		// in the demo's mis-selling case)
		{"办卡时客户经理说好终身免年费，结果账户被扣了300元年费，这是误导销售。", CueOutsized, false},
		{"The banker promised a lifetime waiver, then charged me $50.", CueOutsized, false},
		{"你们宣传说终身免年费，那我要求终身免年费", CueOutsized, true},
		{"客户经理承诺过，我现在要求终身免年费", CueOutsized, true},
		// found on real complaints (dch1_dev, fincorp): no cue
		{"找之后百度都打不开了！报复吗！？", CueRetaliation, false},
		{"I tried at least 100 times and every transaction failed.", CueOutsized, false},
		{"I was fired without any notice.", CueOutsized, false},
	} {
		as := a.Assess(Input{Text: c.text})
		_, got := cueOf(as, c.kind)
		if got != c.want {
			t.Errorf("%q: cue %s found %v, want %v (cues %+v)", c.text, c.kind, got, c.want, as.Cues)
		}
	}
}

func at(s string) time.Time {
	tm, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return tm
}

func TestContradictions(t *testing.T) {
	a := testAssessor(t)
	for _, c := range []struct {
		name     string
		contacts []string
		want     float64
	}{
		{"same loss grows", []string{"信用卡被盗刷了3000元。", "被盗刷了8000元，你们必须全赔。"}, 1},
		{"same loss repeated", []string{"信用卡被盗刷了3000元。", "还是那3000元盗刷，什么时候退？"}, 0},
		{"different losses", []string{"手续费被扣了30元。", "另外利息也多扣了45元。"}, 0},
		{"incident date changes", []string{"10月3日在网点取款，ATM少吐了500元。", "10月8日在网点取款，ATM少吐了500元。"}, 0.7},
		{"same date", []string{"10月3日在网点取款，ATM少吐了500元。", "就是10月3日取款那次，还没处理。"}, 0},
		{"English, tenfold", []string{"I lost $200 from an unauthorized charge.", "The unauthorized charge cost me $2,000."}, 1},
		{"one contact", []string{"信用卡被盗刷了3000元，后来又说8000元"}, 0},
		// a customer comparing two figures repeats both (dch1_dev)
		{"two figures compared", []string{"详单中的汇总费用为22.8元，而账单中的通话费却是207.82元。", "账单显示通话费用204.75元，详单中的通话费用是22.8元，为何有如此多出入？"}, 0},
	} {
		in := Input{}
		for i, s := range c.contacts {
			in.Contacts = append(in.Contacts, Contact{At: at("2025-07-01T10:00:00Z").Add(time.Duration(i) * time.Hour), Text: s})
		}
		got, _ := cueOf(a.Assess(in), CueContradiction)
		if math.Abs(got.Strength-c.want) > 1e-9 {
			t.Errorf("%s: contradiction %.2f, want %.2f (%+v)", c.name, got.Strength, c.want, got.Evidence)
		}
	}
}

func TestContactsOrderAndAgentTurns(t *testing.T) {
	a := testAssessor(t)
	// out of order in the slice; the agent's turn, with its own amounts,
	// is skipped
	in := Input{Contacts: []Contact{
		{At: at("2025-07-03T10:00:00Z"), Text: "被盗刷了8000元"},
		{At: at("2025-07-02T10:00:00Z"), Role: "agent", Text: "您好，您被盗刷了20000元吗？"},
		{At: at("2025-07-01T10:00:00Z"), Text: "信用卡被盗刷了3000元"},
	}}
	as := a.Assess(in)
	c, ok := cueOf(as, CueContradiction)
	if !ok || len(c.Evidence) != 2 {
		t.Fatalf("contradiction %+v", c)
	}
	if c.Evidence[0].Contact == nil || *c.Evidence[0].Contact != 2 || *c.Evidence[1].Contact != 0 {
		t.Errorf("evidence does not point at contacts 2 then 0: %+v", c.Evidence)
	}
	for _, am := range as.Amounts {
		if am.Value == 20000 {
			t.Errorf("the agent's turn was assessed: %+v", am)
		}
	}
}

func TestSerial(t *testing.T) {
	a := testAssessor(t)
	now := at("2025-11-01T00:00:00Z")
	old := at("2023-01-01T00:00:00Z")
	recent := at("2025-09-01T00:00:00Z")
	for _, c := range []struct {
		name string
		h    History
		want float64
	}{
		{"none", History{}, 0},
		{"two earlier", History{PriorComplaints: 2}, 0},
		{"three earlier", History{PriorComplaints: 3}, 0.4},
		{"six cases", History{PriorCases: 6}, 0.7},
		{"compensated once", History{Compensations: []Compensation{{Amount: 100}}}, 0.2},
		{"compensated twice, many complaints, channels", History{PriorComplaints: 9, Compensations: []Compensation{{Amount: 100}, {Amount: 200}}, Channels: []string{"phone", "branch", "12378"}}, 1},
		{"dates outside the year do not count", History{ComplaintDates: []time.Time{old, old, old, old}}, 0},
		{"dates inside the year", History{ComplaintDates: []time.Time{recent, recent, recent}}, 0.4},
	} {
		as := a.Assess(Input{Text: "请退还多扣的30元手续费", History: c.h, At: now})
		got, _ := cueOf(as, CueSerial)
		if math.Abs(got.Strength-c.want) > 1e-9 {
			t.Errorf("%s: serial %.2f, want %.2f", c.name, got.Strength, c.want)
		}
		if as.Result != Goodwill {
			t.Errorf("%s: a history alone made the result %s", c.name, as.Result)
		}
	}
}

func dim(as Assessment, d Dimension) float64 {
	for _, x := range as.Dimensions {
		if x.Dimension == d {
			return x.Score
		}
	}
	return -1
}

// TestDimensions checks each dimension orders a pair of texts the way
// seed 001 describes: the first of each pair scores higher.
func TestDimensions(t *testing.T) {
	a := testAssessor(t)
	for _, c := range []struct {
		d          Dimension
		high, low  string
		minHighest float64
	}{
		{Constructiveness, "11月3日在人民路支行，信用卡尾号3321被扣了年费300元，建议办卡时说清楚免年费条件。", "你们太差了。", 0.8},
		{EmotionalInvestment, "我在你们行用了十年卡，一直很信任你们，这次真的太失望了！", "请查询余额。", 0.4},
		{GoalClarity, "请退还多扣的年费并更正账单。", "你们的年费怎么回事。", 1},
		{GoalClarity, "请尽快解决。", "你们的年费怎么回事。", 0.5},
		{Attitude, "您好，麻烦帮我看一下这笔扣款，谢谢。", "你们这帮骗子，垃圾银行，去死吧", 0.8},
		{Substance, "昨晚9点在建设路自助银行取款，ATM吞了卡，账户却扣了2000元。", "去死吧", 0.6},
	} {
		h, l := dim(a.Assess(Input{Text: c.high}), c.d), dim(a.Assess(Input{Text: c.low}), c.d)
		if h <= l || h < c.minHighest {
			t.Errorf("%s: %q scores %.2f, %q scores %.2f; want the first higher and ≥ %.2f", c.d, c.high, h, c.low, l, c.minHighest)
		}
	}
}

// TestAngerIsNotMalice: seed 001's rule, on both sides.
func TestAngerIsNotMalice(t *testing.T) {
	a := testAssessor(t)
	angry := a.Assess(Input{Text: "你们这垃圾银行！年费说好免的又扣了300元！马上给我退回来！气死我了！！"})
	if angry.Result != Goodwill {
		t.Errorf("angry customer with a real loss and a clear demand: %s %+v", angry.Result, angry.Scores)
	}
	polite := a.Assess(Input{Text: "您好，这个月多收了我50元手续费，麻烦退还，另外再补偿我10,000元，谢谢。"})
	if polite.Result == Goodwill {
		t.Errorf("polite complaint with an extortionate demand judged goodwill: %+v", polite.Scores)
	}
}

func TestEmpty(t *testing.T) {
	a := testAssessor(t)
	for _, in := range []Input{{}, {Text: "  \n\t "}, {Contacts: []Contact{{Text: " "}}}, {Contacts: []Contact{{Role: "agent", Text: "您好"}}}} {
		as := a.Assess(in)
		if !as.Empty || as.Result != Goodwill || as.Confidence != 0 || as.RouteToSupervisor {
			t.Errorf("%+v: %+v", in, as)
		}
		if len(as.Dimensions) != len(Dimensions) || len(as.Reasons) == 0 || as.Cues == nil {
			t.Errorf("empty assessment incomplete: %+v", as)
		}
	}
	// history still shows for an empty text
	as := a.Assess(Input{History: History{PriorComplaints: 7}})
	if c, ok := cueOf(as, CueSerial); !ok || c.Strength == 0 || as.Result != Goodwill {
		t.Errorf("empty text with history: %+v", as)
	}
}

// TestEvidenceSpans checks every span of every assessment of the test set
// holds its own text, on rune boundaries, in the text it points at.
func TestEvidenceSpans(t *testing.T) {
	a := testAssessor(t)
	for _, path := range []string{"testdata/cases.jsonl", "testdata/holdout.jsonl"} {
		for _, c := range readCases(t, path) {
			as := a.Assess(c.Input)
			check := func(what string, e Evidence) {
				if e.Zh == "" || e.En == "" || e.Fact == "" {
					t.Errorf("%s: %s evidence without text: %+v", c.ID, what, e)
				}
				if e.Span == nil {
					return
				}
				var text string
				switch e.Source {
				case "text":
					text = strings.TrimSpace(c.Text)
				case "contact":
					if e.Contact == nil {
						t.Fatalf("%s: contact evidence without index", c.ID)
					}
					text = strings.TrimSpace(c.Contacts[*e.Contact].Text)
				default:
					t.Fatalf("%s: span on %s evidence", c.ID, e.Source)
				}
				s := *e.Span
				if s.Start < 0 || s.End > len(text) || s.Start > s.End || text[s.Start:s.End] != s.Text ||
					!utf8.ValidString(s.Text) {
					t.Errorf("%s: %s span %+v does not hold its text in %q", c.ID, what, s, text)
				}
			}
			for _, d := range as.Dimensions {
				if d.Score < 0 || d.Score > 1 {
					t.Errorf("%s: %s score %v", c.ID, d.Dimension, d.Score)
				}
				for _, e := range d.Evidence {
					check(string(d.Dimension), e)
				}
			}
			for _, cu := range as.Cues {
				for _, e := range cu.Evidence {
					check(string(cu.Kind), e)
				}
			}
			if as.Confidence < 0.5 || as.Confidence > 0.95 || len(as.Reasons) == 0 || as.Notice.Zh == "" {
				t.Errorf("%s: confidence %v, reasons %v", c.ID, as.Confidence, as.Reasons)
			}
		}
	}
}

func TestLimits(t *testing.T) {
	a, err := New(Opts{Analyzer: testAssessor(t).an, MaxBytes: 1000, MaxContacts: 3})
	if err != nil {
		t.Fatal(err)
	}
	huge := strings.Repeat("不赔就曝光，赔我一万元。", 10000) // 330 KB
	var cs []Contact
	for i := range 50 {
		cs = append(cs, Contact{At: at("2025-01-01T00:00:00Z").Add(time.Duration(i) * time.Minute), Text: strings.Repeat("扣了", i+1) + "50元"})
	}
	as := a.Assess(Input{Text: huge, Contacts: cs})
	for _, am := range as.Amounts {
		if am.Span.End > 1000 {
			t.Errorf("amount beyond the byte limit: %+v", am)
		}
	}
	if as.Result == Goodwill {
		t.Errorf("the cut text still holds leverage and a demand: %+v", as.Scores)
	}
	// a hostile run of negators and cue words stays bounded
	as = testAssessor(t).Assess(Input{Text: strings.Repeat("不不不赔就曝光", 20000)})
	if as.Result == "" {
		t.Fatal("no result")
	}
}

func TestOptions(t *testing.T) {
	if _, err := New(Opts{Offensive: fakeClassifier{labels: []string{"a", "b"}}}); !errors.Is(err, ErrOpts) {
		t.Errorf("offensive model without the label: %v", err)
	}
	w := DefaultWeights
	w.Leverage = 2
	if _, err := New(Opts{Weights: &w}); !errors.Is(err, ErrOpts) {
		t.Errorf("weight 2 accepted: %v", err)
	}
	if _, err := New(Opts{Cues: []CueEntry{{Term: "a", Kind: "x"}, {Term: "A", Kind: "y"}}}); err != nil {
		t.Errorf("cue entries differing in case share a term: %v", err)
	}
	// without an analyser the package still finds its own cues
	a, err := New(Opts{})
	if err != nil {
		t.Fatal(err)
	}
	as := a.Assess(Input{Text: "你们这帮骗子，去死吧"})
	if _, ok := cueOf(as, CueAggression); !ok {
		t.Errorf("no aggression without an analyser: %+v", as.Cues)
	}
}

type fakeClassifier struct{ labels []string }

func (f fakeClassifier) Predict(string, []float64) {}
func (f fakeClassifier) Labels() []string          { return f.labels }
func (f fakeClassifier) LabelIndex(l string) int {
	for i, x := range f.labels {
		if x == l {
			return i
		}
	}
	return -1
}

func TestParseCues(t *testing.T) {
	for _, c := range []string{
		"a\tsuggestion\tzh",
		"a\tnope\tzh\t1",
		"a\tsuggestion\tfr\t1",
		"a\tsuggestion\tzh\t2",
		"\tsuggestion\tzh\t1",
	} {
		if _, err := ParseCues("x.tsv", strings.NewReader("# header\n"+c+"\n")); !errors.Is(err, ErrCueFormat) || !strings.Contains(err.Error(), "x.tsv:2") {
			t.Errorf("%q: %v", c, err)
		}
	}
	if len(DefaultCues()) < 300 {
		t.Errorf("embedded cue list has %d entries", len(DefaultCues()))
	}
}

func TestJSONAndConcurrency(t *testing.T) {
	a := testAssessor(t)
	in := Input{Text: "不赔就曝光，赔我10万", Contacts: []Contact{{Text: "我说了，十万一分都不能少"}}}
	want, err := json.Marshal(a.Assess(in))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, _ := json.Marshal(a.Assess(in))
				if string(got) != string(want) {
					t.Errorf("concurrent assessment differs")
					return
				}
			}
		})
	}
	wg.Wait()
	var back Assessment
	if err := json.Unmarshal(want, &back); err != nil || back.Result != SuspectedMalicious {
		t.Errorf("round trip: %v %+v", err, back.Result)
	}
}

func FuzzParseAmounts(f *testing.F) {
	for _, s := range []string{"五十元", "10,000", "$50", "三万一分", "1.5万", "万一", "十倍", "RMB 1,000.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, am := range ParseAmounts(s) {
			if am.Span.Start < 0 || am.Span.End > len(s) || am.Span.Start >= am.Span.End || s[am.Span.Start:am.Span.End] != am.Span.Text {
				t.Fatalf("%q: bad span %+v", s, am.Span)
			}
			if am.Value < 0 || math.IsNaN(am.Value) {
				t.Fatalf("%q: value %v", s, am.Value)
			}
		}
	})
}

// FuzzAssess: any text, with a contact, gives a complete result whose spans
// hold their text.
func FuzzAssess(f *testing.F) {
	for _, s := range []string{"不赔就曝光，赔我一万元", "You charged me $50; pay $10,000 or I sue.", "三万一分都不能少", "不不不就就", "11月3日扣了50元年费"} {
		f.Add(s, "10月8日又扣了500元")
	}
	a := testAssessor(f)
	f.Fuzz(func(t *testing.T, text, contact string) {
		in := Input{Text: text, Contacts: []Contact{{Text: contact}}}
		as := a.Assess(in)
		if as.Result == "" || len(as.Dimensions) != len(Dimensions) || len(as.Reasons) == 0 {
			t.Fatalf("incomplete: %+v", as)
		}
		texts := map[string]string{"text": strings.TrimSpace(text), "contact": strings.TrimSpace(contact)}
		check := func(e Evidence) {
			if e.Span == nil {
				return
			}
			s, src := *e.Span, texts[e.Source]
			if s.Start < 0 || s.End > len(src) || s.Start > s.End || src[s.Start:s.End] != s.Text {
				t.Fatalf("span %+v not in %s %q", s, e.Source, src)
			}
		}
		for _, d := range as.Dimensions {
			for _, e := range d.Evidence {
				check(e)
			}
		}
		for _, c := range as.Cues {
			for _, e := range c.Evidence {
				check(e)
			}
		}
	})
}
