package insight

import (
	"time"

	"huajie/internal/interactions"
)

// Moment is one message of a conversation as the peak-end view shows it.
type Moment struct {
	ID       string    `json:"id"`
	Turn     int       `json:"turn"`
	At       time.Time `json:"at"`
	Role     string    `json:"role"`
	Text     string    `json:"text"`
	Emotion  string    `json:"emotion"`
	Negative float64   `json:"negative"`
	Risk     float64   `json:"risk"`
	Level    string    `json:"level"`
}

// PeakEnd is the peak-end view of a conversation (Kahneman's peak-end
// rule: a customer remembers an experience by its worst moment and its
// ending, not by its average).
type PeakEnd struct {
	Messages int `json:"messages"`
	// Peak is the customer message with the highest conversation risk
	// (the more negative one on a tie, then the earlier).
	Peak *Moment `json:"peak,omitempty"`
	// End is the conversation's last message and its risk.
	End *Moment `json:"end,omitempty"`
	// Score is (peak risk + end risk) / 2; Mean the mean risk over the
	// customer's messages, for comparison.
	Score float64 `json:"score"`
	Mean  float64 `json:"mean"`
	// Recovered is true when the ending is markedly better than the peak
	// (risk fell by at least a third of the peak).
	Recovered bool     `json:"recovered"`
	Curve     []Moment `json:"curve"`
}

// PeakEndOf computes the view from a conversation's messages in order.
func PeakEndOf(ms []interactions.Stored) PeakEnd {
	pe := PeakEnd{Messages: len(ms)}
	var sum float64
	var k int
	for i := range ms {
		m := &ms[i]
		mo := Moment{ID: m.ID, Turn: m.Turn, At: m.Time, Role: m.Role, Text: m.Text, Emotion: string(m.Analysis.Emotion),
			Negative: m.Analysis.Negative, Risk: m.Risk, Level: m.Level}
		pe.Curve = append(pe.Curve, mo)
		if m.Role != "customer" {
			continue
		}
		sum += m.Risk
		k++
		if pe.Peak == nil || m.Risk > pe.Peak.Risk || (m.Risk == pe.Peak.Risk && m.Analysis.Negative > pe.Peak.Negative) {
			c := mo
			pe.Peak = &c
		}
	}
	if len(ms) > 0 {
		e := pe.Curve[len(pe.Curve)-1]
		pe.End = &e
	}
	if k > 0 {
		pe.Mean = sum / float64(k)
	}
	if pe.Peak != nil && pe.End != nil {
		pe.Score = (pe.Peak.Risk + pe.End.Risk) / 2
		pe.Recovered = pe.Peak.Risk > 0 && pe.End.Risk <= pe.Peak.Risk*2/3
	}
	return pe
}
