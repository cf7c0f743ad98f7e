// Package servqual is the SERVQUAL model of service quality (Parasuraman,
// Zeithaml and Berry): five dimensions — reliability, responsiveness,
// assurance, empathy, tangibles. It attributes a complaint to the dimension
// its wording points to, with the words as evidence, and computes the
// expectation–perception gap from SERVQUAL questionnaires, per dimension and
// per touchpoint.
//
// The cue list is data (data/keywords.tsv, Chinese and English), embedded
// and replaceable with Load(dir).
package servqual

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Dimension is one of the five SERVQUAL dimensions.
type Dimension string

const (
	Reliability    Dimension = "reliability"
	Responsiveness Dimension = "responsiveness"
	Assurance      Dimension = "assurance"
	Empathy        Dimension = "empathy"
	Tangibles      Dimension = "tangibles"
)

// Dimensions lists the five in the model's usual order.
var Dimensions = []Dimension{Reliability, Responsiveness, Assurance, Empathy, Tangibles}

// Valid reports whether d is one of the five.
func (d Dimension) Valid() bool { return slices.Contains(Dimensions, d) }

// Names are the dimensions' Chinese and English names.
var Names = map[Dimension][2]string{
	Reliability:    {"可靠性", "Reliability"},
	Responsiveness: {"响应性", "Responsiveness"},
	Assurance:      {"保证性", "Assurance"},
	Empathy:        {"移情性", "Empathy"},
	Tangibles:      {"有形性", "Tangibles"},
}

//go:embed data/keywords.tsv
var embedded embed.FS

// Cue is one term of the cue list.
type Cue struct {
	Dimension Dimension `json:"dimension"`
	Lang      string    `json:"lang"`
	Term      string    `json:"term"`
	Line      int       `json:"-"`
}

// Lexicon is a parsed cue list.
type Lexicon struct {
	cues []Cue // longest term first
}

// Cues returns the list, longest term first.
func (l *Lexicon) Cues() []Cue { return l.cues }

// ErrFormat is wrapped by every error in a cue list.
var ErrFormat = errors.New("servqual: bad cue list")

// Default returns the embedded cue list.
func Default() *Lexicon {
	f, err := embedded.Open("data/keywords.tsv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	l, err := Parse("embedded keywords.tsv", f)
	if err != nil {
		panic(err)
	}
	return l
}

// Load reads dir/keywords.tsv.
func Load(dir string) (*Lexicon, error) {
	p := filepath.Join(dir, "keywords.tsv")
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Parse(p, f)
}

// Parse reads a cue list: dimension, lang (zh or en) and term, tab-separated;
// # comments and blank lines are skipped. Terms match case-insensitively; a
// term listed twice is an error naming both lines.
func Parse(src string, r io.Reader) (*Lexicon, error) {
	sc := bufio.NewScanner(r)
	seen := map[string]int{}
	l := &Lexicon{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			return nil, fmt.Errorf("%w: %s:%d: %d fields, want 3 (dimension, lang, term)", ErrFormat, src, n, len(f))
		}
		d := Dimension(f[0])
		if !d.Valid() {
			return nil, fmt.Errorf("%w: %s:%d: unknown dimension %q", ErrFormat, src, n, f[0])
		}
		if f[1] != "zh" && f[1] != "en" {
			return nil, fmt.Errorf("%w: %s:%d: lang %q, want zh or en", ErrFormat, src, n, f[1])
		}
		term := strings.ToLower(strings.TrimSpace(f[2]))
		if term == "" || !utf8.ValidString(term) {
			return nil, fmt.Errorf("%w: %s:%d: empty or invalid term", ErrFormat, src, n)
		}
		if prev, ok := seen[term]; ok {
			return nil, fmt.Errorf("%w: %s:%d: %q already listed on line %d", ErrFormat, src, n, term, prev)
		}
		seen[term] = n
		l.cues = append(l.cues, Cue{Dimension: d, Lang: f[1], Term: term, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	if len(l.cues) == 0 {
		return nil, fmt.Errorf("%w: %s: no cues", ErrFormat, src)
	}
	sort.SliceStable(l.cues, func(i, j int) bool { return len(l.cues[i].Term) > len(l.cues[j].Term) })
	return l, nil
}

// Evidence is one cue found in a text. Start and End are byte offsets in
// the text as given.
type Evidence struct {
	Dimension Dimension `json:"dimension"`
	Term      string    `json:"term"`
	Start     int       `json:"start"`
	End       int       `json:"end"`
}

// Attribution is a complaint's dimension with the evidence for it.
// Dimension is "" when no cue was found.
type Attribution struct {
	Dimension Dimension         `json:"dimension,omitempty"`
	Scores    map[Dimension]int `json:"scores,omitempty"`
	Evidence  []Evidence        `json:"evidence,omitempty"`
}

// MaxText bounds the text attributed (longer texts are cut).
const MaxText = 64 << 10

// Attribute finds the cues in text (longest first, a shorter cue inside a
// longer one's match is not counted again; English terms only at word
// boundaries) and picks the dimension with the most cues; a tie goes to the
// dimension whose first cue comes earliest.
func (l *Lexicon) Attribute(text string) Attribution {
	if len(text) > MaxText {
		text = text[:MaxText]
	}
	lower := strings.ToLower(text)
	if len(lower) != len(text) {
		// Lower-casing changed byte lengths (rare non-ASCII cases):
		// offsets are then into the lower-cased text.
		text = lower
	}
	taken := make([]bool, len(lower))
	var ev []Evidence
	for _, c := range l.cues {
		for from := 0; from < len(lower); {
			i := strings.Index(lower[from:], c.Term)
			if i < 0 {
				break
			}
			s, e := from+i, from+i+len(c.Term)
			from = s + 1
			if !boundary(lower, s, e) || slices.Contains(taken[s:e], true) {
				continue
			}
			for k := s; k < e; k++ {
				taken[k] = true
			}
			ev = append(ev, Evidence{Dimension: c.Dimension, Term: text[s:e], Start: s, End: e})
			from = e
		}
	}
	if len(ev) == 0 {
		return Attribution{}
	}
	sort.Slice(ev, func(i, j int) bool { return ev[i].Start < ev[j].Start })
	a := Attribution{Scores: map[Dimension]int{}, Evidence: ev}
	first := map[Dimension]int{}
	for _, e := range ev {
		if a.Scores[e.Dimension] == 0 {
			first[e.Dimension] = e.Start
		}
		a.Scores[e.Dimension]++
	}
	for _, d := range Dimensions {
		n := a.Scores[d]
		if n == 0 {
			continue
		}
		if a.Dimension == "" || n > a.Scores[a.Dimension] || (n == a.Scores[a.Dimension] && first[d] < first[a.Dimension]) {
			a.Dimension = d
		}
	}
	return a
}

func isASCIIAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// boundary: an ASCII-word term must not continue a word on either side
// ("app" is not in "happy").
func boundary(s string, start, end int) bool {
	if isASCIIAlnum(s[start]) && start > 0 && isASCIIAlnum(s[start-1]) {
		return false
	}
	if isASCIIAlnum(s[end-1]) && end < len(s) && isASCIIAlnum(s[end]) {
		return false
	}
	return true
}
