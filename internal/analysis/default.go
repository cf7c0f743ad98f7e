package analysis

import (
	"fmt"
	"sync"

	"huajie/internal/models"
)

var (
	defOnce sync.Once
	defA    *Analyzer
	defErr  error
)

// Default returns the Analyzer over the built-in models and the embedded
// lexicon and taxonomy. It is built once and shared.
func Default() (*Analyzer, error) {
	defOnce.Do(func() {
		e, err := models.Load("emotion")
		if err != nil {
			defErr = fmt.Errorf("analysis: %w", err)
			return
		}
		s, err := models.Load("sentiment")
		if err != nil {
			defErr = fmt.Errorf("analysis: %w", err)
			return
		}
		b, err := models.EmotionSentiment()
		if err != nil {
			defErr = fmt.Errorf("analysis: %w", err)
			return
		}
		defA, defErr = New(Opts{Emotion: e, Sentiment: s, Bundle: b})
	})
	return defA, defErr
}
