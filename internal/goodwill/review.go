package goodwill

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"huajie/internal/evaluate"
)

// Review is a supervisor's decision on an assessment: the judgement that
// counts. It belongs in the case's audit trail; exported as Labelled cases
// it re-measures (and may one day retrain) the assessment.
type Review struct {
	CaseID string `json:"case_id"`
	// Assessed is what the assessment said; Decision what the supervisor
	// decided. They agree when equal.
	Assessed Result    `json:"assessed"`
	Decision Result    `json:"decision"`
	Reason   string    `json:"reason"`
	By       string    `json:"by"`
	At       time.Time `json:"at"`
}

// ErrReview is wrapped by Review.Validate's errors.
var ErrReview = errors.New("goodwill: bad review")

// MaxReason bounds a review's reason.
const MaxReason = 4000

// Agrees reports whether the supervisor agreed with the assessment.
func (r Review) Agrees() bool { return r.Assessed == r.Decision }

// Validate checks a review: a known decision, the reviewer named, and a
// reason whenever the supervisor disagrees or confirms a suspicion (a
// customer is never labelled malicious without one).
func (r Review) Validate() error {
	if !validResult(r.Decision) {
		return fmt.Errorf("%w: decision %q is not one of %v", ErrReview, r.Decision, Results)
	}
	if r.Assessed != "" && !validResult(r.Assessed) {
		return fmt.Errorf("%w: assessed %q is not one of %v", ErrReview, r.Assessed, Results)
	}
	if strings.TrimSpace(r.By) == "" {
		return fmt.Errorf("%w: the reviewer is not named", ErrReview)
	}
	if (!r.Agrees() || r.Decision != Goodwill) && strings.TrimSpace(r.Reason) == "" {
		return fmt.Errorf("%w: a reason is required when disagreeing or confirming a suspicion", ErrReview)
	}
	if len(r.Reason) > MaxReason {
		return fmt.Errorf("%w: reason of %d bytes, above the limit of %d", ErrReview, len(r.Reason), MaxReason)
	}
	return nil
}

func validResult(r Result) bool {
	for _, x := range Results {
		if r == x {
			return true
		}
	}
	return false
}

// Labelled is one labelled complaint: a line of testdata/cases.jsonl, or a
// supervisor's decision exported for re-measurement.
type Labelled struct {
	ID string `json:"id"`
	Input
	Label Result `json:"label"`
	Note  string `json:"note,omitempty"`
}

// FromReview is the labelled case of a reviewed complaint: its input as
// assessed, labelled with the supervisor's decision.
func FromReview(in Input, r Review) Labelled {
	return Labelled{ID: r.CaseID, Input: in, Label: r.Decision, Note: r.Reason}
}

// WriteLabelled writes cases as JSONL, one object a line.
func WriteLabelled(w io.Writer, cs []Labelled) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, c := range cs {
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

// ErrLabelled is wrapped by ReadLabelled's errors.
var ErrLabelled = errors.New("goodwill: bad labelled case")

// maxLabelledLine bounds one line of a labelled file.
const maxLabelledLine = 1 << 20

// ReadLabelled reads labelled cases, one JSON object a line (blank lines
// skipped). Unknown fields are errors, so a misspelt "contacts" is not
// silently dropped; every error names src and the line.
func ReadLabelled(r io.Reader, src string) ([]Labelled, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLabelledLine)
	var out []Labelled
	ids := map[string]int{}
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var c Labelled
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%w: %s:%d: %v", ErrLabelled, src, line, err)
		}
		if c.ID == "" {
			return nil, fmt.Errorf("%w: %s:%d: no id", ErrLabelled, src, line)
		}
		if prev, dup := ids[c.ID]; dup {
			return nil, fmt.Errorf("%w: %s:%d: id %q already on line %d", ErrLabelled, src, line, c.ID, prev)
		}
		ids[c.ID] = line
		if !validResult(c.Label) {
			return nil, fmt.Errorf("%w: %s:%d: label %q is not one of %v", ErrLabelled, src, line, c.Label, Results)
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %s after line %d: %v", ErrLabelled, src, line, err)
	}
	return out, nil
}

// Miss is a labelled case the assessment got wrong.
type Miss struct {
	ID     string `json:"id"`
	Label  Result `json:"label"`
	Got    Result `json:"got"`
	Scores Scores `json:"scores"`
	Note   string `json:"note,omitempty"`
}

// Measure assesses labelled cases and reports per-class precision, recall
// and F1, macro-F1 (over the labels present), and the misses.
func Measure(a *Assessor, cs []Labelled) (evaluate.Report, []Miss, error) {
	gold := make([]string, 0, len(cs))
	pred := make([]string, 0, len(cs))
	var misses []Miss
	for _, c := range cs {
		as := a.Assess(c.Input)
		gold = append(gold, string(c.Label))
		pred = append(pred, string(as.Result))
		if as.Result != c.Label {
			misses = append(misses, Miss{ID: c.ID, Label: c.Label, Got: as.Result, Scores: as.Scores, Note: c.Note})
		}
	}
	r, err := evaluate.Classify(gold, pred)
	r.Task = "goodwill"
	return r, misses, err
}
