package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type analyzeLine struct {
	ID      json.RawMessage `json:"id"`
	Line    int             `json:"line"`
	Error   string          `json:"error"`
	Empty   bool            `json:"empty"`
	Lang    string          `json:"lang"`
	Emotion struct {
		Label string             `json:"label"`
		Probs map[string]float64 `json:"probs"`
	} `json:"emotion"`
	Problems []struct {
		Code string `json:"code"`
	} `json:"problems"`
	Cues []struct {
		Kind    string `json:"kind"`
		Negated bool   `json:"negated"`
		Span    struct {
			Start, End int
			Text       string
		} `json:"span"`
	} `json:"cues"`
	Explanation []json.RawMessage `json:"explanation"`
}

func parseLines(t *testing.T, out string) []analyzeLine {
	t.Helper()
	var res []analyzeLine
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var l analyzeLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		res = append(res, l)
	}
	return res
}

func TestAnalyzeArgument(t *testing.T) {
	code, out, errs := runCmd(t, "", "analyze", "我的信用卡账单又没收到，我要投诉到银保监会！")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ls := parseLines(t, out)
	if len(ls) != 1 || len(ls[0].Emotion.Probs) != 6 || ls[0].Lang != "zh" || len(ls[0].Explanation) != 0 {
		t.Fatalf("output %s", out)
	}
	kinds := map[string]bool{}
	for _, c := range ls[0].Cues {
		kinds[c.Kind] = true
	}
	if !kinds["regulator"] || !kinds["repeat"] {
		t.Errorf("cues %+v", ls[0].Cues)
	}
	codes := map[string]bool{}
	for _, p := range ls[0].Problems {
		codes[p.Code] = true
	}
	if !codes["B0302"] {
		t.Errorf("problems %+v", ls[0].Problems)
	}
	code, out, _ = runCmd(t, "", "analyze", "--explain", "I will sue you")
	if ls := parseLines(t, out); code != 0 || len(ls) != 1 || len(ls[0].Explanation) == 0 || ls[0].Lang != "en" {
		t.Fatalf("--explain: exit %d, %s", code, out)
	}
}

