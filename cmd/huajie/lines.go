package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
)

// eachLine feeds the lines of r to fn, numbered from 1, for the commands
// that read one item a line (analyze, assess). A line over limit bytes is
// passed with tooLong set (and its text dropped) so the command can report
// it and go on; a byte-order mark on the first line is removed. flush is
// called whenever no more input is buffered, so an interactive user gets
// each answer at once. It returns the number of lines read.
func eachLine(ctx context.Context, r io.Reader, limit int, flush func() error, fn func(line int, b []byte, tooLong bool) error) (int, error) {
	in := bufio.NewReaderSize(r, 64<<10)
	var (
		line int
		buf  []byte
	)
	for {
		if err := ctx.Err(); err != nil {
			return line, err
		}
		var tooLong bool
		var rerr error
		buf, tooLong, rerr = readLine(in, buf[:0], limit)
		if rerr != nil && rerr != io.EOF {
			return line, fmt.Errorf("reading standard input after line %d: %w", line, rerr)
		}
		if rerr == io.EOF && len(buf) == 0 && !tooLong {
			return line, nil
		}
		line++
		if line == 1 {
			buf = bytes.TrimPrefix(buf, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
		}
		if err := fn(line, buf, tooLong); err != nil {
			return line, err
		}
		if in.Buffered() == 0 {
			if err := flush(); err != nil {
				return line, err
			}
		}
		if rerr == io.EOF {
			return line, nil
		}
	}
}
