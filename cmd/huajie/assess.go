package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/evaluate"
	"huajie/internal/goodwill"
)

func init() {
	register(command{
		name:    "assess",
		summary: "goodwill, unreasonable demand or suspected malicious, with evidence (JSONL in, JSON out; decision support only)",
		run:     runAssess,
	})
}

// Limits of huajie assess: a line above maxLineBytes is skipped to its end
// and refused; a text or contact above maxAssessText, or more contacts than
// goodwill.DefaultMaxContacts, is refused rather than silently cut.
const maxAssessText = goodwill.DefaultMaxBytes

const assessUsage = `usage: huajie assess [--cues FILE] [TEXT]
       huajie assess [--cues FILE] --measure LABELLED.jsonl

Assesses complaints: goodwill, unreasonable_demand or suspected_malicious,
with a confidence, seed 001's five dimensions with their evidence, the cues
of bad faith, and reasons in Chinese and English. It is decision support: it
never refuses or closes a complaint; a suspicion recommends a supervisor's
review (route_to_supervisor).

Assesses TEXT when given, otherwise every line of standard input, each a
JSON object:

  {"id": "c1",
   "text": "信用卡年费被扣了200元，我要求赔偿我2万元。",
   "at": "2025-11-01T10:00:00Z",
   "contacts": [{"at": "2025-11-02T09:00:00Z", "text": "…", "channel": "phone"}],
   "history": {"prior_complaints": 3, "prior_cases": 2,
               "complaint_dates": ["2025-06-01T00:00:00Z"],
               "compensations": [{"at": "2025-06-02T00:00:00Z", "amount": 200}],
               "channels": ["phone", "12378"]}}

"text" is required (it may be empty: the result is then goodwill with
"empty": true and confidence 0); "id" is copied to the output; times are
RFC 3339; other fields are ignored. Writes one JSON assessment per line.

A line that cannot be assessed (not a JSON object, no "text", a field of the
wrong type, a negative count, a text above %d bytes, more than %d contacts, a
line above %d bytes) gives {"line":N,"error":"…"} in its place on standard
output, the same message on standard error, and exit status 1 after all
lines. Blank lines are skipped.

--measure reads a labelled file (the format of
internal/goodwill/testdata/cases.jsonl, and of exported supervisor
decisions; unknown fields are errors there) and prints accuracy, macro-F1,
per-class precision, recall and F1, and every miss.

flags:
`

type assessIn struct {
	ID       json.RawMessage    `json:"id"`
	Text     *string            `json:"text"`
	At       *time.Time         `json:"at"`
	Contacts []goodwill.Contact `json:"contacts"`
	History  *goodwill.History  `json:"history"`
}

type assessOut struct {
	ID json.RawMessage `json:"id,omitempty"`
	*goodwill.Assessment
}

func runAssess(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("assess", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, assessUsage, maxAssessText, goodwill.DefaultMaxContacts, maxLineBytes)
		fs.PrintDefaults()
	}
	cues := fs.String("cues", "", "an edited cue list replacing the built-in one (format of internal/goodwill/data/cues.tsv)")
	measure := fs.String("measure", "", "instead of assessing, measure on a labelled JSONL `FILE` (id, text, contacts, history, label: goodwill, unreasonable_demand or suspected_malicious) and print accuracy, macro-F1, per-class figures and the misses")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2}
	}
	a, err := newCommandAssessor(*cues)
	if err != nil {
		return err
	}
	if *measure != "" {
		return measureAssess(env, a, *measure)
	}
	out := bufio.NewWriterSize(env.stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	if fs.NArg() > 0 {
		text := strings.Join(fs.Args(), " ")
		if len(text) > maxAssessText {
			return fmt.Errorf("the text is %d bytes, above the limit of %d", len(text), maxAssessText)
		}
		text = strings.ToValidUTF8(text, "\uFFFD")
		as := a.Assess(goodwill.Input{Text: text})
		if err := enc.Encode(assessOut{Assessment: &as}); err != nil {
			return err
		}
		return out.Flush()
	}

	var failed int
	lines, err := eachLine(ctx, env.stdin, maxLineBytes, out.Flush, func(line int, buf []byte, tooLong bool) error {
		var werr error
		if tooLong || len(bytes.TrimSpace(buf)) > 0 {
			ai, id, msg := assessLine(buf, tooLong)
			if msg != "" {
				failed++
				fmt.Fprintf(env.stderr, "huajie assess: line %d: %s\n", line, msg)
				werr = enc.Encode(analyzeErr{Line: line, Error: msg})
			} else {
				as := a.Assess(ai)
				werr = enc.Encode(assessOut{ID: id, Assessment: &as})
			}
		}
		return werr
	})
	if err != nil {
		out.Flush()
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d lines could not be assessed (see above)", failed, lines)}
	}
	return nil
}

