package textclass

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
)

// Model is a linear classifier over hashed features: one row of int8
// weights per hash bucket (all labels of a bucket side by side, so one
// feature costs one cache line), a scale, and biases. A two-label model
// keeps one column, the log-odds of its second label. It is immutable after
// Decode or Train and safe for concurrent use.
type Model struct {
	task    string
	labels  []string
	cfg     Config
	bits    uint
	mask    uint32
	k       int
	cols    int     // weights per row: k, or 1 for two labels
	scale   float64 // weight = int8 * scale
	lenNorm bool    // scores divided by sqrt(number of features)
	// idfSq, when set, replaces lenNorm: scores are divided by the L2 norm
	// of the text's TF-IDF vector, the square root of the sum of idf² over
	// its features (per hash bucket; the idf itself is folded into w).
	idfSq []float32
	bias  []float64 // per label
	w     []int8    // (1<<bits) rows of cols
	meta  map[string]string

	pool sync.Pool // *Features for cfg, for Predict and Explain
}

// Contribution is one feature's push on a label's score: positive raises
// the label, negative lowers it. Start and End are byte offsets into the
// text, End exclusive.
type Contribution struct {
	Feature string  `json:"feature"`
	Start   int     `json:"start"`
	End     int     `json:"end"`
	Weight  float64 `json:"weight"`
}

// Limits of the serialised form, so a corrupt or hostile file is an error,
// not an allocation of gigabytes.
const (
	maxBits   = 24
	maxLabels = 4096
	maxWeight = 1 << 28 // weights in a table
	// magic is written by Encode; version 3 may carry an idf table.
	// Version 2 files (no idf table) still decode.
	magic   = "HJTC\x03"
	magicV2 = "HJTC\x02"
)

// ErrFormat is wrapped by every Decode error about the model file itself.
var ErrFormat = errors.New("textclass: not a valid model file")

// Task is the task the model was trained for ("emotion", "intent", …).
func (m *Model) Task() string { return m.task }

// Labels are the label names in the order of Predict's probabilities.
func (m *Model) Labels() []string { return append([]string(nil), m.labels...) }

// Config is the featuriser configuration the model expects.
func (m *Model) Config() Config { return m.cfg }

// Meta returns the training metadata recorded in the model (command, data,
// settings).
func (m *Model) Meta() map[string]string {
	out := make(map[string]string, len(m.meta))
	for k, v := range m.meta {
		out[k] = v
	}
	return out
}

// LabelIndex returns the index of label, or -1.
func (m *Model) LabelIndex(label string) int {
	for i, l := range m.labels {
		if l == label {
			return i
		}
	}
	return -1
}

// Buckets is the number of rows of the weight table.
func (m *Model) Buckets() int { return 1 << m.bits }

func (m *Model) getFeatures() *Features {
	if f, ok := m.pool.Get().(*Features); ok {
		return f
	}
	return NewFeaturesConfig(m.cfg)
}

// Predict fills probs (len == len(Labels())) with the label probabilities
// of text. Empty text scores as the model's prior (its biases alone).
func (m *Model) Predict(text string, probs []float64) {
	f := m.getFeatures()
	f.Extract(text)
	m.score(f, probs)
	m.pool.Put(f)
}

// PredictFeatures is Predict on features already extracted, so several
// models can share one featurisation. Features of another Config are
// re-extracted from their text.
func (m *Model) PredictFeatures(f *Features, probs []float64) {
	if f.cfg != m.cfg {
		m.Predict(f.text, probs)
		return
	}
	m.score(f, probs)
}

// normScale is the factor applied to a text's summed weights: the model's
// scale divided by the text's norm.
func (m *Model) normScale(f *Features) float64 {
	s := m.scale
	switch {
	case len(f.hash) == 0:
	case m.idfSq != nil:
		sum := 0.0
		for _, h := range f.hash {
			sum += float64(m.idfSq[h&m.mask])
		}
		if sum > 0 {
			s /= math.Sqrt(sum)
		}
	case m.lenNorm:
		s /= math.Sqrt(float64(len(f.hash)))
	}
	return s
}

