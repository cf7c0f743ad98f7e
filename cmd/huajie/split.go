package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"huajie/internal/dataset"
)

func init() {
	register(command{name: "split", summary: "split a labelled JSONL file into train and held-out parts, deterministically", run: runSplit})
}

func runSplit(_ context.Context, env *cmdEnv, args []string) error {
	fs := flag.NewFlagSet("split", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	data := fs.String("data", "", "labelled JSONL file")
	task := fs.String("task", "intent", "task whose label vocabulary the file must use (intent takes any labels)")
	frac := fs.Float64("test", 0.2, "fraction of each label's items held out")
	seed := fs.Uint64("seed", 1, "seed of the split")
	trainOut := fs.String("train-out", "", "file for the training part")
	testOut := fs.String("test-out", "", "file for the held-out part")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %v", fs.Args())
	}
	if *data == "" || *trainOut == "" || *testOut == "" {
		return errors.New("--data, --train-out and --test-out are required")
	}
	if *frac <= 0 || *frac >= 1 {
		return errors.New("--test must be between 0 and 1")
	}
	if *trainOut == *testOut || *trainOut == *data || *testOut == *data {
		return errors.New("--data, --train-out and --test-out must be different files")
	}
	items, err := dataset.Read(*data, *task)
	if err != nil {
		return err
	}
	train, test := dataset.Split(items, *frac, *seed)
	if err := dataset.WriteFile(*trainOut, train); err != nil {
		return err
	}
	if err := dataset.WriteFile(*testOut, test); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "{\"train\": %d, \"test\": %d}\n", len(train), len(test))
	return nil
}
