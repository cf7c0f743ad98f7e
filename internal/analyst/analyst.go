// Package analyst is the analyst's and compliance officer's service
// (issue 7): volumes and rates over time by breakdown, spikes, root-cause
// clusters, SERVQUAL gaps, emotion and risk over time, the peak-end view of
// a conversation, prevention measures with their measured effect, and the
// regulatory and deadline reports. It brings the stored facts up to date
// before it reads them and composes the pure packages (spikes, clusters,
// servqual, measures, reports) over its Repo.
package analyst

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"huajie/internal/clusters"
	"huajie/internal/collect"
	"huajie/internal/deadlines"
	"huajie/internal/insight"
	"huajie/internal/interactions"
	"huajie/internal/jrt"
	"huajie/internal/measures"
	"huajie/internal/reports"
	"huajie/internal/servqual"
	"huajie/internal/spikes"
	"huajie/internal/touchpoints"
)

// Repo is the storage the service reads (store.DB implements it).
type Repo interface {
	RefreshInsight(ctx context.Context, d *insight.Deriver, now time.Time) (insight.RefreshStats, error)
	DailySeries(ctx context.Context, source, dim string, fromDay, toDay int64) ([]insight.DailyRow, error)
	CaseFacts(ctx context.Context, from, to time.Time) ([]insight.CaseFact, error)
	ClusterDocs(ctx context.Context, from, to time.Time, limit int) ([]clusters.Doc, error)
	ServqualGaps(ctx context.Context, from, to time.Time) (servqual.Gaps, int, error)
	SurveyScores(ctx context.Context, dim string, from, to time.Time) ([]insight.ScoreRow, error)
	TargetCounts(ctx context.Context, t measures.Target, from, to time.Time) (int64, int64, error)
	DailyTargeted(ctx context.Context, t measures.Target, from, to time.Time) (map[int64][2]int64, error)
	ReportGroups(ctx context.Context, from, to time.Time) ([]reports.Case, error)
	Redress(ctx context.Context, from, to time.Time) (int, map[string]int64, error)
	CreateMeasure(ctx context.Context, m *measures.Measure) error
	GetMeasure(ctx context.Context, id string) (*measures.Measure, error)
	ListMeasures(ctx context.Context, status string) ([]measures.Measure, error)
	UpdateMeasure(ctx context.Context, m *measures.Measure) error
	DeleteMeasure(ctx context.Context, id string) error
}

// Messages reads a conversation's messages (interactions.Service).
type Messages func(ctx context.Context, conversationID string) ([]interactions.Stored, error)

// Opts configures the service.
type Opts struct {
	Repo        Repo
	Messages    Messages
	Touchpoints *touchpoints.List
	Servqual    *servqual.Lexicon
	// Calendar decides business days; its Location is replaced by Zone.
	Calendar deadlines.Calendar
	// Zone is the time zone days are counted in: the daily roll-up,
	// buckets, weeks (starting Monday), spikes' weekdays, periods given as
	// dates, measure windows and the deadline bands. Default: the
	// Calendar's Location, else insight.DefaultZone (UTC+8).
	Zone *time.Location
	// Logger says when the roll-up is rebuilt for a new zone.
	Logger *slog.Logger
	Now    func() time.Time
	// RefreshEvery bounds how often reads refresh the facts (default 2 s).
	RefreshEvery time.Duration
}

// Service is the analyst's service.
type Service struct {
	repo     Repo
	messages Messages
	d        *insight.Deriver
	tax      *jrt.Taxonomy
	cal      deadlines.Calendar
	now      func() time.Time
	every    time.Duration
	loc      *time.Location
	log      *slog.Logger

	mu        sync.Mutex
	refreshed time.Time
}

