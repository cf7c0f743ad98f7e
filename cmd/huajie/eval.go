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

	"huajie/internal/dataset"
	"huajie/internal/evaluate"
	"huajie/internal/models"
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
			return errors.New("--model is not used by the dialogue task (it aggregates the built-in models)")
		}
		rep, err = evalDialogue(items)
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

// evalDialogue scores a dialogue from its customer turns with the built-in
// sentiment and emotion models. A turn's risk is the mean of P(negative)
// and P(anger)+P(anxiety)+P(disappointment); the dialogue's is the mean of
// its customer turns' maximum and average risk, and ≥ 0.5 predicts
// dissatisfied. Fixed a priori: nothing here is fitted to dialogue data.
func evalDialogue(items []dataset.Item) (evaluate.Report, error) {
	sm, err := models.Load("sentiment")
	if err != nil {
		return evaluate.Report{}, err
	}
	em, err := models.Load("emotion")
	if err != nil {
		return evaluate.Report{}, err
	}
	neg := sm.LabelIndex("negative")
	var bad []int
	for _, l := range []string{"anger", "anxiety", "disappointment"} {
		bad = append(bad, em.LabelIndex(l))
	}
	sp := make([]float64, len(sm.Labels()))
	ep := make([]float64, len(em.Labels()))
	f := textclass.NewFeatures()
	risk := make([]float64, len(items))
	start := time.Now()
	for i, it := range items {
		var mx, sum float64
		n := 0
		for _, t := range it.Turns {
			if t.Role != "customer" {
				continue
			}
			f.Extract(t.Text)
			sm.PredictFeatures(f, sp)
			em.PredictFeatures(f, ep)
			e := 0.0
			for _, j := range bad {
				e += ep[j]
			}
			r := (sp[neg] + e) / 2
			mx = math.Max(mx, r)
			sum += r
			n++
		}
		if n > 0 {
			risk[i] = (mx + sum/float64(n)) / 2
		}
	}
	secs := time.Since(start).Seconds()
	gold := make([]string, len(items))
	pred := make([]string, len(items))
	isPos := make([]bool, len(items))
	for i, it := range items {
		gold[i] = it.Label
		pred[i] = "not_dissatisfied"
		if risk[i] >= 0.5 {
			pred[i] = "dissatisfied"
		}
		isPos[i] = it.Label == "dissatisfied"
	}
	rep, err := evaluate.Classify(gold, pred)
	if err != nil {
		return rep, err
	}
	if a, err := evaluate.AUC(risk, isPos); err == nil && !math.IsNaN(a) {
		rep.AUC = &a
	}
	rep.Model = "built-in sentiment+emotion, customer turns"
	rep.Seconds = secs
	if secs > 0 {
		rep.ItemsPerSecond = float64(len(items)) / secs
	}
	return rep, nil
}
