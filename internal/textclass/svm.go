package textclass

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Loss names for TrainOptions.Loss.
const (
	LossLogistic = "logistic"
	LossHinge    = "hinge"
	LossHingeL1  = "hinge-l1"
)

// svmInput is the training data of trainSVM: each example's distinct
// buckets with their values (tf × idf × the example's norm × the bucket's
// scale), and what Train has already worked out.
type svmInput struct {
	idx  []uint32
	val  []float32
	off  []int
	xx   []float64 // squared norm of each example, bias feature included
	cw   []float64 // class weights
	k, n int       // labels, rows
}

// sparseExamples merges each example's repeated buckets into one entry
// whose value is its count times the bucket's idf and scale and the
// example's norm: the vector the model's score is the dot product with.
func sparseExamples(feats []uint32, off []int, norm, idf, scale []float32) (idx []uint32, val []float32, soff []int, xx []float64) {
	soff = make([]int, len(off))
	idx = make([]uint32, 0, len(feats))
	val = make([]float32, 0, len(feats))
	xx = make([]float64, len(off)-1)
	var tmp []uint32
	for i := 0; i+1 < len(off); i++ {
		tmp = append(tmp[:0], feats[off[i]:off[i+1]]...)
		slices.Sort(tmp)
		for a := 0; a < len(tmp); {
			b := a
			for b < len(tmp) && tmp[b] == tmp[a] {
				b++
			}
			h := tmp[a]
			v := float32(b-a) * idf[h] * norm[i]
			if scale != nil {
				v *= scale[h]
			}
			if v != 0 {
				idx = append(idx, h)
				val = append(val, v)
				xx[i] += float64(v) * float64(v)
			}
			a = b
		}
		xx[i]++ // the bias feature (value 1)
		soff[i+1] = len(idx)
	}
	return idx, val, soff, xx
}

// nbRatio is the log-count ratio of NBSVM (Wang and Manning 2012) for a
// two-label task: r_b = log((p_b/|p|₁)/(q_b/|q|₁)) with p, q the smoothed
// counts of texts of the second and of the first label that contain bucket
// b (binarised). Partially labelled examples are left out.
func nbRatio(examples []Example, feats []uint32, off []int, n int, alpha float64) []float32 {
	if alpha <= 0 {
		alpha = 1
	}
	p := make([]float64, n)
	q := make([]float64, n)
	last := make([]int32, n)
	for i, e := range examples {
		if e.Cands != nil {
			continue
		}
		c := q
		if e.Label == 1 {
			c = p
		}
		for _, b := range feats[off[i]:off[i+1]] {
			if last[b] != int32(i+1) {
				last[b] = int32(i + 1)
				c[b]++
			}
		}
	}
	sp, sq := alpha*float64(n), alpha*float64(n)
	for b := range p {
		sp += p[b]
		sq += q[b]
	}
	r := make([]float32, n)
	for b := range r {
		r[b] = float32(math.Log((p[b]+alpha)/sp) - math.Log((q[b]+alpha)/sq))
	}
	return r
}