// Scores fills scores with the raw linear scores (log-odds before
// softmax; for two labels, minus and plus half the log-odds).
func (m *Model) Scores(f *Features, scores []float64) {
	scores = scores[:m.k]
	s := m.normScale(f)
	w, mask := m.w, m.mask
	switch {
	case m.cols == 1:
		var acc int32
		for _, h := range f.hash {
			acc += int32(w[h&mask])
		}
		d := float64(acc)*s + m.bias[1] - m.bias[0]
		scores[0], scores[1] = -d/2, d/2
	case m.cols <= 8:
		var acc [8]int32
		c := m.cols
		for _, h := range f.hash {
			b := int(h&mask) * c
			row := w[b : b+c : b+c]
			for j, v := range row {
				acc[j&7] += int32(v)
			}
		}
		for j := range scores {
			scores[j] = float64(acc[j&7])*s + m.bias[j]
		}
	default:
		for j := range scores {
			scores[j] = 0
		}
		c := m.cols
		for _, h := range f.hash {
			b := int(h&mask) * c
			row := w[b : b+c : b+c]
			for j, v := range row {
				scores[j] += float64(v)
			}
		}
		for j := range scores {
			scores[j] = scores[j]*s + m.bias[j]
		}
	}
}

func (m *Model) score(f *Features, probs []float64) {
	probs = probs[:m.k]
	m.Scores(f, probs)
	if m.k == 2 {
		p := 1 / (1 + math.Exp(probs[0]-probs[1]))
		probs[0], probs[1] = 1-p, p
		return
	}
	softmax(probs)
}

// row returns the weights of feature hash h, relative to the mean over
// labels, for label.
func (m *Model) centred(h uint32, label int) float64 {
	b := int(h&m.mask) * m.cols
	if m.cols == 1 {
		d := float64(m.w[b]) / 2
		if label == 0 {
			return -d
		}
		return d
	}
	row := m.w[b : b+m.cols]
	mean := 0.0
	for _, v := range row {
		mean += float64(v)
	}
	return float64(row[label]) - mean/float64(m.cols)
}

func softmax(p []float64) {
	mx := math.Inf(-1)
	for _, v := range p {
		if v > mx {
			mx = v
		}
	}
	sum := 0.0
	for j, v := range p {
		e := math.Exp(v - mx)
		p[j] = e
		sum += e
	}
	for j := range p {
		p[j] /= sum
	}
}

// Explain returns up to k features of text that pushed label up or down
// the most, strongest first. The weight of a feature is its effect on the
// label's score relative to the mean of all labels' scores.
func (m *Model) Explain(text string, label, k int) []Contribution {
	if label < 0 || label >= m.k || k <= 0 {
		return nil
	}
	f := m.getFeatures()
	defer m.pool.Put(f)
	f.Extract(text)
	s := m.normScale(f)
	out := make([]Contribution, 0, len(f.hash))
	for i, h := range f.hash {
		c := m.centred(h, label) * s
		if c == 0 {
			continue
		}
		out = append(out, Contribution{Feature: f.featureName(i), Start: int(f.meta[i].start), End: int(f.meta[i].end), Weight: c})
	}
	sort.SliceStable(out, func(a, b int) bool { return math.Abs(out[a].Weight) > math.Abs(out[b].Weight) })
	if len(out) > k {
		out = out[:k]
	}
	return out
}

type header struct {
	Task    string   `json:"task"`
	Labels  []string `json:"labels"`
	Config  Config   `json:"config"`
	Bits    uint     `json:"bits"`
	Scale   float64  `json:"scale"`
	LenNorm bool     `json:"len_norm"`
	// IDFNorm: an idf table (float32 per row) follows the weights, and
	// scores are divided by the text's TF-IDF L2 norm (version 3).
	IDFNorm bool              `json:"idf_norm,omitempty"`
	Bias    []float64         `json:"bias"`
	Meta    map[string]string `json:"meta,omitempty"`
}

