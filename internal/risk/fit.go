package risk

import (
	"errors"
	"math"
	"math/rand/v2"
	"sort"

	"huajie/internal/evaluate"
)

// Example is one labelled conversation for fitting: its features and
// whether the customer was dissatisfied.
type Example struct {
	X [NumFeatures]float64
	Y bool
}

// FitOpts configures Fit.
type FitOpts struct {
	// L2 is the ridge penalty on the standardised weights (default 1).
	L2 float64
	// Sweeps is the number of coordinate-descent passes (default 200).
	Sweeps int
	// NoPriors fits without FeaturePrior (for comparison).
	NoPriors bool
	// MediumRecall is the recall of the positive class the medium
	// threshold keeps on the fitted data (default 0.95: nearly every
	// conversation that ends dissatisfied is at least medium at its end).
	MediumRecall float64
}

func (o FitOpts) norm() FitOpts {
	if o.L2 <= 0 {
		o.L2 = 1
	}
	if o.Sweeps <= 0 {
		o.Sweeps = 200
	}
	if o.MediumRecall <= 0 {
		o.MediumRecall = 0.95
	}
	return o
}

// ErrFit is returned for data a model cannot be fitted on.
var ErrFit = errors.New("risk: cannot fit")

// Fit fits the combining weights: an L2-regularised logistic regression
// over the features, by coordinate descent (one-dimensional Newton steps)
// on standardised features, each weight kept to its FeatureSign and, in
// that direction, at least its FeaturePrior. The alert
// threshold maximises F1 of the positive class on ex, the medium threshold
// keeps MediumRecall of it, and Ref is the mean feature vector of the
// negatives.
func Fit(ex []Example, o FitOpts) (Weights, error) {
	o = o.norm()
	var npos int
	for _, e := range ex {
		if e.Y {
			npos++
		}
	}
	if npos == 0 || npos == len(ex) {
		return Weights{}, ErrFit
	}
	n := float64(len(ex))
	var mean, sd [NumFeatures]float64
	for _, e := range ex {
		for j, v := range e.X {
			mean[j] += v / n
		}
	}
	for _, e := range ex {
		for j, v := range e.X {
			sd[j] += (v - mean[j]) * (v - mean[j]) / n
		}
	}
	for j := range sd {
		sd[j] = math.Sqrt(sd[j])
	}
	z := make([][NumFeatures]float64, len(ex))
	for i, e := range ex {
		for j, v := range e.X {
			if sd[j] > 1e-9 {
				z[i][j] = (v - mean[j]) / sd[j]
			}
		}
	}
	// bounds in standardised units, from FeatureSign and FeaturePrior
	var lo, hi [NumFeatures]float64
	var w [NumFeatures]float64
	for j := range lo {
		lo[j], hi[j] = math.Inf(-1), math.Inf(1)
		m := 0.0
		if !o.NoPriors {
			m = FeaturePrior[j] * sd[j]
		}
		switch FeatureSign[j] {
		case 1:
			lo[j] = m
		case -1:
			hi[j] = -m
		}
		w[j] = clamp(0, lo[j], hi[j])
	}
	b := math.Log(float64(npos) / (n - float64(npos)))
	eta := make([]float64, len(ex))
	for i := range eta {
		eta[i] = b
		for j := range w {
			eta[i] += w[j] * z[i][j]
		}
	}
	for sweep := 0; sweep < o.Sweeps; sweep++ {
		maxStep := 0.0
		// bias (unpenalised)
		{
			var g, h float64
			for i := range ex {
				p := sigmoid(eta[i])
				g += p - y(ex[i].Y)
				h += p * (1 - p)
			}
			d := clamp(-g/math.Max(h, 1e-9), -1, 1)
			b += d
			for i := range eta {
				eta[i] += d
			}
			maxStep = math.Max(maxStep, math.Abs(d))
		}
		for j := 0; j < NumFeatures; j++ {
			if sd[j] <= 1e-9 {
				continue
			}
			g, h := o.L2*w[j], o.L2
			for i := range ex {
				p := sigmoid(eta[i])
				g += (p - y(ex[i].Y)) * z[i][j]
				h += p * (1 - p) * z[i][j] * z[i][j]
			}
			nw := clamp(w[j]-clamp(g/h, -1, 1), lo[j], hi[j])
			d := nw - w[j]
			if d != 0 {
				for i := range eta {
					eta[i] += d * z[i][j]
				}
				w[j] = nw
			}
			maxStep = math.Max(maxStep, math.Abs(d))
		}
		if maxStep < 1e-7 {
			break
		}
	}
	var out Weights
	out.Bias = b
	for j := range w {
		if sd[j] > 1e-9 {
			out.W[j] = w[j] / sd[j]
		} else if !o.NoPriors { // constant in the data: the prior alone
			out.W[j] = float64(FeatureSign[j]) * FeaturePrior[j]
		}
		out.Bias -= out.W[j] * mean[j]
	}
	nneg := 0.0
	for _, e := range ex {
		if !e.Y {
			nneg++
			for j, v := range e.X {
				out.Ref[j] += v
			}
		}
	}
	for j := range out.Ref {
		out.Ref[j] /= nneg
	}
	scores := make([]float64, len(ex))
	labels := make([]bool, len(ex))
	for i, e := range ex {
		scores[i] = out.Predict(e.X)
		labels[i] = e.Y
	}
	out.Alert, _ = BestF1Threshold(scores, labels)
	out.Medium = RecallThreshold(scores, labels, o.MediumRecall)
	if out.Medium > out.Alert {
		out.Medium = out.Alert
	}
	return out, nil
}

