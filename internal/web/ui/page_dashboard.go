package ui

import (
	"net/http"
	"slices"
	"sort"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/i18n"
)

// dashboardDays is the period of the volume and emotion charts.
const dashboardDays = 30

// maxDashboardCases bounds the cases read for the charts (each is read in
// full for its emotion): the most recent ones in the period.
const maxDashboardCases = 2000

type riskRow struct {
	Key      string // channel or assignee
	Open     int
	High     int // high or critical severity
	Breached int
	Negative float64 // mean negativity of the complaints, 0–1
	// Live: open alerts, their mean and highest risk.
	Alerts    int
	AlertRisk float64
	MaxRisk   float64
}

type chartData struct {
	Days     []string        `json:"days"`
	Volume   []int           `json:"volume"`
	Emotions []emotionSeries `json:"emotions"`
	Channels []string        `json:"channels"`
	Risk     []float64       `json:"risk"` // mean risk of open alerts
	// HighShare is the share of open cases that are high or critical.
	HighShare []float64         `json:"highShare"`
	Labels    map[string]string `json:"labels"`
	NoAnim    bool              `json:"noAnim"`
}

type emotionSeries struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	Data []int  `json:"data"`
}

var emotions = []cases.Emotion{cases.EmotionAnger, cases.EmotionAnxiety, cases.EmotionDisappointment, cases.EmotionSurprise, cases.EmotionJoy, cases.EmotionNeutral}

