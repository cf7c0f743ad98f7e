package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type assessLineOut struct {
	ID                json.RawMessage `json:"id"`
	Line              int             `json:"line"`
	Error             string          `json:"error"`
	Result            string          `json:"result"`
	Confidence        float64         `json:"confidence"`
	RouteToSupervisor bool            `json:"route_to_supervisor"`
	Empty             bool            `json:"empty"`
	Dimensions        []struct {
		Dimension string  `json:"dimension"`
		Score     float64 `json:"score"`
	} `json:"dimensions"`
	Cues []struct {
		Kind string `json:"kind"`
	} `json:"cues"`
	Reasons []struct {
		Zh string `json:"zh"`
		En string `json:"en"`
	} `json:"reasons"`
}

func parseAssess(t *testing.T, out string) []assessLineOut {
	t.Helper()
	var res []assessLineOut
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var l assessLineOut
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("output line %q: %v", sc.Text(), err)
		}
		res = append(res, l)
	}
	return res
}

func TestAssessLines(t *testing.T) {
	in := strings.Join([]string{
		`{"id":"a","text":"信用卡年费被扣了200元，我要求赔偿我2万元。"}`,
		`{"id":"b","text":"你们这垃圾银行！年费说好免的又扣了300元！马上给我退回来！"}`,
		``,
		`{"id":"c","text":"信用卡被盗刷了3000元。","contacts":[{"at":"2025-07-01T10:00:00Z","text":"信用卡被盗刷了3000元。"},{"at":"2025-07-03T10:00:00Z","text":"被盗刷了8000元，你们必须全赔。","channel":"phone"}]}`,
		`{"id":"d","text":"上个月15号在你们APP转账失败，钱被扣了800元一直没退回。请核实后退回。","history":{"prior_complaints":8,"compensations":[{"at":"2025-03-01T00:00:00Z","amount":200},{"amount":100}],"channels":["phone","branch"]},"label":"goodwill","note":"ignored"}`,
		`{"id":"e","text":""}`,
		`{"id":"f","text":"Pay me $20,000 and I'll delete the video. Otherwise I'm going to the media."}`,
	}, "\n")
	code, out, errs := runCmd(t, in, "assess")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ls := parseAssess(t, out)
	want := []struct {
		id, result string
	}{{`"a"`, "unreasonable_demand"}, {`"b"`, "goodwill"}, {`"c"`, "suspected_malicious"}, {`"d"`, "goodwill"}, {`"e"`, "goodwill"}, {`"f"`, "suspected_malicious"}}
	if len(ls) != len(want) {
		t.Fatalf("%d output lines for %d objects (blank lines are skipped): %s", len(ls), len(want), out)
	}
	for i, w := range want {
		l := ls[i]
		if string(l.ID) != w.id || l.Result != w.result || l.Error != "" {
			t.Errorf("line %d: id %s result %s error %q; want %s %s", i, l.ID, l.Result, l.Error, w.id, w.result)
		}
		if len(l.Dimensions) != 5 || len(l.Reasons) == 0 || l.Reasons[0].Zh == "" || l.Reasons[0].En == "" {
			t.Errorf("line %d: incomplete assessment %+v", i, l)
		}
		if l.Result != "goodwill" && !l.RouteToSupervisor {
			t.Errorf("line %d: %s without route_to_supervisor", i, l.Result)
		}
	}
	if !ls[4].Empty || ls[4].Confidence != 0 {
		t.Errorf("empty text: %+v", ls[4])
	}
	if !hasCue(ls[2], "contradiction") || !hasCue(ls[3], "serial_complaining") {
		t.Errorf("contacts or history not used: %+v %+v", ls[2].Cues, ls[3].Cues)
	}
}

func hasCue(l assessLineOut, k string) bool {
	for _, c := range l.Cues {
		if c.Kind == k {
			return true
		}
	}
	return false
}

