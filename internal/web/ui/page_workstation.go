package ui

import (
	"net/http"

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

func cardOf(lang i18n.Lang, a *alerts.Alert) convCard {
	return convCard{AlertID: a.ID, State: a.State, ConversationID: a.ConversationID, CustomerID: a.CustomerID,
		Channel: a.Channel, Agent: a.Agent, Risk: a.Risk, Level: a.Level, Reasons: reasonTexts(lang, a.Reasons),
		Interventions: interventionTexts(lang, a.Interventions), CaseID: a.CaseID, At: a.MessageAt.In(displayZone).Format("15:04:05")}
}

// agentFilter: an agent sees their own conversations; other roles all.
func agentFilter(id auth.Identity) string {
	if id.Role == auth.RoleAgent {
		return id.Name
	}
	return ""
}

// workstation is the front-line page: the agent's live conversations whose
// risk crossed the alert threshold, each with its risk (updated live from
// the alerts stream by static/workstation.js), the reasons and the
// suggested interventions; the customer panel (history across channels and
// open cases) loads beside it; one click opens a case from the alert.
func (s *server) workstation(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	lang := infoFrom(r.Context()).lang
	names := map[string]string{}
	for _, ch := range interactions.Channels {
		names[ch] = i18n.T(lang, "channel."+ch)
	}
	data := map[string]any{"Live": s.alerts != nil, "Agent": agentFilter(id), "ChannelNames": names}
	if s.alerts != nil {
		list, err := s.alerts.List(r.Context(), alerts.Filter{States: []alerts.State{alerts.StateOpen, alerts.StateAcknowledged},
			Agent: agentFilter(id), Limit: 50})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		cards := make([]convCard, 0, len(list))
		seen := map[string]bool{}
		for i := range list {
			if seen[list[i].ConversationID] {
				continue // one card per conversation: its latest alert
			}
			seen[list[i].ConversationID] = true
			cards = append(cards, cardOf(lang, &list[i]))
		}
		if !id.Can(auth.PermPIIView) {
			maskValue(&cards)
		}
		data["Cards"] = cards
	}
	s.render(w, r, http.StatusOK, "workstation", &page{Title: "ws.title", Nav: "workstation", Data: data})
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
