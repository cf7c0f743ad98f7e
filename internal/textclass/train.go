package textclass

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// Example is one training item.
type Example struct {
	Text  string
	Label int // index into TrainOptions.Labels
	// Weight scales the example's loss (1 when 0).
	Weight float64
	// Known, when set, lists the labels the example's source can express:
	// the softmax is restricted to them, so a source without "neutral"
	// does not teach the model that nothing is neutral.
	Known []bool
	// Cands, when set, makes the example partially labelled: the label is
	// one of these (a subset of Known), and the loss is -log of their
	// total probability. Label must be one of them; it only counts it.
	Cands []bool
	// Group is the example's source (0…); with TrainOptions.GroupBias each
	// source gets its own biases during training.
	Group int
}

// TrainOptions configure Train. Zero values take the defaults noted.
type TrainOptions struct {
	Task   string
	Labels []string
	Config Config // featuriser (DefaultConfig when zero)
	Bits   uint   // hash bits: 1<<Bits rows (20)
	Epochs int    // passes over the data (5)
	LR     float64
	L2     float64 // L2 on the weights a step touches
	Seed   uint64
	// ClassPower weights class c by (N/(K·n_c))^ClassPower: 0 none, 1 balanced.
	ClassPower float64
	// Smoothing moves this much target mass evenly over the known labels.
	Smoothing float64
	// GroupBias learns one set of biases per Example.Group, so that the
	// sources' different label priors do not leak into the weights; the
	// model's biases are the mean over the sources that know each label.
	GroupBias bool
	// PriorCorrection subtracts this times the log training frequency of
	// each label from its bias (0: none; 1: as if classes were balanced).
	PriorCorrection float64
	// AverageFrom is the first epoch whose weights enter the average
	// (1 when 0).
	AverageFrom int
	// IDF multiplies each feature by its inverse document frequency.
	IDF bool
	// Dropout drops each feature of an example with this probability at
	// each step (0: none).
	Dropout float64
	// NB adds NB times the naive-Bayes log-probabilities of each feature
	// (centred over labels) to the learnt weights: an interpolation of
	// logistic regression with multinomial naive Bayes (0: none).
	NB float64
	// NBAlpha is the additive smoothing of the naive-Bayes counts (0.5).
	NBAlpha float64
	// LenNorm divides a text's score by the square root of its number of features.
	LenNorm bool
	// IDFNorm (with IDF) divides a text's score by the L2 norm of its
	// TF-IDF vector instead (the idf table is stored in the model).
	IDFNorm bool
	// Loss is LossLogistic (the default, "" too), LossHinge (one-vs-rest
	// linear SVMs with the squared hinge loss) or LossHingeL1 (the same with
	// the plain hinge loss), the SVMs fitted by dual coordinate descent
	// (LR, L2, Smoothing, AverageFrom and Dropout do not apply).
	Loss string
	// C is the hinge loss's cost per example (1 when 0): the inverse of the
	// L2 penalty.
	C float64
	// NBSVM (hinge, two labels) scales each bucket by its naive-Bayes
	// log-count ratio before fitting the SVM (Wang and Manning 2012); the
	// ratios are folded into the stored weights.
	NBSVM bool
	// OnEpoch, if set, is called after each epoch with the mean training
	// loss and a function returning the averaged model so far.
	OnEpoch func(epoch int, loss float64, snapshot func() *Model)
	// OnExtract, if set, reports featurisation progress (done of total).
	OnExtract func(done, total int)
	// Meta is recorded in the model.
	Meta map[string]string
}

