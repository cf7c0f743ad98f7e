package dataset

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadErrorsNameFileAndLine(t *testing.T) {
	good := `{"id":"a","text":"好","label":"joy"}` + "\n"
	cases := []struct {
		name, task, body string
		line             int
		want             error
	}{
		{"not json", "emotion", good + "{not json}\n", 2, ErrNotJSON},
		{"array", "emotion", good + "[1,2]\n", 2, ErrNotJSON},
		{"no text", "emotion", good + good + `{"label":"joy"}` + "\n", 3, ErrNoText},
		{"no label", "emotion", `{"text":"好"}` + "\n", 1, ErrNoLabel},
		{"bad label", "emotion", good + `{"text":"好","label":"happy"}` + "\n", 2, ErrBadLabel},
		{"empty label", "intent", `{"text":"x","label":""}` + "\n", 1, ErrBadLabel},
		{"invalid utf8", "emotion", good + "{\"text\":\"\xff\xfe\",\"label\":\"joy\"}\n", 2, ErrInvalidUTF8},
		{"no turns", "dialogue", `{"text":"x","label":"dissatisfied"}` + "\n", 1, ErrNoTurns},
		{"huge line", "emotion", good + `{"text":"` + strings.Repeat("长", 10<<20/3) + `","label":"joy"}` + "\n", 2, ErrLineTooLong},
	}
	for _, c := range cases {
		_, err := ReadFrom(strings.NewReader(c.body), "f.jsonl", c.task)
		var le *LineError
		if !errors.As(err, &le) || !errors.Is(err, c.want) {
			t.Errorf("%s: err %v, want a LineError wrapping %v", c.name, err, c.want)
			continue
		}
		if le.File != "f.jsonl" || le.Line != c.line {
			t.Errorf("%s: error at %s:%d, want f.jsonl:%d", c.name, le.File, le.Line, c.line)
		}
		if !strings.HasPrefix(err.Error(), fmt.Sprintf("f.jsonl:%d: ", c.line)) {
			t.Errorf("%s: message %q does not start with file:line", c.name, err)
		}
	}
}

func TestReadAccepts(t *testing.T) {
	body := "\n" + `{"id":"1","text":"","label":"neutral","extra":5}` + "\n" +
		`{"id":"2","text":"好","label":"joy","source":"x"}` + "\n\n"
	items, err := ReadFrom(strings.NewReader(body), "f", "emotion")
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 2 || items[0].Text != "" || items[0].Line != 2 || items[1].Line != 3 || items[1].Source != "x" {
		t.Fatalf("got %+v", items)
	}
	d, err := ReadFrom(strings.NewReader(`{"turns":[{"role":"customer","text":"慢"}],"label":"dissatisfied"}`), "d", "dialogue")
	if err != nil || len(d) != 1 || d[0].Turns[0].Role != "customer" {
		t.Fatalf("dialogue: %+v %v", d, err)
	}
	if _, err := ReadFrom(strings.NewReader("\n\n"), "e", "emotion"); !errors.Is(err, ErrNoItems) {
		t.Errorf("empty file: %v", err)
	}
	if _, err := ReadFrom(strings.NewReader(body), "f", "weather"); !errors.Is(err, ErrUnknownTask) {
		t.Errorf("unknown task: %v", err)
	}
}

func items(n int, labels ...string) []Item {
	var out []Item
	for i := 0; i < n; i++ {
		l := labels[i%len(labels)]
		out = append(out, Item{ID: fmt.Sprintf("id-%d", i), Text: "t", Label: l, Line: i + 1, Raw: []byte(fmt.Sprintf(`{"id":"id-%d"}`, i))})
	}
	return out
}

func TestSplitDeterministicGroupedAndDisjoint(t *testing.T) {
	all := items(2000, "a", "a", "a", "b")
	for i := range all {
		all[i].Text = fmt.Sprintf("text %d", i)
	}
	// Repeated texts (with other ids and even another label).
	for i := 0; i < 100; i++ {
		all = append(all, Item{ID: fmt.Sprintf("dup-%d", i), Text: fmt.Sprintf("TEXT, %d!", i), Label: "b"})
	}
	tr1, te1 := Split(all, 0.2, 7)
	tr2, te2 := Split(all, 0.2, 7)
	if len(te1) != len(te2) || len(tr1) != len(tr2) {
		t.Fatal("same seed, different split sizes")
	}
	for i := range te1 {
		if te1[i].ID != te2[i].ID {
			t.Fatal("same seed, different split")
		}
	}
	if len(tr1)+len(te1) != len(all) {
		t.Fatalf("%d + %d != %d", len(tr1), len(te1), len(all))
	}
	trainText := map[string]bool{}
	for _, it := range tr1 {
		trainText[TextKey(it.Text)] = true
	}
	nb := 0
	for _, it := range te1 {
		if trainText[TextKey(it.Text)] {
			t.Fatalf("%s (%q) has its text in both parts", it.ID, it.Text)
		}
		if it.Label == "b" {
			nb++
		}
	}
	// About a fifth of each label: binomial, so allow 4 standard deviations.
	if n := len(te1); n < 420-4*18 || n > 420+4*18 {
		t.Errorf("test part has %d of %d items", n, len(all))
	}
	if nb < 120-4*10 || nb > 120+4*10 {
		t.Errorf("test part has %d items of label b", nb)
	}
	// Order of lines does not matter; the seed does.
	rev := append([]Item(nil), all...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	_, te3 := Split(rev, 0.2, 7)
	ids := map[string]bool{}
	for _, it := range te3 {
		ids[it.ID] = true
	}
	for _, it := range te1 {
		if !ids[it.ID] {
			t.Fatal("split depends on line order")
		}
	}
	_, te4 := Split(all, 0.2, 8)
	ids4 := map[string]bool{}
	for _, it := range te4 {
		ids4[it.ID] = true
	}
	same := 0
	for _, it := range te1 {
		if ids4[it.ID] {
			same++
		}
	}
	if same == len(te1) {
		t.Error("another seed gave the same split")
	}
}

func TestAtomicWriteLeavesNothingOnFailure(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(p, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := AtomicWrite(p, func(w io.Writer) error {
		w.Write([]byte("half"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v", err)
	}
	b, _ := os.ReadFile(p)
	if string(b) != "old\n" {
		t.Errorf("file became %q after a failed write", b)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("temporary files left: %v", ents)
	}
	if err := WriteFile(p, items(3, "a")); err != nil {
		t.Fatal(err)
	}
	back, err := os.ReadFile(p)
	if err != nil || strings.Count(string(back), "\n") != 3 {
		t.Errorf("written %q, %v", back, err)
	}
}

func TestTextKey(t *testing.T) {
	if TextKey("Hello, 世界！ ") != TextKey("hello世界") || TextKey("a") == TextKey("b") {
		t.Error("TextKey should ignore case, spaces and punctuation only")
	}
}
