package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"time"

	"huajie/internal/analysis"
	"huajie/internal/dataset"
	"huajie/internal/evaluate"
	"huajie/internal/models"
	"huajie/internal/risk"
	"huajie/internal/textclass"
)

func init() {
	register(command{name: "eval", summary: "measure a model on a labelled JSONL file (shared/eval/FORMAT.md)", run: runEval})
}

func runEval(ctx context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	task := fs.String("task", "", "task: sentiment, emotion, complaint, offensive, intent or dialogue")
	data := fs.String("data", "", "labelled JSONL file")
	modelPath := fs.String("model", "", "model file (default: the built-in model of the task)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	if *task == "" || *data == "" {
		return errors.New("--task and --data are required")
	}
	if _, err := dataset.Labels(*task); err != nil {
		return err
	}
	items, err := dataset.Read(*data, *task)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "read %s: %d items\n", *data, len(items))
	if err := ctx.Err(); err != nil {
		return err
	}

	var rep evaluate.Report
	if *task == "dialogue" {
		if *modelPath != "" {
			return errors.New("--model is not used by the dialogue task (it runs the built-in conversation risk model)")
		}
		dr, err := evalDialogue(items)
		if err != nil {
			return err
		}
		dr.Task = *task
		dr.Data = *data
		enc := json.NewEncoder(env.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(dr)
	} else {
		var m *textclass.Model
		m, err = loadModel(*task, *modelPath)
		if err != nil {
			return err
		}
		rep, err = evalMessages(m, *task, items)
		rep.Model = *modelPath
		if rep.Model == "" {
			rep.Model = "built-in"
		}
	}
	if err != nil {
		return err
	}
	rep.Task = *task
	rep.Data = *data
	enc := json.NewEncoder(env.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

func loadModel(task, path string) (*textclass.Model, error) {
	if path == "" {
		if task == "intent" {
			return nil, errors.New("intent has no built-in model: train one with 'huajie train --task intent' and pass --model")
		}
		return models.Load(task)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := textclass.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if m.Task() != task {
		return nil, fmt.Errorf("%s is a %q model, not %q", path, m.Task(), task)
	}
	return m, nil
}

// evalMessages scores every item on one goroutine, timing only the model's
// work (featurise and predict), then computes the figures.
func evalMessages(m *textclass.Model, task string, items []dataset.Item) (evaluate.Report, error) {
	labels := m.Labels()
	pos := -1
	if len(labels) == 2 {
		pos = m.LabelIndex(dataset.Positive[task])
	}
	probs := make([]float64, len(labels))
	pred := make([]int, len(items))
	score := make([]float64, len(items))
	f := textclass.NewFeaturesConfig(m.Config())
	start := time.Now()
	for i := range items {
		f.Extract(items[i].Text)
		m.PredictFeatures(f, probs)
		pred[i] = argmax(probs)
		if pos >= 0 {
			score[i] = probs[pos]
		}
	}
	secs := time.Since(start).Seconds()
	gold := make([]string, len(items))
	ps := make([]string, len(items))
	isPos := make([]bool, len(items))
	for i, it := range items {
		gold[i] = it.Label
		ps[i] = labels[pred[i]]
		isPos[i] = pos >= 0 && it.Label == labels[pos]
	}
	rep, err := evaluate.Classify(gold, ps)
	if err != nil {
		return rep, err
	}
	if pos >= 0 {
		if a, err := evaluate.AUC(score, isPos); err == nil && !math.IsNaN(a) {
			rep.AUC = &a
		}
	}
	rep.Seconds = secs
	if secs > 0 {
		rep.ItemsPerSecond = float64(len(items)) / secs
	}
	return rep, nil
}

// dialogueReport is the eval contract's report plus what the dialogue task
// adds: the alert threshold, the earliest-warning AUC and the
// cross-validated figures.
type dialogueReport struct {
	evaluate.Report
	// AlertThreshold is risk.DefaultAlertThreshold: risk ≥ it predicts
	// dissatisfied.
	AlertThreshold float64 `json:"alert_threshold"`
	// FirstMessageAUC is the AUC of the risk after the first customer
	// message only.
	FirstMessageAUC *float64 `json:"first_message_auc,omitempty"`
	// CV: the built-in weights were fitted on dch1_dev, so auc above is
	// in-sample on that file; these are held-out figures of the same fit.
	CV *dialogueCV `json:"cv,omitempty"`
	// Note says how to read the figures.
	Note string `json:"note"`
}

type dialogueCV struct {
	Folds            int     `json:"folds"`
	Repeats          int     `json:"repeats"`
	AUCMean          float64 `json:"auc_mean"`
	AUCSD            float64 `json:"auc_sd"`
	FirstMessageMean float64 `json:"first_message_auc_mean"`
	FirstMessageSD   float64 `json:"first_message_auc_sd"`
	F1Mean           float64 `json:"f1_dissatisfied_mean"`
	F1SD             float64 `json:"f1_dissatisfied_sd"`
	Seconds          float64 `json:"seconds"`
}

// evalDialogue runs the conversation risk model (internal/risk) over each
// dialogue, turn by turn, as it runs on live conversations: risk ≥
// risk.DefaultAlertThreshold predicts dissatisfied. seconds and
// items_per_second cover the analysis of every turn and the model. Then
// it cross-validates the combining weights on the file's features (only
// those few weights are fitted: no text model is trained on it).
func evalDialogue(items []dataset.Item) (dialogueReport, error) {
	var out dialogueReport
	an, err := analysis.Default()
	if err != nil {
		return out, err
	}
	m := risk.Default()
	res := make([]risk.DialogueResult, len(items))
	turns := make([]risk.Turn, 0, 16)
	start := time.Now()
	for i, it := range items {
		turns = turns[:0]
		for _, t := range it.Turns {
			turns = append(turns, risk.Turn{Role: t.Role, Text: t.Text})
		}
		res[i] = m.RunDialogue(an, turns)
	}
	secs := time.Since(start).Seconds()
	gold := make([]string, len(items))
	pred := make([]string, len(items))
	isPos := make([]bool, len(items))
	score := make([]float64, len(items))
	first := make([]float64, len(items))
	whole := make([]risk.Example, len(items))
	firstEx := make([]risk.Example, len(items))
	for i, it := range items {
		gold[i] = it.Label
		pred[i] = "not_dissatisfied"
		if res[i].Risk >= risk.DefaultAlertThreshold {
			pred[i] = "dissatisfied"
		}
		isPos[i] = it.Label == "dissatisfied"
		score[i] = res[i].Risk
		first[i] = res[i].FirstRisk
		whole[i] = risk.Example{X: res[i].Features, Y: isPos[i]}
		firstEx[i] = risk.Example{X: res[i].FirstFeatures, Y: isPos[i]}
	}
	out.Report, err = evaluate.Classify(gold, pred)
	if err != nil {
		return out, err
	}
	if a, err := evaluate.AUC(score, isPos); err == nil && !math.IsNaN(a) {
		out.AUC = &a
	}
	if a, err := evaluate.AUC(first, isPos); err == nil && !math.IsNaN(a) {
		out.FirstMessageAUC = &a
	}
	out.Model = "risk (internal/risk): built-in analysis per turn, combining weights fitted on dch1_dev features"
	out.AlertThreshold = risk.DefaultAlertThreshold
	out.Seconds = secs
	if secs > 0 {
		out.ItemsPerSecond = float64(len(items)) / secs
	}
	out.Note = "auc, first_message_auc and per_class use the built-in weights; on dch1_dev (the file they were fitted on) they are in-sample, cv holds the held-out figures"
	cvStart := time.Now()
	cv, err := risk.CrossValidate(whole, firstEx, risk.CVFolds, risk.CVRepeats, risk.CVSeed, risk.FitOpts{})
	if err == nil {
		c := dialogueCV{Folds: risk.CVFolds, Repeats: risk.CVRepeats}
		c.AUCMean, c.AUCSD = risk.MeanSD(cv.AUC)
		c.FirstMessageMean, c.FirstMessageSD = risk.MeanSD(cv.FirstAUC)
		c.F1Mean, c.F1SD = risk.MeanSD(cv.F1)
		c.Seconds = time.Since(cvStart).Seconds()
		out.CV = &c
	}
	return out, nil
}
