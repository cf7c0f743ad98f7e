package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"huajie/internal/interactions"
)

func init() {
	register(command{
		name:    "import",
		summary: "import interactions from a JSONL or CSV file (into the database, or through a server's API)",
		run:     runImport,
	})
}

// csvColumns are the accepted CSV header names.
var csvColumns = []string{"id", "conversation_id", "customer_id", "channel", "role", "time", "text", "team", "agent", "branch", "product",
	"wait_seconds", "speech_rate", "loudness", "pitch_rise", "silence_seconds", "interruptions", "app_failures", "abandoned_flows"}

// importSink stores a batch: the ingest service directly, or the API.
type importSink func(ctx context.Context, in []interactions.Input) (interactions.Result, error)

func runImport(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	dsn := fs.String("db", defaultDSN, "database to import into (ignored with --url)")
	base := fs.String("url", "", "import through a running server's API instead (http://127.0.0.1:8080); alerts then go live")
	token := fs.String("token", "", "API token with interaction:write (with --url)")
	format := fs.String("format", "", "jsonl or csv (default: from the file name; jsonl for stdin)")
	batch := fs.Int("batch", 500, "messages per batch (at most 1000)")
	quiet := fs.Bool("quiet", false, "no progress display")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return &exitError{code: 2, msg: "usage: huajie import [--db DSN | --url URL --token TOKEN] [--format jsonl|csv] FILE (- for stdin)"}
	}
	if *batch <= 0 || *batch > interactions.DefaultMaxBatch {
		return &exitError{code: 2, msg: fmt.Sprintf("--batch must be 1 to %d", interactions.DefaultMaxBatch)}
	}
	name := fs.Arg(0)
	f := *format
	if f == "" {
		f = "jsonl"
		if strings.HasSuffix(strings.ToLower(name), ".csv") {
			f = "csv"
		}
	}
	if f != "jsonl" && f != "csv" {
		return &exitError{code: 2, msg: "--format must be jsonl or csv"}
	}
	var r io.Reader = env.stdin
	var size int64
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return err
		}
		defer fh.Close()
		if st, err := fh.Stat(); err == nil {
			size = st.Size()
		}
		r = fh
	}

	var sink importSink
	if *base != "" {
		if *token == "" {
			return &exitError{code: 2, msg: "--token is required with --url"}
		}
		sink = apiSink(strings.TrimRight(*base, "/"), *token)
	} else {
		log, err := newLogger(env.stderr, "warn")
		if err != nil {
			return err
		}
		db, err := openStore(ctx, *dsn, log)
		if err != nil {
			return err
		}
		defer db.Close()
		ing, err := newIngest(db, log, ingestOpts{})
		if err != nil {
			return err
		}
		defer ing.log.Close()
		sink = ing.svc.Ingest
	}
	imp := &importer{env: env, sink: sink, batch: *batch, size: size, quiet: *quiet, start: time.Now()}
	var err error
	if f == "csv" {
		err = imp.readCSV(ctx, r)
	} else {
		err = imp.readJSONL(ctx, r)
	}
	if err == nil {
		err = imp.flush(ctx)
	}
	imp.progress(true)
	el := time.Since(imp.start)
	// Blank lines are skipped and not counted.
	fmt.Fprintf(env.stdout, "import: %d lines: %d accepted, %d duplicates, %d failed in %.1fs (%.0f lines/s)\n",
		imp.lines, imp.accepted, imp.dups, imp.failed, el.Seconds(), float64(imp.lines)/max(el.Seconds(), 1e-9))
	if err != nil {
		return err
	}
	if imp.failed > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d lines failed (listed above); the others are stored", imp.failed)}
	}
	return nil
}

type importer struct {
	env   *cmdEnv
	sink  importSink
	batch int
	size  int64
	quiet bool
	start time.Time

	pending []interactions.Input
	lineNos []int
	read    int64 // bytes read, for the progress display

	lines, accepted, dups, failed int
	lastShown                     time.Time
}