// TestAssessBadLines: every bad line gets an error naming it, the good
// lines around it are still assessed, and the exit status is 1.
func TestAssessBadLines(t *testing.T) {
	bad := []struct {
		line, want string
	}{
		{`hello`, "not a JSON object"},
		{`[1,2]`, "not a JSON object"},
		{`{"text":`, "invalid JSON"},
		{`{"text":5}`, `field "text": a JSON number where a string is expected`},
		{`{"id":"x"}`, `no "text" field`},
		{`{"text":null}`, `no "text" field`},
		{`{"text":"a","contacts":{"x":1}}`, `field "contacts": a JSON object where an array is expected`},
		{`{"text":"a","contacts":[{"text":7}]}`, `field "contacts.text"`},
		{`{"text":"a","contacts":[{"at":"yesterday","text":"b"}]}`, `not RFC 3339`},
		{`{"text":"a","contacts":[{"text":"b","role":"boss"}]}`, `"contacts[0].role"`},
		{`{"text":"a","history":{"prior_complaints":-1}}`, `"history.prior_complaints" is negative`},
		{`{"text":"a","history":{"prior_cases":"many"}}`, `field "history.prior_cases"`},
		{`{"text":"a","history":{"compensations":[{"amount":-5}]}}`, `"history.compensations[0].amount" is negative`},
		{`{"text":"a","history":[]}`, `field "history"`},
		{`{"text":"` + strings.Repeat("长", 30000) + `"}`, `"text" is 90000 bytes, above the limit`},
		{`{"text":"a","contacts":[` + strings.TrimSuffix(strings.Repeat(`{"text":"b"},`, 201), ",") + `]}`, "201 contacts, above the limit"},
		{`{"text":"` + strings.Repeat("x", 1<<20+10) + `"}`, "line longer than"},
		{"{\"text\":\"\xff\xfe\"}", "invalid UTF-8"},
	}
	good := `{"id":"ok","text":"多扣的50元手续费请退回。"}`
	var lines []string
	for _, b := range bad {
		lines = append(lines, b.line, good)
	}
	code, out, errs := runCmd(t, strings.Join(lines, "\n")+"\n", "assess")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errs)
	}
	ls := parseAssess(t, out)
	if len(ls) != 2*len(bad) {
		t.Fatalf("%d output lines, want %d", len(ls), 2*len(bad))
	}
	for i, b := range bad {
		e, g := ls[2*i], ls[2*i+1]
		if e.Line != 2*i+1 || !strings.Contains(e.Error, b.want) || e.Result != "" {
			t.Errorf("bad line %d (%.40q): got line %d error %q; want line %d and %q", i, b.line, e.Line, e.Error, 2*i+1, b.want)
		}
		if !strings.Contains(errs, "line "+itoa(2*i+1)+":") {
			t.Errorf("standard error does not name line %d", 2*i+1)
		}
		if string(g.ID) != `"ok"` || g.Result != "goodwill" {
			t.Errorf("good line after bad line %d: %+v", i, g)
		}
	}
	if !strings.Contains(errs, "18 of 36 lines could not be assessed") {
		t.Errorf("summary missing: %s", errs)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestAssessArgumentAndCues(t *testing.T) {
	code, out, errs := runCmd(t, "", "assess", "不赔钱我就去网上曝光你们，至少给我10万。")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if ls := parseAssess(t, out); len(ls) != 1 || ls[0].Result != "suspected_malicious" {
		t.Fatalf("argument: %s", out)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tsv")
	if err := os.WriteFile(bad, []byte("封口费\textortion\tzh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "", "assess", "--cues", bad, "x"); code != 1 || !strings.Contains(errs, "bad.tsv:1") {
		t.Errorf("bad cue list: exit %d, %s", code, errs)
	}
	// an edited list: 红包 made an extortion word
	edited := filepath.Join(dir, "cues.tsv")
	if err := os.WriteFile(edited, []byte("红包\textortion\tzh\t1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCmd(t, "", "assess", "--cues", edited, "发个红包给我，这事就算了")
	if code != 0 {
		t.Fatalf("edited cues: exit %d: %s", code, errs)
	}
	if ls := parseAssess(t, out); len(ls) != 1 || !hasCue(ls[0], "extortion") {
		t.Errorf("edited cue list not used: %s", out)
	}
}

// TestAssessTestSet runs the package's labelled cases through the command:
// every line assessed, none refused (their extra fields are ignored).
func TestAssessTestSet(t *testing.T) {
	b, err := os.ReadFile("../../internal/goodwill/testdata/cases.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCmd(t, string(b), "assess")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	n := strings.Count(strings.TrimSpace(string(b)), "\n") + 1
	if ls := parseAssess(t, out); len(ls) != n {
		t.Fatalf("%d results for %d cases", len(ls), n)
	}
}

func TestAssessMeasure(t *testing.T) {
	code, out, errs := runCmd(t, "", "assess", "--measure", "../../internal/goodwill/testdata/cases.jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Task     string  `json:"task"`
		N        int     `json:"n"`
		MacroF1  float64 `json:"macro_f1"`
		PerClass map[string]struct {
			F1      float64 `json:"f1"`
			Support int     `json:"support"`
		} `json:"per_class"`
		Misses []struct {
			ID string `json:"id"`
		} `json:"misses"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if r.Task != "goodwill" || r.N < 60 || r.MacroF1 < 0.85 || len(r.PerClass) != 3 || r.Misses == nil {
		t.Errorf("report: %+v", r)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "l.jsonl")
	if err := os.WriteFile(bad, []byte(`{"id":"a","text":"x","label":"goodwill"}`+"\n"+`{"id":"b","text":"y","label":"rude"}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCmd(t, "", "assess", "--measure", bad); code != 1 || !strings.Contains(errs, "l.jsonl:2: label") {
		t.Errorf("bad labelled file: exit %d, %s", code, errs)
	}
}
