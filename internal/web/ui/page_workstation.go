package ui

import (
	"net/http"
	"strings"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// workstation is the front-line agent's page: their live conversations,
// each with its risk as it changes (the page subscribes to the alerts
// stream), the reasons and the suggested interventions, the customer panel
// and one click to open a case.
func (s *server) workstation(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	data := map[string]any{"Live": s.live != nil, "Channels": cases.Channels}
	if s.live != nil {
		agent := id.Name
		if r.URL.Query().Get("all") == "1" || id.Role != auth.RoleAgent {
			agent = ""
		}
		convs, err := s.live.Conversations(r.Context(), agent, 50)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !id.Can(auth.PermPIIView) {
			maskValue(&convs)
		}
		data["Conversations"] = convs
	}
	s.render(w, r, http.StatusOK, "workstation", &page{Title: "ws.title", Nav: "workstation", Data: data})
}

// openCaseFromConversation opens a case from a conversation in one click:
// the customer, channel and what the customer said come from the form the
// workstation fills from the conversation.
func (s *server) openCaseFromConversation(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	fe := newFormErrs(r)
	text := fe.required("text", r.PostFormValue("text"))
	custID := fe.required("customer_id", r.PostFormValue("customer_id"))
	ch := cases.Channel(r.PostFormValue("channel"))
	if !ch.Valid() {
		ch = cases.ChannelChat
	}
	if len(fe.m) > 0 {
		s.renderError(w, r, http.StatusUnprocessableEntity, "err.open_case")
		return
	}
	if conv := strings.TrimSpace(r.PostFormValue("conversation_id")); conv != "" {
		text += "\n\n[" + conv + "]"
	}
	c, err := s.cases.Create(r.Context(), actor(id), cases.NewCase{Channel: ch, Text: text,
		Customer: cases.Customer{ID: custID, Name: strings.TrimSpace(r.PostFormValue("customer_name"))}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/ui/cases/"+c.ID, http.StatusSeeOther)
}