// trainSVM fits one-vs-rest linear SVMs with the squared hinge loss by
// dual coordinate descent (Hsieh et al. 2008, LIBLINEAR's default solver),
// one pass over the examples per label per epoch. An example's C is
// opt.C times its weight and class weight; an example whose source does not
// know a label is not used for that label's machine, and a partially
// labelled example (Cands) is a negative for the labels it rules out and
// not used for the machines of its candidates. For two labels one machine
// is fitted (the second label against the first).
//
// It returns the weights in the model's row layout (bucket-major, k per
// row, not yet multiplied by idf and scale) and the biases; report, if set,
// is called after each epoch with the mean squared-hinge loss.
func trainSVM(examples []Example, in svmInput, opt TrainOptions, report func(epoch int, loss float64, w []float32, b []float64)) ([]float32, []float64, error) {
	if opt.C <= 0 {
		opt.C = 1
	}
	// A partially labelled example is a negative for every label outside
	// its candidates and is left out of its candidates' machines (unless
	// it has only one, which is then its label).
	ambiguous := make([]bool, len(examples))
	for i, e := range examples {
		if e.Cands == nil {
			continue
		}
		nc := 0
		for _, c := range e.Cands {
			if c {
				nc++
			}
		}
		ambiguous[i] = nc > 1
	}
	k, n := in.k, in.n
	l1 := opt.Loss == LossHingeL1
	machines := k
	if k == 2 {
		machines = 1
	}
	ne := len(examples)
	wc := make([]float32, machines*n) // label-major: one machine's weights together
	bc := make([]float64, machines)
	alpha := make([]float64, machines*ne)
	ci := make([]float64, ne)
	for i, e := range examples {
		ew := e.Weight
		if ew == 0 {
			ew = 1
		}
		ci[i] = opt.C * ew * in.cw[e.Label]
	}
	order := make([]int, ne)
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x4855414A4945))
	layout := func() ([]float32, []float64) {
		w := make([]float32, n*k)
		b := make([]float64, k)
		for m := 0; m < machines; m++ {
			c := m
			if k == 2 {
				c = 1
			}
			row := wc[m*n : m*n+n]
			for h, v := range row {
				w[h*k+c] = v
			}
			b[c] = bc[m]
		}
		return w, b
	}
	for epoch := 1; epoch <= opt.Epochs; epoch++ {
		rng.Shuffle(ne, func(a, b int) { order[a], order[b] = order[b], order[a] })
		loss := 0.0
		for m := 0; m < machines; m++ {
			c := m
			if k == 2 {
				c = 1
			}
			w := wc[m*n : m*n+n]
			al := alpha[m*ne : m*ne+ne]
			for _, i := range order {
				e := &examples[i]
				if e.Known != nil && !e.Known[c] {
					continue
				}
				if ambiguous[i] && e.Cands[c] {
					continue
				}
				y := -1.0
				if e.Label == c {
					y = 1
				}
				idx, val := in.idx[in.off[i]:in.off[i+1]], in.val[in.off[i]:in.off[i+1]]
				s := bc[m]
				for j, h := range idx {
					s += float64(w[h]) * float64(val[j])
				}
				// squared hinge: no upper bound on alpha, D = 1/(2C);
				// hinge: alpha ≤ C, D = 0.
				d, u := 1/(2*ci[i]), math.Inf(1)
				if l1 {
					d, u = 0, ci[i]
				}
				if mg := 1 - y*s; mg > 0 {
					if l1 {
						loss += ci[i] * mg
					} else {
						loss += ci[i] * mg * mg
					}
				}
				g := y*s - 1 + d*al[i]
				if (al[i] == 0 && g >= 0) || (al[i] == u && g <= 0) {
					continue
				}
				na := math.Min(math.Max(al[i]-g/(in.xx[i]+d), 0), u)
				delta := (na - al[i]) * y
				al[i] = na
				if delta == 0 {
					continue
				}
				bc[m] += delta
				fd := float32(delta)
				for j, h := range idx {
					w[h] += fd * val[j]
				}
			}
		}
		if report != nil {
			w, b := layout()
			report(epoch, loss/float64(ne*machines), w, b)
		}
	}
	w, b := layout()
	return w, b, nil
}

// ErrBlend reports two models that cannot be blended: they differ in task,
// labels, featuriser, table size or normalisation.
var ErrBlend = errors.New("textclass: models differ in task, labels, features, size or normalisation")

// Blend returns the linear model whose weights and biases are (1−wb) times
// a's plus wb times b's (e.g. a logistic model and an SVM trained on the
// same data): still one linear int8 model, scored like either.
func Blend(a, b *Model, wb float64) (*Model, error) {
	if math.IsNaN(wb) || wb < 0 || wb > 1 {
		return nil, fmt.Errorf("textclass: blend weight %v outside [0, 1]", wb)
	}
	if a.task != b.task || !slices.Equal(a.labels, b.labels) || a.cfg != b.cfg || a.bits != b.bits ||
		a.lenNorm != b.lenNorm || !slices.Equal(a.idfSq, b.idfSq) || len(a.w) != len(b.w) {
		return nil, ErrBlend
	}
	wa := 1 - wb
	w := make([]float64, len(a.w))
	mx := 0.0
	for i := range w {
		w[i] = wa*float64(a.w[i])*a.scale + wb*float64(b.w[i])*b.scale
		mx = math.Max(mx, math.Abs(w[i]))
	}
	scale := mx / 127
	if scale == 0 {
		scale = 1
	}
	q := make([]int8, len(w))
	for i, v := range w {
		q[i] = int8(math.Round(v / scale))
	}
	bias := make([]float64, a.k)
	for j := range bias {
		bias[j] = wa*a.bias[j] + wb*b.bias[j]
	}
	return &Model{task: a.task, labels: a.labels, cfg: a.cfg, bits: a.bits, mask: a.mask, k: a.k, cols: a.cols,
		scale: scale, lenNorm: a.lenNorm, idfSq: a.idfSq, bias: bias, w: q, meta: a.Meta()}, nil
}
