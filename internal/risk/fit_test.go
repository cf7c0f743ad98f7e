package risk

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"huajie/internal/analysis"
	"huajie/internal/dataset"
	"huajie/internal/evaluate"
)

var writeWeights = flag.Bool("write", false, "TestFitDialogueWeights: write the fitted weights to weights_fitted.go")

const dch1Path = "../../../shared/data/dialogue/dch1_dev.jsonl"

const (
	cvFolds = CVFolds
	cvReps  = CVRepeats
	cvSeed  = CVSeed
)

// dialogueExamples analyses every turn of dch1 once and returns, per
// dialogue, the features after the whole dialogue and after its first
// customer message.
func dialogueExamples(t testing.TB) (whole, first []Example, items []dataset.Item) {
	t.Helper()
	items, err := dataset.Read(dch1Path, "dialogue")
	if err != nil {
		if os.IsNotExist(err) {
			t.Skipf("%s not present", dch1Path)
		}
		t.Fatal(err)
	}
	an, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	m := Default()
	start := time.Now()
	turns := 0
	for _, it := range items {
		ts := make([]Turn, len(it.Turns))
		for i, tu := range it.Turns {
			ts[i] = Turn{Role: tu.Role, Text: tu.Text}
		}
		turns += len(ts)
		d := m.RunDialogue(an, ts)
		y := it.Label == "dissatisfied"
		whole = append(whole, Example{X: d.Features, Y: y})
		first = append(first, Example{X: d.FirstFeatures, Y: y})
	}
	t.Logf("analysed %d dialogues, %d turns in %.1fs", len(items), turns, time.Since(start).Seconds())
	return whole, first, items
}

