// Package lexicon holds Huajie's word lists — escalation cues, intensifiers
// and downtoners, negators, emoticons and emoji, polarity words, acronyms —
// as editable data files embedded in the binary, and a matcher that finds all
// of them in one Aho-Corasick pass.
//
// Every list is a UTF-8 TSV file, one term a line:
//
//	term <TAB> kind <TAB> lang <TAB> weight
//
// Blank lines and lines starting with '#' are ignored. lang is zh, en or
// any. What kind means depends on the file (see the header of each file in
// data/). An administrator edits the lists by copying data/ to a directory,
// editing it, and loading it with Load(dir): a file present in the directory
// replaces the embedded one of the same name; a missing file keeps the
// embedded one.
package lexicon

import (
	"bufio"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

//go:embed data/*.tsv
var embedded embed.FS

// List names one of the lexicon's files (without the .tsv extension).
type List string

const (
	Cues         List = "cues"         // kind: regulator, media, legal, churn, repeat, abuse, complaint
	Intensifiers List = "intensifiers" // kind: intensifier (weight > 0) or downtoner (weight < 0)
	Negators     List = "negators"     // kind: negator, pseudo (contains a negator but is not one), break (ends a scope)
	Emoticons    List = "emoticons"    // kind: an emotion label; Weibo [表情] codes and emoji
	Polarity     List = "polarity"     // kind: pos or neg; words whose negation flips the tone
	Acronyms     List = "acronyms"     // kind: acronym; all-caps words that are not shouting
	EmotionWords List = "emotions"     // kind: an emotion label; words that name or show it (English: the models know little English)
)

// Lists is every list the package knows, in load order.
var Lists = []List{Cues, Intensifiers, Negators, Emoticons, Polarity, Acronyms, EmotionWords}

// Entry is one line of a list.
type Entry struct {
	Term   string // as written in the file (English terms are matched case-insensitively)
	List   List
	Kind   string
	Lang   string // zh, en or any
	Weight float64
	Line   int // line number in its file, for messages
}

// Lexicon is a loaded set of lists.
type Lexicon struct {
	// Source says where each list came from ("embedded" or a path).
	Source  map[List]string
	entries map[List][]Entry
}

// Entries returns the entries of one list, in file order.
func (l *Lexicon) Entries(list List) []Entry { return l.entries[list] }

// MaxTermBytes bounds one term; longer lines are an error, not a slow matcher.
const MaxTermBytes = 256

// ErrFormat is wrapped by every parse error.
var ErrFormat = errors.New("lexicon: bad list")

// validKinds lists the kinds each list accepts.
var validKinds = map[List][]string{
	Cues:         {"regulator", "media", "legal", "churn", "repeat", "abuse", "complaint"},
	Intensifiers: {"intensifier", "downtoner"},
	Negators:     {"negator", "pseudo", "break"},
	Emoticons:    {"anger", "anxiety", "disappointment", "joy", "surprise", "neutral"},
	Polarity:     {"pos", "neg"},
	Acronyms:     {"acronym"},
	EmotionWords: {"anger", "anxiety", "disappointment", "joy", "surprise", "neutral"},
}

// Default returns the embedded lists. It panics only if the embedded data
// is broken, which the package tests rule out.
func Default() *Lexicon {
	l, err := Load("")
	if err != nil {
		panic(err)
	}
	return l
}

// Load reads the lists: from dir when a file of that name exists there,
// otherwise from the embedded data. dir "" means embedded only.
func Load(dir string) (*Lexicon, error) {
	l := &Lexicon{Source: map[List]string{}, entries: map[List][]Entry{}}
	for _, list := range Lists {
		name := string(list) + ".tsv"
		var (
			r   io.ReadCloser
			src = "embedded"
			err error
		)
		if dir != "" {
			p := filepath.Join(dir, name)
			r, err = os.Open(p)
			switch {
			case err == nil:
				src = p
			case errors.Is(err, fs.ErrNotExist):
				r = nil
			default:
				return nil, fmt.Errorf("lexicon: %w", err)
			}
		}
		if r == nil {
			r, err = embedded.Open("data/" + name)
			if err != nil {
				return nil, fmt.Errorf("lexicon: embedded %s: %w", name, err)
			}
		}
		es, err := Parse(list, src, r)
		r.Close()
		if err != nil {
			return nil, err
		}
		l.entries[list] = es
		l.Source[list] = src
	}
	return l, nil
}

// Parse reads one list. src names the file in error messages.
func Parse(list List, src string, r io.Reader) ([]Entry, error) {
	kinds, ok := validKinds[list]
	if !ok {
		return nil, fmt.Errorf("%w: unknown list %q", ErrFormat, list)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	var out []Entry
	seen := map[string]int{}
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if !utf8.Valid(line) {
			return nil, fmt.Errorf("%w: %s:%d: invalid UTF-8", ErrFormat, src, n)
		}
		s := strings.TrimRight(string(line), "\r")
		if strings.TrimSpace(s) == "" || strings.HasPrefix(strings.TrimSpace(s), "#") {
			continue
		}
		f := strings.Split(s, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%w: %s:%d: want 4 tab-separated fields (term, kind, lang, weight), got %d", ErrFormat, src, n, len(f))
		}
		term := strings.TrimSpace(f[0])
		kind := strings.TrimSpace(f[1])
		lang := strings.TrimSpace(f[2])
		if term == "" {
			return nil, fmt.Errorf("%w: %s:%d: empty term", ErrFormat, src, n)
		}
		if len(term) > MaxTermBytes {
			return nil, fmt.Errorf("%w: %s:%d: term longer than %d bytes", ErrFormat, src, n, MaxTermBytes)
		}
		if !contains(kinds, kind) {
			return nil, fmt.Errorf("%w: %s:%d: kind %q not one of %s", ErrFormat, src, n, kind, strings.Join(kinds, ", "))
		}
		if lang != "zh" && lang != "en" && lang != "any" {
			return nil, fmt.Errorf("%w: %s:%d: lang %q not zh, en or any", ErrFormat, src, n, lang)
		}
		w, err := strconv.ParseFloat(strings.TrimSpace(f[3]), 64)
		if err != nil || w != w || w < -10 || w > 10 {
			return nil, fmt.Errorf("%w: %s:%d: weight %q is not a number in [-10, 10]", ErrFormat, src, n, f[3])
		}
		key := FoldASCII(term)
		if prev, dup := seen[key]; dup {
			return nil, fmt.Errorf("%w: %s:%d: term %q already on line %d", ErrFormat, src, n, term, prev)
		}
		seen[key] = n
		out = append(out, Entry{Term: term, List: list, Kind: kind, Lang: lang, Weight: w, Line: n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s:%d: %v", ErrFormat, src, n+1, err)
	}
	return out, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// WriteDefaults copies the embedded lists into dir, for an administrator to
// edit. Existing files are not overwritten.
func WriteDefaults(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, list := range Lists {
		name := string(list) + ".tsv"
		b, err := embedded.ReadFile("data/" + name)
		if err != nil {
			return err
		}
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			continue
		}
		if err := os.WriteFile(p, bytes.Clone(b), 0o644); err != nil {
			return err
		}
	}
	return nil
}