// New returns the service.
func New(o Opts) *Service {
	loc := o.Zone
	if loc == nil {
		loc = o.Calendar.Location
	}
	if loc == nil {
		loc = insight.DefaultZone()
	}
	cal := o.Calendar
	cal.Location = loc
	d := insight.NewDeriver(o.Touchpoints, o.Servqual, loc)
	d.Calendar = cal
	s := &Service{repo: o.Repo, messages: o.Messages, d: d, tax: jrt.Default().Taxonomy,
		cal: cal, now: o.Now, every: o.RefreshEvery, loc: loc, log: o.Logger}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.every <= 0 {
		s.every = 2 * time.Second
	}
	return s
}

// Zone is the time zone days are counted in.
func (s *Service) Zone() *time.Location { return s.loc }

// Touchpoints returns the configured touchpoints.
func (s *Service) Touchpoints() []touchpoints.Touchpoint { return s.d.Touchpoints.All() }

// Refresh brings the facts up to date (at most once per RefreshEvery
// unless forced).
func (s *Service) Refresh(ctx context.Context, force bool) (insight.RefreshStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if !force && now.Sub(s.refreshed) < s.every {
		return insight.RefreshStats{}, nil
	}
	st, err := s.repo.RefreshInsight(ctx, s.d, now)
	if st.Rebuilt {
		prev := st.PreviousZone
		if prev == "" {
			prev = "none recorded"
		}
		args := []any{"zone", st.Zone, "previous", prev, "messages", st.Messages, "cases", st.Cases}
		if err != nil {
			args = append(args, "err", err) // the rest is counted by the next refresh
		}
		s.log.Info("insight: the daily roll-up and case facts were counted in another time zone; rebuilt in this one", args...)
	}
	if err == nil {
		s.refreshed = now
	}
	return st, err
}

// InputError is a bad query or input; the web layer answers 400.
type InputError struct{ Field, Reason string }

func (e *InputError) Error() string { return e.Field + ": " + e.Reason }

// Range is a period [From, To) of whole days.
type Range struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// MaxRangeDays bounds a query's period.
const MaxRangeDays = 1100

// CheckRange validates a range and widens it to whole days in the zone
// (From the start of its day, To the end of the day of its last instant);
// a bare date (midnight UTC, as YYYY-MM-DD parses) is that calendar date.
// Zero values default to the last 90 days, today included.
func (s *Service) CheckRange(r Range) (Range, error) {
	from, to, err := s.days(r)
	if err != nil {
		return r, err
	}
	return Range{From: s.d.DayStart(from), To: s.d.DayStart(to)}, nil
}

// days is a range's days [from, to).
func (s *Service) days(r Range) (int64, int64, error) {
	to := s.d.Day(s.now()) + 1
	if !r.To.IsZero() {
		to = insight.EndDay(r.To, s.loc)
	}
	from := to - 90
	if !r.From.IsZero() {
		from = insight.FirstDay(r.From, s.loc)
	}
	if from >= to {
		return 0, 0, &InputError{"from", "must be before to"}
	}
	if to-from > MaxRangeDays {
		return 0, 0, &InputError{"to", fmt.Sprintf("a period of at most %d days", MaxRangeDays)}
	}
	return from, to, nil
}

// VolumeQuery asks for volumes over time.
type VolumeQuery struct {
	Source string // message, post, case
	Dim    string
	Bucket string // day, week, month
	Range
	// Top folds JR/T codes to their top level (C0102 → C01).
	Top bool
	// Limit is the most values kept (the largest; the rest summed as
	// "other"); default 12.
	Limit int
}

// Series is one value's counts per bucket.
type Series struct {
	Value  string  `json:"value"`
	Name   string  `json:"name,omitempty"`
	NameEn string  `json:"name_en,omitempty"`
	Total  int64   `json:"total"`
	Counts []int64 `json:"counts"`
	// Rates is the value's share of each bucket's total.
	Rates []float64 `json:"rates"`
	// NegativeRates is the share of negative records among the value's.
	NegativeRates []float64 `json:"negative_rates"`
	// MeanRisk is the mean conversation risk (messages only).
	MeanRisk []float64 `json:"mean_risk,omitempty"`
	High     []int64   `json:"high,omitempty"`
}

