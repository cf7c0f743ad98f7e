package risk

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// The binary form of a State is about a quarter of its JSON and an order of
// magnitude faster to write and read (BenchmarkStateCodec): for a caller
// that stores the state after every message. Layout: the byte 'R', the
// state version, then every field in declaration order — integers as
// varints, floats as 8 little-endian bytes, times as varint Unix
// nanoseconds (0 for the zero time), strings length-prefixed.

// ErrState is returned by UnmarshalBinary for bytes that are not a State of
// this version.
var ErrState = errors.New("risk: bad state encoding")

// maxSpanText bounds a decoded span text.
const maxSpanText = 4096

// MarshalBinary implements encoding.BinaryMarshaler.
func (s *State) MarshalBinary() ([]byte, error) {
	return s.AppendBinary(make([]byte, 0, 512))
}

// AppendBinary implements encoding.BinaryAppender.
func (s *State) AppendBinary(b []byte) ([]byte, error) {
	e := enc{append(b, 'R')}
	e.ints(StateVersion)
	e.ints(s.Turns, s.CustomerTurns, s.AgentTurns, s.CustomerBytes)
	e.time(s.First)
	e.time(s.Last)
	e.time(s.Unanswered)
	for _, sr := range []*Series{&s.Neg, &s.Distress, &s.Anger, &s.Intensity} {
		e.series(sr)
	}
	e.ints(s.Cues[:]...)
	for i := range s.CueSpan {
		e.span(&s.CueSpan[i])
	}
	e.ints(s.Thanks, b2i(s.LastThanks), s.Still, s.Confused)
	e.span(&s.StillSpan)
	e.ints(s.Repeats, s.RepeatTurn)
	for i := range s.Sigs {
		e.ints(s.Sigs[i].N)
		for _, h := range s.Sigs[i].H {
			e.b = binary.LittleEndian.AppendUint32(e.b, h)
		}
	}
	e.ints(s.EmoTurn)
	e.span(&s.EmoSpan)
	e.ints(s.Empathy, s.Deflection, s.NextSteps, s.VagueSteps, s.Jargon)
	e.span(&s.DeflSpan)
	e.span(&s.StepSpan)
	e.span(&s.EmpSpan)
	e.ints(b2i(s.Open), s.OpenTurns, b2i(s.Acknowledged))
	e.str(s.LastRole)
	e.floats(s.Waiting, s.MaxWait, s.MaxSpeechRate, s.MaxLoudness, s.MaxPitchRise, s.MaxSilence)
	e.ints(s.Interruptions, s.AppFailures, s.AbandonedFlows)
	e.floats(s.Risk, s.PeakRisk)
	return e.b, nil
}

