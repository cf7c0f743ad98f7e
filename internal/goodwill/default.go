package goodwill

import (
	"fmt"
	"sync"

	"huajie/internal/analysis"
	"huajie/internal/models"
)

var (
	defOnce sync.Once
	defA    *Assessor
	defErr  error
)

// Default returns the assessor over the built-in analyser
// (analysis.Default) and offensive model (models.Offensive), built on first
// use and shared; it is safe for concurrent use.
func Default() (*Assessor, error) {
	defOnce.Do(func() {
		an, err := analysis.Default()
		if err != nil {
			defErr = fmt.Errorf("goodwill: %w", err)
			return
		}
		off, err := models.Load("offensive")
		if err != nil {
			defErr = fmt.Errorf("goodwill: %w", err)
			return
		}
		defA, defErr = New(Opts{Analyzer: an, Offensive: off})
	})
	return defA, defErr
}