// Train fits a multinomial logistic regression on hashed features with
// AdaGrad and averaged weights. It is deterministic for a given Seed.
func Train(examples []Example, opt TrainOptions) (*Model, error) {
	k := len(opt.Labels)
	if k < 2 {
		return nil, errors.New("textclass: need at least two labels")
	}
	if k > maxLabels {
		return nil, fmt.Errorf("textclass: %d labels (at most %d)", k, maxLabels)
	}
	if len(examples) == 0 {
		return nil, errors.New("textclass: no training examples")
	}
	if opt.Config == (Config{}) {
		opt.Config = DefaultConfig
	}
	if !opt.Config.valid() {
		return nil, errors.New("textclass: bad featuriser config")
	}
	if opt.Bits == 0 {
		opt.Bits = 20
	}
	if opt.Bits < 4 || opt.Bits > maxBits || (1<<opt.Bits)*k > maxWeight {
		return nil, fmt.Errorf("textclass: %d hash bits with %d labels is out of range", opt.Bits, k)
	}
	if opt.Epochs <= 0 {
		opt.Epochs = 5
	}
	if opt.LR <= 0 {
		opt.LR = 0.2
	}
	switch opt.Loss {
	case "", LossLogistic, LossHinge, LossHingeL1:
	default:
		return nil, fmt.Errorf("textclass: loss %q (want %s, %s or %s)", opt.Loss, LossLogistic, LossHinge, LossHingeL1)
	}
	hinge := opt.Loss == LossHinge || opt.Loss == LossHingeL1
	if opt.NBSVM && (!hinge || k != 2) {
		return nil, errors.New("textclass: NBSVM needs the hinge loss and two labels")
	}
	if opt.C < 0 || math.IsNaN(opt.C) || math.IsInf(opt.C, 0) {
		return nil, fmt.Errorf("textclass: C %v must be a positive number", opt.C)
	}
	for i, e := range examples {
		if e.Label < 0 || e.Label >= k {
			return nil, fmt.Errorf("textclass: example %d: label %d out of range", i, e.Label)
		}
		if e.Known != nil && (len(e.Known) != k || !e.Known[e.Label]) {
			return nil, fmt.Errorf("textclass: example %d: known-label mask does not fit", i)
		}
		if e.Cands != nil && (len(e.Cands) != k || !e.Cands[e.Label]) {
			return nil, fmt.Errorf("textclass: example %d: candidate mask does not fit", i)
		}
	}

	// Featurise once.
	mask := uint32(1)<<opt.Bits - 1
	off := make([]int, len(examples)+1)
	feats := make([]uint32, 0, len(examples)*64)
	norm := make([]float32, len(examples))
	f := NewFeaturesConfig(opt.Config)
	for i, e := range examples {
		f.Extract(e.Text)
		for _, h := range f.hash {
			feats = append(feats, h&mask)
		}
		off[i+1] = len(feats)
		norm[i] = 1
		if opt.LenNorm && f.Len() > 0 {
			norm[i] = float32(1 / math.Sqrt(float64(f.Len())))
		}
		if opt.OnExtract != nil && (i%4096 == 0 || i == len(examples)-1) {
			opt.OnExtract(i+1, len(examples))
		}
	}

	// Feature values: idf of the bucket (1 without IDF); folded into the
	// weights of the model, so scoring needs no extra table.
	idf := make([]float32, 1<<opt.Bits)
	for i := range idf {
		idf[i] = 1
	}
	if opt.IDF {
		df := make([]int32, 1<<opt.Bits)
		last := make([]int32, 1<<opt.Bits)
		for i := range examples {
			for _, b := range feats[off[i]:off[i+1]] {
				if last[b] != int32(i+1) {
					last[b] = int32(i + 1)
					df[b]++
				}
			}
		}
		nd := float64(len(examples))
		for b, d := range df {
			idf[b] = float32(math.Log((nd+1)/(float64(d)+1)) + 1)
		}
	}
	var idfSq []float32
	if opt.IDF && opt.IDFNorm {
		idfSq = make([]float32, len(idf))
		for b, v := range idf {
			idfSq[b] = v * v
		}
		for i := range examples {
			sum := 0.0
			for _, b := range feats[off[i]:off[i+1]] {
				sum += float64(idfSq[b])
			}
			norm[i] = 1
			if sum > 0 {
				norm[i] = float32(1 / math.Sqrt(sum))
			}
		}
	}
	var nb []float32
	if opt.NB > 0 {
		nb = naiveBayes(examples, feats, off, k, 1<<opt.Bits, opt.NB, opt.NBAlpha)
	}

	// Class weights and priors, from the fully labelled examples.
	counts := make([]float64, k)
	nFull := 0
	for _, e := range examples {
		if e.Cands == nil {
			counts[e.Label]++
			nFull++
		}
	}
	cw := make([]float64, k)
	present := 0
	for _, c := range counts {
		if c > 0 {
			present++
		}
	}
	for j, c := range counts {
		cw[j] = 1
		if c > 0 && opt.ClassPower != 0 {
			cw[j] = math.Pow(float64(nFull)/(float64(present)*c), opt.ClassPower)
		}
	}

	n := 1 << opt.Bits
	if hinge {
		return trainHinge(examples, feats, off, norm, idf, idfSq, nb, cw, opt)
	}
	w := make([]float32, n*k)  // current weights
	u := make([]float64, n*k)  // sum of step·update, for averaging
	g2 := make([]float32, n*k) // AdaGrad accumulators
	groups := 1
	if opt.GroupBias {
		for _, e := range examples {
			if e.Group < 0 || e.Group > 1<<16 {
				return nil, fmt.Errorf("textclass: group %d out of range", e.Group)
			}
			groups = max(groups, e.Group+1)
		}
	}
	groupKnows := make([]bool, groups*k)
	for _, e := range examples {
		g := 0
		if opt.GroupBias {
			g = e.Group
		}
		for j := 0; j < k; j++ {
			if e.Known == nil || e.Known[j] {
				groupKnows[g*k+j] = true
			}
		}
	}
	bias := make([]float64, groups*k)
	ub := make([]float64, groups*k)
	gb := make([]float64, groups*k)
	const eps = 1e-6
	lr := float32(opt.LR)
	l2 := float32(opt.L2)

	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(opt.Seed, 0x4855414A4945)) // "HUAJIE"
	scores := make([]float64, k)
	grad := make([]float32, k)
	all := make([]bool, k)
	for j := range all {
		all[j] = true
	}
	step := float32(1)
	var kept []uint32

	snapshot := func() *Model {
		avg := make([]float32, len(w))
		for i := range w {
			avg[i] = float32(float64(w[i])-u[i]/float64(step)) * idf[i/k]
		}
		if nb != nil {
			for i := range avg {
				avg[i] += nb[i]
			}
		}
		b := make([]float64, k)
		for j := range b {
			n := 0
			for g := 0; g < groups; g++ {
				if groupKnows[g*k+j] {
					b[j] += bias[g*k+j] - ub[g*k+j]/float64(step)
					n++
				}
			}
			if n > 0 {
				b[j] /= float64(n)
			}
		}
		if opt.PriorCorrection != 0 {
			// Move the decision towards balanced classes: subtract a share
			// of the log training prior of each label.
			for j := range b {
				if counts[j] > 0 {
					b[j] -= opt.PriorCorrection * math.Log(counts[j]/float64(nFull))
				}
			}
		}
		return newModel(opt.Task, opt.Labels, opt.Config, opt.Bits, opt.LenNorm, idfSq, avg, b, opt.Meta)
	}

	for epoch := 1; epoch <= opt.Epochs; epoch++ {
		if epoch > 1 && epoch == opt.AverageFrom {
			// Forget the early, poor weights: average from here on.
			for i := range u {
				u[i] = 0
			}
			for i := range ub {
				ub[i] = 0
			}
			step = 1
		}
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		var loss, wsum float64
		for _, i := range order {
			e := &examples[i]
			fs := feats[off[i]:off[i+1]]
			if opt.Dropout > 0 && len(fs) > 1 {
				// Drop features at random (dropout as adaptive
				// regularisation): the kept ones are scaled up.
				kept = kept[:0]
				for _, b := range fs {
					if rng.Float64() >= opt.Dropout {
						kept = append(kept, b)
					}
				}
				fs = kept
			}
			known := e.Known
			if known == nil {
				known = all
			}
			gbias := bias[:k]
			gub, ggb := ub[:k], gb[:k]
			if opt.GroupBias {
				gbias = bias[e.Group*k : e.Group*k+k]
				gub, ggb = ub[e.Group*k:e.Group*k+k], gb[e.Group*k:e.Group*k+k]
			}
			nm := float64(norm[i])
			if opt.Dropout > 0 {
				nm /= 1 - opt.Dropout
			}
			for j := range scores {
				scores[j] = 0
			}
			for _, b := range fs {
				row := w[int(b)*k : int(b)*k+k]
				x := float64(idf[b])
				for j, v := range row {
					scores[j] += float64(v) * x
				}
			}
			mx := math.Inf(-1)
			for j := range scores {
				scores[j] = scores[j]*nm + gbias[j]
				if known[j] && scores[j] > mx {
					mx = scores[j]
				}
			}
			sum := 0.0
			nk := 0
			for j := range scores {
				if known[j] {
					scores[j] = math.Exp(scores[j] - mx)
					sum += scores[j]
					nk++
				} else {
					scores[j] = 0
				}
			}
			ew := e.Weight
			if ew == 0 {
				ew = 1
			}
			if e.Cands == nil {
				ew *= cw[e.Label]
				for j := range scores {
					p := scores[j] / sum
					y := 0.0
					if known[j] {
						y = opt.Smoothing / float64(nk)
						if j == e.Label {
							y += 1 - opt.Smoothing
							loss -= ew * math.Log(math.Max(p, 1e-12))
						}
					}
					grad[j] = float32(ew * (p - y))
				}
			} else {
				pc := 0.0
				for j, c := range e.Cands {
					if c && known[j] {
						pc += scores[j]
					}
				}
				loss -= ew * math.Log(math.Max(pc/sum, 1e-12))
				for j := range scores {
					p := scores[j] / sum
					y := 0.0
					if known[j] {
						y = opt.Smoothing / float64(nk)
						if e.Cands[j] {
							y += (1 - opt.Smoothing) * scores[j] / pc
						}
					}
					grad[j] = float32(ew * (p - y))
				}
			}
			wsum += ew
			// bias
			for j, gj := range grad {
				if gj == 0 {
					continue
				}
				ggb[j] += float64(gj * gj)
				d := float64(lr) * float64(gj) / math.Sqrt(ggb[j]+eps)
				gbias[j] -= d
				gub[j] -= float64(step) * d
			}
			gnm := float32(nm)
			for _, b := range fs {
				x := gnm * idf[b]
				base := int(b) * k
				row := w[base : base+k]
				ur := u[base : base+k]
				gr := g2[base : base+k]
				for j, gj := range grad {
					gg := gj*x + l2*row[j]
					if gg == 0 {
						continue
					}
					gr[j] += gg * gg
					d := lr * gg / float32(math.Sqrt(float64(gr[j]+eps)))
					row[j] -= d
					ur[j] -= float64(step) * float64(d)
				}
			}
			step++
		}
		if opt.OnEpoch != nil {
			opt.OnEpoch(epoch, loss/math.Max(wsum, 1e-12), snapshot)
		}
	}
	return snapshot(), nil
}