// dashboard is the supervisor's view: open alerts (when the live service
// is configured), escalations, deadlines about to breach, risk by team
// member and channel, and volume and emotion over time.
func (s *server) dashboard(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	ctx := r.Context()
	lang := infoFrom(ctx).lang
	now := s.now()
	var listErr error
	list := func(f cases.ListFilter) []cases.Summary {
		f.Limit = 100
		pg, err := s.cases.List(ctx, f)
		if err != nil {
			listErr = err
		}
		return pg.Items
	}
	escalated := list(cases.ListFilter{States: openStates(), Escalated: true})
	dueSoon := list(cases.ListFilter{States: openStates(), DeadlineStatus: deadlines.StatusWarning, Sort: cases.SortDue})
	breached := list(cases.ListFilter{States: openStates(), DeadlineStatus: deadlines.StatusBreached, Sort: cases.SortDue})
	if listErr != nil {
		s.fail(w, r, listErr)
		return
	}

	from := now.In(s.zone).AddDate(0, 0, -dashboardDays+1)
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, s.zone)
	f := cases.ListFilter{ReceivedFrom: from, Limit: cases.MaxListLimit}
	var recent []cases.Summary
	for len(recent) < maxDashboardCases {
		pg, err := s.cases.List(ctx, f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		recent = append(recent, pg.Items...)
		if pg.Next == "" {
			break
		}
		f.Cursor = pg.Next
	}

	cd := chartData{Labels: map[string]string{"volume": i18n.T(lang, "dash.volume_series"), "risk": i18n.T(lang, "dash.risk_series"), "high": i18n.T(lang, "dash.high_series")}, NoAnim: s.noAnim}
	dayIdx := map[string]int{}
	for i := range dashboardDays {
		d := from.AddDate(0, 0, i).Format("01-02")
		dayIdx[d] = i
		cd.Days = append(cd.Days, d)
	}
	cd.Volume = make([]int, dashboardDays)
	emo := map[cases.Emotion][]int{}
	for _, e := range emotions {
		emo[e] = make([]int, dashboardDays)
	}
	byChannel := map[string]*riskRow{}
	byTeam := map[string]*riskRow{}
	negSum := map[*riskRow]float64{}
	for _, sm := range recent {
		i, ok := dayIdx[sm.ReceivedAt.In(s.zone).Format("01-02")]
		if !ok {
			continue
		}
		c, err := s.cases.Get(ctx, sm.ID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cd.Volume[i]++
		e := c.Assessment.Emotion
		if !slices.Contains(emotions, e) {
			e = cases.EmotionNeutral
		}
		emo[e][i]++
		if !c.State.Open() {
			continue
		}
		assignee := c.Assignee
		if assignee == "" {
			assignee = i18n.T(lang, "case.unassigned")
		}
		for _, row := range []*riskRow{rowOf(byChannel, string(c.Channel)), rowOf(byTeam, assignee)} {
			row.Open++
			if c.Assessment.Severity == cases.SeverityHigh || c.Assessment.Severity == cases.SeverityCritical {
				row.High++
			}
			if c.Deadline.Status == deadlines.StatusBreached {
				row.Breached++
			}
			negSum[row] += c.Assessment.Negative
		}
	}
	for row, sum := range negSum {
		row.Negative = sum / float64(row.Open)
	}
	// Live risk: open alerts by channel and by team.
	byAlertTeam := map[string]*riskRow{}
	var openAlerts []alerts.Alert
	if s.alerts != nil {
		var err error
		if openAlerts, err = s.alerts.List(ctx, alerts.Filter{States: []alerts.State{alerts.StateOpen, alerts.StateAcknowledged}, Limit: 500}); err != nil {
			s.fail(w, r, err)
			return
		}
		sums := map[*riskRow]float64{}
		for _, a := range openAlerts {
			team := a.Team
			if team == "" {
				team = i18n.T(lang, "dash.no_team")
			}
			for _, row := range []*riskRow{rowOf(byChannel, a.Channel), rowOf(byAlertTeam, team)} {
				row.Alerts++
				sums[row] += a.Risk
				row.MaxRisk = max(row.MaxRisk, a.Risk)
			}
		}
		for row, sum := range sums {
			row.AlertRisk = sum / float64(row.Alerts)
		}
	}
	for _, e := range emotions {
		cd.Emotions = append(cd.Emotions, emotionSeries{Name: i18n.T(lang, "emotion."+string(e)), Key: string(e), Data: emo[e]})
	}
	channels := sortedRows(byChannel)
	for _, row := range channels {
		cd.Channels = append(cd.Channels, i18n.T(lang, "channel."+row.Key))
		cd.Risk = append(cd.Risk, round2(row.AlertRisk))
		share := 0.0
		if row.Open > 0 {
			share = float64(row.High) / float64(row.Open)
		}
		cd.HighShare = append(cd.HighShare, round2(share))
	}

	data := map[string]any{
		"Escalated": escalated, "DueSoon": dueSoon, "Breached": breached,
		"ByChannel": channels, "ByHandler": sortedRows(byTeam), "ByTeam": sortedRows(byAlertTeam), "Chart": cd, "Days": dashboardDays,
		"Total": len(recent),
	}
	if s.alerts != nil {
		cards := make([]convCard, 0, 50)
		for i := range openAlerts {
			if openAlerts[i].State == alerts.StateOpen && len(cards) < 50 {
				cards = append(cards, cardOf(lang, s.zone, &openAlerts[i]))
			}
		}
		if !id.Can(auth.PermPIIView) {
			maskValue(&cards)
		}
		data["Alerts"], data["Live"] = cards, true
	}
	if !id.Can(auth.PermPIIView) {
		maskValue(&escalated)
		maskValue(&dueSoon)
		maskValue(&breached)
	}
	s.render(w, r, http.StatusOK, "dashboard", &page{Title: "dash.title", Nav: "dashboard", Data: data})
}

func rowOf(m map[string]*riskRow, key string) *riskRow {
	if m[key] == nil {
		m[key] = &riskRow{Key: key}
	}
	return m[key]
}

func round2(f float64) float64 { return float64(int(f*100+0.5)) / 100 }

// sortedRows: highest risk first (live alert risk, breaches, negativity).
func sortedRows(m map[string]*riskRow) []riskRow {
	out := make([]riskRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].AlertRisk != out[j].AlertRisk {
			return out[i].AlertRisk > out[j].AlertRisk
		}
		if out[i].Breached != out[j].Breached {
			return out[i].Breached > out[j].Breached
		}
		if out[i].Negative != out[j].Negative {
			return out[i].Negative > out[j].Negative
		}
		return out[i].Key < out[j].Key
	})
	return out
}
