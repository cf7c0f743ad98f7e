package risk

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"huajie/internal/analysis"
)

func TestDefaultPhrasesRoundTrip(t *testing.T) {
	ps := DefaultPhrases()
	kinds := map[string]int{}
	for _, p := range ps {
		kinds[p.Kind]++
	}
	for _, k := range kindNames {
		if kinds[k] == 0 {
			t.Errorf("no %s phrases", k)
		}
	}
	var b bytes.Buffer
	if err := WriteDefaultPhrases(&b); err != nil {
		t.Fatal(err)
	}
	again, err := ParsePhrases(&b, "written")
	if err != nil || len(again) != len(ps) {
		t.Fatalf("round trip: %d phrases, %v", len(again), err)
	}
}

func TestParsePhrasesErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"抱歉\tempathy\tzh\n", "want 4"},
		{"抱歉\tsympathy\tzh\t1\n", "kind"},
		{"抱歉\tempathy\tfr\t1\n", "lang"},
		{"抱歉\tempathy\tzh\t3\n", "weight"},
		{"抱歉\tempathy\tzh\tx\n", "weight"},
		{"\tempathy\tzh\t1\n", "empty"},
		{"Sorry\tempathy\ten\t1\nsorry\tempathy\ten\t1\n", "already on line 1"},
		{"\xff\tempathy\tzh\t1\n", "UTF-8"},
	} {
		_, err := ParsePhrases(strings.NewReader(c.src), "x.tsv")
		if !errors.Is(err, ErrPhrases) || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "x.tsv:") {
			t.Errorf("%q: error %v, want %q with file and line", c.src, err, c.want)
		}
	}
}

func TestCustomPhrases(t *testing.T) {
	ps, err := ParsePhrases(strings.NewReader("# own list\n请您谅解\tempathy\tzh\t1\n"), "own.tsv")
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Opts{Phrases: ps})
	if err != nil {
		t.Fatal(err)
	}
	var st State
	m.Update(&st, Message{Role: RoleAgent, Text: "请您谅解"}, analysis.Result{}, History{})
	if st.Empathy != 1 {
		t.Errorf("custom phrase not matched: %+v", st.Empathy)
	}
	if _, err := New(Opts{Phrases: []Phrase{{Term: "x", Kind: "nope"}}}); !errors.Is(err, ErrPhrases) {
		t.Errorf("bad kind: %v", err)
	}
}

func TestPhraseScan(t *testing.T) {
	m := Default()
	for _, c := range []struct {
		text  string
		kind  uint8
		has   bool
		timed bool
	}{
		{"我们会在24小时内给您回电", kStep, true, true},
		{"我们会在两个工作日内给您回复", kStep, true, true},
		{"We will call you back within 48 hours", kStep, true, true},
		{"我们会尽快给您回电", kStep, true, false},
		{"每天都这样", kUnit, false, false}, // 天 without a number is no time
		{"我对结果不满意", kThanks, false, false},
		{"非常满意,谢谢", kThanks, true, false},
		{"这不归我管", kDeflection, true, false},
		{"问题还是没解决", kStill, true, false},
		{"I understand how you feel", kEmpathy, true, false},
		{"this is an issue", kStill, false, false},
	} {
		var sc scan
		m.scanText(c.text, &sc)
		if sc.has[c.kind] != c.has || sc.timed != c.timed {
			t.Errorf("%q: has %s %v timed %v, want %v %v", c.text, kindNames[c.kind], sc.has[c.kind], sc.timed, c.has, c.timed)
		}
	}
}

func TestNumberBefore(t *testing.T) {
	for _, c := range []struct {
		text string
		at   int
		want bool
	}{
		{"24小时", 2, true},
		{"三个工作日", len("三个"), true},
		{"48 hours", 3, true},
		{"今天", len("今"), false},
		{"小时", 0, false},
	} {
		if got := numberBefore(c.text, c.at); got != c.want {
			t.Errorf("numberBefore(%q, %d) = %v", c.text, c.at, got)
		}
	}
}

func TestSignature(t *testing.T) {
	a := signature("我的信用卡年费为什么扣了两次,请给我退回多扣的年费")
	b := signature("我的信用卡年费扣了两次,请给我退回多扣的那一笔年费")
	c := signature("另外我想问一下房贷提前还款要什么手续")
	if a.similarity(b) < repeatSimilarity {
		t.Errorf("near-duplicates: similarity %.2f", a.similarity(b))
	}
	if a.similarity(c) >= repeatSimilarity {
		t.Errorf("different texts: similarity %.2f", a.similarity(c))
	}
	if s := signature("!!! ??"); s.N != 0 || s.similarity(s) != 0 {
		t.Errorf("punctuation only: %+v", s)
	}
	if signature("Card BLOCKED again") != signature("card blocked, again!") {
		t.Error("case and punctuation change the signature")
	}
}

func FuzzUpdate(f *testing.F) {
	for _, s := range []string{"", "我要投诉！", "这不归我管", "24小时内给您回电", "\xff", "谢谢"} {
		f.Add(s, true, 30.0, 2)
	}
	an := testAnalyzer(f)
	m := Default()
	f.Fuzz(func(t *testing.T, text string, customer bool, wait float64, n int) {
		role := RoleAgent
		if customer {
			role = RoleCustomer
		}
		var st State
		for i := 0; i < 3; i++ {
			msg := Message{Role: role, Text: text, Signals: Signals{WaitSeconds: &wait, Interruptions: &n, AppFailures: &n}}
			as := m.Update(&st, msg, an.Analyze(text, i == 0), History{PriorComplaints: n, RecentContacts: n})
			if !(as.Risk >= 0 && as.Risk <= 1) {
				t.Fatalf("risk %v", as.Risk)
			}
			for _, r := range as.Reasons {
				if r.Span != nil && (r.Span.Start < 0 || r.Span.End > len(text) || text[r.Span.Start:r.Span.End] != r.Span.Text) {
					t.Fatalf("span %+v outside %q", r.Span, text)
				}
			}
		}
	})
}
