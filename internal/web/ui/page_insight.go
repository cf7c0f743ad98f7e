package ui

import (
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/i18n"
	"huajie/internal/insight"
	"huajie/internal/jrt"
	"huajie/internal/pii"
	"huajie/internal/servqual"
	"huajie/internal/touchpoints"
)

// The insight section (issue 7): one page per view — trends, spikes, root
// causes, SERVQUAL, prevention measures, a conversation's peak-end view —
// and the reports. The pages read the analyst service's views (which are
// computed from pre-aggregated facts) and only reshape their few rows for
// the templates and charts; no page does per-record work.

// chartSpec is one chart's data, drawn by static/insight.js.
type chartSpec struct {
	Kind       string        `json:"kind"` // line, stack, bar, radar, spark, curve
	X          []string      `json:"x,omitempty"`
	Series     []chartSeries `json:"series"`
	Marker     string        `json:"marker,omitempty"` // an x value marked with a vertical line
	Marks      []chartMark   `json:"marks,omitempty"`  // points marked on the first series
	Indicators []string      `json:"indicators,omitempty"`
	Percent    bool          `json:"percent,omitempty"` // y values are shares (0–1)
	YName      string        `json:"yName,omitempty"`
	Y2Name     string        `json:"y2Name,omitempty"`
	NoAnim     bool          `json:"noAnim"`
}

type chartSeries struct {
	Name string    `json:"name"`
	Data []float64 `json:"data"`
	// Axis 1 is the right-hand axis (rates beside counts).
	Axis int    `json:"axis,omitempty"`
	Type string `json:"type,omitempty"`
}

type chartMark struct {
	X    string  `json:"x"`
	Y    float64 `json:"y"`
	Name string  `json:"name"`
}

func floats[T int | int64](xs []T) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x)
	}
	return out
}

// The pickers' choices.
var (
	pickSources = []string{insight.SourceCase, insight.SourceMessage, insight.SourcePost}
	pickBuckets = []string{insight.BucketDay, insight.BucketWeek, insight.BucketMonth}
	pickPresets = []int{30, 90, 365}
	pickLevels  = []string{"top", "detail"}
	pickCharts  = []string{"line", "stack"}
)

// pickers is an insight page's query: what the GET form sends, as given
// (to refill the form) and as parsed.
type pickers struct {
	Source, By, Bucket, Level, Chart string
	// From and To are the dates shown (To inclusive); Days the preset
	// used when neither is given.
	From, To string
	Days     int
	Limit    int
	Z        string
	Thresh   string
	Status   string
	// Range is the parsed period [From, To+1 day).
	Range analyst.Range
	z     float64
	th    float64
	// Errors are the translated messages of the bad values, by field.
	Errors map[string]string
}

// Bad reports whether a picker value was refused.
func (p *pickers) Bad() bool { return len(p.Errors) > 0 }

// ErrList is the refused values' messages in the form's order.
func (p *pickers) ErrList() []string {
	var out []string
	for _, f := range []string{"source", "by", "bucket", "level", "chart", "days", "from", "to", "limit", "z", "threshold", "status"} {
		if m, ok := p.Errors[f]; ok {
			out = append(out, m)
		}
	}
	return out
}

// query rebuilds the pickers' query string with some values replaced.
func (p *pickers) query(set map[string]string) string {
	v := url.Values{}
	add := func(k, val string) {
		if nv, ok := set[k]; ok {
			val = nv
		}
		if val != "" {
			v.Set(k, val)
		}
	}
	add("source", p.Source)
	add("by", p.By)
	add("bucket", p.Bucket)
	add("level", p.Level)
	add("chart", p.Chart)
	add("limit", strconv.Itoa(p.Limit))
	add("z", p.Z)
	add("threshold", p.Thresh)
	add("status", p.Status)
	if _, ok := set["days"]; ok {
		add("days", "")
	} else if p.From == "" && p.To == "" {
		add("days", strconv.Itoa(p.Days))
	}
	add("from", p.From)
	add("to", p.To)
	return v.Encode()
}

