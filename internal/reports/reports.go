// Package reports computes the compliance officer's reports from cases:
// the regulatory statistics of a period coded by JR/T 0169-2018 (channel,
// business type, cause) and deadline performance (the share decided within
// 15, 30 and 60 days; the FCA's bands — closed within 3 business days,
// within 4 weeks, within 8 weeks, later —; the share upheld; redress paid).
// Both export as JSON and CSV. The input is plain records; the store reads
// them.
package reports

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"huajie/internal/deadlines"
	"huajie/internal/jrt"
)

// Case is one case as the reports need it.
type Case struct {
	ID           string
	ReceivedAt   time.Time
	ChannelCode  string // JR/T A…
	BusinessCode string // B…
	CauseCode    string // C…
	// DecidedAt is when the decision (a solution proposed) was made;
	// ClosedAt when the case was closed. Zero when not (yet).
	DecidedAt time.Time
	ClosedAt  time.Time
	// Upheld is whether the complaint was found justified (nil: not
	// determined).
	Upheld *bool
	// Redress is money paid or credited, in minor units per currency.
	Redress map[string]int64
	// Weight is how many cases this record stands for (0 means 1): a
	// store may hand over groups of identical records.
	Weight int
	// Bands, when set, are the decided and closed bands (DecidedBand,
	// ClosedBand) computed beforehand; the times are then not read.
	Bands *[2]int
}

func (c *Case) weight() int {
	if c.Weight <= 0 {
		return 1
	}
	return c.Weight
}

// DecidedBand is 0–2 for decided within 15, 30, 60 days, 3 later, 4 not
// decided.
func DecidedBand(cal deadlines.Calendar, received, decided time.Time) int {
	switch {
	case decided.IsZero():
		return 4
	case decided.Before(cal.EndOfPeriod(received, deadlines.Period{Days: 15})):
		return 0
	case decided.Before(cal.EndOfPeriod(received, deadlines.Period{Days: 30})):
		return 1
	case decided.Before(cal.EndOfPeriod(received, deadlines.Period{Days: 60})):
		return 2
	}
	return 3
}

// ClosedBand is 0 within 3 business days, 1 within 4 weeks, 2 within 8
// weeks, 3 later, 4 open.
func ClosedBand(cal deadlines.Calendar, received, closed time.Time) int {
	switch {
	case closed.IsZero():
		return 4
	case closed.Before(cal.EndOfPeriod(received, deadlines.Period{Days: 3, Business: true})):
		return 0
	case closed.Before(received.Add(4 * 7 * 24 * time.Hour)):
		return 1
	case closed.Before(received.Add(8 * 7 * 24 * time.Hour)):
		return 2
	}
	return 3
}

// Period is [From, To).
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// ErrPeriod is returned for an empty or inverted period.
var ErrPeriod = errors.New("reports: bad period")