// UnmarshalBinary implements encoding.BinaryUnmarshaler. Bytes of another
// version or malformed bytes give an error wrapping ErrState and leave s
// unchanged.
func (s *State) UnmarshalBinary(data []byte) error {
	if len(data) < 2 || data[0] != 'R' {
		return fmt.Errorf("%w: no state header", ErrState)
	}
	d := dec{b: data[1:]}
	if v := d.int(); d.err == nil && v != StateVersion {
		return fmt.Errorf("%w: version %d, want %d", ErrState, v, StateVersion)
	}
	var t State
	t.Version = StateVersion
	d.ints(&t.Turns, &t.CustomerTurns, &t.AgentTurns, &t.CustomerBytes)
	t.First, t.Last, t.Unanswered = d.time(), d.time(), d.time()
	for _, sr := range []*Series{&t.Neg, &t.Distress, &t.Anger, &t.Intensity} {
		d.series(sr)
	}
	for i := range t.Cues {
		t.Cues[i] = d.int()
	}
	for i := range t.CueSpan {
		d.span(&t.CueSpan[i])
	}
	var lastThanks, open, ack int
	d.ints(&t.Thanks, &lastThanks, &t.Still, &t.Confused)
	d.span(&t.StillSpan)
	d.ints(&t.Repeats, &t.RepeatTurn)
	for i := range t.Sigs {
		t.Sigs[i].N = d.int()
		for k := range t.Sigs[i].H {
			t.Sigs[i].H[k] = d.u32()
		}
	}
	t.EmoTurn = d.int()
	d.span(&t.EmoSpan)
	d.ints(&t.Empathy, &t.Deflection, &t.NextSteps, &t.VagueSteps, &t.Jargon)
	d.span(&t.DeflSpan)
	d.span(&t.StepSpan)
	d.span(&t.EmpSpan)
	d.ints(&open, &t.OpenTurns, &ack)
	t.LastRole = d.str()
	d.floats(&t.Waiting, &t.MaxWait, &t.MaxSpeechRate, &t.MaxLoudness, &t.MaxPitchRise, &t.MaxSilence)
	d.ints(&t.Interruptions, &t.AppFailures, &t.AbandonedFlows)
	d.floats(&t.Risk, &t.PeakRisk)
	if d.err != nil {
		return d.err
	}
	if len(d.b) != 0 {
		return fmt.Errorf("%w: %d trailing bytes", ErrState, len(d.b))
	}
	t.LastThanks, t.Open, t.Acknowledged = lastThanks != 0, open != 0, ack != 0
	*s = t
	return nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

type enc struct{ b []byte }

func (e *enc) ints(xs ...int) {
	for _, x := range xs {
		e.b = binary.AppendVarint(e.b, int64(x))
	}
}

func (e *enc) floats(xs ...float64) {
	for _, x := range xs {
		e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(x))
	}
}

func (e *enc) time(t time.Time) {
	if t.IsZero() {
		e.b = binary.AppendVarint(e.b, 0)
		return
	}
	e.b = binary.AppendVarint(e.b, t.UnixNano())
}

func (e *enc) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *enc) series(s *Series) {
	e.ints(s.N, s.Rises)
	e.floats(s.First, s.Last, s.Prev, s.Max, s.Sum, s.SumT, s.SumTT, s.SumTY)
}

func (e *enc) span(r *SpanRef) {
	e.ints(r.Turn, r.Start, r.End)
	e.str(r.Text)
}

type dec struct {
	b   []byte
	err error
}

func (d *dec) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated or malformed %s", ErrState, what)
	}
}

func (d *dec) int() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 || v > math.MaxInt32*1024 || v < -math.MaxInt32*1024 {
		d.fail("integer")
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *dec) ints(ps ...*int) {
	for _, p := range ps {
		*p = d.int()
	}
}

func (d *dec) u32() uint32 {
	if d.err != nil || len(d.b) < 4 {
		d.fail("hash")
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return v
}

func (d *dec) floats(ps ...*float64) {
	for _, p := range ps {
		if d.err != nil || len(d.b) < 8 {
			d.fail("float")
			return
		}
		*p = math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
	}
}

func (d *dec) time() time.Time {
	if d.err != nil {
		return time.Time{}
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail("time")
		return time.Time{}
	}
	d.b = d.b[n:]
	if v == 0 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func (d *dec) str() string {
	if d.err != nil {
		return ""
	}
	l, n := binary.Uvarint(d.b)
	if n <= 0 || l > maxSpanText || uint64(len(d.b)-n) < l {
		d.fail("text")
		return ""
	}
	s := string(d.b[n : n+int(l)])
	d.b = d.b[n+int(l):]
	return s
}

func (d *dec) series(s *Series) {
	d.ints(&s.N, &s.Rises)
	d.floats(&s.First, &s.Last, &s.Prev, &s.Max, &s.Sum, &s.SumT, &s.SumTT, &s.SumTY)
}

func (d *dec) span(r *SpanRef) {
	d.ints(&r.Turn, &r.Start, &r.End)
	r.Text = d.str()
}