// Encode writes the model in its serialised form: a magic string, then a
// gzip stream of a JSON header, the int8 weights and, for a model with
// TF-IDF L2 normalisation, the idf of each row (float32, little-endian).
func (m *Model) Encode(w io.Writer) error {
	if _, err := io.WriteString(w, magic); err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	hb, err := json.Marshal(header{Task: m.task, Labels: m.labels, Config: m.cfg, Bits: m.bits, Scale: m.scale,
		LenNorm: m.lenNorm, IDFNorm: m.idfSq != nil, Bias: m.bias, Meta: m.meta})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(zw, 1<<16)
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(hb)))
	bw.Write(n[:])
	bw.Write(hb)
	for _, v := range m.w {
		bw.WriteByte(byte(v))
	}
	for _, v := range m.idfSq {
		var b [4]byte
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(math.Sqrt(float64(v)))))
		bw.Write(b[:])
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// Decode reads a model from its serialised form (version 3, or version 2
// written before the idf table existed).
func Decode(b []byte) (*Model, error) {
	if len(b) < len(magic) {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	v3 := string(b[:len(magic)]) == magic
	if !v3 && string(b[:len(magicV2)]) != magicV2 {
		if string(b[:4]) == magic[:4] {
			return nil, fmt.Errorf("%w: model format version %d (this build reads 2 and 3)", ErrFormat, b[4])
		}
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	zr, err := gzip.NewReader(bytes.NewReader(b[len(magic):]))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	var n [4]byte
	if _, err := io.ReadFull(br, n[:]); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	hl := binary.LittleEndian.Uint32(n[:])
	if hl > 1<<20 {
		return nil, fmt.Errorf("%w: header of %d bytes", ErrFormat, hl)
	}
	hb := make([]byte, hl)
	if _, err := io.ReadFull(br, hb); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	var h header
	if err := json.Unmarshal(hb, &h); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	k := len(h.Labels)
	switch {
	case h.Bits < 4 || h.Bits > maxBits:
		return nil, fmt.Errorf("%w: %d hash bits (want 4–%d)", ErrFormat, h.Bits, maxBits)
	case k < 2 || k > maxLabels:
		return nil, fmt.Errorf("%w: %d labels (want 2–%d)", ErrFormat, k, maxLabels)
	case len(h.Bias) != k:
		return nil, fmt.Errorf("%w: %d biases for %d labels", ErrFormat, len(h.Bias), k)
	case (1<<h.Bits)*k > maxWeight:
		return nil, fmt.Errorf("%w: weight table too large", ErrFormat)
	case !h.Config.valid():
		return nil, fmt.Errorf("%w: bad featuriser config", ErrFormat)
	case math.IsNaN(h.Scale) || math.IsInf(h.Scale, 0):
		return nil, fmt.Errorf("%w: bad scale", ErrFormat)
	case h.IDFNorm && !v3:
		return nil, fmt.Errorf("%w: idf table in a version 2 file", ErrFormat)
	}
	seen := map[string]bool{}
	for _, l := range h.Labels {
		if l == "" || seen[l] {
			return nil, fmt.Errorf("%w: empty or repeated label %q", ErrFormat, l)
		}
		seen[l] = true
	}
	for _, v := range h.Bias {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: bad bias", ErrFormat)
		}
	}
	m := &Model{task: h.Task, labels: h.Labels, cfg: h.Config, bits: h.Bits, mask: 1<<h.Bits - 1, k: k,
		cols: colsFor(k), scale: h.Scale, lenNorm: h.LenNorm, bias: h.Bias, meta: h.Meta}
	raw := make([]byte, (1<<h.Bits)*m.cols)
	if _, err := io.ReadFull(br, raw); err != nil {
		return nil, fmt.Errorf("%w: weights: %v", ErrFormat, err)
	}
	m.w = make([]int8, len(raw))
	for i, v := range raw {
		m.w[i] = int8(v)
	}
	if h.IDFNorm {
		raw = make([]byte, 4<<h.Bits)
		if _, err := io.ReadFull(br, raw); err != nil {
			return nil, fmt.Errorf("%w: idf table: %v", ErrFormat, err)
		}
		m.idfSq = make([]float32, 1<<h.Bits)
		for i := range m.idfSq {
			v := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			if !(v >= 0 && v < 1e6) {
				return nil, fmt.Errorf("%w: idf %v of row %d", ErrFormat, v, i)
			}
			m.idfSq[i] = v * v
		}
	}
	return m, nil
}

func colsFor(k int) int {
	if k == 2 {
		return 1
	}
	return k
}

// newModel quantises float weights (rows of k) into a Model.
// idfSq, when not nil, selects TF-IDF L2 normalisation (see Model.idfSq).
func newModel(task string, labels []string, cfg Config, bits uint, lenNorm bool, idfSq []float32, w []float32, bias []float64, meta map[string]string) *Model {
	k := len(labels)
	if k == 2 { // keep only the log-odds of the second label
		d := make([]float32, len(w)/2)
		for i := range d {
			d[i] = w[2*i+1] - w[2*i]
		}
		w = d
	}
	mx := 0.0
	for _, v := range w {
		if a := math.Abs(float64(v)); a > mx {
			mx = a
		}
	}
	// int8 with the largest weight at 127: measured on the emotion model,
	// macro-F1 moves by under 0.001 against int16, while the table halves
	// (scoring is bound by cache misses on it). Clipping large weights
	// instead costs several points.
	scale := mx / 127
	if scale == 0 {
		scale = 1
	}
	q := make([]int8, len(w))
	for i, v := range w {
		q[i] = int8(math.Round(float64(v) / scale))
	}
	return &Model{task: task, labels: append([]string(nil), labels...), cfg: cfg, bits: bits, mask: 1<<bits - 1, k: k,
		cols: colsFor(k), scale: scale, lenNorm: lenNorm, idfSq: idfSq, bias: bias, w: q, meta: meta}
}

// WithBiasOffsets returns a model that shares m's weights and whose bias of
// label j is moved by off[j] (a calibration of the decision, e.g. for a rare
// class the training priors under-predict).
func (m *Model) WithBiasOffsets(off []float64) (*Model, error) {
	if len(off) != m.k {
		return nil, fmt.Errorf("textclass: %d bias offsets for %d labels", len(off), m.k)
	}
	bias := make([]float64, m.k)
	for j, v := range off {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("textclass: bias offset %v of %s", v, m.labels[j])
		}
		bias[j] = m.bias[j] + v
	}
	meta := m.Meta()
	return &Model{task: m.task, labels: m.labels, cfg: m.cfg, bits: m.bits, mask: m.mask, k: m.k, cols: m.cols,
		scale: m.scale, lenNorm: m.lenNorm, idfSq: m.idfSq, bias: bias, w: m.w, meta: meta}, nil
}

// WithTemperature returns a model that shares m's weights and whose scores
// (weights and biases) are multiplied by t: the same decisions, with
// sharper (t > 1) or flatter (t < 1) probabilities. A softmax of SVM
// margins is flatter than the held-out frequencies warrant; t fitted on
// held-out data (temperature scaling, Guo et al. 2017) calibrates it.
func (m *Model) WithTemperature(t float64) (*Model, error) {
	if math.IsNaN(t) || math.IsInf(t, 0) || t <= 0 || t > 100 {
		return nil, fmt.Errorf("textclass: temperature %v must be a number in (0, 100]", t)
	}
	bias := make([]float64, m.k)
	for j, v := range m.bias {
		bias[j] = v * t
	}
	return &Model{task: m.task, labels: m.labels, cfg: m.cfg, bits: m.bits, mask: m.mask, k: m.k, cols: m.cols,
		scale: m.scale * t, lenNorm: m.lenNorm, idfSq: m.idfSq, bias: bias, w: m.w, meta: m.Meta()}, nil
}