// Volumes is the answer to a VolumeQuery.
type Volumes struct {
	Source  string      `json:"source"`
	Dim     string      `json:"dim"`
	Bucket  string      `json:"bucket"`
	Range   Range       `json:"range"`
	Buckets []time.Time `json:"buckets"`
	Totals  []int64     `json:"totals"`
	Series  []Series    `json:"series"`
}

// OtherValue is the folded remainder of the series beyond Limit.
const OtherValue = "(other)"

func (s *Service) checkSourceDim(source, dim string) error {
	switch source {
	case insight.SourceMessage, insight.SourcePost, insight.SourceCase:
	default:
		return &InputError{"source", "message, post or case"}
	}
	if !insight.ValidDim(dim) {
		return &InputError{"by", "one of " + strings.Join(insight.Dims, ", ")}
	}
	return nil
}

// Volumes returns the counts and rates per bucket by a breakdown.
func (s *Service) Volumes(ctx context.Context, q VolumeQuery) (*Volumes, error) {
	if q.Source == "" {
		q.Source = insight.SourceCase
	}
	if q.Dim == "" {
		q.Dim = insight.DimAll
	}
	if q.Bucket == "" {
		q.Bucket = insight.BucketDay
	}
	if err := s.checkSourceDim(q.Source, q.Dim); err != nil {
		return nil, err
	}
	if !insight.ValidBucket(q.Bucket) {
		return nil, &InputError{"bucket", "day, week or month"}
	}
	if q.Limit <= 0 || q.Limit > 50 {
		q.Limit = 12
	}
	r, err := s.CheckRange(q.Range)
	if err != nil {
		return nil, err
	}
	if _, err := s.Refresh(ctx, false); err != nil {
		return nil, err
	}
	fromDay, toDay := s.d.Day(r.From), s.d.Day(r.To)
	rows, err := s.repo.DailySeries(ctx, q.Source, q.Dim, fromDay, toDay)
	if err != nil {
		return nil, err
	}
	v := &Volumes{Source: q.Source, Dim: q.Dim, Bucket: q.Bucket, Range: r}
	index := map[int64]int{}
	for day := fromDay; day < toDay; day++ {
		b := insight.BucketFirst(day, q.Bucket)
		if _, ok := index[b]; !ok {
			index[b] = len(v.Buckets)
			v.Buckets = append(v.Buckets, s.d.DayStart(b))
		}
	}
	nb := len(v.Buckets)
	v.Totals = make([]int64, nb)
	type acc struct {
		total      int64
		n, neg, hi []int64
		risk       []float64
	}
	byVal := map[string]*acc{}
	for _, row := range rows {
		val := insight.TrimCode(q.Dim, row.Value, q.Top)
		a := byVal[val]
		if a == nil {
			a = &acc{n: make([]int64, nb), neg: make([]int64, nb), hi: make([]int64, nb), risk: make([]float64, nb)}
			byVal[val] = a
		}
		i := index[insight.BucketFirst(row.Day, q.Bucket)]
		a.n[i] += row.N
		a.neg[i] += row.Negative
		a.hi[i] += row.High
		a.risk[i] += row.RiskSum
		a.total += row.N
		v.Totals[i] += row.N
	}
	vals := make([]string, 0, len(byVal))
	for k := range byVal {
		vals = append(vals, k)
	}
	sort.Slice(vals, func(i, j int) bool {
		if byVal[vals[i]].total != byVal[vals[j]].total {
			return byVal[vals[i]].total > byVal[vals[j]].total
		}
		return vals[i] < vals[j]
	})
	if len(vals) > q.Limit {
		other := &acc{n: make([]int64, nb), neg: make([]int64, nb), hi: make([]int64, nb), risk: make([]float64, nb)}
		for _, k := range vals[q.Limit:] {
			a := byVal[k]
			other.total += a.total
			for i := range nb {
				other.n[i] += a.n[i]
				other.neg[i] += a.neg[i]
				other.hi[i] += a.hi[i]
				other.risk[i] += a.risk[i]
			}
		}
		vals = append(vals[:q.Limit], OtherValue)
		byVal[OtherValue] = other
	}
	for _, k := range vals {
		a := byVal[k]
		se := Series{Value: k, Total: a.total, Counts: a.n, Rates: make([]float64, nb), NegativeRates: make([]float64, nb)}
		se.Name, se.NameEn = s.name(q.Dim, k)
		if q.Source == insight.SourceMessage {
			se.MeanRisk = make([]float64, nb)
			se.High = a.hi
		}
		for i := range nb {
			if v.Totals[i] > 0 {
				se.Rates[i] = float64(a.n[i]) / float64(v.Totals[i])
			}
			if a.n[i] > 0 {
				se.NegativeRates[i] = float64(a.neg[i]) / float64(a.n[i])
				if se.MeanRisk != nil {
					se.MeanRisk[i] = a.risk[i] / float64(a.n[i])
				}
			}
		}
		v.Series = append(v.Series, se)
	}
	return v, nil
}

