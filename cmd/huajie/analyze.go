package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"unicode/utf8"

	"huajie/internal/analysis"
	"huajie/internal/jrt"
	"huajie/internal/lexicon"
	"huajie/internal/models"
)

func init() {
	register(command{
		name:    "analyze",
		summary: "analyse messages: emotion, sentiment, JR/T 0169-2018 problem, escalation cues (JSON out)",
		run:     runAnalyze,
	})
}

// Limits of huajie analyze. A message above maxMessageBytes is refused with
// an error naming its line rather than silently cut; an input line above
// maxLineBytes (a JSONL object may escape its text into more bytes) is
// skipped to its end and refused the same way, so a 10 MB line costs no
// more than maxLineBytes of memory.
const (
	maxMessageBytes = analysis.DefaultMaxBytes
	maxLineBytes    = 1 << 20
)

const analyzeUsage = `usage: huajie analyze [--explain] [--lists DIR] [TEXT]
       huajie analyze --export-lists DIR

Analyses one message given as TEXT, or else every line of standard input:
a line is a JSON object with a "text" field (and optionally "id", copied to
the output) when it starts with '{', otherwise the message itself. Writes one
JSON result per message (per input line) to standard output.

A line that cannot be analysed (a JSON object without "text", a message above
%d bytes, a line above %d bytes) gives {"line":N,"error":"…"} in its place
on standard output, the same message on standard error, and exit status 1
after all lines. Invalid UTF-8 is replaced by U+FFFD, with a warning naming
the line; an empty or blank line gives the empty result ("empty": true).

flags:
`

type analyzeOut struct {
	ID json.RawMessage `json:"id,omitempty"`
	*analysis.Result
}

type analyzeErr struct {
	Line  int    `json:"line"`
	Error string `json:"error"`
}

func runAnalyze(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("analyze", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, analyzeUsage, maxMessageBytes, maxLineBytes)
		fs.PrintDefaults()
	}
	explain := fs.Bool("explain", false, "add the explanation: features and cues behind each result, with spans and weights")
	lists := fs.String("lists", "", "directory with edited lists (cues.tsv, intensifiers.tsv, negators.tsv, emoticons.tsv, polarity.tsv, acronyms.tsv, taxonomy.tsv, keywords.tsv); files absent there stay built in")
	export := fs.String("export-lists", "", "write the built-in lists into this directory (existing files are kept) for editing, and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2}
	}
	if *export != "" {
		if err := lexicon.WriteDefaults(*export); err != nil {
			return err
		}
		if err := jrt.WriteDefaults(*export); err != nil {
			return err
		}
		fmt.Fprintf(env.stderr, "huajie analyze: lists written to %s; edit them and pass --lists %s\n", *export, *export)
		return nil
	}
	a, err := newCommandAnalyzer(*lists)
	if err != nil {
		return err
	}
	out := bufio.NewWriterSize(env.stdout, 64<<10)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)

	if fs.NArg() > 0 {
		text := strings.Join(fs.Args(), " ")
		if len(text) > maxMessageBytes {
			return fmt.Errorf("the message is %d bytes, above the limit of %d", len(text), maxMessageBytes)
		}
		if !utf8.ValidString(text) {
			fmt.Fprintln(env.stderr, "huajie analyze: warning: invalid UTF-8 in the argument replaced by U+FFFD")
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		var r analysis.Result
		a.AnalyzeInto(text, &r, *explain)
		if err := enc.Encode(analyzeOut{Result: &r}); err != nil {
			return err
		}
		return out.Flush()
	}

	var (
		r      analysis.Result
		failed int
	)
	lines, err := eachLine(ctx, env.stdin, maxLineBytes, out.Flush, func(line int, buf []byte, tooLong bool) error {
		fail := func(msg string) error {
			failed++
			fmt.Fprintf(env.stderr, "huajie analyze: line %d: %s\n", line, msg)
			return enc.Encode(analyzeErr{Line: line, Error: msg})
		}
		var werr error
		switch text, id, msg := lineMessage(buf, tooLong); {
		case msg != "":
			werr = fail(msg)
		default:
			if !utf8.ValidString(text) {
				fmt.Fprintf(env.stderr, "huajie analyze: line %d: warning: invalid UTF-8 replaced by U+FFFD\n", line)
				text = strings.ToValidUTF8(text, "\uFFFD")
			}
			a.AnalyzeInto(text, &r, *explain)
			werr = enc.Encode(analyzeOut{ID: id, Result: &r})
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
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d lines could not be analysed (see above)", failed, lines)}
	}
	return nil
}

// lineMessage extracts the message of one input line: the "text" of a JSON
// object, or the line itself. msg is non-empty when the line is refused.
func lineMessage(b []byte, tooLong bool) (text string, id json.RawMessage, msg string) {
	if tooLong {
		return "", nil, fmt.Sprintf("line longer than %d bytes: skipped", maxLineBytes)
	}
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var o struct {
			Text *string         `json:"text"`
			ID   json.RawMessage `json:"id"`
		}
		if err := json.Unmarshal(trimmed, &o); err != nil {
			return "", nil, "invalid JSON object: " + err.Error()
		}
		if o.Text == nil {
			return "", nil, `JSON object without a string "text" field`
		}
		text, id = *o.Text, o.ID
	} else {
		text = string(b)
	}
	if len(text) > maxMessageBytes {
		return "", nil, fmt.Sprintf("message is %d bytes, above the limit of %d", len(text), maxMessageBytes)
	}
	return text, id, ""
}

// readLine reads one line (without its "\n" or "\r\n") into buf. A line
// longer than limit is consumed to its end without being kept: tooLong is
// then true. err is io.EOF at the end of input (the last line may still be
// in buf).
func readLine(r *bufio.Reader, buf []byte, limit int) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > limit+2 { // +2: the line ending
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if !tooLong && len(buf) > limit {
			tooLong, buf = true, buf[:0]
		}
		return buf, tooLong, err
	}
}

// newCommandAnalyzer is the built-in analyser, or one over edited lists.
func newCommandAnalyzer(dir string) (*analysis.Analyzer, error) {
	if dir == "" {
		return analysis.Default()
	}
	lex, err := lexicon.Load(dir)
	if err != nil {
		return nil, err
	}
	tax, err := jrt.Load(dir)
	if err != nil {
		return nil, err
	}
	e, err := models.Load("emotion")
	if err != nil {
		return nil, err
	}
	s, err := models.Load("sentiment")
	if err != nil {
		return nil, err
	}
	return analysis.New(analysis.Opts{Emotion: e, Sentiment: s, Lexicon: lex, JRT: tax})
}
