// Package models holds Huajie's built-in text classifiers, trained by
// `huajie train` from shared/data (see docs/models.md) and embedded in the
// binary. Each is decoded once, on first use.
package models

import (
	"embed"
	"fmt"
	"sort"
	"sync"

	"huajie/internal/textclass"
)

//go:embed *.hjm
var files embed.FS

// Tasks with a built-in model, and their files.
var builtin = map[string]string{
	"emotion":   "emotion.hjm",
	"sentiment": "sentiment.hjm",
	"complaint": "complaint.hjm",
	"offensive": "offensive.hjm",
}

type entry struct {
	once sync.Once
	m    *textclass.Model
	err  error
}

var loaded = func() map[string]*entry {
	m := map[string]*entry{}
	for t := range builtin {
		m[t] = &entry{}
	}
	return m
}()

// Tasks lists the tasks with a built-in model.
func Tasks() []string {
	out := make([]string, 0, len(builtin))
	for t := range builtin {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// Load returns the built-in model of task, decoding it on first use. The
// model is shared and safe for concurrent use.
func Load(task string) (*textclass.Model, error) {
	e, ok := loaded[task]
	if !ok {
		return nil, fmt.Errorf("models: no built-in model for task %q (have %v)", task, Tasks())
	}
	e.once.Do(func() {
		b, err := files.ReadFile(builtin[task])
		if err != nil {
			e.err = fmt.Errorf("models: %s: %w", task, err)
			return
		}
		e.m, e.err = textclass.Decode(b)
		if e.err == nil && e.m.Task() != task {
			e.err = fmt.Errorf("models: %s holds a %q model", builtin[task], e.m.Task())
		}
	})
	return e.m, e.err
}

func must(task string) *textclass.Model {
	m, err := Load(task)
	if err != nil {
		panic(err)
	}
	return m
}

// Emotion is the built-in emotion model (anger, anxiety, disappointment,
// joy, surprise, neutral). It panics only if the embedded file is corrupt,
// which the package tests rule out; use Load for an error instead.
func Emotion() *textclass.Model { return must("emotion") }

// Sentiment is the built-in sentiment model (positive, negative).
func Sentiment() *textclass.Model { return must("sentiment") }

// Complaint is the built-in English complaint model (complaint, not_complaint).
func Complaint() *textclass.Model { return must("complaint") }

// Offensive is the built-in offensive-language model (offensive, safe).
func Offensive() *textclass.Model { return must("offensive") }

var bundle struct {
	once sync.Once
	b    *textclass.Bundle
	err  error
}

// EmotionSentiment returns the emotion and sentiment models bundled into
// one interleaved table (textclass.Bundle): the analysis engine's fast
// path, one cache miss per feature for both. PredictFeatures fills the
// emotion probabilities first, then the sentiment ones.
func EmotionSentiment() (*textclass.Bundle, error) {
	bundle.once.Do(func() {
		em, err := Load("emotion")
		if err != nil {
			bundle.err = err
			return
		}
		sm, err := Load("sentiment")
		if err != nil {
			bundle.err = err
			return
		}
		bundle.b, bundle.err = textclass.NewBundle(em, sm)
	})
	return bundle.b, bundle.err
}
