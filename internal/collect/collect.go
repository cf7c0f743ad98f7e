// Package collect is the information the analyst collects besides
// interactions and cases: surveys (CSAT, NPS and the SERVQUAL
// questionnaire) and social-media posts, each placed on a touchpoint,
// branch, product and team; and their reading from CSV or JSONL files with
// an error per bad line. A file is read whole and checked before anything
// is stored, so a bad line leaves nothing half-imported.
package collect

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/servqual"
	"huajie/internal/touchpoints"
)

// Survey kinds.
const (
	KindCSAT     = "csat"     // score 1–5
	KindNPS      = "nps"      // score 0–10
	KindServqual = "servqual" // items with expectation and perception 1–7
)

// Place is where on the journey and in the bank a record belongs.
type Place struct {
	Touchpoint string `json:"touchpoint,omitempty"`
	Branch     string `json:"branch,omitempty"`
	Product    string `json:"product,omitempty"`
	Team       string `json:"team,omitempty"`
	Channel    string `json:"channel,omitempty"`
}

// Survey is one survey answer.
type Survey struct {
	ID   string    `json:"id"`
	Kind string    `json:"kind"`
	At   time.Time `json:"at"`
	Place
	Score   *int            `json:"score,omitempty"`
	Items   []servqual.Item `json:"items,omitempty"`
	Comment string          `json:"comment,omitempty"`
}

// Post is one social-media post about the bank.
type Post struct {
	ID       string    `json:"id"`
	Platform string    `json:"platform"`
	At       time.Time `json:"at"`
	Author   string    `json:"author,omitempty"`
	URL      string    `json:"url,omitempty"`
	Text     string    `json:"text"`
	Place
}

// Limits.
const (
	MaxID      = 100
	MaxField   = 200
	MaxText    = 64 << 10
	MaxComment = 4000
	MaxItems   = 50
	MaxLine    = 256 << 10
	MaxRecords = 1_000_000
	MaxErrors  = 100
)

