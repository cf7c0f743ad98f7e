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
	w      []int8   // rows of stride bytes, when stride is not 8
	w8     []uint64 // rows of eight bytes, each offset by 128 (sumRows8)
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
		if m.cfg != models[0].cfg || m.bits != models[0].bits || m.idfSq != nil {
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
	w := make([]int8, n*b.stride)
	for mi, m := range models {
		for r := 0; r < n; r++ {
			copy(w[r*b.stride+b.off[mi]:], m.w[r*m.cols:(r+1)*m.cols])
		}
	}
	if b.stride != 8 {
		b.w = w
		return b, nil
	}
	// Rows of eight: one word per row, each byte offset by 128 so that
	// the bytes add as unsigned lanes (see sumRows8).
	b.w8 = make([]uint64, n)
	for r := range b.w8 {
		var x uint64
		for k, v := range w[r*8 : r*8+8] {
			x |= uint64(uint8(v)^0x80) << (8 * k)
		}
		b.w8[r] = x
	}
	return b, nil
}

// sumRows8 adds the rows of w at the features' buckets into acc[:8].
//
// The loop is bound by memory, one cache miss per feature in a table far
// larger than the caches; how many misses are in flight at once sets its
// speed, and that depends on how few instructions each feature costs.
// So the eight signed bytes of a row are summed as two words of four
// 16-bit lanes (even and odd bytes, offset by 128 to be non-negative),
// five instructions a feature instead of some twenty, and the lanes are
// emptied into acc every 256 features, before they can overflow
// (255 × 256 < 65,536).
func sumRows8(w []uint64, hash []uint32, mask uint32, acc *[maxBundleCols]int32) {
	const lanes = 0x00FF00FF00FF00FF
	for len(hash) > 0 {
		chunk := hash[:min(len(hash), 256)]
		hash = hash[len(chunk):]
		var even, odd uint64
		for _, h := range chunk {
			x := w[h&mask]
			even += x & lanes
			odd += x >> 8 & lanes
		}
		for j := range 4 {
			acc[2*j] += int32(uint16(even>>(16*j))) - 128*int32(len(chunk))
			acc[2*j+1] += int32(uint16(odd>>(16*j))) - 128*int32(len(chunk))
		}
	}
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
		sumRows8(b.w8, f.hash, mask, &acc)
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
