package main

import (
	"log/slog"

	"huajie/internal/analysis"
	"huajie/internal/cases"
	"huajie/internal/cases/caseanalysis"
)

// analyzer returns the analysis engine's Analyze for intake and contacts.
// If the engine cannot be built the server still runs: the cases service
// then assesses from its cue words alone, and the log says so.
func analyzer(log *slog.Logger) cases.AnalyzeFunc {
	a, err := analysis.Default()
	if err != nil {
		log.Warn("analysis engine unavailable; assessing from cue words only", "err", err)
		return nil
	}
	return caseanalysis.Func(a.Analyze)
}

// channelCode maps an intake channel to its JR/T 0169-2018 channel (A) code.
var channelCode = cases.DefaultChannelCode
