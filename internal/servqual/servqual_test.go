package servqual

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestAttribute(t *testing.T) {
	l := Default()
	tests := []struct {
		text  string
		dim   Dimension
		terms []string
	}{
		{"我在网点排队等了两个小时，没人理", Responsiveness, []string{"排队", "等了", "没人理"}},
		{"这个月又没有收到账单，系统出错了吧", Reliability, []string{"没有收到账单", "出错"}},
		{"柜员态度恶劣，还误导我买理财", Assurance, []string{"态度恶劣", "误导"}},
		{"ATM吞卡了，机器太旧", Tangibles, []string{"atm", "吞卡", "机器"}},
		{"老年人不会用手机，你们一刀切只能线上办理", Empathy, []string{"老年人", "一刀切", "只能"}},
		{"I waited in the queue for an hour and got no reply", Responsiveness, []string{"waited", "queue", "no reply"}},
		{"The app crashes every time I log in", Tangibles, []string{"app crashes"}},
		{"I am happy with the service", "", nil}, // "app" is not in "happy"
		{"谢谢你们", "", nil},
		// tie: one cue each; the earlier wins
		{"态度不好，排队", Assurance, []string{"态度不好", "排队"}},
	}
	for _, tc := range tests {
		a := l.Attribute(tc.text)
		if a.Dimension != tc.dim {
			t.Errorf("%q: %q, want %q (%+v)", tc.text, a.Dimension, tc.dim, a.Evidence)
			continue
		}
		var got []string
		for _, e := range a.Evidence {
			got = append(got, strings.ToLower(e.Term))
			if !strings.EqualFold(tc.text[e.Start:e.End], e.Term) {
				t.Errorf("%q: evidence %+v does not point at its term", tc.text, e)
			}
		}
		if strings.Join(got, "|") != strings.Join(tc.terms, "|") {
			t.Errorf("%q: evidence %v, want %v", tc.text, got, tc.terms)
		}
	}
}

func TestParse(t *testing.T) {
	bad := map[string]string{
		"reliability\tzh": "2 fields",
		"speed\tzh\t快":    "unknown dimension",
		"empathy\tfr\tx":  "lang",
		"empathy\tzh\t老人\ntangibles\tzh\t老人": "already listed on line 1",
		"# only a comment":                   "no cues",
		"empathy\tzh\t  ":                    "empty",
	}
	for in, want := range bad {
		_, err := Parse("t.tsv", strings.NewReader(in))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
	l, err := Parse("t.tsv", strings.NewReader("# c\n\nempathy\ten\tElderly\r\n"))
	if err != nil || len(l.Cues()) != 1 || l.Attribute("an ELDERLY customer").Dimension != Empathy {
		t.Fatalf("%v %+v", err, l)
	}
	// Every dimension has cues in both languages in the shipped list.
	have := map[string]bool{}
	for _, c := range Default().Cues() {
		have[string(c.Dimension)+c.Lang] = true
	}
	for _, d := range Dimensions {
		if !have[string(d)+"zh"] || !have[string(d)+"en"] {
			t.Errorf("%s lacks zh or en cues", d)
		}
	}
}

func TestGaps(t *testing.T) {
	rs := []Response{
		{Touchpoint: "counter", Items: []Item{{Dimension: Reliability, Expectation: 7, Perception: 5}, {Dimension: Empathy, Expectation: 6, Perception: 6}}},
		{Touchpoint: "counter", Items: []Item{{Dimension: Reliability, Expectation: 6, Perception: 3}}},
		{Touchpoint: "atm", Items: []Item{{Dimension: Tangibles, Expectation: 5, Perception: 6}, {Dimension: Tangibles, Expectation: 9, Perception: 1}}},
	}
	a := NewAccumulator()
	for _, r := range rs {
		a.Add(r)
	}
	g := a.Result()
	if a.Invalid() != 1 {
		t.Errorf("invalid %d, want 1 (expectation 9)", a.Invalid())
	}
	rel := g.Overall.Dimensions[0]
	// (5−7 + 3−6)/2 = −2.5
	if rel.N != 2 || rel.Expectation != 6.5 || rel.Perception != 4 || rel.Gap != -2.5 {
		t.Errorf("reliability %+v", rel)
	}
	// overall score: mean of reliability −2.5, empathy 0, tangibles +1
	if math.Abs(g.Overall.Score-(-1.5/3)) > 1e-12 || g.Overall.Responses != 3 {
		t.Errorf("overall %+v", g.Overall)
	}
	if len(g.Touchpoints) != 2 || g.Touchpoints[0].Touchpoint != "counter" || g.Touchpoints[0].Score != -1.25 || g.Touchpoints[1].Score != 1 {
		t.Errorf("touchpoints %+v", g.Touchpoints)
	}
}

func TestItemCheck(t *testing.T) {
	for _, it := range []Item{{Dimension: "speed", Expectation: 3, Perception: 3}, {Dimension: Empathy, Expectation: 0, Perception: 3}, {Dimension: Empathy, Expectation: 3, Perception: math.NaN()}, {Dimension: Empathy, Expectation: 3, Perception: 8}} {
		if it.Check() == nil {
			t.Errorf("%+v accepted", it)
		}
	}
}
