package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"huajie/internal/textclass"
)

func runTC(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &cmdEnv{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func writeLines(t *testing.T, dir, name string, lines ...string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// intentLines makes a small three-intent file, n items per intent.
func intentLines(n int) []string {
	words := map[string][]string{
		"card_arrival":   {"my card has not arrived", "where is my new card", "card still not delivered"},
		"exchange_rate":  {"what is the exchange rate", "how much is a euro in dollars", "currency conversion rate"},
		"lost_or_stolen": {"I lost my card", "my card was stolen", "someone took my wallet and card"},
	}
	var out []string
	for i := 0; i < n; i++ {
		for l, ws := range words {
			out = append(out, fmt.Sprintf(`{"id":"%s-%d","text":"%s %d","label":"%s"}`, l, i, ws[i%len(ws)], i, l))
		}
	}
	return out
}

func TestTrainEvalIntent(t *testing.T) {
	dir := t.TempDir()
	data := writeLines(t, dir, "intent.jsonl", intentLines(30)...)
	model := filepath.Join(dir, "intent.hjm")
	code, _, errs := runTC(t, "train", "--task", "intent", "--data", data, "--out", model, "--bits", "14", "--seed", "3")
	if code != 0 {
		t.Fatalf("train: %d %s", code, errs)
	}
	if !strings.Contains(errs, "epoch 12/12") { // intent default: 12 passes
		t.Errorf("no progress on stderr: %q", errs)
	}
	b, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	m, err := textclass.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if m.Task() != "intent" || len(m.Labels()) != 3 {
		t.Fatalf("model task %q labels %v", m.Task(), m.Labels())
	}

	// Same command, same bytes.
	if code, _, errs := runTC(t, "train", "--task", "intent", "--data", data, "--out", model, "--bits", "14", "--seed", "3"); code != 0 {
		t.Fatal(errs)
	}
	b2, _ := os.ReadFile(model)
	if !bytes.Equal(b, b2) {
		t.Error("training is not reproducible with the same seed")
	}

	code, out, errs := runTC(t, "eval", "--task", "intent", "--data", data, "--model", model)
	if code != 0 {
		t.Fatalf("eval: %d %s", code, errs)
	}
	var r struct {
		Task           string  `json:"task"`
		N              int     `json:"n"`
		Accuracy       float64 `json:"accuracy"`
		MacroF1        float64 `json:"macro_f1"`
		AUC            *float64
		Seconds        float64 `json:"seconds"`
		ItemsPerSecond float64 `json:"items_per_second"`
		PerClass       map[string]struct {
			Precision, Recall, F1 float64
			Support               int
		} `json:"per_class"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("eval output is not JSON: %v\n%s", err, out)
	}
	if r.Task != "intent" || r.N != 90 || len(r.PerClass) != 3 || r.PerClass["card_arrival"].Support != 30 || r.AUC != nil {
		t.Errorf("eval report %+v", r)
	}
	if r.Accuracy < 0.9 { // the training data itself: a working model fits it
		t.Errorf("accuracy on its own training data %.2f", r.Accuracy)
	}
	if r.Seconds <= 0 || r.ItemsPerSecond <= 0 {
		t.Errorf("timing %v s, %v items/s", r.Seconds, r.ItemsPerSecond)
	}
}

func TestTrainBadInputWritesNothing(t *testing.T) {
	dir := t.TempDir()
	good := `{"text":"好","label":"positive"}`
	cases := map[string]struct {
		lines []string
		want  string
	}{
		"not json":   {[]string{good, "{oops"}, ":2: not a JSON object"},
		"no text":    {[]string{good, good, `{"label":"negative"}`}, `:3: no "text" field`},
		"no label":   {[]string{`{"text":"差"}`}, `:1: no "label" field`},
		"bad label":  {[]string{good, `{"text":"差","label":"neutral"}`}, ":2: label outside the task's vocabulary"},
		"bad utf8":   {[]string{good, "{\"text\":\"\xc3\x28\",\"label\":\"negative\"}"}, ":2: invalid UTF-8"},
		"huge line":  {[]string{good, `{"text":"` + strings.Repeat("x", 10<<20) + `","label":"negative"}`}, ":2: line longer than"},
		"one label":  {[]string{good, good}, "need at least two"},
		"empty file": {[]string{""}, "no items"},
	}
	for name, c := range cases {
		data := writeLines(t, dir, strings.ReplaceAll(name, " ", "_")+".jsonl", c.lines...)
		out := filepath.Join(dir, "m-"+strings.ReplaceAll(name, " ", "_"))
		code, _, errs := runTC(t, "train", "--task", "sentiment", "--data", data, "--out", out, "--bits", "10")
		if code == 0 {
			t.Errorf("%s: training succeeded", name)
		}
		if !strings.Contains(errs, c.want) {
			t.Errorf("%s: stderr %q, want %q", name, errs, c.want)
		}
		if c.want != "need at least two" && c.want != "no items" && !strings.Contains(errs, data) {
			t.Errorf("%s: error does not name the file: %q", name, errs)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%s: %s was written", name, out)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".huajie-tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	for _, args := range [][]string{
		{"train", "--task", "weather", "--data", "x", "--out", "y"},
		{"train", "--task", "emotion", "--out", "y"},
		{"train", "--task", "emotion", "--data", "x:-1", "--out", "y"},
		{"train", "--task", "sentiment", "--data", "x", "--out", "y", "--sentiment-aux", "z"},
		{"eval", "--task", "intent", "--data", filepath.Join(dir, "bad_label.jsonl")},
		{"split", "--data", "x", "--train-out", "a", "--test-out", "a"},
	} {
		if code, _, _ := runTC(t, args...); code == 0 {
			t.Errorf("%v succeeded", args)
		}
	}
}

func TestEvalBuiltinAndDialogue(t *testing.T) {
	dir := t.TempDir()
	data := writeLines(t, dir, "s.jsonl",
		`{"text":"非常满意，服务很好","label":"positive"}`,
		`{"text":"太差了，再也不来了","label":"negative"}`,
		`{"text":"","label":"positive"}`)
	code, out, errs := runTC(t, "eval", "--task", "sentiment", "--data", data)
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	if !strings.Contains(out, `"auc"`) || !strings.Contains(out, `"n": 3`) {
		t.Errorf("two-class eval without auc or n: %s", out)
	}
	dlg := writeLines(t, dir, "d.jsonl",
		`{"id":"1","turns":[{"role":"customer","text":"你们太差劲了，我要投诉"},{"role":"agent","text":"非常抱歉"}],"label":"dissatisfied"}`,
		`{"id":"2","turns":[{"role":"customer","text":"谢谢，问题解决了，很满意"}],"label":"not_dissatisfied"}`,
		`{"id":"3","turns":[{"role":"agent","text":"您好"}],"label":"not_dissatisfied"}`)
	code, out, errs = runTC(t, "eval", "--task", "dialogue", "--data", dlg)
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	var r struct {
		N   int      `json:"n"`
		AUC *float64 `json:"auc"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.N != 3 || r.AUC == nil {
		t.Fatalf("dialogue report %s (%v)", out, err)
	}
}

func TestSplitCommand(t *testing.T) {
	dir := t.TempDir()
	data := writeLines(t, dir, "i.jsonl", intentLines(50)...)
	a, b := filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "b.jsonl")
	code, out, errs := runTC(t, "split", "--data", data, "--test", "0.2", "--seed", "5", "--train-out", a, "--test-out", b)
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	var sum struct{ Train, Test int }
	if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Train+sum.Test != 150 || sum.Test < 10 || sum.Test > 50 {
		t.Errorf("split summary %s (%v)", out, err)
	}
	first, _ := os.ReadFile(b)
	runTC(t, "split", "--data", data, "--test", "0.2", "--seed", "5", "--train-out", a, "--test-out", b)
	again, _ := os.ReadFile(b)
	if !bytes.Equal(first, again) || len(first) == 0 {
		t.Error("split is not deterministic")
	}
}

// --temperature multiplies the written model's scores; --fit-temperature
// finds the one that minimises the held-out log-loss, so a model written
// with it has nothing left to fit.
func TestTrainTemperature(t *testing.T) {
	dir := t.TempDir()
	// A fifth of the labels moved to the next intent: a model cannot be
	// sure, so the best temperature is finite.
	lines := intentLines(60)
	next := map[string]string{"card_arrival": "exchange_rate", "exchange_rate": "lost_or_stolen", "lost_or_stolen": "card_arrival"}
	for i := 0; i < len(lines); i += 5 {
		for from, to := range next {
			if strings.Contains(lines[i], `"label":"`+from+`"`) {
				lines[i] = strings.Replace(lines[i], `"label":"`+from+`"`, `"label":"`+to+`"`, 1)
				break
			}
		}
	}
	data := writeLines(t, dir, "intent.jsonl", lines...)
	base := []string{"train", "--task", "intent", "--data", data, "--bits", "14", "--seed", "3", "--holdout", "0.25"}
	fitted := func(errs string) (t0, before, after float64) {
		t.Helper()
		i := strings.Index(errs, "fit-temperature on ")
		if i < 0 {
			t.Fatalf("no fit-temperature line: %q", errs)
		}
		var n int
		var applied float64
		if _, err := fmt.Sscanf(errs[i:], "fit-temperature on %d held-out items: log-loss %f → %f with --temperature %f (times the %g already applied)",
			&n, &before, &after, &t0, &applied); err != nil || n == 0 {
			t.Fatalf("fit-temperature line %q: %v", errs[i:], err)
		}
		return t0, before, after
	}
	plain := filepath.Join(dir, "plain.hjm")
	code, _, errs := runTC(t, append(base, "--out", plain, "--fit-temperature")...)
	if code != 0 {
		t.Fatal(errs)
	}
	t1, before, after := fitted(errs)
	if t1 == 1 || after >= before {
		t.Fatalf("fitted temperature %v: log-loss %v → %v", t1, before, after)
	}
	scaled := filepath.Join(dir, "scaled.hjm")
	code, _, errs = runTC(t, append(base, "--out", scaled, "--fit-temperature", "--temperature", fmt.Sprint(t1))...)
	if code != 0 {
		t.Fatal(errs)
	}
	if t2, _, after2 := fitted(errs); math.Abs(t2-1) > 0.051 || math.Abs(after2-after) > 0.01 {
		t.Errorf("after --temperature %v the fit finds %v (log-loss %v, was %v)", t1, t2, after2, after)
	}
	load := func(p string) *textclass.Model {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m, err := textclass.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	m1, m2 := load(plain), load(scaled)
	f := textclass.NewFeaturesConfig(m1.Config())
	f.Extract("where is my new card")
	s1, s2 := make([]float64, 3), make([]float64, 3)
	m1.Scores(f, s1)
	m2.Scores(f, s2)
	for j := range s1 {
		if math.Abs(s2[j]-t1*s1[j]) > 1e-6 {
			t.Errorf("label %d: score %v, with --temperature %v %v", j, s1[j], t1, s2[j])
		}
	}
	for _, extra := range [][]string{{"--temperature", "0"}, {"--temperature", "-1"}} {
		if code, _, _ := runTC(t, append(base, append(extra, "--out", filepath.Join(dir, "bad.hjm"))...)...); code == 0 {
			t.Errorf("%v accepted", extra)
		}
	}
	if code, _, _ := runTC(t, "train", "--task", "intent", "--data", data, "--out", filepath.Join(dir, "bad.hjm"), "--fit-temperature"); code == 0 {
		t.Error("--fit-temperature without --holdout accepted")
	}
}