// LineError is one bad line.
type LineError struct {
	Line   int    `json:"line"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

func (e LineError) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("line %d: %s: %s", e.Line, e.Field, e.Reason)
	}
	return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
}

// FileError is all the bad lines of a file (up to MaxErrors).
type FileError struct {
	Errors    []LineError
	Truncated bool
}

func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d bad line(s), nothing imported", len(e.Errors))
	for i, le := range e.Errors {
		if i == 5 {
			fmt.Fprintf(&b, "; …")
			break
		}
		b.WriteString("; ")
		b.WriteString(le.Error())
	}
	return b.String()
}

// ErrFormat is returned for a file that cannot be read at all (no header,
// unknown format).
var ErrFormat = errors.New("collect: bad file")

// Checker validates records against the configured touchpoints.
type Checker struct {
	Touchpoints *touchpoints.List
}

func (c Checker) place(p *Place) *LineError {
	for _, f := range []struct {
		name string
		v    *string
	}{{"touchpoint", &p.Touchpoint}, {"branch", &p.Branch}, {"product", &p.Product}, {"team", &p.Team}, {"channel", &p.Channel}} {
		*f.v = strings.TrimSpace(*f.v)
		if len(*f.v) > MaxField || !utf8.ValidString(*f.v) {
			return &LineError{Field: f.name, Reason: fmt.Sprintf("at most %d bytes of UTF-8", MaxField)}
		}
	}
	if p.Touchpoint != "" && c.Touchpoints != nil && !c.Touchpoints.Valid(p.Touchpoint) {
		return &LineError{Field: "touchpoint", Reason: fmt.Sprintf("unknown touchpoint %q", p.Touchpoint)}
	}
	return nil
}

func checkID(id string) *LineError {
	if id == "" || len(id) > MaxID || strings.ContainsAny(id, "\r\n\t") || !utf8.ValidString(id) {
		return &LineError{Field: "id", Reason: fmt.Sprintf("required, at most %d bytes, one line", MaxID)}
	}
	return nil
}

// CheckSurvey validates a survey answer.
func (c Checker) CheckSurvey(s *Survey) *LineError {
	if e := checkID(s.ID); e != nil {
		return e
	}
	if s.At.IsZero() {
		return &LineError{Field: "at", Reason: "required (RFC 3339 or YYYY-MM-DD)"}
	}
	if e := c.place(&s.Place); e != nil {
		return e
	}
	if utf8.RuneCountInString(s.Comment) > MaxComment {
		return &LineError{Field: "comment", Reason: fmt.Sprintf("at most %d characters", MaxComment)}
	}
	switch s.Kind {
	case KindCSAT, KindNPS:
		lo, hi := 1, 5
		if s.Kind == KindNPS {
			lo, hi = 0, 10
		}
		if s.Score == nil {
			return &LineError{Field: "score", Reason: fmt.Sprintf("required for %s (%d–%d)", s.Kind, lo, hi)}
		}
		if *s.Score < lo || *s.Score > hi {
			return &LineError{Field: "score", Reason: fmt.Sprintf("%d out of range %d–%d for %s", *s.Score, lo, hi, s.Kind)}
		}
		if len(s.Items) > 0 {
			return &LineError{Field: "items", Reason: "only for servqual"}
		}
	case KindServqual:
		if s.Score != nil {
			return &LineError{Field: "score", Reason: "not for servqual (use items)"}
		}
		if len(s.Items) == 0 || len(s.Items) > MaxItems {
			return &LineError{Field: "items", Reason: fmt.Sprintf("1 to %d items required for servqual", MaxItems)}
		}
		for i, it := range s.Items {
			if err := it.Check(); err != nil {
				return &LineError{Field: fmt.Sprintf("items[%d]", i), Reason: err.Error()}
			}
		}
	default:
		return &LineError{Field: "kind", Reason: fmt.Sprintf("%q: want csat, nps or servqual", s.Kind)}
	}
	return nil
}

// CheckPost validates a post.
func (c Checker) CheckPost(p *Post) *LineError {
	if e := checkID(p.ID); e != nil {
		return e
	}
	if p.At.IsZero() {
		return &LineError{Field: "at", Reason: "required (RFC 3339 or YYYY-MM-DD)"}
	}
	p.Platform = strings.TrimSpace(p.Platform)
	if p.Platform == "" || len(p.Platform) > MaxField {
		return &LineError{Field: "platform", Reason: fmt.Sprintf("required, at most %d bytes", MaxField)}
	}
	if strings.TrimSpace(p.Text) == "" || len(p.Text) > MaxText || !utf8.ValidString(p.Text) {
		return &LineError{Field: "text", Reason: fmt.Sprintf("required UTF-8, at most %d bytes", MaxText)}
	}
	if len(p.Author) > MaxField || len(p.URL) > 2000 {
		return &LineError{Field: "author/url", Reason: "too long"}
	}
	return c.place(&p.Place)
}

// parseTime accepts RFC 3339 or a date (midnight UTC).
func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not RFC 3339 or YYYY-MM-DD", s)
}

// flexTime is a time in JSON as RFC 3339 or a date.
type flexTime struct{ time.Time }

func (f *flexTime) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("a string is expected")
	}
	t, err := parseTime(s)
	f.Time = t
	return err
}

// Format is the file's format.
type Format string

const (
	JSONL Format = "jsonl"
	CSV   Format = "csv"
)

// FormatOf guesses from a file name (.csv → CSV, else JSONL).
func FormatOf(name string) Format {
	if strings.HasSuffix(strings.ToLower(name), ".csv") {
		return CSV
	}
	return JSONL
}

// errs collects line errors up to MaxErrors.
type errs struct{ fe FileError }

func (e *errs) add(line int, le *LineError) {
	if len(e.fe.Errors) >= MaxErrors {
		e.fe.Truncated = true
		return
	}
	le.Line = line
	e.fe.Errors = append(e.fe.Errors, *le)
}

func (e *errs) err() error {
	if len(e.fe.Errors) == 0 {
		return nil
	}
	return &e.fe
}

// Progress is called after every 1,000 lines and at the end.
type Progress func(lines int)

// jsonlLines calls fn with each non-blank line of r.
func jsonlLines(r io.Reader, progress Progress, fn func(n int, line []byte) *LineError, e *errs) error {
	br := bufio.NewReaderSize(r, 64<<10)
	n := 0
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			// A line longer than the buffer: read the rest, bounded.
			long := append([]byte(nil), line...)
			for err == bufio.ErrBufferFull && len(long) <= MaxLine {
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
			if len(line) > MaxLine {
				n++
				e.add(n, &LineError{Reason: fmt.Sprintf("longer than %d bytes", MaxLine)})
				for err == bufio.ErrBufferFull {
					_, err = br.ReadSlice('\n')
				}
				if err == io.EOF {
					break
				}
				if err != nil {
					return err
				}
				continue
			}
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		n++
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			if n > MaxRecords {
				return fmt.Errorf("%w: more than %d lines", ErrFormat, MaxRecords)
			}
			if le := fn(n, t); le != nil {
				e.add(n, le)
			}
		}
		if progress != nil && n%1000 == 0 {
			progress(n)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	if progress != nil {
		progress(n)
	}
	return nil
}

func strictJSON(line []byte, v any) *LineError {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &LineError{Reason: "invalid JSON: " + err.Error()}
	}
	if dec.More() {
		return &LineError{Reason: "more than one JSON value on the line"}
	}
	return nil
}

type surveyJSON struct {
	ID         string          `json:"id"`
	Kind       string          `json:"kind"`
	At         flexTime        `json:"at"`
	Touchpoint string          `json:"touchpoint"`
	Branch     string          `json:"branch"`
	Product    string          `json:"product"`
	Team       string          `json:"team"`
	Channel    string          `json:"channel"`
	Score      *int            `json:"score"`
	Items      []servqual.Item `json:"items"`
	Comment    string          `json:"comment"`
}

type postJSON struct {
	ID         string   `json:"id"`
	Platform   string   `json:"platform"`
	At         flexTime `json:"at"`
	Author     string   `json:"author"`
	URL        string   `json:"url"`
	Text       string   `json:"text"`
	Touchpoint string   `json:"touchpoint"`
	Branch     string   `json:"branch"`
	Product    string   `json:"product"`
	Team       string   `json:"team"`
	Channel    string   `json:"channel"`
}

// uniqueAdder returns the function that keeps one record of a file: checked
// by check, refused when its id was already on an earlier line (naming that
// line), appended to out otherwise.
func uniqueAdder[T any](out *[]T, check func(*T) *LineError, id func(*T) string) func(n int, r T) *LineError {
	seen := map[string]int{}
	return func(n int, r T) *LineError {
		if le := check(&r); le != nil {
			return le
		}
		if prev, ok := seen[id(&r)]; ok {
			return &LineError{Field: "id", Reason: fmt.Sprintf("%q already on line %d", id(&r), prev)}
		}
		seen[id(&r)] = n
		*out = append(*out, r)
		return nil
	}
}

// ReadSurveys reads and checks a whole file of surveys. Any bad line makes
// it return a *FileError and no records. Duplicate ids in the file are bad
// lines.
func (c Checker) ReadSurveys(r io.Reader, f Format, progress Progress) ([]Survey, error) {
	var out []Survey
	e := &errs{}
	add := uniqueAdder(&out, c.CheckSurvey, func(s *Survey) string { return s.ID })
	var err error
	switch f {
	case JSONL:
		err = jsonlLines(r, progress, func(n int, line []byte) *LineError {
			var j surveyJSON
			if le := strictJSON(line, &j); le != nil {
				return le
			}
			return add(n, Survey{ID: j.ID, Kind: j.Kind, At: j.At.Time, Place: Place{j.Touchpoint, j.Branch, j.Product, j.Team, j.Channel}, Score: j.Score, Items: j.Items, Comment: j.Comment})
		}, e)
	case CSV:
		err = csvRows(r, progress, surveyColumns, func(n int, col map[string]string, items []servqual.Item) *LineError {
			s := Survey{ID: col["id"], Kind: strings.TrimSpace(col["kind"]), Place: Place{col["touchpoint"], col["branch"], col["product"], col["team"], col["channel"]}, Items: items, Comment: col["comment"]}
			if v := col["at"]; v != "" {
				t, err := parseTime(v)
				if err != nil {
					return &LineError{Field: "at", Reason: err.Error()}
				}
				s.At = t
			}
			if v := strings.TrimSpace(col["score"]); v != "" {
				k, err := strconv.Atoi(v)
				if err != nil {
					return &LineError{Field: "score", Reason: fmt.Sprintf("%q is not a whole number", v)}
				}
				s.Score = &k
			}
			return add(n, s)
		}, e)
	default:
		return nil, fmt.Errorf("%w: format %q", ErrFormat, f)
	}
	if err != nil {
		return nil, err
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return out, nil
}

// ReadPosts reads and checks a whole file of posts, as ReadSurveys.
func (c Checker) ReadPosts(r io.Reader, f Format, progress Progress) ([]Post, error) {
	var out []Post
	e := &errs{}
	add := uniqueAdder(&out, c.CheckPost, func(p *Post) string { return p.ID })
	var err error
	switch f {
	case JSONL:
		err = jsonlLines(r, progress, func(n int, line []byte) *LineError {
			var j postJSON
			if le := strictJSON(line, &j); le != nil {
				return le
			}
			return add(n, Post{ID: j.ID, Platform: j.Platform, At: j.At.Time, Author: j.Author, URL: j.URL, Text: j.Text, Place: Place{j.Touchpoint, j.Branch, j.Product, j.Team, j.Channel}})
		}, e)
	case CSV:
		err = csvRows(r, progress, postColumns, func(n int, col map[string]string, _ []servqual.Item) *LineError {
			p := Post{ID: col["id"], Platform: col["platform"], Author: col["author"], URL: col["url"], Text: col["text"], Place: Place{col["touchpoint"], col["branch"], col["product"], col["team"], col["channel"]}}
			if v := col["at"]; v != "" {
				t, err := parseTime(v)
				if err != nil {
					return &LineError{Field: "at", Reason: err.Error()}
				}
				p.At = t
			}
			return add(n, p)
		}, e)
	default:
		return nil, fmt.Errorf("%w: format %q", ErrFormat, f)
	}
	if err != nil {
		return nil, err
	}
	if err := e.err(); err != nil {
		return nil, err
	}
	return out, nil
}

var (
	surveyColumns = []string{"id", "kind", "at", "touchpoint", "branch", "product", "team", "channel", "score", "comment"}
	postColumns   = []string{"id", "platform", "at", "author", "url", "text", "touchpoint", "branch", "product", "team", "channel"}
	// itemColumn is a SERVQUAL item's expectation or perception column:
	// reliability1_e, reliability1_p, empathy_e …
	itemColumn = regexp.MustCompile(`^(reliability|responsiveness|assurance|empathy|tangibles)(\d*)_(e|p)$`)
)

// csvRows reads a CSV file with a header; unknown columns are an error
// (a typo would otherwise drop data silently).
func csvRows(r io.Reader, progress Progress, known []string, fn func(n int, col map[string]string, items []servqual.Item) *LineError, e *errs) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%w: no CSV header: %v", ErrFormat, err)
	}
	head = append([]string(nil), head...)
	if len(head) > 0 {
		head[0] = strings.TrimPrefix(head[0], "\ufeff")
	}
	type itemCol struct {
		key   string // dimension+number
		dim   servqual.Dimension
		perc  bool
		index int
	}
	var items []itemCol
	var itemKeys []string
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		head[i] = h
		if m := itemColumn.FindStringSubmatch(h); m != nil {
			key := m[1] + m[2]
			items = append(items, itemCol{key, servqual.Dimension(m[1]), m[3] == "p", i})
			found := false
			for _, k := range itemKeys {
				found = found || k == key
			}
			if !found {
				itemKeys = append(itemKeys, key)
			}
			continue
		}
		ok := false
		for _, k := range known {
			ok = ok || k == h
		}
		if !ok {
			return fmt.Errorf("%w: line 1: unknown column %q (known: %s, and SERVQUAL items like reliability1_e/reliability1_p)", ErrFormat, h, strings.Join(known, ", "))
		}
	}
	col := map[string]string{}
	n := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		n++
		if progress != nil && n%1000 == 0 {
			progress(n)
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				e.add(pe.Line, &LineError{Reason: pe.Err.Error()})
				continue
			}
			return err
		}
		if n > MaxRecords {
			return fmt.Errorf("%w: more than %d lines", ErrFormat, MaxRecords)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(head) {
			e.add(line, &LineError{Reason: fmt.Sprintf("%d fields, the header has %d", len(rec), len(head))})
			continue
		}
		clear(col)
		for i, h := range head {
			col[h] = rec[i]
		}
		// SERVQUAL items: both halves present, or both empty.
		var its []servqual.Item
		var bad *LineError
		for _, key := range itemKeys {
			var it servqual.Item
			var have [2]bool
			for _, ic := range items {
				if ic.key != key {
					continue
				}
				it.Dimension = ic.dim
				it.Code = key
				v := strings.TrimSpace(rec[ic.index])
				if v == "" {
					continue
				}
				x, err := strconv.ParseFloat(v, 64)
				if err != nil || math.IsNaN(x) {
					bad = &LineError{Field: head[ic.index], Reason: fmt.Sprintf("%q is not a number", v)}
					break
				}
				if ic.perc {
					it.Perception, have[1] = x, true
				} else {
					it.Expectation, have[0] = x, true
				}
			}
			if bad != nil {
				break
			}
			if have[0] != have[1] {
				bad = &LineError{Field: key, Reason: "expectation and perception both required"}
				break
			}
			if have[0] {
				its = append(its, it)
			}
		}
		if bad != nil {
			e.add(line, bad)
			continue
		}
		if le := fn(line, col, its); le != nil {
			e.add(line, le)
		}
	}
	if progress != nil {
		progress(n)
	}
	return nil
}

// NPS is the Net Promoter Score of 0–10 answers: the percentage of
// promoters (9–10) minus the percentage of detractors (0–6), −100 to 100.
func NPS(promoters, passives, detractors int) float64 {
	n := promoters + passives + detractors
	if n == 0 {
		return 0
	}
	return 100 * float64(promoters-detractors) / float64(n)
}

// CSAT is the share of satisfied answers (4 or 5 on 1–5), as a
// percentage.
func CSAT(satisfied, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(satisfied) / float64(total)
}
