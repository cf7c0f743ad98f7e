package lexicon

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
)

func TestDefaultLists(t *testing.T) {
	l := Default()
	for _, list := range Lists {
		if len(l.Entries(list)) == 0 {
			t.Errorf("list %s is empty", list)
		}
		if l.Source[list] != "embedded" {
			t.Errorf("list %s from %q", list, l.Source[list])
		}
	}
	// every cue kind of the product has Chinese and English terms
	have := map[string]bool{}
	for _, e := range l.Entries(Cues) {
		have[e.Kind+"/"+e.Lang] = true
		if e.Term == "又" {
			t.Errorf("bare 又 is a cue: too common to be one")
		}
	}
	for _, k := range validKinds[Cues] {
		for _, lang := range []string{"zh", "en"} {
			if !have[k+"/"+lang] {
				t.Errorf("no %s cue in %s", lang, k)
			}
		}
	}
}

func TestLoadOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cues.tsv"), []byte("# mine\n金融消费纠纷调解中心\tregulator\tzh\t0.9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if es := l.Entries(Cues); len(es) != 1 || es[0].Term != "金融消费纠纷调解中心" || es[0].Weight != 0.9 || es[0].Line != 2 {
		t.Fatalf("override not read: %+v", es)
	}
	if l.Source[Cues] != filepath.Join(dir, "cues.tsv") || l.Source[Negators] != "embedded" {
		t.Fatalf("sources %v", l.Source)
	}
	if len(l.Entries(Negators)) == 0 {
		t.Fatal("a list missing from the directory must stay embedded")
	}
}

func TestWriteDefaultsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	if err := WriteDefaults(dir); err != nil {
		t.Fatal(err)
	}
	l, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	for _, list := range Lists {
		if len(l.Entries(list)) != len(d.Entries(list)) || !strings.HasPrefix(l.Source[list], dir) {
			t.Errorf("%s: %d entries from %s, want %d from the directory", list, len(l.Entries(list)), l.Source[list], len(d.Entries(list)))
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"a\tregulator\tzh\n", "x.tsv:1: want 4"},
		{"# c\n\na\tpolice\tzh\t1\n", "x.tsv:3: kind \"police\""},
		{"a\tregulator\tfr\t1\n", "x.tsv:1: lang"},
		{"a\tregulator\tzh\tmany\n", "x.tsv:1: weight"},
		{"a\tregulator\tzh\t1\nA\tlegal\ten\t1\n", "x.tsv:2: term \"A\" already on line 1"},
		{"\tregulator\tzh\t1\n", "x.tsv:1: empty term"},
		{"a\xff\tregulator\tzh\t1\n", "x.tsv:1: invalid UTF-8"},
		{strings.Repeat("x", 300) + "\tregulator\tzh\t1\n", "x.tsv:1: term longer"},
	} {
		_, err := Parse(Cues, "x.tsv", strings.NewReader(tc.in))
		if err == nil || !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) = %v, want error containing %q", tc.in, err, tc.want)
		}
	}
}

