package main

import (
	"log/slog"
	"sync"

	"huajie/internal/analysis"
	"huajie/internal/cases"
	"huajie/internal/cases/caseanalysis"
	"huajie/internal/models"
)

// analysisEngine loads the built-in emotion and sentiment models once per
// process; serve and demo share it.
var analysisEngine = sync.OnceValues(func() (*analysis.Analyzer, error) {
	e, err := models.Load("emotion")
	if err != nil {
		return nil, err
	}
	s, err := models.Load("sentiment")
	if err != nil {
		return nil, err
	}
	return analysis.New(analysis.Opts{Emotion: e, Sentiment: s})
})

// analyzer returns the analysis engine's Analyze for intake and contacts.
// If the engine cannot be built the server still runs: the cases service
// then assesses from its cue words alone, and the log says so.
func analyzer(log *slog.Logger) cases.AnalyzeFunc {
	a, err := analysisEngine()
	if err != nil {
		log.Warn("analysis engine unavailable; assessing from cue words only", "err", err)
		return nil
	}
	return caseanalysis.Func(a.Analyze)
}

// channelCode maps an intake channel to its JR/T 0169-2018 channel (A) code.
var channelCode = cases.DefaultChannelCode
