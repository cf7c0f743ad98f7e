package collect

import (
	"errors"
	"strings"
	"testing"

	"huajie/internal/servqual"
	"huajie/internal/touchpoints"
)

var chk = Checker{Touchpoints: touchpoints.Default()}

func TestSurveysJSONL(t *testing.T) {
	in := "\xef\xbb\xbf" + `{"id":"s1","kind":"nps","at":"2026-03-01T10:00:00+08:00","touchpoint":"counter","branch":"深圳南山","score":9}

{"id":"s2","kind":"csat","at":"2026-03-02","score":2,"comment":"排队太久"}
{"id":"s3","kind":"servqual","at":"2026-03-02","touchpoint":"atm","items":[{"dimension":"tangibles","code":"TAN1","expectation":7,"perception":4}]}
`
	var lines int
	got, err := chk.ReadSurveys(strings.NewReader(in), JSONL, func(n int) { lines = n })
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || lines != 4 || *got[0].Score != 9 || got[0].At.Hour() != 2 || got[0].Branch != "深圳南山" || got[2].Items[0].Perception != 4 {
		t.Fatalf("%d lines, %+v", lines, got)
	}
}

func TestSurveyErrorsNameTheLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"id":"a","kind":"nps","at":"2026-03-01","score":11}`, "line 1: score: 11 out of range 0–10"},
		{`{"id":"a","kind":"csat","at":"2026-03-01","score":0}`, "line 1: score: 0 out of range 1–5"},
		{`{"id":"a","kind":"csat","at":"2026-03-01","score":"4"}`, "line 1: invalid JSON"},
		{`{"id":"a","kind":"csat","at":"2026-03-01","score":4.5}`, "line 1: invalid JSON"},
		{`{"id":"a","kind":"csat","at":"yesterday","score":4}`, "line 1: invalid JSON"},
		{`{"id":"a","kind":"csat","score":4}`, "line 1: at: required"},
		{`{"id":"a","kind":"stars","at":"2026-03-01","score":4}`, "line 1: kind"},
		{`{"id":"a","kind":"nps","at":"2026-03-01"}`, "line 1: score: required"},
		{`{"id":"a","kind":"servqual","at":"2026-03-01","items":[{"dimension":"empathy","expectation":8,"perception":3}]}`, "line 1: items[0]: expectation 8 out of range"},
		{`{"id":"a","kind":"servqual","at":"2026-03-01","items":[]}`, "line 1: items"},
		{`{"id":"a","kind":"nps","at":"2026-03-01","score":5,"touchpoint":"moon"}`, `line 1: touchpoint: unknown touchpoint "moon"`},
		{`{"id":"a","kind":"nps","at":"2026-03-01","score":5,"colour":"red"}`, `line 1: invalid JSON: json: unknown field "colour"`},
		{`{"id":"a","kind":"nps","at":"2026-03-01","score":5}` + "\n" + `{"id":"a","kind":"nps","at":"2026-03-01","score":5}`, `line 2: id: "a" already on line 1`},
		{`{"id":"a","kind":"nps","at":"2026-03-01","score":5}` + "\n" + `{"id":"b",`, "line 2: invalid JSON"},
		{`{"id":"","kind":"nps","at":"2026-03-01","score":5}`, "line 1: id"},
	}
	for _, tc := range tests {
		got, err := chk.ReadSurveys(strings.NewReader(tc.in), JSONL, nil)
		var fe *FileError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) || got != nil {
			t.Errorf("%s:\n got %v (%d records)\nwant %q", tc.in, err, len(got), tc.want)
		}
	}
}

func TestSurveysCSV(t *testing.T) {
	in := "id,kind,at,touchpoint,score,reliability1_e,reliability1_p,empathy_e,empathy_p\n" +
		"a,nps,2026-03-01,counter,10,,,,\n" +
		"b,servqual,2026-03-01,atm,,7,5,6,6\n" +
		"c,servqual,2026-03-01,atm,,7,,,\n" +
		"d,csat,2026-03-01,,x,,,,\n" +
		"e,csat,2026-03-01\n" +
		"f,servqual,2026-03-01,,,7,abc,,\n"
	_, err := chk.ReadSurveys(strings.NewReader(in), CSV, nil)
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("err %v", err)
	}
	want := []string{
		"line 4: reliability1: expectation and perception both required",
		`line 5: score: "x" is not a whole number`,
		"line 6: 3 fields, the header has 9",
		`line 7: reliability1_p: "abc" is not a number`,
	}
	if len(fe.Errors) != len(want) {
		t.Fatalf("errors %v", fe.Errors)
	}
	for i, w := range want {
		if fe.Errors[i].Error() != w {
			t.Errorf("error %d: %q, want %q", i, fe.Errors[i].Error(), w)
		}
	}
	good := strings.Join(strings.Split(in, "\n")[:3], "\n") + "\n"
	got, err := chk.ReadSurveys(strings.NewReader(good), CSV, nil)
	if err != nil || len(got) != 2 || len(got[1].Items) != 2 || got[1].Items[0] != (servqual.Item{Dimension: servqual.Reliability, Code: "reliability1", Expectation: 7, Perception: 5}) {
		t.Fatalf("%v %+v", err, got)
	}
	if _, err := chk.ReadSurveys(strings.NewReader("id,kind,at,colour\n"), CSV, nil); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `unknown column "colour"`) {
		t.Errorf("unknown column: %v", err)
	}
	if _, err := chk.ReadSurveys(strings.NewReader(`id,kind,at,score`+"\n"+`a,"nps`), CSV, nil); !errors.As(err, &fe) || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("bad quote: %v", err)
	}
}

