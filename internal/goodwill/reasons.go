package goodwill

import "fmt"

// reasons explains the result in a few sentences, most important first.
func reasons(as Assessment, st *state) []Reason {
	var out []Reason
	switch as.Result {
	case SuspectedMalicious:
		out = append(out, Reason{
			Zh: fmt.Sprintf("存在恶意投诉迹象（恶意得分 %.2f），建议主管复核；在复核前照常受理。", as.Scores.Malicious),
			En: fmt.Sprintf("There are signs of bad faith (malicious score %.2f); a supervisor should review. The complaint is handled as usual meanwhile.", as.Scores.Malicious),
		})
	case UnreasonableDemand:
		out = append(out, Reason{
			Zh: fmt.Sprintf("所提要求明显超出所述问题（无理要求得分 %.2f）；投诉本身仍应依规处理，对超出部分作出解释。", as.Scores.Unreasonable),
			En: fmt.Sprintf("What is asked for is out of proportion to the stated problem (unreasonable score %.2f); the complaint itself is still handled, and the excess explained.", as.Scores.Unreasonable),
		})
	default:
		out = append(out, Reason{
			Zh: fmt.Sprintf("善意投诉（善意得分 %.2f）：应认真倾听、提供解决方案并跟进。", as.Scores.Goodwill),
			En: fmt.Sprintf("A good-faith complaint (goodwill score %.2f): listen, offer a solution and follow up.", as.Scores.Goodwill),
		})
	}
	cueReason := map[CueKind]Reason{
		CueExtortion:     {"出现勒索性措辞（如封口费、私了）。", "Extortion wording (hush money, settling privately)."},
		CueLeverage:      {"以投诉、曝光或诉讼作为达成要求的要挟条件。", "A threat of complaint, publicity or legal action is made a condition of a demand."},
		CueDisproportion: {"索赔金额与所述损失明显不成比例。", "The compensation asked is out of proportion to the stated loss."},
		CueOutsized:      {"提出超出投诉事项本身的要求。", "A demand goes beyond what the complaint is about."},
		CueContradiction: {"前后几次联系中所述事实不一致（金额或日期变化）。", "Facts change between contacts (amounts or dates)."},
		CueSerial:        {"客户此前多次投诉或已获补偿；这是需要复核的模式，不是结论。", "The customer has complained often or obtained compensation before: a pattern to review, not a verdict."},
		CueRetaliation:   {"出现报复、纠缠或拒绝任何解决方案的表达。", "Wording of retaliation, harassment or refusal of any solution."},
		CueAggression:    {"有攻击性言辞而缺少实质内容。", "Aggression without substance behind it."},
	}
	for _, c := range as.Cues {
		if r, ok := cueReason[c.Kind]; ok && c.Strength > 0 {
			out = append(out, r)
		}
	}
	if as.Result == Goodwill {
		if st.abuse > 0 || st.intensity >= 0.6 {
			out = append(out, Reason{"客户情绪激烈，但有具体问题和明确诉求：情绪本身不是恶意。", "The customer is upset, but there is a concrete problem and a clear demand: anger alone is not bad faith."})
		}
		for _, c := range as.Cues {
			if c.Kind == CueThreatMention {
				out = append(out, Reason{"提到监管或媒体属于客户的正当权利，未作为要挟条件。", "Mentioning the regulator or the media is the customer's right; it was not made a condition."})
				break
			}
		}
	}
	if as.RouteToSupervisor && as.Result == Goodwill {
		out = append(out, Reason{"接近存疑阈值，建议主管留意。", "Close to a threshold: a supervisor should take a look."})
	}
	return out
}