// name returns a value's display names (JR/T codes, touchpoints, SERVQUAL
// dimensions).
func (s *Service) name(dim, v string) (string, string) {
	switch dim {
	case insight.DimCause, insight.DimBusiness, insight.DimChannelCode:
		if c, ok := s.tax.Lookup(v); ok {
			return c.Name, c.NameEn
		}
	case insight.DimTouchpoint:
		if t, ok := s.d.Touchpoints.Lookup(v); ok {
			return t.Name, t.NameEn
		}
	case insight.DimServqual:
		if n, ok := servqual.Names[servqual.Dimension(v)]; ok {
			return n[0], n[1]
		}
	}
	return "", ""
}

// SpikeQuery asks for spikes.
type SpikeQuery struct {
	Source string
	Dim    string
	Range
	Top bool
	Z   float64
	// Values is how many of the largest values are examined (default 20).
	Values int
}

// SpikeSeries is one value's spikes in the range, with its daily series.
type SpikeSeries struct {
	Value  string         `json:"value"`
	Name   string         `json:"name,omitempty"`
	NameEn string         `json:"name_en,omitempty"`
	Spikes []spikes.Point `json:"spikes"`
	Days   []spikes.Point `json:"days"`
}

// SpikesResult is the spikes of every examined value, those with spikes
// first.
type SpikesResult struct {
	Source string        `json:"source"`
	Dim    string        `json:"dim"`
	Range  Range         `json:"range"`
	Opts   spikes.Opts   `json:"opts"`
	Series []SpikeSeries `json:"series"`
}

// Spikes detects spikes per value of a breakdown. The baseline needs the
// weeks before the range, so those are read too.
func (s *Service) Spikes(ctx context.Context, q SpikeQuery) (*SpikesResult, error) {
	if q.Source == "" {
		q.Source = insight.SourceCase
	}
	if q.Dim == "" {
		q.Dim = insight.DimCause
	}
	if err := s.checkSourceDim(q.Source, q.Dim); err != nil {
		return nil, err
	}
	r, err := s.CheckRange(q.Range)
	if err != nil {
		return nil, err
	}
	if q.Values <= 0 || q.Values > 100 {
		q.Values = 20
	}
	o := spikes.Defaults
	if q.Z > 0 {
		o.Z = q.Z
	}
	if _, err := s.Refresh(ctx, false); err != nil {
		return nil, err
	}
	warm := 7 * int64(o.Weeks)
	from, to := s.d.Day(r.From)-warm, s.d.Day(r.To)
	rows, err := s.repo.DailySeries(ctx, q.Source, q.Dim, from, to)
	if err != nil {
		return nil, err
	}
	n := int(to - from)
	series := map[string][]float64{}
	totals := map[string]float64{}
	for _, row := range rows {
		v := insight.TrimCode(q.Dim, row.Value, q.Top)
		if series[v] == nil {
			series[v] = make([]float64, n)
		}
		series[v][row.Day-from] += float64(row.N)
		totals[v] += float64(row.N)
	}
	vals := make([]string, 0, len(series))
	for v := range series {
		vals = append(vals, v)
	}
	sort.Slice(vals, func(i, j int) bool {
		if totals[vals[i]] != totals[vals[j]] {
			return totals[vals[i]] > totals[vals[j]]
		}
		return vals[i] < vals[j]
	})
	if len(vals) > q.Values {
		vals = vals[:q.Values]
	}
	res := &SpikesResult{Source: q.Source, Dim: q.Dim, Range: r, Opts: o, Series: []SpikeSeries{}}
	for _, v := range vals {
		pts, err := spikes.Detect(s.d.DayStart(from), series[v], o)
		if err != nil {
			return nil, err
		}
		ss := SpikeSeries{Value: v, Days: pts[warm:], Spikes: []spikes.Point{}}
		ss.Name, ss.NameEn = s.name(q.Dim, v)
		for _, p := range ss.Days {
			if p.Spike {
				ss.Spikes = append(ss.Spikes, p)
			}
		}
		res.Series = append(res.Series, ss)
	}
	sort.SliceStable(res.Series, func(i, j int) bool { return len(res.Series[i].Spikes) > 0 && len(res.Series[j].Spikes) == 0 })
	return res, nil
}