func y(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Predict is the fitted part of the risk for a feature vector (no
// signals, no history).
func (w *Weights) Predict(x [NumFeatures]float64) float64 {
	l := w.Bias
	for j, v := range x {
		l += w.W[j] * v
	}
	return sigmoid(l)
}

// BestF1Threshold returns the threshold t maximising F1 of the positives
// when score ≥ t predicts positive (the midpoint between neighbouring
// scores, rounded to 3 decimals), and that F1.
func BestF1Threshold(scores []float64, pos []bool) (float64, float64) {
	idx := sortedDesc(scores)
	total := 0
	for _, p := range pos {
		if p {
			total++
		}
	}
	bestT, bestF := 0.5, -1.0
	tp := 0
	for k, i := range idx {
		if pos[i] {
			tp++
		}
		if k+1 < len(idx) && scores[idx[k+1]] == scores[i] {
			continue
		}
		f := 2 * float64(tp) / float64(k+1+total)
		if f > bestF {
			bestF = f
			t := scores[i]
			if k+1 < len(idx) {
				t = (scores[i] + scores[idx[k+1]]) / 2
			}
			bestT = math.Floor(t*1000) / 1000
		}
	}
	return bestT, bestF
}

// RecallThreshold returns the highest threshold (3 decimals) at which at
// least recall of the positives score at or above it.
func RecallThreshold(scores []float64, pos []bool, recall float64) float64 {
	var ps []float64
	for i, s := range scores {
		if pos[i] {
			ps = append(ps, s)
		}
	}
	if len(ps) == 0 {
		return 0
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ps)))
	k := int(math.Ceil(recall*float64(len(ps)))) - 1
	k = max(0, min(k, len(ps)-1))
	return math.Floor(ps[k]*1000) / 1000
}

func sortedDesc(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	return idx
}

// F1At is F1 of the positives when score ≥ t predicts positive.
func F1At(scores []float64, pos []bool, t float64) float64 {
	var tp, fp, fn float64
	for i, s := range scores {
		switch {
		case s >= t && pos[i]:
			tp++
		case s >= t:
			fp++
		case pos[i]:
			fn++
		}
	}
	if tp == 0 {
		return 0
	}
	return 2 * tp / (2*tp + fp + fn)
}

// CVResult holds per-fold held-out figures of CrossValidate.
type CVResult struct {
	// AUC on the whole conversations; FirstAUC on the state after the
	// first customer message only; F1 of the positives at the alert
	// threshold fitted on the training folds; Alert those thresholds.
	AUC, FirstAUC, F1, Alert []float64
}

// MeanSD returns the mean and the (sample) standard deviation.
func MeanSD(xs []float64) (float64, float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	var m float64
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	if len(xs) < 2 {
		return m, 0
	}
	var v float64
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return m, math.Sqrt(v / float64(len(xs)-1))
}

// CrossValidate runs k-fold cross-validation, repeated reps times with
// different shuffles (seeded, so reproducible), stratified by label. ex
// are the whole conversations, first the same conversations cut after
// the first customer message (nil to skip).
func CrossValidate(ex, first []Example, k, reps int, seed uint64, o FitOpts) (CVResult, error) {
	var res CVResult
	if k < 2 || len(ex) < k {
		return res, ErrFit
	}
	for rep := 0; rep < reps; rep++ {
		rng := rand.New(rand.NewPCG(seed, uint64(rep)))
		fold := make([]int, len(ex))
		var posIdx, negIdx []int
		for i, e := range ex {
			if e.Y {
				posIdx = append(posIdx, i)
			} else {
				negIdx = append(negIdx, i)
			}
		}
		for _, grp := range [][]int{posIdx, negIdx} {
			rng.Shuffle(len(grp), func(a, b int) { grp[a], grp[b] = grp[b], grp[a] })
			for r, i := range grp {
				fold[i] = r % k
			}
		}
		for f := 0; f < k; f++ {
			var tr []Example
			var teIdx []int
			for i, e := range ex {
				if fold[i] == f {
					teIdx = append(teIdx, i)
				} else {
					tr = append(tr, e)
				}
			}
			w, err := Fit(tr, o)
			if err != nil {
				return res, err
			}
			sc := make([]float64, len(teIdx))
			fs := make([]float64, len(teIdx))
			lb := make([]bool, len(teIdx))
			for t, i := range teIdx {
				sc[t] = w.Predict(ex[i].X)
				if first != nil {
					fs[t] = w.Predict(first[i].X)
				}
				lb[t] = ex[i].Y
			}
			a, _ := evaluate.AUC(sc, lb)
			res.AUC = append(res.AUC, a)
			if first != nil {
				fa, _ := evaluate.AUC(fs, lb)
				res.FirstAUC = append(res.FirstAUC, fa)
			}
			res.F1 = append(res.F1, F1At(sc, lb, w.Alert))
			res.Alert = append(res.Alert, w.Alert)
		}
	}
	return res, nil
}