func TestPosts(t *testing.T) {
	in := `{"id":"p1","platform":"weibo","at":"2026-03-01T08:00:00Z","text":"某银行手机银行又登录不了了，客服电话也打不通","touchpoint":"app_login"}
{"id":"p2","platform":"weibo","at":"2026-03-01T08:00:00Z","text":"  "}
{"id":"p3","at":"2026-03-01T08:00:00Z","text":"x"}
`
	_, err := chk.ReadPosts(strings.NewReader(in), JSONL, nil)
	var fe *FileError
	if !errors.As(err, &fe) || len(fe.Errors) != 2 || fe.Errors[0].Line != 2 || fe.Errors[0].Field != "text" || fe.Errors[1].Field != "platform" {
		t.Fatalf("%v", err)
	}
	csvIn := "id,platform,at,text,branch\np1,xiaohongshu,2026-03-01,\"ATM吞卡,没人管\",南山\n"
	got, err := chk.ReadPosts(strings.NewReader(csvIn), CSV, nil)
	if err != nil || len(got) != 1 || got[0].Text != "ATM吞卡,没人管" || got[0].Branch != "南山" {
		t.Fatalf("%v %+v", err, got)
	}
	long := `{"id":"p1","platform":"w","at":"2026-03-01","text":"` + strings.Repeat("长", MaxLine/3+10) + `"}` + "\n" + `{"id":"p2","platform":"w","at":"2026-03-01","text":"ok"}`
	if _, err := chk.ReadPosts(strings.NewReader(long), JSONL, nil); !errors.As(err, &fe) || fe.Errors[0].Line != 1 || !strings.Contains(err.Error(), "longer than") || len(fe.Errors) != 1 {
		t.Errorf("long line: %v", err)
	}
}

func TestManyErrorsAreCapped(t *testing.T) {
	var b strings.Builder
	for range MaxErrors + 20 {
		b.WriteString("not json\n")
	}
	_, err := chk.ReadPosts(strings.NewReader(b.String()), JSONL, nil)
	var fe *FileError
	if !errors.As(err, &fe) || len(fe.Errors) != MaxErrors || !fe.Truncated {
		t.Fatalf("%v", err)
	}
}

func TestScores(t *testing.T) {
	// 6 promoters, 2 passives, 2 detractors: 60% − 20% = 40
	if got := NPS(6, 2, 2); got != 40 {
		t.Errorf("NPS %v", got)
	}
	if NPS(0, 0, 0) != 0 || CSAT(0, 0) != 0 || CSAT(3, 4) != 75 {
		t.Error("CSAT/NPS edge")
	}
}