// MaxClusterDocs is the most texts one clustering reads.
const MaxClusterDocs = 20000

// Clusters groups the complaints (cases and posts) of the range.
func (s *Service) Clusters(ctx context.Context, r Range, o clusters.Opts) (*clusters.Result, error) {
	r, err := s.CheckRange(r)
	if err != nil {
		return nil, err
	}
	if o.Threshold < 0 || o.Threshold > 1 {
		return nil, &InputError{"threshold", "between 0 and 1"}
	}
	if _, err := s.Refresh(ctx, false); err != nil {
		return nil, err
	}
	docs, err := s.repo.ClusterDocs(ctx, r.From, r.To, MaxClusterDocs)
	if err != nil {
		return nil, err
	}
	res, err := clusters.Run(docs, o)
	if err != nil {
		return nil, err
	}
	if len(res.Clusters) > 50 {
		res.Clusters = res.Clusters[:50]
	}
	if res.Clusters == nil {
		res.Clusters = []clusters.Cluster{}
	}
	return &res, nil
}

// ServqualView is the SERVQUAL page: questionnaire gaps and the complaints'
// attribution to the dimensions.
type ServqualView struct {
	Range Range         `json:"range"`
	Gaps  servqual.Gaps `json:"gaps"`
	// InvalidItems were out of range and left out.
	InvalidItems int `json:"invalid_items"`
	// Complaints counts cases and posts per dimension ("" unattributed).
	Complaints map[string]int64   `json:"complaints"`
	Scores     []insight.ScoreRow `json:"scores"`
	// Examples are recent complaints of the period per dimension, each
	// with the cue terms (and their byte offsets) that attributed it.
	Examples map[string][]ServqualExample `json:"examples"`
}

// ServqualExample is one complaint attributed to a SERVQUAL dimension.
type ServqualExample struct {
	// ID is "case:<id>" or "post:<id>".
	ID   string    `json:"id"`
	At   time.Time `json:"at"`
	Text string    `json:"text"`
	// Evidence are the cues of the complaint's dimension in Text.
	Evidence []servqual.Evidence `json:"evidence"`
}

// Servqual examples: at most ExamplesPerDimension per dimension, taken
// from the period's ExamplesScanned most recent complaint texts (an index
// read, so the view stays fast on a year of 100,000 cases), each cut to
// ExampleRunes characters.
const (
	ExamplesPerDimension = 3
	ExamplesScanned      = 400
	ExampleRunes         = 200
)

