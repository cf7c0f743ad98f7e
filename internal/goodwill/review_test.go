package goodwill

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestReviewValidate(t *testing.T) {
	now := time.Date(2025, 11, 1, 0, 0, 0, 0, time.UTC)
	ok := []Review{
		{CaseID: "c1", Assessed: Goodwill, Decision: Goodwill, By: "王丽", At: now},
		{CaseID: "c2", Assessed: SuspectedMalicious, Decision: Goodwill, By: "王丽", Reason: "客户确有损失，威胁只是气话"},
		{CaseID: "c3", Assessed: SuspectedMalicious, Decision: SuspectedMalicious, By: "王丽", Reason: "录音证实索要封口费"},
	}
	for _, r := range ok {
		if err := r.Validate(); err != nil {
			t.Errorf("%+v: %v", r, err)
		}
	}
	bad := []Review{
		{CaseID: "c", Assessed: Goodwill, Decision: "rejected", By: "王丽", Reason: "x"},
		{CaseID: "c", Assessed: "maybe", Decision: Goodwill, By: "王丽"},
		{CaseID: "c", Assessed: Goodwill, Decision: Goodwill},
		{CaseID: "c", Assessed: SuspectedMalicious, Decision: Goodwill, By: "王丽"},
		{CaseID: "c", Assessed: SuspectedMalicious, Decision: SuspectedMalicious, By: "王丽", Reason: " "},
		{CaseID: "c", Assessed: Goodwill, Decision: UnreasonableDemand, By: "王丽", Reason: strings.Repeat("长", MaxReason)},
	}
	for _, r := range bad {
		if err := r.Validate(); !errors.Is(err, ErrReview) {
			t.Errorf("%+v: %v, want ErrReview", r, err)
		}
	}
}

// TestExportRoundTrip: reviewed complaints export as labelled JSONL that
// reads back and measures.
func TestExportRoundTrip(t *testing.T) {
	a := testAssessor(t)
	in := Input{Text: "信用卡被盗刷了3000元。", Contacts: []Contact{
		{At: at("2025-07-01T10:00:00Z"), Text: "信用卡被盗刷了3000元。"},
		{At: at("2025-07-03T10:00:00Z"), Text: "被盗刷了8000元，你们必须全赔。", Channel: "phone"},
	}, History: History{PriorComplaints: 4, Compensations: []Compensation{{At: at("2025-01-01T00:00:00Z"), Amount: 100}}}}
	as := a.Assess(in)
	r := Review{CaseID: "HJ-1", Assessed: as.Result, Decision: Goodwill, By: "王丽", Reason: "两次金额不同是两笔盗刷，已核实"}
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteLabelled(&buf, []Labelled{FromReview(in, r)}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadLabelled(&buf, "export.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != 1 || back[0].ID != "HJ-1" || back[0].Label != Goodwill || len(back[0].Contacts) != 2 ||
		!back[0].Contacts[1].At.Equal(in.Contacts[1].At) || back[0].History.Compensations[0].Amount != 100 {
		t.Fatalf("round trip: %+v", back)
	}
	rep, misses, err := Measure(a, back)
	if err != nil || rep.N != 1 || len(misses) != 1-int(rep.Accuracy) {
		t.Errorf("measure: %+v %+v %v", rep, misses, err)
	}
}

func TestReadLabelledErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"id":"a","text":"x","label":"goodwill"}` + "\n" + `{"id":"a","text":"y","label":"goodwill"}`, "x.jsonl:2: id \"a\" already on line 1"},
		{`{"id":"a","text":"x","label":"bad"}`, "x.jsonl:1: label"},
		{`{"text":"x","label":"goodwill"}`, "x.jsonl:1: no id"},
		{"\n\n" + `{"id":"a","text":"x","label":"goodwill","contact":[]}`, "x.jsonl:3:"},
		{`{"id":"a","text":5,"label":"goodwill"}`, "x.jsonl:1:"},
		{`not json`, "x.jsonl:1:"},
	} {
		_, err := ReadLabelled(strings.NewReader(c.in), "x.jsonl")
		if !errors.Is(err, ErrLabelled) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}
