package main

import (
	"log/slog"

	"huajie/internal/goodwill"
)

// goodwillAssessor returns the built-in goodwill assessor for intake,
// contacts and POST /api/v1/assess (built once, shared). If it cannot be
// built the server still runs: cases are then not assessed for goodwill,
// /api/v1/assess answers 503, and the log says so.
func goodwillAssessor(log *slog.Logger) *goodwill.Assessor {
	a, err := goodwill.Default()
	if err != nil {
		log.Warn("goodwill assessor unavailable; cases are not assessed for goodwill", "err", err)
		return nil
	}
	return a
}