// Preset is the URL of the same page with a preset period.
func (p *pickers) Preset(path string, days int) string {
	return path + "?" + p.query(map[string]string{"days": strconv.Itoa(days), "from": "", "to": ""})
}

// PresetOn reports whether the period is the preset of days.
func (p *pickers) PresetOn(days int) bool { return p.From == "" && p.To == "" && p.Days == days }

// FromValue and ToValue are the period shown in the date inputs.
func (p *pickers) FromValue() string { return p.Range.From.Format(time.DateOnly) }
func (p *pickers) ToValue() string {
	return p.Range.To.AddDate(0, 0, -1).Format(time.DateOnly)
}

// pickerDefaults are a page's defaults for the values it uses.
type pickerDefaults struct {
	Source, By, Bucket, Level, Chart string
	Days, Limit                      int
	Z, Thresh                        string
}

// readPickers parses the query. Every bad value is named with the field
// and the value in the user's language; the defaults are used in its
// place so the page still shows something.
func (s *server) readPickers(r *http.Request, def pickerDefaults) *pickers {
	lang := infoFrom(r.Context()).lang
	q := r.URL.Query()
	p := &pickers{Errors: map[string]string{}}
	label := func(f string) string { return i18n.T(lang, "ia.f."+f) }
	choice := func(field, def string, allowed []string) string {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return def
		}
		if !slices.Contains(allowed, v) {
			p.Errors[field] = i18n.T(lang, "ia.err.choice", label(field), clip(v))
			return def
		}
		return v
	}
	num := func(field string, def, lo, hi int) int {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			p.Errors[field] = i18n.T(lang, "ia.err.number", label(field), clip(v), strconv.Itoa(lo), strconv.Itoa(hi))
			return def
		}
		return n
	}
	decimal := func(field, def string, lo, hi float64) (string, float64) {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			v = def
		}
		if v == "" {
			return "", 0
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < lo || f > hi {
			p.Errors[field] = i18n.T(lang, "ia.err.number", label(field), clip(v), strconv.FormatFloat(lo, 'g', -1, 64), strconv.FormatFloat(hi, 'g', -1, 64))
			f, _ = strconv.ParseFloat(def, 64)
			return def, f
		}
		return v, f
	}
	p.Source = choice("source", def.Source, pickSources)
	p.By = choice("by", def.By, insight.Dims)
	p.Bucket = choice("bucket", def.Bucket, pickBuckets)
	p.Level = choice("level", def.Level, pickLevels)
	p.Chart = choice("chart", def.Chart, pickCharts)
	p.Limit = num("limit", def.Limit, 1, 50)
	p.Z, p.z = decimal("z", def.Z, 1, 20)
	p.Thresh, p.th = decimal("threshold", def.Thresh, 0.05, 0.95)
	p.Days = num("days", def.Days, 1, analyst.MaxRangeDays)

	today := s.today()
	date := func(field string) (time.Time, bool) {
		v := strings.TrimSpace(q.Get(field))
		if v == "" {
			return time.Time{}, false
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			p.Errors[field] = i18n.T(lang, "ia.err.date", label(field), clip(v))
			return time.Time{}, false
		}
		return t, true
	}
	from, okFrom := date("from")
	to, okTo := date("to")
	if okFrom {
		p.From = from.Format(time.DateOnly)
	}
	if okTo {
		p.To = to.Format(time.DateOnly)
	}
	switch {
	case okFrom && okTo:
		p.Range = analyst.Range{From: from, To: to.AddDate(0, 0, 1)}
	case okFrom:
		p.Range = analyst.Range{From: from, To: today.AddDate(0, 0, 1)}
	case okTo:
		p.Range = analyst.Range{From: to.AddDate(0, 0, 1-p.Days), To: to.AddDate(0, 0, 1)}
	default:
		p.Range = analyst.Range{From: today.AddDate(0, 0, 1-p.Days), To: today.AddDate(0, 0, 1)}
	}
	if !p.Range.From.Before(p.Range.To) {
		p.Errors["from"] = i18n.T(lang, "ia.err.order", p.From, p.To)
	} else if p.Range.To.Sub(p.Range.From) > analyst.MaxRangeDays*24*time.Hour {
		p.Errors["to"] = i18n.T(lang, "ia.err.span", analyst.MaxRangeDays)
	}
	if _, bad := p.Errors["from"]; bad {
		p.From, p.To = "", ""
		p.Range = analyst.Range{From: today.AddDate(0, 0, 1-def.Days), To: today.AddDate(0, 0, 1)}
	} else if _, bad := p.Errors["to"]; bad {
		p.From, p.To = "", ""
		p.Range = analyst.Range{From: today.AddDate(0, 0, 1-def.Days), To: today.AddDate(0, 0, 1)}
	}
	return p
}