// assessLine decodes and checks one input line; msg is non-empty when the
// line is refused, and says what is wrong where.
func assessLine(b []byte, tooLong bool) (in goodwill.Input, id json.RawMessage, msg string) {
	if tooLong {
		return in, nil, fmt.Sprintf("line longer than %d bytes: skipped", maxLineBytes)
	}
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return in, nil, "not a JSON object (each line must be an object with a \"text\" field)"
	}
	if !utf8.Valid(b) {
		return in, nil, "invalid UTF-8"
	}
	var o assessIn
	if err := json.Unmarshal(b, &o); err != nil {
		return in, nil, "invalid JSON: " + jsonProblem(err)
	}
	if o.Text == nil {
		return in, nil, `no "text" field (a string; it may be empty)`
	}
	in.Text = *o.Text
	if len(in.Text) > maxAssessText {
		return in, nil, fmt.Sprintf(`"text" is %d bytes, above the limit of %d`, len(in.Text), maxAssessText)
	}
	if o.At != nil {
		in.At = *o.At
	}
	if len(o.Contacts) > goodwill.DefaultMaxContacts {
		return in, nil, fmt.Sprintf(`%d contacts, above the limit of %d`, len(o.Contacts), goodwill.DefaultMaxContacts)
	}
	for i, c := range o.Contacts {
		if len(c.Text) > maxAssessText {
			return in, nil, fmt.Sprintf(`"contacts[%d].text" is %d bytes, above the limit of %d`, i, len(c.Text), maxAssessText)
		}
		if c.Role != "" && c.Role != "customer" && c.Role != "agent" {
			return in, nil, fmt.Sprintf(`"contacts[%d].role" is %q; want "customer" or "agent"`, i, c.Role)
		}
	}
	in.Contacts = o.Contacts
	if h := o.History; h != nil {
		switch {
		case h.PriorComplaints < 0:
			return in, nil, `"history.prior_complaints" is negative`
		case h.PriorCases < 0:
			return in, nil, `"history.prior_cases" is negative`
		}
		for i, c := range h.Compensations {
			if c.Amount < 0 {
				return in, nil, fmt.Sprintf(`"history.compensations[%d].amount" is negative`, i)
			}
		}
		in.History = *h
	}
	return in, o.ID, ""
}

// jsonProblem words a decoding error for a person: which field has which
// wrong type, or where the syntax breaks.
func jsonProblem(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Sprintf("field %q: a JSON %s where %s is expected", te.Field, te.Value, jsonKind(te.Type.Kind().String()))
		}
		return fmt.Sprintf("a JSON %s where an object is expected", te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("%v (at byte %d)", se, se.Offset)
	case errors.As(err, &pe):
		return fmt.Sprintf("time %q is not RFC 3339 (like 2025-11-01T10:00:00Z)", pe.Value)
	}
	return err.Error()
}

func jsonKind(k string) string {
	switch k {
	case "string":
		return "a string"
	case "int", "int64", "float64":
		return "a number"
	case "slice":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	case "bool":
		return "true or false"
	}
	return k
}

// newCommandAssessor is the built-in assessor, or one over an edited cue
// list.
func newCommandAssessor(cuesPath string) (*goodwill.Assessor, error) {
	if cuesPath == "" {
		return goodwill.Default()
	}
	f, err := os.Open(cuesPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	es, err := goodwill.ParseCues(cuesPath, f)
	if err != nil {
		return nil, err
	}
	def, err := goodwill.Default()
	if err != nil {
		return nil, err
	}
	return def.WithCues(es)
}

// measureAssess prints the evaluate report of the assessor on a labelled
// file, with its misses, in the shape of huajie eval's output.
func measureAssess(env *cmdEnv, a *goodwill.Assessor, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cs, err := goodwill.ReadLabelled(f, path)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("%s: no labelled cases", path)
	}
	t0 := time.Now()
	r, misses, err := goodwill.Measure(a, cs)
	if err != nil {
		return err
	}
	r.Seconds = time.Since(t0).Seconds()
	if r.Seconds > 0 {
		r.ItemsPerSecond = float64(r.N) / r.Seconds
	}
	r.Model, r.Data = goodwill.Version, path
	if misses == nil {
		misses = []goodwill.Miss{}
	}
	enc := json.NewEncoder(env.stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		evaluate.Report
		Misses []goodwill.Miss `json:"misses"`
	}{r, misses})
}
