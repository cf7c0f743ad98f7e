package risk

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"huajie/internal/analysis"
	"huajie/internal/lexicon"
)

//go:embed data/phrases.tsv
var embedded embed.FS

// Phrase kinds of data/phrases.tsv.
const (
	kEmpathy uint8 = iota
	kDeflection
	kStep
	kTime
	kUnit
	kJargon
	kThanks
	kStill
	kConfused
	kNone
	numKinds
)

var kindNames = [numKinds]string{"empathy", "deflection", "step", "time", "unit", "jargon", "thanks", "still", "confused", "none"}

// Phrase is one line of the phrase list.
type Phrase struct {
	Term   string
	Kind   string
	Lang   string
	Weight float64
	Line   int
}

// ErrPhrases is wrapped by every error about a phrase list.
var ErrPhrases = errors.New("risk: bad phrase list")

// DefaultPhrases returns the embedded phrase list (data/phrases.tsv).
func DefaultPhrases() []Phrase {
	f, err := embedded.Open("data/phrases.tsv")
	if err != nil {
		panic(err)
	}
	defer f.Close()
	ps, err := ParsePhrases(f, "embedded phrases.tsv")
	if err != nil {
		panic(err) // the package tests rule this out
	}
	return ps
}

// WriteDefaultPhrases writes the embedded list, for an administrator to
// edit and load with ParsePhrases.
func WriteDefaultPhrases(w io.Writer) error {
	b, err := embedded.ReadFile("data/phrases.tsv")
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// ParsePhrases reads a phrase list: term<TAB>kind<TAB>lang<TAB>weight per
// line, '#' comments and blank lines ignored. src names the file in errors.
func ParsePhrases(r io.Reader, src string) ([]Phrase, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	var out []Phrase
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if !utf8.Valid(line) {
			return nil, fmt.Errorf("%w: %s:%d: invalid UTF-8", ErrPhrases, src, n)
		}
		s := strings.TrimRight(string(line), "\r")
		if t := strings.TrimSpace(s); t == "" || t[0] == '#' {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%w: %s:%d: want 4 tab-separated fields (term, kind, lang, weight), got %d", ErrPhrases, src, n, len(f))
		}
		p := Phrase{Term: strings.TrimSpace(f[0]), Kind: strings.TrimSpace(f[1]), Lang: strings.TrimSpace(f[2]), Line: n}
		if p.Term == "" || len(p.Term) > lexicon.MaxTermBytes {
			return nil, fmt.Errorf("%w: %s:%d: term empty or longer than %d bytes", ErrPhrases, src, n, lexicon.MaxTermBytes)
		}
		if kindOf(p.Kind) < 0 {
			return nil, fmt.Errorf("%w: %s:%d: kind %q not one of %s", ErrPhrases, src, n, p.Kind, strings.Join(kindNames[:], ", "))
		}
		if p.Lang != "zh" && p.Lang != "en" && p.Lang != "any" {
			return nil, fmt.Errorf("%w: %s:%d: lang %q not zh, en or any", ErrPhrases, src, n, p.Lang)
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
		if err != nil || w != w || w < 0 || w > 2 {
			return nil, fmt.Errorf("%w: %s:%d: weight %q is not a number in [0, 2]", ErrPhrases, src, n, f[3])
		}
		p.Weight = w
		key := lexicon.FoldASCII(p.Term)
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: %s:%d: term %q already on line %d", ErrPhrases, src, n, p.Term, prev)
		}
		seen[key] = n
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s:%d: %v", ErrPhrases, src, n+1, err)
	}
	return out, nil
}

func kindOf(s string) int {
	for i, k := range kindNames {
		if k == s {
			return i
		}
	}
	return -1
}

// maxPhraseHits bounds the phrase hits looked at per message, so a hostile
// text of repeated phrases costs no more than a normal one.
const maxPhraseHits = 64

// scan is what the phrase list finds in one message.
type scan struct {
	score [numKinds]float64 // summed weights per kind, each capped at 2
	first [numKinds]lexicon.Hit
	has   [numKinds]bool
	timed bool // a time, or a unit after a number
	timeH lexicon.Hit
}

// scanText runs the matcher over text into sc without allocating (the hit
// buffer lives on the stack; Scan only grows it for texts with more hits
// than it holds, and those past maxPhraseHits are ignored).
func (m *Model) scanText(text string, sc *scan) {
	var buf [maxPhraseHits]lexicon.Hit
	hits := m.matcher.Scan(text, buf[:0])
	if len(hits) > maxPhraseHits {
		hits = hits[:maxPhraseHits]
	}
	for i, h := range hits {
		if contained(hits, i) {
			continue
		}
		p := &m.phrases[h.Term]
		k := p.kind
		if k == kNone {
			continue
		}
		if k == kUnit {
			if !numberBefore(text, int(h.Start)) {
				continue
			}
		}
		if !sc.has[k] {
			sc.has[k] = true
			sc.first[k] = h
		}
		sc.score[k] += p.Weight
		if sc.score[k] > 2 {
			sc.score[k] = 2
		}
		if (k == kTime || k == kUnit) && !sc.timed {
			sc.timed = true
			sc.timeH = h
		}
	}
}

// contained reports whether hit i lies inside another, longer hit.
func contained(hits []lexicon.Hit, i int) bool {
	h := hits[i]
	for j, g := range hits {
		if j != i && g.Start <= h.Start && g.End >= h.End && g.End-g.Start > h.End-h.Start {
			return true
		}
	}
	return false
}

// numberBefore reports whether a number (ASCII or Chinese numerals, one
// optional space or 个 between) ends just before byte offset at.
func numberBefore(text string, at int) bool {
	i := at
	if i > 0 && text[i-1] == ' ' {
		i--
	}
	if i >= len("个") && text[i-len("个"):i] == "个" {
		i -= len("个")
	}
	if i == 0 {
		return false
	}
	if c := text[i-1]; c >= '0' && c <= '9' {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return strings.ContainsRune("一二两三四五六七八九十百半廿", r)
}

func (h *scan) span(text string, k uint8) analysis.Span {
	x := h.first[k]
	return analysis.Span{Start: int(x.Start), End: int(x.End), Text: text[x.Start:x.End]}
}
