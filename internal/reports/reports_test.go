package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"huajie/internal/deadlines"
	"huajie/internal/jrt"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

var march = Period{From: at("2026-03-01 00:00"), To: at("2026-04-01 00:00")}

func TestDeadlines(t *testing.T) {
	mon := at("2026-03-02 10:00") // a Monday
	fri := at("2026-03-06 10:00")
	cases := []Case{
		// decided on day 15 (before the end of 17 March), closed Thursday
		// night: within 3 business days (Tue, Wed, Thu)
		{ID: "1", ReceivedAt: mon, DecidedAt: at("2026-03-17 23:59"), ClosedAt: at("2026-03-05 23:00"), Upheld: yes(), Redress: map[string]int64{"CNY": 5000}},
		// decided on day 16; closed early Friday: within 4 weeks
		{ID: "2", ReceivedAt: mon, DecidedAt: at("2026-03-18 00:01"), ClosedAt: at("2026-03-06 01:00"), Upheld: no()},
		// received Friday: Mon, Tue, Wed are its 3 business days
		{ID: "3", ReceivedAt: fri, DecidedAt: at("2026-03-07 09:00"), ClosedAt: at("2026-03-11 20:00"), Upheld: yes(), Redress: map[string]int64{"CNY": 1500, "GBP": 0}},
		// decided on day 45, closed after 8 weeks
		{ID: "4", ReceivedAt: mon, DecidedAt: mon.AddDate(0, 0, 45), ClosedAt: mon.AddDate(0, 0, 57)},
		// decided after 60 days; closed at 7 weeks (within 8)
		{ID: "5", ReceivedAt: mon, DecidedAt: mon.AddDate(0, 0, 70), ClosedAt: mon.AddDate(0, 0, 49), Redress: map[string]int64{"GBP": 200}},
		// open, undecided
		{ID: "6", ReceivedAt: mon},
		// outside the period
		{ID: "7", ReceivedAt: at("2026-04-01 00:00"), DecidedAt: at("2026-04-02 00:00")},
	}
	d, err := BuildDeadlines(deadlines.Calendar{}, march, cases)
	if err != nil {
		t.Fatal(err)
	}
	if d.Received != 6 {
		t.Fatalf("received %d", d.Received)
	}
	wantDec := []int{2, 3, 4, 1, 1} // cumulative 15/30/60, later, not decided
	wantCls := []int{2, 1, 1, 1, 1}
	for i, b := range d.Decided {
		if b.Count != wantDec[i] {
			t.Errorf("decided %s: %d, want %d", b.Name, b.Count, wantDec[i])
		}
	}
	for i, b := range d.Closed {
		if b.Count != wantCls[i] {
			t.Errorf("closed %s: %d, want %d", b.Name, b.Count, wantCls[i])
		}
	}
	if d.Decided[0].Share != 2.0/6 {
		t.Errorf("share %v", d.Decided[0].Share)
	}
	if d.Upheld != 2 || d.Determined != 3 || d.UpheldShare != 2.0/3 {
		t.Errorf("upheld %d/%d %v", d.Upheld, d.Determined, d.UpheldShare)
	}
	if d.RedressCases != 3 || d.Redress["CNY"] != 6500 || d.Redress["GBP"] != 200 {
		t.Errorf("redress %d %v", d.RedressCases, d.Redress)
	}
	// A holiday on the Wednesday pushes the third business day to Friday.
	cal := deadlines.Calendar{Holidays: map[string]bool{"2026-03-04": true}}
	d2, _ := BuildDeadlines(cal, march, cases[1:2])
	if d2.Closed[0].Count != 1 {
		t.Errorf("with a holiday, case 2 should be within 3 business days: %+v", d2.Closed)
	}
	var buf bytes.Buffer
	if err := d.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"decided,within_15_days,2,0.3333", "closed,within_3_business_days,2,0.3333", "upheld,upheld_of_determined,2/3,0.6667", "redress,CNY,6500"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("csv lacks %q:\n%s", want, buf.String())
		}
	}
}

func TestRegulatory(t *testing.T) {
	tax := jrt.Default().Taxonomy
	cases := []Case{
		{ReceivedAt: at("2026-03-02 10:00"), ChannelCode: "A010303", BusinessCode: "B0201", CauseCode: "C01"},
		{ReceivedAt: at("2026-03-03 10:00"), ChannelCode: "A0101", BusinessCode: "B0202", CauseCode: "C01"},
		{ReceivedAt: at("2026-03-04 10:00"), ChannelCode: "A010301", BusinessCode: "B01"},
		{ReceivedAt: at("2026-02-04 10:00"), ChannelCode: "A010301", BusinessCode: "B01", CauseCode: "C01"},
	}
	r, err := BuildRegulatory(tax, march, cases)
	if err != nil {
		t.Fatal(err)
	}
	get := func(axis, code string) Row {
		for _, row := range r.Rows {
			if row.Axis == axis && row.Code == code {
				return row
			}
		}
		t.Fatalf("no row %s %s", axis, code)
		return Row{}
	}
	if r.Total != 3 {
		t.Fatalf("total %d", r.Total)
	}
	for _, tc := range []struct {
		axis, code string
		n          int
	}{
		{"channel", "A01", 3}, {"channel", "A0103", 2}, {"channel", "A010303", 1}, {"channel", "A0101", 1}, {"channel", "A02", 0},
		{"business", "B02", 2}, {"business", "B0201", 1}, {"business", "B01", 1},
		{"cause", "C01", 2}, {"cause", Uncoded, 1},
	} {
		if got := get(tc.axis, tc.code); got.Count != tc.n {
			t.Errorf("%s %s: %d, want %d", tc.axis, tc.code, got.Count, tc.n)
		}
	}
	if row := get("business", "B02"); row.Name != "贷款" || row.NameEn == "" || row.Share != 2.0/3 {
		t.Errorf("row %+v", row)
	}
	// every category of the standard is listed
	if n := len(r.Rows); n != len(tax.Categories())+3 {
		t.Errorf("%d rows, %d categories", n, len(tax.Categories()))
	}
	want := []CrossCell{{"B01", Uncoded, 1}, {"B02", "C01", 2}}
	if len(r.Cross) != 2 || r.Cross[0] != want[0] || r.Cross[1] != want[1] {
		t.Errorf("cross %+v", r.Cross)
	}
	var buf bytes.Buffer
	if err := r.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rd := csv.NewReader(&buf)
	rd.FieldsPerRecord = -1
	recs, err := rd.ReadAll()
	if err != nil || len(recs) < len(r.Rows)+4 || recs[1][0] != "axis" {
		t.Errorf("csv: %v, %d records", err, len(recs))
	}
}

func TestBadPeriod(t *testing.T) {
	for _, p := range []Period{{}, {From: march.To, To: march.From}, {From: march.From, To: march.From}, {From: march.From, To: march.From.AddDate(11, 0, 0)}} {
		if _, err := BuildDeadlines(deadlines.Calendar{}, p, nil); !errors.Is(err, ErrPeriod) {
			t.Errorf("%v: %v", p, err)
		}
		if _, err := BuildRegulatory(jrt.Default().Taxonomy, p, nil); !errors.Is(err, ErrPeriod) {
			t.Errorf("%v: %v", p, err)
		}
	}
}
