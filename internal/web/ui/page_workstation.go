package ui

import (
	"net/http"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
	"huajie/internal/interactions"
	"huajie/internal/risk"
)

// convCard is a live conversation on the workstation, from its latest
// alert: risk, why, and what to do, in the viewer's language.
type convCard struct {
	AlertID        string
	State          alerts.State
	ConversationID string
	CustomerID     string
	Channel        string
	Agent          string
	Risk           float64
	Level          string
	Reasons        []string
	Interventions  []string
	CaseID         string
	At             string
}

func reasonTexts(lang i18n.Lang, rs []risk.Reason) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		if lang == i18n.EN && r.En != "" {
			out = append(out, r.En)
		} else {
			out = append(out, r.Zh)
		}
	}
	return out
}

func interventionTexts(lang i18n.Lang, is []risk.Intervention) []string {
	out := make([]string, 0, len(is))
	for _, r := range is {
		if lang == i18n.EN && r.En != "" {
			out = append(out, r.En)
		} else {
			out = append(out, r.Zh)
		}
	}
	return out
}

func cardOf(lang i18n.Lang, zone *time.Location, a *alerts.Alert) convCard {
	return convCard{AlertID: a.ID, State: a.State, ConversationID: a.ConversationID, CustomerID: a.CustomerID,
		Channel: a.Channel, Agent: a.Agent, Risk: a.Risk, Level: a.Level, Reasons: reasonTexts(lang, a.Reasons),
		Interventions: interventionTexts(lang, a.Interventions), CaseID: a.CaseID, At: a.MessageAt.In(zone).Format("15:04:05")}
}

// agentFilter: an agent sees their own conversations; other roles all.
func agentFilter(id auth.Identity) string {
	if id.Role == auth.RoleAgent {
		return id.Name
	}
	return ""
}

// workstation is the front-line page: the agent's live conversations
// (supervisors and admins: everyone's), each with its current risk and
// level, the reasons and the suggested interventions of its latest
// assessment; those with an alert are highlighted and updated live from
// the alerts stream by static/workstation.js, and the list is refreshed
// every few seconds (htmx, workstationList) for risk changes below the
// threshold. The customer panel (history across channels and open cases)
// loads beside it; one click opens a case from the alert.
func (s *server) workstation(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	lang := infoFrom(r.Context()).lang
	names := map[string]string{}
	for _, ch := range interactions.Channels {
		names[ch] = i18n.T(lang, "channel."+ch)
	}
	levels := map[string]string{}
	for _, l := range []string{risk.LevelLow, risk.LevelMedium, risk.LevelHigh} {
		levels[l] = i18n.T(lang, "severity."+l)
	}
	data := map[string]any{"Live": s.alerts != nil, "Agent": agentFilter(id), "ChannelNames": names, "LevelNames": levels}
	if s.alerts != nil {
		cards, err := s.workstationCards(r, lang, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data["Cards"] = cards
	}
	s.render(w, r, http.StatusOK, "workstation", &page{Title: "ws.title", Nav: "workstation", Data: data})
}

// workstationList is the workstation's list of conversation cards (an
// htmx fragment, polled by the page).
func (s *server) workstationList(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	lang := infoFrom(r.Context()).lang
	cards, err := s.workstationCards(r, lang, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderPartial(w, r, "workstation", map[string]any{"Cards": cards})
}

// workstationCards merges the live conversations (latest first) with the
// open and acknowledged alerts: a conversation with an alert carries the
// alert (its id, state and case) but its current risk and latest reasons;
// alerts whose conversation is no longer live follow.
func (s *server) workstationCards(r *http.Request, lang i18n.Lang, id auth.Identity) ([]convCard, error) {
	ctx := r.Context()
	byConv := map[string]convCard{}
	var alertOrder []string
	if s.alerts != nil {
		list, err := s.alerts.List(ctx, alerts.Filter{States: []alerts.State{alerts.StateOpen, alerts.StateAcknowledged},
			Agent: agentFilter(id), Limit: 50})
		if err != nil {
			return nil, err
		}
		for i := range list {
			if _, ok := byConv[list[i].ConversationID]; ok {
				continue // one card per conversation: its latest alert
			}
			byConv[list[i].ConversationID] = cardOf(lang, s.zone, &list[i])
			alertOrder = append(alertOrder, list[i].ConversationID)
		}
	}
	cards := make([]convCard, 0, len(byConv))
	shown := map[string]bool{}
	if s.inter != nil {
		live, err := s.inter.Live(ctx, agentFilter(id))
		if err != nil {
			return nil, err
		}
		for i := range live {
			c := &live[i]
			card, alerted := byConv[c.ID]
			if !alerted {
				card = convCard{ConversationID: c.ID, CustomerID: c.CustomerID, Channel: c.Channel, Agent: c.Agent,
					Reasons: []string{}, Interventions: []string{}}
			}
			card.Risk, card.Level = c.Risk, c.Level
			card.At = c.LastAt.In(s.zone).Format("15:04:05")
			if a := c.Assessment; a != nil && (len(a.Reasons) > 0 || !alerted) {
				card.Reasons, card.Interventions = reasonTexts(lang, a.Reasons), interventionTexts(lang, a.Interventions)
			}
			cards = append(cards, card)
			shown[c.ID] = true
		}
	}
	for _, cid := range alertOrder {
		if !shown[cid] {
			cards = append(cards, byConv[cid])
		}
	}
	if !id.Can(auth.PermPIIView) {
		maskValue(&cards)
	}
	return cards, nil
}

// customerPanel is the workstation's customer panel (an htmx fragment):
// the customer's risk, conversations and recent messages across channels,
// and open cases.
func (s *server) customerPanel(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	cid := r.PathValue("id")
	data := map[string]any{"CustomerID": cid}
	if s.inter != nil {
		v, err := s.inter.Customer(r.Context(), cid)
		if err != nil && !interactions.IsNotFound(err) {
			s.fail(w, r, err)
			return
		}
		if v != nil && !id.Can(auth.PermPIIView) {
			maskValue(v)
		}
		data["View"] = v
	}
	pg, err := s.cases.List(r.Context(), cases.ListFilter{CustomerID: cid, Limit: 20})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !id.Can(auth.PermPIIView) {
		maskValue(&pg.Items)
	}
	data["Cases"] = pg.Items
	s.renderPartial(w, r, "customer", data)
}