// servqualExamples attributes the most recent texts and keeps a few per
// dimension with the evidence that lies in the kept part of the text.
func (s *Service) servqualExamples(ctx context.Context, r Range) (map[string][]ServqualExample, error) {
	docs, err := s.repo.ClusterDocs(ctx, r.From, r.To, ExamplesScanned)
	if err != nil {
		return nil, err
	}
	out := map[string][]ServqualExample{}
	for _, d := range docs {
		text := d.Text
		if rs := []rune(text); len(rs) > ExampleRunes {
			text = string(rs[:ExampleRunes])
		}
		a := s.d.Servqual.Attribute(text)
		dim := string(a.Dimension)
		if dim == "" || len(out[dim]) >= ExamplesPerDimension {
			continue
		}
		ex := ServqualExample{ID: d.ID, At: d.At, Text: text, Evidence: []servqual.Evidence{}}
		for _, e := range a.Evidence {
			if e.Dimension == a.Dimension {
				ex.Evidence = append(ex.Evidence, e)
			}
		}
		out[dim] = append(out[dim], ex)
	}
	return out, nil
}

// Servqual returns the gaps, the complaints per dimension and the CSAT and
// NPS by touchpoint.
func (s *Service) Servqual(ctx context.Context, r Range) (*ServqualView, error) {
	r, err := s.CheckRange(r)
	if err != nil {
		return nil, err
	}
	if _, err := s.Refresh(ctx, false); err != nil {
		return nil, err
	}
	v := &ServqualView{Range: r, Complaints: map[string]int64{}}
	if v.Gaps, v.InvalidItems, err = s.repo.ServqualGaps(ctx, r.From, r.To); err != nil {
		return nil, err
	}
	for _, src := range []string{insight.SourceCase, insight.SourcePost} {
		rows, err := s.repo.DailySeries(ctx, src, insight.DimServqual, s.d.Day(r.From), s.d.Day(r.To))
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			v.Complaints[row.Value] += row.N
		}
	}
	if v.Scores, err = s.repo.SurveyScores(ctx, insight.DimTouchpoint, r.From, r.To); err != nil {
		return nil, err
	}
	if v.Scores == nil {
		v.Scores = []insight.ScoreRow{}
	}
	if v.Gaps.Touchpoints == nil {
		v.Gaps.Touchpoints = []servqual.TouchpointGaps{} // [] rather than null in JSON
	}
	if v.Examples, err = s.servqualExamples(ctx, r); err != nil {
		return nil, err
	}
	return v, nil
}

// PeakEnd returns a conversation's peak-end view.
func (s *Service) PeakEnd(ctx context.Context, conversationID string) (*insight.PeakEnd, error) {
	if s.messages == nil {
		return nil, ErrUnavailable
	}
	ms, err := s.messages(ctx, conversationID)
	if err != nil {
		return nil, err
	}
	pe := insight.PeakEndOf(ms)
	return &pe, nil
}

// ErrUnavailable is returned when a part the call needs is not configured.
var ErrUnavailable = errors.New("analyst: not configured")

// MeasureInput creates or edits a measure.
type MeasureInput struct {
	Title         string          `json:"title"`
	Description   string          `json:"description,omitempty"`
	Target        measures.Target `json:"target"`
	Owner         string          `json:"owner"`
	Due           string          `json:"due"`
	Status        measures.Status `json:"status,omitempty"`
	EffectiveFrom string          `json:"effective_from,omitempty"`
	IfVersion     int64           `json:"if_version,omitempty"`
}

// ParseTime reads a time given as RFC 3339 or as a date (YYYY-MM-DD: the
// start of that day in the service's zone).
func (s *Service) ParseTime(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, s.loc); err == nil {
		return t, nil
	}
	return time.Time{}, &InputError{field, fmt.Sprintf("%q is not RFC 3339 or YYYY-MM-DD", v)}
}

func (s *Service) apply(m *measures.Measure, in MeasureInput) error {
	due, err := s.ParseTime("due", in.Due)
	if err != nil {
		return err
	}
	eff, err := s.ParseTime("effective_from", in.EffectiveFrom)
	if err != nil {
		return err
	}
	m.Title, m.Description, m.Target, m.Owner, m.Due, m.EffectiveFrom = in.Title, in.Description, in.Target, in.Owner, due, eff
	if in.Status != "" {
		m.Status = in.Status
	}
	if m.Target.Kind == measures.TargetTouchpoint && !s.d.Touchpoints.Valid(m.Target.Value) {
		return &measures.ValidationError{Field: "target.value", Reason: fmt.Sprintf("unknown touchpoint %q", m.Target.Value)}
	}
	if m.Target.Kind == measures.TargetCause {
		if _, ok := s.tax.Lookup(m.Target.Value); !ok {
			return &measures.ValidationError{Field: "target.value", Reason: fmt.Sprintf("unknown JR/T 0169-2018 code %q", m.Target.Value)}
		}
	}
	return m.Validate()
}

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "ms_" + hex.EncodeToString(b[:])
}