// today is the current date in the pages' zone (the analyst's unless
// configured otherwise), as a bare date (midnight UTC), which
// the analyst reads as that calendar date in its zone.
func (s *server) today() time.Time {
	y, m, d := s.now().In(s.zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// clip shortens a refused value before it is echoed back.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// pickerStatus is the status of a page whose pickers were refused: 400
// for a page load; 200 for an htmx swap, since htmx does not swap error
// responses and the message must replace the chart.
func pickerStatus(r *http.Request, p *pickers) int {
	if p.Bad() && r.Header.Get("HX-Request") == "" {
		return http.StatusBadRequest
	}
	return http.StatusOK
}

// inputMessage turns an analyst.InputError into a translated message (the
// field named, the service's reason given as it is).
func inputMessage(lang i18n.Lang, err error) (string, bool) {
	var ie *analyst.InputError
	if errors.As(err, &ie) {
		return i18n.T(lang, "ia.err.input", i18n.T(lang, "ia.f."+strings.ReplaceAll(ie.Field, ".", "_")), ie.Reason), true
	}
	return "", false
}

// valueName is how a breakdown's value is shown: the taxonomy's or
// touchpoint's name when the service gave one, an enum's translation, or
// the value itself.
func valueName(lang i18n.Lang, dim, value, zh, en string) string {
	switch {
	case value == analyst.OtherValue:
		return i18n.T(lang, "ia.other")
	case value == "":
		return i18n.T(lang, "ia.unknown")
	case lang == i18n.EN && en != "":
		return en
	case zh != "":
		return zh
	}
	// No name given (a spike alert raised without one): the built-in lists.
	switch dim {
	case insight.DimCause, insight.DimBusiness, insight.DimChannelCode:
		if c, ok := builtinTaxonomy().Lookup(value); ok {
			return valueName(lang, dim, value, c.Name, c.NameEn)
		}
	case insight.DimTouchpoint:
		if t, ok := builtinTouchpoints().Lookup(value); ok {
			return valueName(lang, dim, value, t.Name, t.NameEn)
		}
	case insight.DimServqual:
		if n, ok := servqual.Names[servqual.Dimension(value)]; ok {
			return valueName(lang, dim, value, n[0], n[1])
		}
	case insight.DimEmotion:
		if i18n.Has("emotion." + value) {
			return i18n.T(lang, "emotion."+value)
		}
	case insight.DimChannel:
		if i18n.Has("channel." + value) {
			return i18n.T(lang, "channel."+value)
		}
	}
	return value
}

// The built-in lists, parsed once (their Default functions parse on
// every call).
var (
	builtinTaxonomy    = sync.OnceValue(func() *jrt.Taxonomy { return jrt.Default().Taxonomy })
	builtinTouchpoints = sync.OnceValue(touchpoints.Default)
	builtinServqual    = sync.OnceValue(servqual.Default)
)

// insightBase is what every insight page's data carries.
type insightBase struct {
	Ready bool
	// Err is a failure reading the view (logged; the page says so).
	Err bool
	P   *pickers
	// Presets are the period presets offered (days).
	Presets []int
}

func (s *server) base(p *pickers) insightBase {
	return insightBase{Ready: s.analyst != nil, P: p, Presets: pickPresets}
}

// maskFor masks personal data in free text for roles without the right.
func maskFor(id auth.Identity, s string) string {
	if id.Can(auth.PermPIIView) {
		return s
	}
	return pii.MaskText(s)
}

// trendData is the trends page.
type trendData struct {
	insightBase
	Sources, Dims, Buckets, Levels, Charts []string
	Rows                                   []trendRow
	Total                                  int64
	Chart                                  chartSpec
	Rates                                  *chartSpec
	// Negative and Risk: whether the source carries them.
	Negative, Risk bool
	Spikes         string // the spikes page for the same pickers
	// HighRisk are the live conversations at high or medium risk (messages
	// only, when the ingest service is configured), each linked to its
	// peak-end view.
	HighRisk []highRiskRow
	// Alerted are the conversations that raised a risk alert in the
	// period (the period's high-risk conversations), highest risk first,
	// each linked to its peak-end view.
	Alerted []highRiskRow
}

type highRiskRow struct {
	ID, Customer, Channel, Level, Last string
	Risk                               float64
	Messages                           int
}

// maxHighRisk bounds the high-risk conversations listed on the trends page.
const maxHighRisk = 10

type trendRow struct {
	Value, Name string
	Total       int64
	Share       float64
	NegRate     float64
	MeanRisk    float64
	High        int64
}

// insightTrends is the trends page: volumes and rates over time by a
// breakdown, with emotion and risk over time where the source has them.
func (s *server) insightTrends(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	p := s.readPickers(r, pickerDefaults{Source: insight.SourceCase, By: insight.DimCause, Bucket: insight.BucketWeek, Level: "top", Chart: "line", Days: 90, Limit: 8})
	d := trendData{insightBase: s.base(p), Sources: pickSources, Dims: insight.Dims, Buckets: pickBuckets,
		Levels: pickLevels, Charts: pickCharts}
	d.Spikes = "/ui/insight/spikes?" + p.query(map[string]string{"bucket": "", "chart": "", "limit": ""})
	if s.analyst != nil && !p.Bad() {
		v, err := s.analyst.Volumes(ctx, analyst.VolumeQuery{Source: p.Source, Dim: p.By, Bucket: p.Bucket, Range: p.Range, Top: p.Level == "top", Limit: p.Limit})
		if msg, ok := inputMessage(lang, err); ok {
			p.Errors["from"] = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "insight trends", "err", err)
			d.Err = true
		} else {
			d.fill(lang, v, s.noAnim)
		}
	}
	if s.inter != nil && p.Source == insight.SourceMessage && !p.Bad() {
		d.HighRisk = s.highRisk(r)
	}
	if s.alerts != nil && p.Source == insight.SourceMessage && !p.Bad() {
		d.Alerted = s.alertedIn(r, p.Range.From, p.Range.To)
	}
	s.render(w, r, pickerStatus(r, p), "insight", &page{Title: "ia.trends", Nav: "insight", Sub: "trends", Data: d})
}

func (d *trendData) fill(lang i18n.Lang, v *analyst.Volumes, noAnim bool) {
	d.Negative = true
	d.Risk = v.Source == insight.SourceMessage
	kind := "line"
	if d.P.Chart == "stack" {
		kind = "stack"
	}
	d.Chart = chartSpec{Kind: kind, NoAnim: noAnim, YName: i18n.T(lang, "ins.count")}
	layout := "01-02"
	if v.Bucket == insight.BucketMonth {
		layout = "2006-01"
	} else if v.Range.To.Sub(v.Range.From) > 365*24*time.Hour {
		layout = time.DateOnly
	}
	for _, b := range v.Buckets {
		d.Chart.X = append(d.Chart.X, b.Format(layout))
	}
	for _, t := range v.Totals {
		d.Total += t
	}
	nb := len(v.Buckets)
	neg, risk, high := make([]float64, nb), make([]float64, nb), make([]float64, nb)
	for _, se := range v.Series {
		name := valueName(lang, v.Dim, se.Value, se.Name, se.NameEn)
		d.Chart.Series = append(d.Chart.Series, chartSeries{Name: name, Data: floats(se.Counts)})
		row := trendRow{Value: se.Value, Name: name, Total: se.Total}
		if d.Total > 0 {
			row.Share = float64(se.Total) / float64(d.Total)
		}
		var n, rs float64
		for i, c := range se.Counts {
			n += se.NegativeRates[i] * float64(c)
			neg[i] += se.NegativeRates[i] * float64(c)
			if se.MeanRisk != nil {
				rs += se.MeanRisk[i] * float64(c)
				risk[i] += se.MeanRisk[i] * float64(c)
				row.High += se.High[i]
				high[i] += float64(se.High[i])
			}
		}
		if se.Total > 0 {
			row.NegRate = n / float64(se.Total)
			row.MeanRisk = rs / float64(se.Total)
		}
		d.Rows = append(d.Rows, row)
	}
	// Emotion and risk over time: the negative share and mean risk of
	// all records in each bucket, with the high-risk count.
	rates := &chartSpec{Kind: "line", X: d.Chart.X, NoAnim: noAnim, Percent: true, YName: i18n.T(lang, "ia.rate")}
	for i, t := range v.Totals {
		if t > 0 {
			neg[i] /= float64(t)
			risk[i] /= float64(t)
		}
	}
	rates.Series = append(rates.Series, chartSeries{Name: i18n.T(lang, "ia.neg_rate"), Data: neg})
	if d.Risk {
		rates.Series = append(rates.Series, chartSeries{Name: i18n.T(lang, "ia.mean_risk"), Data: risk},
			chartSeries{Name: i18n.T(lang, "ia.high"), Data: high, Axis: 1, Type: "bar"})
		rates.Y2Name = i18n.T(lang, "ia.high")
	}
	d.Rates = rates
}

// maxAlertedScan bounds the alerts read for the period's alerted
// conversations (newest first): the list is a pointer to peak-end views,
// not a count, so a busy period shows its latest alerts' worst ones.
const maxAlertedScan = 500

// alertedIn lists the conversations whose risk raised an alert in [from,
// to), one row per conversation at its highest alerted risk.
func (s *server) alertedIn(r *http.Request, from, to time.Time) []highRiskRow {
	list, err := s.alerts.List(r.Context(), alerts.Filter{Before: to, Limit: maxAlertedScan})
	if err != nil {
		s.log.ErrorContext(r.Context(), "insight trends: alerts of the period", "err", err)
		return nil
	}
	best := map[string]int{}
	var out []highRiskRow
	for _, a := range list {
		if a.CreatedAt.Before(from) {
			break // newest first: the rest are older still
		}
		row := highRiskRow{ID: a.ConversationID, Customer: a.CustomerID, Channel: a.Channel, Level: a.Level, Risk: a.Risk,
			Last: a.CreatedAt.In(s.zone).Format("01-02 15:04")}
		if i, ok := best[a.ConversationID]; ok {
			if a.Risk > out[i].Risk {
				out[i] = row
			}
			continue
		}
		best[a.ConversationID] = len(out)
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b highRiskRow) int { return cmp.Compare(b.Risk, a.Risk) })
	return out[:min(maxHighRisk, len(out))]
}

// highRisk lists the live conversations (the workstation's, every agent's:
// at most interactions.MaxLive) at high or medium risk, riskiest first.
func (s *server) highRisk(r *http.Request) []highRiskRow {
	live, err := s.inter.Live(r.Context(), "")
	if err != nil {
		s.log.ErrorContext(r.Context(), "insight trends: live conversations", "err", err)
		return nil
	}
	var out []highRiskRow
	for _, c := range live {
		if c.Level != "high" && c.Level != "medium" {
			continue
		}
		out = append(out, highRiskRow{ID: c.ID, Customer: c.CustomerID, Channel: c.Channel, Level: c.Level, Risk: c.Risk,
			Messages: c.Messages, Last: c.LastAt.In(s.zone).Format("01-02 15:04")})
	}
	slices.SortStableFunc(out, func(a, b highRiskRow) int { return cmp.Compare(b.Risk, a.Risk) })
	return out[:min(maxHighRisk, len(out))]
}
