package goodwill

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"huajie/internal/lexicon"
)

//go:embed data/cues.tsv
var defaultCues []byte

// Kinds of the goodwill cue list (data/cues.tsv documents each).
const (
	kSuggestion  = "suggestion"
	kPlace       = "place"
	kProduct     = "product"
	kAccount     = "account"
	kResolution  = "resolution"
	kLoyalty     = "loyalty"
	kCooperative = "cooperative"
	kThreat      = "threat"
	kTNegator    = "tnegator"
	kCondition   = "condition"
	kMoney       = "money"
	kExtortion   = "extortion"
	kPayWithdraw = "paywithdraw"
	kRetaliation = "retaliation"
	kOutsized    = "outsized"
	kPromise     = "promise"
	kDemandWord  = "demandword"
	kLossWord    = "lossword"
	kIncident    = "incident"
	// kAbuse entries come from the lexicon's abuse cues (internal/lexicon),
	// used when no analyser is configured.
	kAbuse = "abuse"
)

var cueKinds = []string{kSuggestion, kPlace, kProduct, kAccount, kResolution, kLoyalty, kCooperative,
	kThreat, kTNegator, kCondition, kMoney, kExtortion, kPayWithdraw, kRetaliation, kOutsized,
	kPromise, kDemandWord, kLossWord, kIncident, kAbuse}

// ErrCueFormat is wrapped by every error about a cue list.
var ErrCueFormat = errors.New("goodwill: bad cue list")

// maxCueTerm bounds one term of the cue list.
const maxCueTerm = 256

type cueEntry struct {
	term   string
	kind   string
	weight float64
}

// cueSet is a compiled cue list: one matcher over all distinct terms, each
// term carrying every kind it was listed under.
type cueSet struct {
	m     *lexicon.Matcher
	kinds [][]cueEntry // per matcher term
}

// ParseCues reads a cue list in the format of data/cues.tsv. src names the
// list in error messages.
func ParseCues(src string, r io.Reader) ([]CueEntry, error) {
	valid := map[string]bool{}
	for _, k := range cueKinds {
		valid[k] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	var out []CueEntry
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(s) == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%w: %s:%d: want 4 tab-separated fields (term, kind, lang, weight), have %d", ErrCueFormat, src, line, len(f))
		}
		term := strings.TrimSpace(f[0])
		if term == "" || len(term) > maxCueTerm {
			return nil, fmt.Errorf("%w: %s:%d: term empty or longer than %d bytes", ErrCueFormat, src, line, maxCueTerm)
		}
		if !valid[f[1]] {
			return nil, fmt.Errorf("%w: %s:%d: unknown kind %q (want one of %s)", ErrCueFormat, src, line, f[1], strings.Join(cueKinds, ", "))
		}
		if f[2] != "zh" && f[2] != "en" && f[2] != "any" {
			return nil, fmt.Errorf("%w: %s:%d: lang %q is not zh, en or any", ErrCueFormat, src, line, f[2])
		}
		w, err := strconv.ParseFloat(f[3], 64)
		if err != nil || w < 0 || w > 1 {
			return nil, fmt.Errorf("%w: %s:%d: weight %q is not a number in 0–1", ErrCueFormat, src, line, f[3])
		}
		out = append(out, CueEntry{Term: term, Kind: f[1], Weight: w})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrCueFormat, src, err)
	}
	return out, nil
}

// CueEntry is one line of a cue list.
type CueEntry struct {
	Term   string
	Kind   string
	Weight float64
}

// DefaultCues returns the embedded cue list.
func DefaultCues() []CueEntry {
	es, err := ParseCues("data/cues.tsv", bytes.NewReader(defaultCues))
	if err != nil {
		panic(err) // the package tests rule this out
	}
	return es
}

func compileCues(es []CueEntry) (*cueSet, error) {
	idx := map[string]int{}
	var terms []string
	var kinds [][]cueEntry
	for _, e := range es {
		k := lexicon.FoldASCII(e.Term)
		i, ok := idx[k]
		if !ok {
			i = len(terms)
			idx[k] = i
			terms = append(terms, e.Term)
			kinds = append(kinds, nil)
		}
		dup := false
		for j, c := range kinds[i] {
			if c.kind == e.Kind {
				kinds[i][j].weight = e.Weight // the later line wins
				dup = true
			}
		}
		if !dup {
			kinds[i] = append(kinds[i], cueEntry{term: e.Term, kind: e.Kind, weight: e.Weight})
		}
	}
	m, err := lexicon.NewMatcher(terms)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCueFormat, err)
	}
	return &cueSet{m: m, kinds: kinds}, nil
}

// hit is one cue found in a text.
type hit struct {
	kind       string
	weight     float64
	start, end int
}

// maxHits bounds the cue hits considered per text, so that a hostile text
// of 不不不… cannot make the assessment quadratic.
const maxHits = 2048

// scan returns the hits of text by kind, each list in text order, with hits
// overlapping an earlier (or, at the same start, longer) hit of the same kind
// dropped (赔偿 hides 赔).
func (c *cueSet) scan(text string) map[string][]hit {
	raw := c.m.Scan(text, nil)
	if len(raw) > maxHits {
		raw = raw[:maxHits]
	}
	by := map[string][]hit{}
	for _, h := range raw {
		for _, e := range c.kinds[h.Term] {
			by[e.kind] = append(by[e.kind], hit{kind: e.kind, weight: e.weight, start: int(h.Start), end: int(h.End)})
		}
	}
	for k, hs := range by {
		sort.Slice(hs, func(i, j int) bool {
			if hs[i].start != hs[j].start {
				return hs[i].start < hs[j].start
			}
			return hs[i].end > hs[j].end
		})
		out := hs[:0]
		maxEnd := -1
		for _, h := range hs {
			if h.start < maxEnd {
				continue // overlaps the previous hit: 退还我 is one 退还, not also 还我
			}
			out = append(out, h)
			maxEnd = max(maxEnd, h.end)
		}
		by[k] = out
	}
	return by
}