func TestAnalyzeStdin(t *testing.T) {
	in := strings.Join([]string{
		`柜员态度冷淡，不理人`,
		`{"id": 7, "text": "I will not sue you"}`,
		``,
		`{"id": "x", "label": "anger"}`,
		`{"text": "broken`,
		"我要\xff投诉",
		`{"text": "` + strings.Repeat("投", 30000) + `"}`,
		"last line without newline",
	}, "\n")
	code, out, errs := runCmd(t, in, "analyze")
	if code != 1 {
		t.Errorf("exit %d, want 1 (some lines refused)", code)
	}
	ls := parseLines(t, out)
	if len(ls) != 8 {
		t.Fatalf("%d output lines for 8 input lines:\n%s", len(ls), out)
	}
	if len(ls[0].Problems) == 0 || ls[0].Problems[0].Code != "A0101" {
		t.Errorf("line 1: %+v", ls[0])
	}
	if string(ls[1].ID) != "7" || len(ls[1].Cues) != 1 || !ls[1].Cues[0].Negated {
		t.Errorf("line 2: %+v", ls[1])
	}
	if !ls[2].Empty {
		t.Errorf("line 3 (empty): %+v", ls[2])
	}
	if ls[3].Line != 4 || !strings.Contains(ls[3].Error, `"text"`) {
		t.Errorf("line 4 (no text): %+v", ls[3])
	}
	if ls[4].Line != 5 || !strings.Contains(ls[4].Error, "invalid JSON") {
		t.Errorf("line 5 (broken JSON): %+v", ls[4])
	}
	if ls[5].Error != "" || len(ls[5].Cues) == 0 || !strings.Contains(errs, "line 6: warning: invalid UTF-8") {
		t.Errorf("line 6 (invalid UTF-8): %+v; stderr %s", ls[5], errs)
	}
	if ls[6].Line != 7 || !strings.Contains(ls[6].Error, "above the limit of 65536") {
		t.Errorf("line 7 (90 KB message): %+v", ls[6])
	}
	if ls[7].Lang != "en" {
		t.Errorf("line 8: %+v", ls[7])
	}
	for _, want := range []string{"line 4:", "line 5:", "line 7:", "3 of 8 lines"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// A 10 MB line is refused by number without holding it in memory, and the
// lines after it are still analysed.
func TestAnalyzeBOM(t *testing.T) {
	code, out, errs := runCmd(t, "\ufeff{\"id\": 1, \"text\": \"我要投诉\"}\n", "analyze")
	ls := parseLines(t, out)
	if code != 0 || len(ls) != 1 || string(ls[0].ID) != "1" || len(ls[0].Cues) != 1 {
		t.Errorf("JSONL after a byte-order mark: exit %d, %s %s", code, out, errs)
	}
}

func TestAnalyzeHugeLine(t *testing.T) {
	huge := strings.Repeat("投诉", 10<<20/6)
	in := "第一行\n" + huge + "\n" + "第三行：我要投诉\n"
	var out, errb bytes.Buffer
	code := run(context.Background(), &cmdEnv{stdin: strings.NewReader(in), stdout: &out, stderr: &errb}, []string{"analyze"})
	if code != 1 {
		t.Errorf("exit %d", code)
	}
	ls := parseLines(t, out.String())
	if len(ls) != 3 || ls[1].Line != 2 || !strings.Contains(ls[1].Error, "longer than") || len(ls[2].Cues) == 0 {
		t.Fatalf("output %.500s", out.String())
	}
	if !strings.Contains(errb.String(), "line 2: line longer than") {
		t.Errorf("stderr %s", errb.String())
	}
}

func TestAnalyzeLists(t *testing.T) {
	exp := t.TempDir()
	if code, _, errs := runCmd(t, "", "analyze", "--export-lists", exp); code != 0 {
		t.Fatalf("--export-lists: exit %d: %s", code, errs)
	}
	for _, f := range []string{"cues.tsv", "negators.tsv", "taxonomy.tsv", "keywords.tsv"} {
		if _, err := os.Stat(filepath.Join(exp, f)); err != nil {
			t.Errorf("--export-lists did not write %s: %v", f, err)
		}
	}
	if code, out, errs := runCmd(t, "", "analyze", "--lists", exp, "我要投诉到银保监会"); code != 0 || !strings.Contains(out, "regulator") {
		t.Errorf("exported lists: exit %d, %s %s", code, out, errs)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "cues.tsv"), []byte("金融纠纷调解中心\tregulator\tzh\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, "", "analyze", "--lists", dir, "我要去金融纠纷调解中心，还要找律师")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ls := parseLines(t, out)
	if len(ls) != 1 || len(ls[0].Cues) != 1 || ls[0].Cues[0].Kind != "regulator" || ls[0].Cues[0].Span.Text != "金融纠纷调解中心" {
		t.Fatalf("edited cue list not used (律师 must be gone, the new term found): %s", out)
	}
	os.WriteFile(filepath.Join(dir, "cues.tsv"), []byte("x\tpolice\tzh\t1\n"), 0o644)
	code, _, errs = runCmd(t, "", "analyze", "--lists", dir, "x")
	if code != 1 || !strings.Contains(errs, "cues.tsv:1") {
		t.Errorf("bad list: exit %d, %s", code, errs)
	}
}

func TestReadLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader("ab\r\n"+strings.Repeat("x", 100)+"\ncd"), 16)
	var got []string
	for {
		b, long, err := readLine(r, nil, 50)
		if long {
			got = append(got, "LONG")
		} else {
			got = append(got, string(b))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, "|") != "ab|LONG|cd" {
		t.Errorf("lines %q", got)
	}
}
