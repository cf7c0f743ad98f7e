package main

import (
	"log/slog"

	"huajie/internal/cases"
)

// analyzer returns the analysis engine's Analyze for intake and contacts,
// or nil, in which case the cases service falls back to its cue words.
func analyzer(log *slog.Logger) cases.AnalyzeFunc {
	_ = log
	return nil
}

// channelCode maps an intake channel to its JR/T 0169-2018 channel code;
// no mapping until the jrt taxonomy offers one.
func channelCode(cases.Channel) (string, bool) { return "", false }
