package goodwill

import (
	"fmt"
	"math"
)

// Weights are the few numbers that turn evidence into a result. They were
// set by hand from seeds 001 and 002, not fitted: the test set in testdata
// measures them, it did not train them.
//
//	goodwill     = Σ dimension weight × dimension score / Σ dimension weights
//	unreasonable = max(Disproportion × D, Outsized × O)
//	malicious    = min(1, Extortion × E + Contradiction × C + Retaliation × R
//	                      + Aggression × A + Leverage × L + Serial × S
//	                      + PressureOnExcess × max(L, S) × unreasonable)
//
// where each cue strength (E, C, R, A, L, S, D, O) is 0–1. The result is
// suspected_malicious when malicious ≥ MaliciousAt, else
// unreasonable_demand when unreasonable ≥ UnreasonableAt, else goodwill.
// Leverage and serial complaining weigh little on their own — a customer
// may go to the regulator, and may complain often — and much when they push
// an excessive demand.
type Weights struct {
	Constructiveness    float64 `json:"constructiveness"`
	EmotionalInvestment float64 `json:"emotional_investment"`
	GoalClarity         float64 `json:"goal_clarity"`
	Attitude            float64 `json:"attitude"`
	Substance           float64 `json:"substance"`

	Extortion        float64 `json:"extortion"`
	Contradiction    float64 `json:"contradiction"`
	Retaliation      float64 `json:"retaliation"`
	Aggression       float64 `json:"aggression"`
	Leverage         float64 `json:"leverage"`
	Serial           float64 `json:"serial"`
	PressureOnExcess float64 `json:"pressure_on_excess"`

	Disproportion float64 `json:"disproportion"`
	Outsized      float64 `json:"outsized"`

	MaliciousAt    float64 `json:"malicious_at"`
	UnreasonableAt float64 `json:"unreasonable_at"`
}

// DefaultWeights are the shipped weights.
var DefaultWeights = Weights{
	Constructiveness: 0.25, EmotionalInvestment: 0.15, GoalClarity: 0.25, Attitude: 0.15, Substance: 0.20,

	Extortion: 0.9, Contradiction: 0.7, Retaliation: 0.6, Aggression: 0.7,
	Leverage: 0.25, Serial: 0.25, PressureOnExcess: 0.6,

	Disproportion: 1.0, Outsized: 0.8,

	MaliciousAt: 0.6, UnreasonableAt: 0.5,
}

func (w *Weights) validate() error {
	vals := []float64{w.Constructiveness, w.EmotionalInvestment, w.GoalClarity, w.Attitude, w.Substance,
		w.Extortion, w.Contradiction, w.Retaliation, w.Aggression, w.Leverage, w.Serial, w.PressureOnExcess,
		w.Disproportion, w.Outsized, w.MaliciousAt, w.UnreasonableAt}
	for _, v := range vals {
		if math.IsNaN(v) || v < 0 || v > 1 {
			return fmt.Errorf("%w: weights must be in 0–1 (have %v)", ErrOpts, v)
		}
	}
	if w.Constructiveness+w.EmotionalInvestment+w.GoalClarity+w.Attitude+w.Substance == 0 {
		return fmt.Errorf("%w: dimension weights are all zero", ErrOpts)
	}
	if w.MaliciousAt == 0 || w.UnreasonableAt == 0 {
		return fmt.Errorf("%w: thresholds must be above zero", ErrOpts)
	}
	return nil
}

func clamp01(x float64) float64 {
	if math.IsNaN(x) || x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
