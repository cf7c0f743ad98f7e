package insight

import (
	"huajie/internal/collect"
	"huajie/internal/interactions"
)

// DailyRow is one day's counts of one value of a breakdown.
type DailyRow struct {
	Day         int64
	Value       string
	N           int64
	Negative    int64
	NegativeSum float64
	RiskSum     float64
	High        int64
}

// RefreshStats says what a refresh of the facts added.
type RefreshStats struct {
	Messages int `json:"messages"`
	Cases    int `json:"cases"`
	// Zone is the zone days are counted in. Rebuilt says the roll-up was
	// built in another zone, PreviousZone ("" when none was recorded), and
	// was rebuilt in this one.
	Zone         string `json:"zone"`
	Rebuilt      bool   `json:"rebuilt,omitempty"`
	PreviousZone string `json:"previous_zone,omitempty"`
}

// ScoreRow is the CSAT or NPS of one value of a breakdown.
type ScoreRow struct {
	Kind  string  `json:"kind"`
	Value string  `json:"value"`
	N     int64   `json:"n"`
	Score float64 `json:"score"` // NPS −100…100, CSAT % satisfied
}

// PostRow is a post with its analysis and derived fact, as stored.
type PostRow struct {
	Post     collect.Post
	Analysis interactions.Analysis
	Fact     Fact
}
