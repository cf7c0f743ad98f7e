package risk

// DefaultWeights are the built-in combining weights. Until the fit on the
// dialogue data replaces them (TestFitDialogueWeights -write), they are set
// by hand.
var DefaultWeights = Weights{
	Bias: -3.0,
	W: [NumFeatures]float64{
		FNegMax: 1.0, FNegMean: 0.5, FNegLast: 1.0, FNegSlope: 1.0, FDistMax: 0.5, FDistLast: 0.5,
		FAngerMax: 0.8, FIntensMax: 0.3, FRises: 0.3, FEscalation: 1.5, FComplaint: 0.8, FChurn: 0.8,
		FAbuse: 0.8, FRepeat: 0.5, FStill: 0.5, FConfused: 0.3, FThanks: -0.3, FThanksLast: -0.8,
		FEmpathy: -0.3, FDeflection: 0.8, FNextStep: -0.6, FVagueStep: -0.1, FOpen: 0.3,
	},
	Alert:  0.6,
	Medium: 0.35,
}

// DefaultAlertThreshold is the risk from which the built-in model calls a
// conversation high and an alert is raised.
const DefaultAlertThreshold = 0.6