// Check validates the period (at most ten years).
func (p Period) Check() error {
	if p.From.IsZero() || p.To.IsZero() || !p.From.Before(p.To) {
		return fmt.Errorf("%w: from %s to %s", ErrPeriod, p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	}
	if p.To.Sub(p.From) > 3660*24*time.Hour {
		return fmt.Errorf("%w: longer than ten years", ErrPeriod)
	}
	return nil
}

// Contains reports whether t is in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Row is one code's count.
type Row struct {
	Axis   string  `json:"axis"`
	Code   string  `json:"code"`
	Name   string  `json:"name"`
	NameEn string  `json:"name_en"`
	Depth  int     `json:"depth"`
	Count  int     `json:"count"`
	Share  float64 `json:"share"`
}

// Regulatory is the period's statistics by JR/T 0169-2018 code. Each axis
// lists every category of the standard (zero counts included, as a
// regulatory return does) plus "uncoded" for cases without a code on that
// axis; a parent's count includes its children's.
type Regulatory struct {
	Period   Period `json:"period"`
	Standard string `json:"standard"`
	Total    int    `json:"total"`
	Rows     []Row  `json:"rows"`
	// Cross counts business type (top level) × cause (top level).
	Cross []CrossCell `json:"cross"`
}

// CrossCell is one cell of the business × cause table.
type CrossCell struct {
	Business string `json:"business"`
	Cause    string `json:"cause"`
	Count    int    `json:"count"`
}

// Uncoded is the code row of cases without a code on an axis.
const Uncoded = "uncoded"

// BuildRegulatory counts the cases received in the period.
func BuildRegulatory(tax *jrt.Taxonomy, p Period, cases []Case) (Regulatory, error) {
	if err := p.Check(); err != nil {
		return Regulatory{}, err
	}
	r := Regulatory{Period: p, Standard: "JR/T 0169-2018"}
	counts := map[string]int{}
	uncoded := map[jrt.Axis]int{}
	cross := map[[2]string]int{}
	for _, c := range cases {
		if !p.Contains(c.ReceivedAt) {
			continue
		}
		w := c.weight()
		r.Total += w
		var tops [3]string
		for i, code := range []string{c.ChannelCode, c.BusinessCode, c.CauseCode} {
			axis := []jrt.Axis{jrt.Channel, jrt.Business, jrt.Cause}[i]
			if _, ok := tax.Lookup(code); !ok {
				uncoded[axis] += w
				tops[i] = Uncoded
				continue
			}
			// Count the code and each ancestor once.
			for cur := code; cur != ""; {
				counts[cur] += w
				cat, _ := tax.Lookup(cur)
				if cat.Parent == "" {
					tops[i] = cur
				}
				cur = cat.Parent
			}
		}
		cross[[2]string{tops[1], tops[2]}] += w
	}
	share := func(n int) float64 {
		if r.Total == 0 {
			return 0
		}
		return float64(n) / float64(r.Total)
	}
	for _, axis := range []jrt.Axis{jrt.Channel, jrt.Business, jrt.Cause} {
		for _, cat := range tax.Categories() {
			if cat.Axis != axis {
				continue
			}
			n := counts[cat.Code]
			r.Rows = append(r.Rows, Row{Axis: string(axis), Code: cat.Code, Name: cat.Name, NameEn: cat.NameEn, Depth: cat.Depth, Count: n, Share: share(n)})
		}
		r.Rows = append(r.Rows, Row{Axis: string(axis), Code: Uncoded, Name: "未编码", NameEn: "Uncoded", Count: uncoded[axis], Share: share(uncoded[axis])})
	}
	for k, n := range cross {
		r.Cross = append(r.Cross, CrossCell{Business: k[0], Cause: k[1], Count: n})
	}
	sort.Slice(r.Cross, func(i, j int) bool {
		if r.Cross[i].Business != r.Cross[j].Business {
			return r.Cross[i].Business < r.Cross[j].Business
		}
		return r.Cross[i].Cause < r.Cross[j].Cause
	})
	return r, nil
}

// WriteCSV writes the rows (axis, code, name, name_en, depth, count,
// share), then a blank line and the business × cause table.
func (r Regulatory) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"period_from", r.Period.From.Format(time.RFC3339), "period_to", r.Period.To.Format(time.RFC3339), "standard", r.Standard, "total", strconv.Itoa(r.Total)})
	cw.Write([]string{"axis", "code", "name", "name_en", "depth", "count", "share"})
	for _, row := range r.Rows {
		cw.Write([]string{row.Axis, row.Code, row.Name, row.NameEn, strconv.Itoa(row.Depth), strconv.Itoa(row.Count), strconv.FormatFloat(row.Share, 'f', 4, 64)})
	}
	cw.Write(nil)
	cw.Write([]string{"business", "cause", "count"})
	for _, c := range r.Cross {
		cw.Write([]string{c.Business, c.Cause, strconv.Itoa(c.Count)})
	}
	cw.Flush()
	return cw.Error()
}

// Band is a count with its share of the cases received in the period.
type Band struct {
	Name  string  `json:"name"`
	Count int     `json:"count"`
	Share float64 `json:"share"`
}

