// Package dataset reads Huajie's labelled JSONL files (the form of
// shared/eval/FORMAT.md), checks them against a task's label vocabulary,
// and splits them deterministically into train and held-out parts.
package dataset

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLine is the longest JSONL line accepted (1 MiB): a longer one is an
// error, not a silent truncation.
const MaxLine = 1 << 20

// Turn is one message of a dialogue.
type Turn struct {
	Role string `json:"role"`
	Text string `json:"text"`
}

// Item is one labelled line.
type Item struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	Turns  []Turn `json:"turns,omitempty"`
	Label  string `json:"label"`
	Source string `json:"source,omitempty"`
	// Line is the 1-based line number in the file.
	Line int `json:"-"`
	// Raw is the line as read, for writing splits unchanged.
	Raw []byte `json:"-"`
}

// Tasks and their label vocabularies. Intent takes any labels.
var vocab = map[string][]string{
	"sentiment": {"positive", "negative"},
	"emotion":   {"anger", "anxiety", "disappointment", "joy", "surprise", "neutral"},
	"complaint": {"complaint", "not_complaint"},
	"offensive": {"offensive", "safe"},
	"dialogue":  {"dissatisfied", "not_dissatisfied"},
	"intent":    nil,
}

// Positive is the positive class of each two-class task, for AUC.
var Positive = map[string]string{
	"sentiment": "negative",
	"complaint": "complaint",
	"offensive": "offensive",
	"dialogue":  "dissatisfied",
}

// ErrUnknownTask is returned for a task name outside Tasks.
var ErrUnknownTask = errors.New("unknown task")

// Tasks lists the task names.
func Tasks() []string {
	out := make([]string, 0, len(vocab))
	for t := range vocab {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Labels returns the label vocabulary of task in its fixed order; nil for
// intent (any labels).
func Labels(task string) ([]string, error) {
	v, ok := vocab[task]
	if !ok {
		return nil, fmt.Errorf("%w %q (want one of %v)", ErrUnknownTask, task, Tasks())
	}
	return append([]string(nil), v...), nil
}

// LineError is an error about one line of a file.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err) }
func (e *LineError) Unwrap() error { return e.Err }

// Sentinel causes inside a LineError.
var (
	ErrNotJSON     = errors.New("not a JSON object")
	ErrNoText      = errors.New("no \"text\" field")
	ErrNoTurns     = errors.New("no \"turns\" field")
	ErrNoLabel     = errors.New("no \"label\" field")
	ErrBadLabel    = errors.New("label outside the task's vocabulary")
	ErrInvalidUTF8 = errors.New("invalid UTF-8")
	ErrLineTooLong = fmt.Errorf("line longer than %d bytes", MaxLine)
	ErrNoItems     = errors.New("no items")
)

type rawItem struct {
	ID     string          `json:"id"`
	Text   *string         `json:"text"`
	Turns  json.RawMessage `json:"turns"`
	Label  *string         `json:"label"`
	Source string          `json:"source"`
}

// Read reads a JSONL file for task. Message tasks need "text", the
// dialogue task needs "turns"; every line needs a label in the task's
// vocabulary. Blank lines are skipped. The first bad line is an error
// naming the file and line.
func Read(path, task string) ([]Item, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	return ReadFrom(fh, path, task)
}

// ReadFrom is Read on an open reader; name is used in errors.
func ReadFrom(r io.Reader, name, task string) ([]Item, error) {
	labels, err := Labels(task)
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for _, l := range labels {
		allowed[l] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var items []Item
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		lerr := func(e error) error { return &LineError{File: name, Line: line, Err: e} }
		if !utf8.Valid(b) {
			return nil, lerr(ErrInvalidUTF8)
		}
		var ri rawItem
		if err := json.Unmarshal(b, &ri); err != nil {
			return nil, lerr(fmt.Errorf("%w: %v", ErrNotJSON, err))
		}
		it := Item{ID: ri.ID, Source: ri.Source, Line: line, Raw: append([]byte(nil), b...)}
		if task == "dialogue" {
			if len(ri.Turns) == 0 || string(ri.Turns) == "null" {
				return nil, lerr(ErrNoTurns)
			}
			if err := json.Unmarshal(ri.Turns, &it.Turns); err != nil {
				return nil, lerr(fmt.Errorf("%w: turns: %v", ErrNotJSON, err))
			}
		} else {
			if ri.Text == nil {
				return nil, lerr(ErrNoText)
			}
			it.Text = *ri.Text
		}
		if ri.Label == nil {
			return nil, lerr(ErrNoLabel)
		}
		it.Label = *ri.Label
		if it.Label == "" || (labels != nil && !allowed[it.Label]) {
			return nil, lerr(fmt.Errorf("%w: %q (task %s takes %v)", ErrBadLabel, it.Label, task, labelsOrAny(labels)))
		}
		items = append(items, it)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &LineError{File: name, Line: line + 1, Err: ErrLineTooLong}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("%s: %w", name, ErrNoItems)
	}
	return items, nil
}

func labelsOrAny(l []string) any {
	if l == nil {
		return "any non-empty label"
	}
	return l
}

// LabelSet returns the distinct labels of items, sorted.
func LabelSet(items []Item) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if !seen[it.Label] {
			seen[it.Label] = true
			out = append(out, it.Label)
		}
	}
	sort.Strings(out)
	return out
}

// Split divides items deterministically into train and test parts: an
// item goes to test when a seeded hash of its text (TextKey; its id for a
// dialogue) falls below frac. Repeated texts therefore land on the same
// side, so a held-out part never scores texts the training part has; the
// result does not depend on line order. The test part holds about frac of
// each label (binomially, not exactly).
func Split(items []Item, frac float64, seed uint64) (train, test []Item) {
	var s [8]byte
	for i := range s {
		s[i] = byte(seed >> (8 * i))
	}
	cut := uint64(frac * (1 << 63) * 2)
	if frac >= 1 {
		cut = math.MaxUint64
	}
	for _, it := range items {
		key := TextKey(it.Text)
		if key == "" {
			key = it.ID
		}
		if key == "" {
			key = string(it.Raw)
		}
		h := fnv.New64a()
		h.Write(s[:])
		h.Write([]byte(key))
		// FNV's low bits mix poorly into the high ones: finish with a
		// multiply-xorshift before comparing.
		x := h.Sum64()
		x ^= x >> 33
		x *= 0xFF51AFD7ED558CCD
		x ^= x >> 33
		if x < cut {
			test = append(test, it)
		} else {
			train = append(train, it)
		}
	}
	return train, test
}

// WriteFile writes items' raw lines to path atomically: a temporary file
// in the same directory, synced, then renamed over path.
func WriteFile(path string, items []Item) error {
	return AtomicWrite(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, it := range items {
			bw.Write(it.Raw)
			bw.WriteByte('\n')
		}
		return bw.Flush()
	})
}

// AtomicWrite calls write on a temporary file next to path and renames it
// over path only when write and the sync succeed, so path is never left
// half-written.
func AtomicWrite(path string, write func(io.Writer) error) error {
	dir := "."
	for i := len(path) - 1; i >= 0; i-- {
		if os.IsPathSeparator(path[i]) {
			dir = path[:i+1]
			break
		}
	}
	tmp, err := os.CreateTemp(dir, ".huajie-tmp-*")
	if err != nil {
		return err
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	ok = true
	return nil
}

// TextKey is the form of a text used to find the same item in two files:
// letters and digits only, lower-cased.
func TextKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}