// naiveBayes returns beta times the multinomial naive-Bayes log-probability
// of each bucket under each label, centred over the labels, as rows of k.
// Partially labelled examples are left out.
func naiveBayes(examples []Example, feats []uint32, off []int, k, n int, beta, alpha float64) []float32 {
	if alpha <= 0 {
		alpha = 0.5
	}
	cnt := make([]float32, n*k)
	tot := make([]float64, k)
	for i, e := range examples {
		if e.Cands != nil {
			continue
		}
		w := e.Weight
		if w == 0 {
			w = 1
		}
		for _, b := range feats[off[i]:off[i+1]] {
			cnt[int(b)*k+e.Label] += float32(w)
			tot[e.Label] += w
		}
	}
	logTot := make([]float64, k)
	for j := range tot {
		logTot[j] = math.Log(tot[j] + alpha*float64(n))
	}
	out := make([]float32, n*k)
	row := make([]float64, k)
	for b := 0; b < n; b++ {
		mean := 0.0
		for j := 0; j < k; j++ {
			row[j] = math.Log(float64(cnt[b*k+j])+alpha) - logTot[j]
			mean += row[j]
		}
		mean /= float64(k)
		for j := 0; j < k; j++ {
			out[b*k+j] = float32(beta * (row[j] - mean))
		}
	}
	return out
}