// Deadlines is the period's deadline performance over the cases received
// in it.
type Deadlines struct {
	Period   Period `json:"period"`
	Received int    `json:"received"`
	// Decided: within 15, 30 and 60 days of receipt (calendar days, day 1
	// the day after receipt), later, and not decided yet.
	Decided []Band `json:"decided"`
	// Closed, in the FCA's DISP bands: within 3 business days, within 4
	// weeks, within 8 weeks, later, still open.
	Closed []Band `json:"closed"`
	// Upheld is the share of the closed cases with a determination that
	// were upheld.
	Upheld       int     `json:"upheld"`
	Determined   int     `json:"determined"`
	UpheldShare  float64 `json:"upheld_share"`
	RedressCases int     `json:"redress_cases"`
	// Redress is the money paid per currency in minor units.
	Redress map[string]int64 `json:"redress"`
}

// BuildDeadlines computes deadline performance; cal says which days are
// business days (nil holidays: weekends only).
func BuildDeadlines(cal deadlines.Calendar, p Period, cases []Case) (Deadlines, error) {
	if err := p.Check(); err != nil {
		return Deadlines{}, err
	}
	d := Deadlines{Period: p, Redress: map[string]int64{}}
	dec := make([]int, 5)
	cls := make([]int, 5)
	for _, c := range cases {
		if !p.Contains(c.ReceivedAt) {
			continue
		}
		w := c.weight()
		d.Received += w
		var b [2]int
		if c.Bands != nil {
			b = *c.Bands
		} else {
			b = [2]int{DecidedBand(cal, c.ReceivedAt, c.DecidedAt), ClosedBand(cal, c.ReceivedAt, c.ClosedAt)}
		}
		dec[b[0]] += w
		cls[b[1]] += w
		if b[1] != 4 && c.Upheld != nil {
			d.Determined += w
			if *c.Upheld {
				d.Upheld += w
			}
		}
		paid := false
		for cur, v := range c.Redress {
			if v > 0 {
				d.Redress[cur] += v
				paid = true
			}
		}
		if paid {
			d.RedressCases += w
		}
	}
	share := func(n int) float64 {
		if d.Received == 0 {
			return 0
		}
		return float64(n) / float64(d.Received)
	}
	// Cumulative shares for the "within N days" bands, as a regulator
	// reads them: decided within 30 days includes those within 15.
	cum := 0
	for i, name := range []string{"within_15_days", "within_30_days", "within_60_days"} {
		cum += dec[i]
		d.Decided = append(d.Decided, Band{name, cum, share(cum)})
	}
	d.Decided = append(d.Decided, Band{"later", dec[3], share(dec[3])}, Band{"not_decided", dec[4], share(dec[4])})
	for i, name := range []string{"within_3_business_days", "within_4_weeks", "within_8_weeks", "later", "open"} {
		d.Closed = append(d.Closed, Band{name, cls[i], share(cls[i])})
	}
	if d.Determined > 0 {
		d.UpheldShare = float64(d.Upheld) / float64(d.Determined)
	}
	return d, nil
}

// WriteCSV writes the bands as section, band, count, share rows, then the
// upheld share and the redress per currency.
func (d Deadlines) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	cw.Write([]string{"period_from", d.Period.From.Format(time.RFC3339), "period_to", d.Period.To.Format(time.RFC3339), "received", strconv.Itoa(d.Received)})
	cw.Write([]string{"section", "band", "count", "share"})
	for _, b := range d.Decided {
		cw.Write([]string{"decided", b.Name, strconv.Itoa(b.Count), f(b.Share)})
	}
	for _, b := range d.Closed {
		cw.Write([]string{"closed", b.Name, strconv.Itoa(b.Count), f(b.Share)})
	}
	cw.Write([]string{"upheld", "upheld_of_determined", strconv.Itoa(d.Upheld) + "/" + strconv.Itoa(d.Determined), f(d.UpheldShare)})
	curs := make([]string, 0, len(d.Redress))
	for c := range d.Redress {
		curs = append(curs, c)
	}
	sort.Strings(curs)
	cw.Write([]string{"redress", "cases", strconv.Itoa(d.RedressCases), ""})
	for _, c := range curs {
		cw.Write([]string{"redress", c, strconv.FormatInt(d.Redress[c], 10), ""})
	}
	cw.Flush()
	return cw.Error()
}
