package ui

import (
	"net/http"
	"slices"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/i18n"
	"huajie/internal/servqual"
)

// servqualData is the SERVQUAL page.
type servqualData struct {
	insightBase
	Radar        chartSpec
	Dimensions   []string // names in the model's order
	Overall      servqual.TouchpointGaps
	Touchpoints  []tpGapRow
	Complaints   []dimComplaints
	Unattributed int64
	Scores       []scoreRow
	Invalid      int
	// Examples are recent complaints per dimension with their evidence
	// marked, in the dimensions' order.
	Examples []dimExamples
}

type dimExamples struct {
	Name  string
	Items []exampleText
}

// exampleText is a complaint cut into plain and evidence segments, so the
// template marks the evidence without building HTML in Go.
type exampleText struct {
	ID       string
	Segments []textSegment
}

type textSegment struct {
	Text     string
	Evidence bool
}

type tpGapRow struct {
	Name      string
	Responses int
	Gaps      []*float64 // per dimension, nil when no answer
	Score     float64
}

type dimComplaints struct {
	Name  string
	Count int64
	Share float64
	// Cues are examples of the terms that attribute a complaint to the
	// dimension (its evidence), in the page's language first.
	Cues []string
}

type scoreRow struct {
	Kind, Name string
	N          int64
	Score      float64
}

// insightServqual shows the SERVQUAL view: expectation against perception
// per dimension (radar), the gaps per dimension and per touchpoint, and
// the complaints attributed to each dimension with examples of evidence.
func (s *server) insightServqual(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	// 90 days by default: a year of a large bank's complaints takes about
	// 0.5 s on SQLite (docs/ui.md); the presets reach further.
	p := s.readPickers(r, pickerDefaults{Days: 90})
	d := servqualData{insightBase: s.base(p)}
	dimName := func(dim servqual.Dimension) string {
		n := servqual.Names[dim]
		return valueName(lang, "servqual", string(dim), n[0], n[1])
	}
	for _, dim := range servqual.Dimensions {
		d.Dimensions = append(d.Dimensions, dimName(dim))
	}
	if s.analyst != nil && !p.Bad() {
		v, err := s.analyst.Servqual(ctx, p.Range)
		if msg, ok := inputMessage(lang, err); ok {
			p.Errors["from"] = msg
		} else if err != nil {
			s.log.ErrorContext(ctx, "insight servqual", "err", err)
			d.Err = true
		} else {
			d.Overall, d.Invalid = v.Gaps.Overall, v.InvalidItems
			d.Radar = chartSpec{Kind: "radar", NoAnim: s.noAnim}
			var e, pc []float64
			for _, g := range v.Gaps.Overall.Dimensions {
				d.Radar.Indicators = append(d.Radar.Indicators, dimName(g.Dimension))
				e, pc = append(e, g.Expectation), append(pc, g.Perception)
			}
			d.Radar.Series = []chartSeries{{Name: i18n.T(lang, "ins.expectation"), Data: e}, {Name: i18n.T(lang, "ins.perception"), Data: pc}}
			for _, tg := range v.Gaps.Touchpoints {
				row := tpGapRow{Name: s.touchpointName(lang, tg.Touchpoint), Responses: tg.Responses, Score: tg.Score}
				byDim := map[servqual.Dimension]servqual.DimensionGap{}
				for _, g := range tg.Dimensions {
					byDim[g.Dimension] = g
				}
				for _, dim := range servqual.Dimensions {
					if g, ok := byDim[dim]; ok && g.N > 0 {
						row.Gaps = append(row.Gaps, &g.Gap)
					} else {
						row.Gaps = append(row.Gaps, nil)
					}
				}
				d.Touchpoints = append(d.Touchpoints, row)
			}
			var total int64
			for _, n := range v.Complaints {
				total += n
			}
			cues := builtinServqual().Cues()
			for _, dim := range servqual.Dimensions {
				dc := dimComplaints{Name: dimName(dim), Count: v.Complaints[string(dim)]}
				if total > 0 {
					dc.Share = float64(dc.Count) / float64(total)
				}
				want := "zh"
				if lang == i18n.EN {
					want = "en"
				}
				for _, c := range cues {
					if c.Dimension == dim && c.Lang == want && len(dc.Cues) < 5 {
						dc.Cues = append(dc.Cues, c.Term)
					}
				}
				d.Complaints = append(d.Complaints, dc)
			}
			for _, dim := range servqual.Dimensions {
				exs := v.Examples[string(dim)]
				if len(exs) == 0 {
					continue
				}
				de := dimExamples{Name: dimName(dim)}
				for _, ex := range exs {
					de.Items = append(de.Items, exampleText{ID: ex.ID, Segments: evidenceSegments(id, ex)})
				}
				d.Examples = append(d.Examples, de)
			}
			d.Unattributed = v.Complaints[""]
			for _, sc := range v.Scores {
				d.Scores = append(d.Scores, scoreRow{Kind: sc.Kind, Name: s.touchpointName(lang, sc.Value), N: sc.N, Score: sc.Score})
			}
		}
	}
	s.render(w, r, pickerStatus(r, p), "insight_servqual", &page{Title: "ia.servqual", Nav: "insight", Sub: "servqual", Data: d})
}

// evidenceSegments cuts an example at its evidence spans; the plain parts
// are masked for roles without pii:view (the cue terms are words, never
// numbers, so a number is never split across segments).
func evidenceSegments(id auth.Identity, ex analyst.ServqualExample) []textSegment {
	var out []textSegment
	ev := slices.Clone(ex.Evidence)
	slices.SortFunc(ev, func(a, b servqual.Evidence) int { return a.Start - b.Start })
	at := 0
	for _, e := range ev {
		if e.Start < at || e.End > len(ex.Text) || e.Start >= e.End {
			continue // overlapping or outside the kept text
		}
		if e.Start > at {
			out = append(out, textSegment{Text: maskFor(id, ex.Text[at:e.Start])})
		}
		out = append(out, textSegment{Text: ex.Text[e.Start:e.End], Evidence: true})
		at = e.End
	}
	if at < len(ex.Text) {
		out = append(out, textSegment{Text: maskFor(id, ex.Text[at:])})
	}
	return out
}

// touchpointName is a touchpoint's name in the page's language.
func (s *server) touchpointName(lang i18n.Lang, code string) string {
	if s.analyst != nil {
		for _, t := range s.analyst.Touchpoints() {
			if t.Code == code {
				return valueName(lang, "touchpoint", code, t.Name, t.NameEn)
			}
		}
	}
	return valueName(lang, "touchpoint", code, "", "")
}
