// Package evaluate computes the figures of the `huajie eval` contract
// (shared/eval/FORMAT.md): accuracy, macro-F1 over the gold classes
// present, per-class precision, recall, F1 and support, and ROC AUC.
package evaluate

import (
	"errors"
	"math"
	"sort"
)

// ClassReport is the figures of one class.
type ClassReport struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Support   int     `json:"support"`
}

// Report is the output of `huajie eval`.
type Report struct {
	Task           string                 `json:"task"`
	N              int                    `json:"n"`
	Accuracy       float64                `json:"accuracy"`
	MacroF1        float64                `json:"macro_f1"`
	PerClass       map[string]ClassReport `json:"per_class"`
	AUC            *float64               `json:"auc,omitempty"`
	Seconds        float64                `json:"seconds"`
	ItemsPerSecond float64                `json:"items_per_second"`
	Model          string                 `json:"model,omitempty"`
	Data           string                 `json:"data,omitempty"`
}

// ErrLength is returned when gold and predicted lists differ in length.
var ErrLength = errors.New("evaluate: gold and predicted lengths differ")

// Classify computes accuracy, macro-F1 and per-class figures from gold
// and predicted labels. Macro-F1 averages over the classes present in
// gold; a class only predicted appears in PerClass with support 0 but
// does not enter the mean. Precision of a never-predicted class is 0.
func Classify(gold, pred []string) (Report, error) {
	if len(gold) != len(pred) {
		return Report{}, ErrLength
	}
	r := Report{N: len(gold), PerClass: map[string]ClassReport{}}
	tp := map[string]int{}
	np := map[string]int{}
	ng := map[string]int{}
	correct := 0
	for i := range gold {
		ng[gold[i]]++
		np[pred[i]]++
		if gold[i] == pred[i] {
			tp[gold[i]]++
			correct++
		}
	}
	if len(gold) > 0 {
		r.Accuracy = float64(correct) / float64(len(gold))
	}
	classes := map[string]bool{}
	for c := range ng {
		classes[c] = true
	}
	for c := range np {
		classes[c] = true
	}
	sum := 0.0
	for c := range classes {
		cr := ClassReport{Support: ng[c]}
		if np[c] > 0 {
			cr.Precision = float64(tp[c]) / float64(np[c])
		}
		if ng[c] > 0 {
			cr.Recall = float64(tp[c]) / float64(ng[c])
		}
		if cr.Precision+cr.Recall > 0 {
			cr.F1 = 2 * cr.Precision * cr.Recall / (cr.Precision + cr.Recall)
		}
		r.PerClass[c] = cr
		if ng[c] > 0 {
			sum += cr.F1
		}
	}
	if len(ng) > 0 {
		r.MacroF1 = sum / float64(len(ng))
	}
	return r, nil
}

// AUC is the ROC AUC of scores for the items with positive[i] true: the
// probability that a random positive scores above a random negative, ties
// counting one half. It is NaN when either class is absent.
func AUC(scores []float64, positive []bool) (float64, error) {
	if len(scores) != len(positive) {
		return 0, ErrLength
	}
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] < scores[idx[b]] })
	var npos, nneg float64
	rankSum := 0.0
	for i := 0; i < len(idx); {
		j := i
		for j < len(idx) && scores[idx[j]] == scores[idx[i]] {
			j++
		}
		avg := float64(i+j+1) / 2 // mean 1-based rank of the tie group
		for _, id := range idx[i:j] {
			if positive[id] {
				rankSum += avg
				npos++
			} else {
				nneg++
			}
		}
		i = j
	}
	if npos == 0 || nneg == 0 {
		return math.NaN(), nil
	}
	return (rankSum - npos*(npos+1)/2) / (npos * nneg), nil
}