// TestFitDialogueWeights fits the combining weights on dch1_dev (features
// only: no text model is fitted on it), prints the cross-validated figures
// and checks that the committed DefaultWeights are this fit. With -write
// it rewrites weights_fitted.go.
//
//	go test ./internal/risk -run TestFitDialogueWeights -v [-args -write]
func TestFitDialogueWeights(t *testing.T) {
	if testing.Short() {
		t.Skip("fit skipped in -short mode")
	}
	whole, first, _ := dialogueExamples(t)
	o := FitOpts{}
	cv, err := CrossValidate(whole, first, cvFolds, cvReps, cvSeed, o)
	if err != nil {
		t.Fatal(err)
	}
	am, as := MeanSD(cv.AUC)
	fm, fs := MeanSD(cv.FirstAUC)
	f1m, f1s := MeanSD(cv.F1)
	tm, ts := MeanSD(cv.Alert)
	t.Logf("%d-fold CV x %d repeats (%d held-out folds), %d dialogues", cvFolds, cvReps, len(cv.AUC), len(whole))
	t.Logf("held-out AUC, whole dialogue:        %.4f ± %.4f (min %.4f, max %.4f)", am, as, minOf(cv.AUC), maxOf(cv.AUC))
	t.Logf("held-out AUC, first customer message: %.4f ± %.4f", fm, fs)
	t.Logf("held-out F1(dissatisfied) at the training folds' alert threshold: %.4f ± %.4f (threshold %.3f ± %.3f)", f1m, f1s, tm, ts)

	if np, err := CrossValidate(whole, nil, cvFolds, cvReps, cvSeed, FitOpts{NoPriors: true}); err == nil {
		m, s := MeanSD(np.AUC)
		t.Logf("for comparison, without FeaturePrior: held-out AUC %.4f ± %.4f", m, s)
	}

	// ablation: the customer's emotion trajectory alone
	emo := map[int]bool{FNegMax: true, FNegMean: true, FNegLast: true, FDistSlope: true, FDistMax: true, FDistLast: true, FAngerMax: true, FIntensMax: true, FRises: true}
	only := func(ex []Example) []Example {
		out := make([]Example, len(ex))
		for i, e := range ex {
			out[i].Y = e.Y
			for j := range e.X {
				if emo[j] {
					out[i].X[j] = e.X[j]
				}
			}
		}
		return out
	}
	if ab, err := CrossValidate(only(whole), only(first), cvFolds, cvReps, cvSeed, FitOpts{NoPriors: true}); err == nil {
		m, s := MeanSD(ab.AUC)
		fm, _ := MeanSD(ab.FirstAUC)
		t.Logf("ablation, emotion trajectory features only: held-out AUC %.4f ± %.4f, first message %.4f", m, s, fm)
	}

	w, err := Fit(whole, o)
	if err != nil {
		t.Fatal(err)
	}
	sc := make([]float64, len(whole))
	fsc := make([]float64, len(whole))
	lb := make([]bool, len(whole))
	for i := range whole {
		sc[i] = w.Predict(whole[i].X)
		fsc[i] = w.Predict(first[i].X)
		lb[i] = whole[i].Y
	}
	auc, _ := evaluate.AUC(sc, lb)
	fauc, _ := evaluate.AUC(fsc, lb)
	t.Logf("final fit on all %d: in-sample AUC %.4f, first-message AUC %.4f, alert threshold %.3f (F1 %.4f), medium %.3f",
		len(whole), auc, fauc, w.Alert, F1At(sc, lb, w.Alert), w.Medium)
	for j := range w.W {
		t.Logf("  %-18s w=%+.4f ref=%.4f", FeatureNames[j], w.W[j], w.Ref[j])
	}
	t.Logf("  %-18s %+.4f", "bias", w.Bias)

	if am < 0.85 {
		t.Errorf("cross-validated AUC %.4f below the bar 0.85", am)
	}
	if *writeWeights {
		if err := os.WriteFile("weights_fitted.go", weightsSource(w), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("wrote weights_fitted.go")
		return
	}
	// The fit depends on the built-in text models: when they are retrained
	// the fit moves and the committed weights go stale (logged: refit). What
	// must hold is that the committed weights still clear the bar.
	if d := weightsDiff(w, DefaultWeights); d > 1e-3 {
		t.Logf("DefaultWeights differ from this fit by %.4g (the text models changed since the fit): refit with -args -write", d)
	}
	for i := range whole {
		sc[i] = DefaultWeights.Predict(whole[i].X)
	}
	auc, _ = evaluate.AUC(sc, lb)
	t.Logf("committed DefaultWeights on all %d: AUC %.4f, F1 at DefaultAlertThreshold %.3f: %.4f", len(whole), auc, DefaultAlertThreshold, F1At(sc, lb, DefaultAlertThreshold))
	if auc < 0.85 {
		t.Errorf("committed weights: AUC %.4f below 0.85", auc)
	}
}

func minOf(xs []float64) float64 {
	m := math.Inf(1)
	for _, x := range xs {
		m = math.Min(m, x)
	}
	return m
}

func maxOf(xs []float64) float64 {
	m := math.Inf(-1)
	for _, x := range xs {
		m = math.Max(m, x)
	}
	return m
}

func weightsDiff(a, b Weights) float64 {
	d := math.Abs(a.Bias-b.Bias) + math.Abs(a.Alert-b.Alert) + math.Abs(a.Medium-b.Medium)
	for j := range a.W {
		d = math.Max(d, math.Abs(a.W[j]-b.W[j]))
		d = math.Max(d, math.Abs(a.Ref[j]-b.Ref[j]))
	}
	return d
}

func weightsSource(w Weights) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by TestFitDialogueWeights -write; DO NOT EDIT.\n\n")
	fmt.Fprintf(&b, "package risk\n\n")
	fmt.Fprintf(&b, "// DefaultWeights are the built-in combining weights, fitted on\n")
	fmt.Fprintf(&b, "// dialogue/dch1_dev.jsonl features (go test ./internal/risk -run\n")
	fmt.Fprintf(&b, "// TestFitDialogueWeights -v -args -write; see docs/risk.md).\n")
	fmt.Fprintf(&b, "var DefaultWeights = Weights{\n\tBias: %.6f,\n\tW: [NumFeatures]float64{\n", w.Bias)
	for j := range w.W {
		fmt.Fprintf(&b, "\t\t%s: %.6f,\n", constName(j), w.W[j])
	}
	fmt.Fprintf(&b, "\t},\n\tRef: [NumFeatures]float64{\n")
	for j := range w.Ref {
		fmt.Fprintf(&b, "\t\t%s: %.6f,\n", constName(j), w.Ref[j])
	}
	fmt.Fprintf(&b, "\t},\n\tAlert: %.3f,\n\tMedium: %.3f,\n}\n\n", w.Alert, w.Medium)
	fmt.Fprintf(&b, "// DefaultAlertThreshold is the risk from which the built-in model calls a\n")
	fmt.Fprintf(&b, "// conversation high and an alert is raised: the threshold that maximises\n")
	fmt.Fprintf(&b, "// F1 of dissatisfied on the fitted data.\n")
	fmt.Fprintf(&b, "const DefaultAlertThreshold = %.3f\n", w.Alert)
	src, err := format.Source(b.Bytes())
	if err != nil {
		panic(err)
	}
	return src
}

var featureConsts = [NumFeatures]string{
	"FNegMax", "FNegMean", "FNegLast", "FDistSlope", "FDistMax", "FDistLast", "FAngerMax",
	"FIntensMax", "FRises", "FEscalation", "FMedia", "FComplaint", "FChurn", "FAbuse", "FRepeat",
	"FStill", "FConfused", "FThanks", "FThanksLast", "FEmpathy", "FDeflection", "FNextStep",
	"FVagueStep", "FOpen", "FCustTurns", "FCustLen",
}

func constName(j int) string {
	if strings.TrimSpace(featureConsts[j]) == "" {
		panic("feature without a constant name")
	}
	return featureConsts[j]
}