func scanAll(m *Matcher, text string) []string {
	var out []string
	for _, h := range m.Scan(text, nil) {
		out = append(out, m.Term(int(h.Term))+"@"+itoa(int(h.Start))+"-"+itoa(int(h.End)))
	}
	return out
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestMatcherBoundaries(t *testing.T) {
	m, err := NewMatcher([]string{"sue", "12378", "CFPB", "不", "不满", "满意", "不满意", "close my account", "n't"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		text string
		want string
	}{
		{"this issue is", ""},
		{"I will sue.", "sue@7-10"},
		{"SUE them", "sue@0-3"},
		{"call 123789", ""},
		{"打12378投诉", "12378@3-8"},
		{"cfpb", "CFPB@0-4"},
		{"去CFPB投诉", "CFPB@3-7"},
		{"不满意", "不@0-3 不满@0-6 不满意@0-9 满意@3-9"},
		{"I'll Close My Account!", "close my account@5-21"},
		{"don't", ""}, // n't starts with a letter, so it needs a boundary before it
	} {
		got := scanAll(m, tc.text)
		sort.Strings(got)
		if strings.Join(got, " ") != tc.want {
			t.Errorf("Scan(%q) = %v, want %q", tc.text, got, tc.want)
		}
	}
	if _, err := NewMatcher([]string{"ATM", "atm"}); err == nil {
		t.Error("duplicate terms (ASCII case) accepted")
	}
	if _, err := NewMatcher([]string{""}); err == nil {
		t.Error("empty term accepted")
	}
}

// reference finds the same hits with github.com/petar-dambovaliev/aho-corasick
// and the same boundary rule.
func newReference(terms []string) ahocorasick.AhoCorasick {
	b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{AsciiCaseInsensitive: true, MatchKind: ahocorasick.StandardMatch, DFA: true})
	low := make([]string, len(terms))
	for i, t := range terms {
		low[i] = FoldASCII(t)
	}
	return b.Build(low)
}

func reference(ac ahocorasick.AhoCorasick, terms []string, text string) []string {
	var out []string
	it := ac.IterOverlapping(text)
	for h := it.Next(); h != nil; h = it.Next() {
		t := terms[h.Pattern()]
		s, e := h.Start(), h.End()
		if isWordByte(t[0]) && s > 0 && isWordByte(text[s-1]) || isWordByte(t[len(t)-1]) && e < len(text) && isWordByte(text[e]) {
			continue
		}
		out = append(out, t+"@"+itoa(s)+"-"+itoa(e))
	}
	sort.Strings(out)
	return out
}

func allTerms() []string {
	l := Default()
	seen := map[string]bool{}
	var terms []string
	for _, list := range Lists {
		for _, e := range l.Entries(list) {
			if k := FoldASCII(e.Term); !seen[k] {
				seen[k] = true
				terms = append(terms, e.Term)
			}
		}
	}
	return terms
}

func TestMatcherAgreesWithReference(t *testing.T) {
	terms := allTerms()
	m, err := NewMatcher(terms)
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{
		"我对你们的服务非常不满意!!! 我要投诉到银保监会12378，还要找律师起诉你们，再也不用你们银行了[怒]😡",
		"This is the THIRD time I call. I will not close my account, but I'll go to the CFPB and sue. Don't ignore me!",
		"又是这样，第三次打电话了，没有任何不满？？？ not happy at all",
	}
	// random texts built from terms and filler
	rng := rand.New(rand.NewPCG(1, 2))
	filler := []string{"的", "a", " ", "1", "x", "了", "!", "不", "bank", "😀", "\xff"}
	for n := 0; n < 300; n++ {
		var sb strings.Builder
		for k := 0; k < 12; k++ {
			if rng.IntN(2) == 0 {
				t := terms[rng.IntN(len(terms))]
				if rng.IntN(3) == 0 {
					t = strings.ToUpper(t)
				}
				sb.WriteString(t)
			} else {
				sb.WriteString(filler[rng.IntN(len(filler))])
			}
		}
		texts = append(texts, sb.String())
	}
	ac := newReference(terms)
	for _, text := range texts {
		got := scanAll(m, text)
		sort.Strings(got)
		want := reference(ac, terms, text)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("Scan(%q):\n got %v\nwant %v", text, got, want)
		}
	}
}

func FuzzMatcher(f *testing.F) {
	terms := allTerms()
	m, err := NewMatcher(terms)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("我要投诉到银保监会12378，not happy")
	f.Add("SUE\xffsue不满意")
	ac := newReference(terms)
	f.Fuzz(func(t *testing.T, text string) {
		got := scanAll(m, text)
		sort.Strings(got)
		want := reference(ac, terms, text)
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("Scan(%q):\n got %v\nwant %v", text, got, want)
		}
	})
}

func BenchmarkMatcher(b *testing.B) {
	m, err := NewMatcher(allTerms())
	if err != nil {
		b.Fatal(err)
	}
	text := "我对你们的服务非常不满意，我的信用卡账单又没收到，我要投诉到银保监会12378, I will sue you"
	hits := make([]Hit, 0, 64)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		hits = m.Scan(text, hits[:0])
	}
}

// BenchmarkReferenceLibrary is BenchmarkMatcher with
// github.com/petar-dambovaliev/aho-corasick, the reason for our own
// automaton (compare ns/op and allocs/op).
func BenchmarkReferenceLibrary(b *testing.B) {
	terms := allTerms()
	ac := newReference(terms)
	text := "我对你们的服务非常不满意，我的信用卡账单又没收到，我要投诉到银保监会12378, I will sue you"
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		it := ac.IterOverlapping(text)
		for h := it.Next(); h != nil; h = it.Next() {
			n++
		}
	}
}
