package textclass

import (
	"errors"
	"math"
)

// Bundle scores several models at once from one interleaved weight table:
// the row of a feature holds every model's weights side by side, so a
// feature costs one cache miss for all of them instead of one per model.
// The models must share a featuriser configuration and table size (the
// built-in models do). A Bundle is immutable and safe for concurrent use.
type Bundle struct {
	models []*Model
	off    []int // first column of each model in a row
	stride int
	mask   uint32
	w      []int8
}

// maxBundleCols bounds the columns of a bundle (the accumulator lives on
// the stack).
const maxBundleCols = 32

// ErrBundle is returned when models cannot share a table.
var ErrBundle = errors.New("textclass: models cannot be bundled")

// NewBundle interleaves the weights of models.
func NewBundle(models ...*Model) (*Bundle, error) {
	if len(models) == 0 {
		return nil, ErrBundle
	}
	b := &Bundle{models: models, mask: models[0].mask}
	cols := 0
	for _, m := range models {
		if m.cfg != models[0].cfg || m.bits != models[0].bits {
			return nil, ErrBundle
		}
		b.off = append(b.off, cols)
		cols += m.cols
	}
	if cols > maxBundleCols {
		return nil, ErrBundle
	}
	b.stride = 1
	for b.stride < cols { // power of two: rows never straddle a cache line
		b.stride *= 2
	}
	n := 1 << models[0].bits
	b.w = make([]int8, n*b.stride)
	for mi, m := range models {
		for r := 0; r < n; r++ {
			copy(b.w[r*b.stride+b.off[mi]:], m.w[r*m.cols:(r+1)*m.cols])
		}
	}
	return b, nil
}

// Models returns the bundled models in order.
func (b *Bundle) Models() []*Model { return append([]*Model(nil), b.models...) }

// PredictFeatures fills probs[i] (len == len(Labels()) of model i) for
// every bundled model, exactly as each model's PredictFeatures would.
// Features of another configuration fall back to the models one by one.
func (b *Bundle) PredictFeatures(f *Features, probs ...[]float64) {
	if f.cfg != b.models[0].cfg {
		for i, m := range b.models {
			m.PredictFeatures(f, probs[i])
		}
		return
	}
	var acc [maxBundleCols]int32
	st := b.stride
	w, mask := b.w, b.mask
	if st == 8 {
		for _, h := range f.hash {
			o := int(h&mask) * 8
			row := w[o : o+8 : o+8]
			acc[0] += int32(row[0])
			acc[1] += int32(row[1])
			acc[2] += int32(row[2])
			acc[3] += int32(row[3])
			acc[4] += int32(row[4])
			acc[5] += int32(row[5])
			acc[6] += int32(row[6])
			acc[7] += int32(row[7])
		}
	} else {
		for _, h := range f.hash {
			o := int(h&mask) * st
			row := w[o : o+st : o+st]
			for j, v := range row {
				acc[j&(maxBundleCols-1)] += int32(v)
			}
		}
	}
	n := len(f.hash)
	for i, m := range b.models {
		p := probs[i][:m.k]
		s := m.scale
		if m.lenNorm && n > 0 {
			s /= math.Sqrt(float64(n))
		}
		a := acc[b.off[i]:]
		if m.cols == 1 {
			d := float64(a[0])*s + m.bias[1] - m.bias[0]
			q := 1 / (1 + math.Exp(-d))
			p[0], p[1] = 1-q, q
			continue
		}
		for j := range p {
			p[j] = float64(a[j])*s + m.bias[j]
		}
		softmax(p)
	}
}