// trainHinge is Train with the hinge loss (see trainSVM); the per-bucket
// idf and NBSVM ratios are folded into the stored weights, so the model
// scores like any other.
func trainHinge(examples []Example, feats []uint32, off []int, norm, idf, idfSq, nb []float32, cw []float64, opt TrainOptions) (*Model, error) {
	k, n := len(opt.Labels), 1<<opt.Bits
	var scale []float32
	if opt.NBSVM {
		scale = nbRatio(examples, feats, off, n, opt.NBAlpha)
	}
	in := svmInput{cw: cw, k: k, n: n}
	in.idx, in.val, in.off, in.xx = sparseExamples(feats, off, norm, idf, scale)
	build := func(w []float32, b []float64) *Model {
		w = append([]float32(nil), w...)
		for i := range w {
			h := i / k
			w[i] *= idf[h]
			if scale != nil {
				w[i] *= scale[h]
			}
			if nb != nil {
				w[i] += nb[i]
			}
		}
		return newModel(opt.Task, opt.Labels, opt.Config, opt.Bits, opt.LenNorm, idfSq, w, b, opt.Meta)
	}
	var report func(int, float64, []float32, []float64)
	if opt.OnEpoch != nil {
		report = func(epoch int, loss float64, w []float32, b []float64) {
			opt.OnEpoch(epoch, loss, func() *Model { return build(w, b) })
		}
	}
	w, b, err := trainSVM(examples, in, opt, report)
	if err != nil {
		return nil, err
	}
	return build(w, b), nil
}