// maxImportLineBytes bounds one JSONL line: a message of the largest text, with
// room for its fields and escaping.
const maxImportLineBytes = 4 * interactions.DefaultMaxTextBytes

func (im *importer) readJSONL(ctx context.Context, r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxImportLineBytes+1)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Bytes()
		im.read += int64(len(line)) + 1
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var in interactions.Input
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in.Message); err != nil {
			code := interactions.CodeBadJSON
			if strings.HasPrefix(err.Error(), "json: unknown field ") {
				code = interactions.CodeUnknown
			}
			in.Err = &interactions.ItemError{Code: code, Message: strings.TrimPrefix(err.Error(), "json: ")}
		}
		if err := im.add(ctx, in, n); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes", n+1, maxImportLineBytes)
		}
		return fmt.Errorf("line %d: %w", n+1, err)
	}
	return nil
}

func (im *importer) readCSV(ctx context.Context, r io.Reader) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("line 1: reading the CSV header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		known := false
		for _, c := range csvColumns {
			known = known || c == h
		}
		if !known {
			return fmt.Errorf("line 1: unknown column %q (columns: %s)", h, strings.Join(csvColumns, ", "))
		}
		col[h] = i
	}
	for _, req := range []string{"id", "conversation_id", "customer_id", "channel", "role", "time", "text"} {
		if _, ok := col[req]; !ok {
			return fmt.Errorf("line 1: the header lacks the column %q", req)
		}
	}
	for {
		rec, err := cr.Read()
		line, _ := cr.FieldPos(0)
		if err == io.EOF {
			return nil
		}
		im.read = cr.InputOffset()
		var in interactions.Input
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			in.Err = &interactions.ItemError{Code: interactions.CodeBadJSON, Message: "CSV: " + err.Error()}
		} else if len(rec) != len(header) {
			in.Err = &interactions.ItemError{Code: interactions.CodeInvalid, Message: fmt.Sprintf("%d fields, the header has %d", len(rec), len(header))}
		} else {
			in.Message, in.Err = csvMessage(rec, col)
		}
		if err := im.add(ctx, in, line); err != nil {
			return err
		}
	}
}

func csvMessage(rec []string, col map[string]int) (interactions.Message, *interactions.ItemError) {
	get := func(k string) string {
		if i, ok := col[k]; ok {
			return rec[i]
		}
		return ""
	}
	m := interactions.Message{ID: get("id"), ConversationID: get("conversation_id"), CustomerID: get("customer_id"),
		Channel: get("channel"), Role: get("role"), Text: get("text"), Team: get("team"), Agent: get("agent"),
		Branch: get("branch"), Product: get("product")}
	if t := strings.TrimSpace(get("time")); t != "" {
		tm, err := time.Parse(time.RFC3339Nano, t)
		if err != nil {
			return m, &interactions.ItemError{Code: interactions.CodeInvalid, Message: fmt.Sprintf("time %q is not RFC 3339", t)}
		}
		m.Time = tm
	}
	floats := map[string]**float64{"wait_seconds": &m.Signals.WaitSeconds, "speech_rate": &m.Signals.SpeechRate,
		"loudness": &m.Signals.Loudness, "pitch_rise": &m.Signals.PitchRise, "silence_seconds": &m.Signals.SilenceSeconds}
	for k, p := range floats {
		if v := strings.TrimSpace(get(k)); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return m, &interactions.ItemError{Code: interactions.CodeInvalid, Message: fmt.Sprintf("%s %q is not a number", k, v)}
			}
			*p = &f
		}
	}
	ints := map[string]**int{"interruptions": &m.Signals.Interruptions, "app_failures": &m.Signals.AppFailures,
		"abandoned_flows": &m.Signals.AbandonedFlows}
	for k, p := range ints {
		if v := strings.TrimSpace(get(k)); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return m, &interactions.ItemError{Code: interactions.CodeInvalid, Message: fmt.Sprintf("%s %q is not an integer", k, v)}
			}
			*p = &n
		}
	}
	return m, nil
}

