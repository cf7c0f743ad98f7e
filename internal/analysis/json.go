package analysis

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// MarshalJSON writes the probabilities as an object keyed by label, in the
// order of Emotions: {"anger":0.1,"anxiety":0.05,…}.
func (p EmotionProbs) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 16*NumEmotions)
	b = append(b, '{')
	for i, e := range Emotions {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, e...)
		b = append(b, '"', ':')
		v := p[i]
		if v != v || v < 0 || v > 1 {
			return nil, fmt.Errorf("analysis: emotion probability %v for %s out of [0,1]", v, e)
		}
		b = strconv.AppendFloat(b, v, 'g', 6, 64)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads the object written by MarshalJSON. Unknown labels are
// an error; missing ones are 0.
func (p *EmotionProbs) UnmarshalJSON(b []byte) error {
	var m map[string]float64
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*p = EmotionProbs{}
	for k, v := range m {
		i := emotionIndex(Emotion(k))
		if i < 0 {
			return fmt.Errorf("analysis: unknown emotion %q", k)
		}
		p[i] = v
	}
	return nil
}

func emotionIndex(e Emotion) int {
	for i, l := range Emotions {
		if l == e {
			return i
		}
	}
	return -1
}