// CreateMeasure creates a measure.
func (s *Service) CreateMeasure(ctx context.Context, by string, in MeasureInput) (*measures.Measure, error) {
	now := s.now().UTC()
	m := &measures.Measure{ID: newID(), CreatedBy: by, CreatedAt: now, UpdatedAt: now}
	if err := s.apply(m, in); err != nil {
		return nil, err
	}
	if err := s.repo.CreateMeasure(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateMeasure replaces a measure's fields (all of them, as given).
func (s *Service) UpdateMeasure(ctx context.Context, id string, in MeasureInput) (*measures.Measure, error) {
	m, err := s.repo.GetMeasure(ctx, id)
	if err != nil {
		return nil, err
	}
	if in.IfVersion != 0 && in.IfVersion != m.Version {
		return nil, fmt.Errorf("%w: measure %q is at version %d", measures.ErrConflict, id, m.Version)
	}
	if err := s.apply(m, in); err != nil {
		return nil, err
	}
	m.UpdatedAt = s.now().UTC()
	if err := s.repo.UpdateMeasure(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// GetMeasure, ListMeasures and DeleteMeasure pass through.
func (s *Service) GetMeasure(ctx context.Context, id string) (*measures.Measure, error) {
	return s.repo.GetMeasure(ctx, id)
}

// ListMeasures lists measures, optionally of one status.
func (s *Service) ListMeasures(ctx context.Context, status string) ([]measures.Measure, error) {
	return s.repo.ListMeasures(ctx, status)
}

// DeleteMeasure deletes a measure.
func (s *Service) DeleteMeasure(ctx context.Context, id string) error {
	return s.repo.DeleteMeasure(ctx, id)
}

// DayCounts is a day's targeted and total complaints.
type DayCounts struct {
	Day      time.Time `json:"day"`
	Targeted int64     `json:"targeted"`
	Total    int64     `json:"total"`
}

// EffectView is a measure's effect with the daily counts for the chart.
type EffectView struct {
	Measure measures.Measure `json:"measure"`
	Effect  measures.Effect  `json:"effect"`
	Days    []DayCounts      `json:"days"`
}

// DefaultEffectDays is the length of each window when not given.
const DefaultEffectDays = 28

// Effect measures a measure's effect over windows of days either side of
// its effective date (its due date when none is set).
func (s *Service) Effect(ctx context.Context, id string, days int) (*EffectView, error) {
	if days <= 0 {
		days = DefaultEffectDays
	}
	if days > 365 {
		return nil, &InputError{"days", "at most 365"}
	}
	m, err := s.repo.GetMeasure(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := s.Refresh(ctx, false); err != nil {
		return nil, err
	}
	eff := m.EffectiveFrom
	if eff.IsZero() {
		eff = m.Due
	}
	now := s.now()
	if !eff.Before(now) {
		return nil, &InputError{"effective_from", "the measure has not taken effect yet: nothing to compare"}
	}
	from, to := measures.Windows(eff, now, days)
	k1, n1, err := s.repo.TargetCounts(ctx, m.Target, from, eff)
	if err != nil {
		return nil, err
	}
	k2, n2, err := s.repo.TargetCounts(ctx, m.Target, eff, to)
	if err != nil {
		return nil, err
	}
	e, err := measures.MeasureEffect(from, eff, to, k1, n1, k2, n2)
	if err != nil {
		return nil, &InputError{"effective_from", err.Error()}
	}
	daily, err := s.repo.DailyTargeted(ctx, m.Target, from, to)
	if err != nil {
		return nil, err
	}
	v := &EffectView{Measure: *m, Effect: e}
	for day := s.d.Day(from); day <= s.d.Day(to.Add(-time.Nanosecond)); day++ {
		c := daily[day]
		v.Days = append(v.Days, DayCounts{Day: s.d.DayStart(day), Targeted: c[0], Total: c[1]})
	}
	return v, nil
}

// Regulatory is the JR/T 0169-2018 statistics of a period.
func (s *Service) Regulatory(ctx context.Context, p reports.Period) (*reports.Regulatory, error) {
	p, cs, err := s.reportCases(ctx, p)
	if err != nil {
		return nil, err
	}
	r, err := reports.BuildRegulatory(s.tax, p, cs)
	if err != nil {
		return nil, &InputError{"from", err.Error()}
	}
	return &r, nil
}

// Deadlines is the deadline performance of a period.
func (s *Service) Deadlines(ctx context.Context, p reports.Period) (*reports.Deadlines, error) {
	p, cs, err := s.reportCases(ctx, p)
	if err != nil {
		return nil, err
	}
	return s.deadlines(ctx, p, cs)
}

// Reports returns both reports of a period from one read of the grouped
// cases: a page showing both costs one scan of the period's facts, not two.
func (s *Service) Reports(ctx context.Context, p reports.Period) (*reports.Regulatory, *reports.Deadlines, error) {
	p, cs, err := s.reportCases(ctx, p)
	if err != nil {
		return nil, nil, err
	}
	r, err := reports.BuildRegulatory(s.tax, p, cs)
	if err != nil {
		return nil, nil, &InputError{"from", err.Error()}
	}
	d, err := s.deadlines(ctx, p, cs)
	if err != nil {
		return nil, nil, err
	}
	return &r, d, nil
}

// deadlines builds the deadline report from the period's grouped cases and
// reads its redress.
func (s *Service) deadlines(ctx context.Context, p reports.Period, cs []reports.Case) (*reports.Deadlines, error) {
	d, err := reports.BuildDeadlines(s.cal, p, cs)
	if err != nil {
		return nil, &InputError{"from", err.Error()}
	}
	if d.RedressCases, d.Redress, err = s.repo.Redress(ctx, p.From, p.To); err != nil {
		return nil, err
	}
	return &d, nil
}

// reportCases reads the period's cases grouped (the bands were computed
// with the deriver's calendar when the facts were written). The period is
// widened to whole days in the zone, as CheckRange does.
func (s *Service) reportCases(ctx context.Context, p reports.Period) (reports.Period, []reports.Case, error) {
	if err := p.Check(); err != nil {
		return p, nil, &InputError{"from", err.Error()}
	}
	from, to := insight.FirstDay(p.From, s.loc), insight.EndDay(p.To, s.loc)
	if from >= to {
		return p, nil, &InputError{"from", "must be before to"}
	}
	p = reports.Period{From: s.d.DayStart(from), To: s.d.DayStart(to)}
	if _, err := s.Refresh(ctx, false); err != nil {
		return p, nil, err
	}
	cs, err := s.repo.ReportGroups(ctx, p.From, p.To)
	return p, cs, err
}

// Analyze is what analyses a post's text (the analysis engine).
type Analyze func(text string) interactions.Analysis

// PostRows derives the posts' facts for storing.
func (s *Service) PostRows(ps []collect.Post, analyze Analyze) []insight.PostRow {
	out := make([]insight.PostRow, len(ps))
	for i, p := range ps {
		var a interactions.Analysis
		if analyze != nil {
			a = analyze(p.Text)
		}
		ch := p.Channel
		if ch == "" {
			ch = "social_media"
		}
		out[i] = insight.PostRow{Post: p, Analysis: a, Fact: s.d.Post(ch, p.Touchpoint, p.Branch, p.Product, p.Team, p.Text, p.At, a)}
	}
	return out
}

// Deriver returns the service's deriver.
func (s *Service) Deriver() *insight.Deriver { return s.d }