func (im *importer) add(ctx context.Context, in interactions.Input, line int) error {
	im.lines++
	im.pending = append(im.pending, in)
	im.lineNos = append(im.lineNos, line)
	if len(im.pending) >= im.batch {
		return im.flush(ctx)
	}
	return nil
}

func (im *importer) flush(ctx context.Context) error {
	if len(im.pending) == 0 {
		return nil
	}
	res, err := im.sink(ctx, im.pending)
	if err != nil {
		return fmt.Errorf("lines %d–%d: %w (earlier lines are stored)", im.lineNos[0], im.lineNos[len(im.lineNos)-1], err)
	}
	for _, it := range res.Items {
		switch it.Status {
		case interactions.StatusAccepted:
			im.accepted++
		case interactions.StatusDuplicate:
			im.dups++
		default:
			im.failed++
			id := ""
			if it.ID != "" {
				id = " id " + strconv.Quote(it.ID)
			}
			fmt.Fprintf(im.env.stderr, "\rline %d%s: %s: %s\n", im.lineNos[it.Index], id, it.Code, it.Message)
		}
	}
	im.pending, im.lineNos = im.pending[:0], im.lineNos[:0]
	im.progress(false)
	return nil
}

// progress redraws the one-line display on stderr, at most twice a second.
func (im *importer) progress(final bool) {
	if im.quiet || (!final && time.Since(im.lastShown) < 500*time.Millisecond) {
		return
	}
	im.lastShown = time.Now()
	el := time.Since(im.start).Seconds()
	pct := ""
	if im.size > 0 {
		pct = fmt.Sprintf("%3.0f%% ", 100*float64(min(im.read, im.size))/float64(im.size))
	}
	fmt.Fprintf(im.env.stderr, "\rimport: %s%d lines, %d accepted, %d duplicates, %d failed, %.0f lines/s", pct, im.lines, im.accepted, im.dups, im.failed, float64(im.lines)/max(el, 1e-9))
	if final {
		fmt.Fprintln(im.env.stderr)
	}
}

// apiSink posts batches to a server. Items that failed to decode locally
// are reported without being sent.
func apiSink(base, token string) importSink {
	hc := &http.Client{Timeout: 2 * time.Minute}
	return func(ctx context.Context, in []interactions.Input) (interactions.Result, error) {
		var msgs []interactions.Message
		var pos []int
		res := interactions.Result{Items: make([]interactions.ItemResult, len(in))}
		for i := range in {
			res.Items[i] = interactions.ItemResult{Index: i, ID: in[i].Message.ID}
			if in[i].Err != nil {
				res.Items[i].Status, res.Items[i].Code, res.Items[i].Message = interactions.StatusFailed, in[i].Err.Code, in[i].Err.Message
				res.Failed++
				continue
			}
			msgs = append(msgs, in[i].Message)
			pos = append(pos, i)
		}
		if len(msgs) == 0 {
			return res, nil
		}
		body, err := json.Marshal(msgs)
		if err != nil {
			return res, err
		}
		req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/interactions", bytes.NewReader(body))
		if err != nil {
			return res, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := hc.Do(req)
		if err != nil {
			return res, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
		if err != nil {
			return res, err
		}
		if resp.StatusCode != http.StatusOK {
			return res, fmt.Errorf("server answered %d: %s", resp.StatusCode, strings.TrimSpace(string(b)))
		}
		var got interactions.Result
		if err := json.Unmarshal(b, &got); err != nil {
			return res, fmt.Errorf("server's answer: %w", err)
		}
		for _, it := range got.Items {
			k := pos[it.Index]
			it.Index = k
			res.Items[k] = it
		}
		res.Accepted += got.Accepted
		res.Duplicates += got.Duplicates
		res.Failed += got.Failed
		return res, nil
	}
}
