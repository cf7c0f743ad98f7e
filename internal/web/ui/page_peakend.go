package ui

import (
	"errors"
	"fmt"
	"net/http"

	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/i18n"
	"huajie/internal/insight"
	"huajie/internal/interactions"
)

// peakEndData is a conversation's peak-end page.
type peakEndData struct {
	ID      string
	PE      *insight.PeakEnd
	Chart   chartSpec
	Peak    *insight.Moment
	End     *insight.Moment
	Off     bool
	Missing bool
}

// insightConversation shows a conversation's emotion and risk curve with
// its worst moment and its ending marked (the peak-end view).
func (s *server) insightConversation(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	d := peakEndData{ID: r.PathValue("id")}
	var pe *insight.PeakEnd
	var err error
	switch {
	case s.analyst != nil:
		pe, err = s.analyst.PeakEnd(ctx, d.ID)
		if errors.Is(err, analyst.ErrUnavailable) && s.inter != nil {
			pe, err = s.peakEndFromInteractions(r, d.ID)
		}
	case s.inter != nil:
		pe, err = s.peakEndFromInteractions(r, d.ID)
	default:
		err = analyst.ErrUnavailable
	}
	status := http.StatusOK
	switch {
	case errors.Is(err, analyst.ErrUnavailable):
		d.Off = true
	case errors.Is(err, interactions.ErrNotFound) || err == nil && pe.Messages == 0:
		d.Missing, status = true, http.StatusNotFound
	case err != nil:
		s.log.ErrorContext(ctx, "peak-end", "err", err)
		s.renderError(w, r, http.StatusInternalServerError, "err.internal")
		return
	}
	if pe != nil && pe.Messages > 0 {
		for i := range pe.Curve {
			pe.Curve[i].Text = maskFor(id, pe.Curve[i].Text)
		}
		if pe.Peak != nil {
			pe.Peak.Text = maskFor(id, pe.Peak.Text)
		}
		if pe.End != nil {
			pe.End.Text = maskFor(id, pe.End.Text)
		}
		d.PE, d.Peak, d.End = pe, pe.Peak, pe.End
		d.Chart = chartSpec{Kind: "curve", NoAnim: s.noAnim, Percent: true, YName: i18n.T(lang, "ia.risk")}
		riskS, negS := make([]float64, 0, len(pe.Curve)), make([]float64, 0, len(pe.Curve))
		label := func(m insight.Moment) string {
			return fmt.Sprintf("#%d %s", m.Turn, m.At.In(s.zone).Format("15:04"))
		}
		for _, m := range pe.Curve {
			d.Chart.X = append(d.Chart.X, label(m))
			riskS = append(riskS, m.Risk)
			negS = append(negS, m.Negative)
		}
		d.Chart.Series = []chartSeries{{Name: i18n.T(lang, "ia.risk"), Data: riskS}, {Name: i18n.T(lang, "ia.negative"), Data: negS}}
		switch {
		case pe.Peak != nil && pe.End != nil && pe.Peak.Turn == pe.End.Turn:
			d.Chart.Marks = append(d.Chart.Marks, chartMark{X: label(*pe.Peak), Y: pe.Peak.Risk, Name: i18n.T(lang, "ia.peak") + " · " + i18n.T(lang, "ia.end")})
		default:
			if pe.Peak != nil {
				d.Chart.Marks = append(d.Chart.Marks, chartMark{X: label(*pe.Peak), Y: pe.Peak.Risk, Name: i18n.T(lang, "ia.peak")})
			}
			if pe.End != nil {
				d.Chart.Marks = append(d.Chart.Marks, chartMark{X: label(*pe.End), Y: pe.End.Risk, Name: i18n.T(lang, "ia.end")})
			}
		}
	}
	s.render(w, r, status, "insight_conversation", &page{Title: "ia.peak_end", Nav: "insight", Sub: "trends", Data: d})
}

func (s *server) peakEndFromInteractions(r *http.Request, id string) (*insight.PeakEnd, error) {
	v, err := s.inter.Conversation(r.Context(), id)
	if err != nil {
		return nil, err
	}
	pe := insight.PeakEndOf(v.Items)
	return &pe, nil
}
