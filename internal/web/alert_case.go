package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"huajie/internal/alerts"
	"huajie/internal/cases"
	"huajie/internal/interactions"
	"huajie/internal/risk"
)

// alertCaseRequest completes what the conversation does not know about
// the customer; every field is optional.
type alertCaseRequest struct {
	// CustomerName defaults to the customer id.
	CustomerName string `json:"customer_name,omitempty"`
	Phone        string `json:"phone,omitempty"`
	IDCard       string `json:"id_card,omitempty"`
	// ProductRef and Branch default to the conversation's product and
	// branch.
	ProductRef string `json:"product_ref,omitempty"`
	Branch     string `json:"branch,omitempty"`
	Assignee   string `json:"assignee,omitempty"`
	Policy     string `json:"policy,omitempty"`
}

type alertCaseResponse struct {
	Case  *cases.Case   `json:"case"`
	Alert *alerts.Alert `json:"alert"`
}

// caseChannel maps an interaction channel to an intake channel: a survey
// answer is a written complaint.
func caseChannel(ch string) cases.Channel {
	if ch == "survey" {
		return cases.ChannelLetter
	}
	return cases.Channel(ch)
}

// caseFromAlert opens a case pre-filled from the alert's conversation: the
// customer, the channel, the customer's texts as the complaint, and the
// conversation with the alert's assessment recorded as the first contact;
// the alert then links to the case (and is acknowledged). One case per
// alert: the case records its source alert (unique in the store), so when
// a case was already opened from the alert — by an earlier call or one
// running at the same time — the call answers 200 with that case.
func (a *api) caseFromAlert(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil || a.ingest == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	var in alertCaseRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &in); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	ctx := r.Context()
	al, err := a.alerts.Get(ctx, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if al.CaseID != "" {
		a.existingAlertCase(w, r, al, al.CaseID)
		return
	}
	conv, err := a.ingest.Conversation(ctx, al.ConversationID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	name := in.CustomerName
	if name == "" {
		name = al.CustomerID
	}
	if in.ProductRef == "" {
		in.ProductRef = conv.Product
	}
	if in.Branch == "" {
		in.Branch = conv.Branch
	}
	c, err := a.cases.Create(ctx, actor(r), cases.NewCase{
		Channel:     caseChannel(al.Channel),
		Customer:    cases.Customer{ID: al.CustomerID, Name: name, Phone: in.Phone, IDCard: in.IDCard},
		ReceivedAt:  firstCustomerTime(conv),
		Text:        customerText(conv, cases.MaxTextBytes),
		ProductRef:  in.ProductRef,
		Branch:      in.Branch,
		Assignee:    in.Assignee,
		Policy:      in.Policy,
		SourceAlert: al.ID,
	})
	var dup *cases.DuplicateSourceError
	if errors.As(err, &dup) {
		a.existingAlertCase(w, r, al, dup.CaseID)
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The conversation is the case's first contact: its transcript and the
	// alert's assessment (reasons, suggested interventions).
	if _, err := a.cases.AddContact(ctx, actor(r), c.ID, cases.ContactInput{At: conv.LastAt, Channel: caseChannel(al.Channel),
		Direction: cases.Inbound, By: al.Agent, Content: contactNote(conv, al, cases.MaxTextBytes)}); err != nil {
		a.log.WarnContext(ctx, "recording the alert's assessment on its case", "case", c.ID, "alert", al.ID, "err", err)
	}
	linked, err := a.linkAlertCase(ctx, al.ID, c.ID, actor(r).Name)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if full, err := a.cases.Get(ctx, c.ID); err == nil {
		c = full
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	writeJSON(w, r, http.StatusCreated, alertCaseResponse{Case: c, Alert: linked})
}

// existingAlertCase answers 200 with the case already opened from al,
// linking the alert to it if the call that opened it has not yet.
func (a *api) existingAlertCase(w http.ResponseWriter, r *http.Request, al *alerts.Alert, caseID string) {
	ctx := r.Context()
	if al.CaseID != caseID {
		var err error
		if al, err = a.linkAlertCase(ctx, al.ID, caseID, actor(r).Name); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	c, err := a.cases.Get(ctx, caseID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	writeJSON(w, r, http.StatusOK, alertCaseResponse{Case: c, Alert: al})
}

// linkAlertCase links the alert to caseID; linking it again to the same
// case (a concurrent call got there first) is not an error.
func (a *api) linkAlertCase(ctx context.Context, alertID, caseID, by string) (*alerts.Alert, error) {
	linked, err := a.alerts.LinkCase(ctx, alertID, caseID, by)
	if errors.Is(err, alerts.ErrHasCase) {
		cur, gerr := a.alerts.Get(ctx, alertID)
		if gerr == nil && cur.CaseID == caseID {
			return cur, nil
		}
	}
	return linked, err
}

func firstCustomerTime(v *interactions.ConversationView) time.Time {
	for _, m := range v.Items {
		if m.Role == risk.RoleCustomer {
			return m.Time
		}
	}
	return time.Time{}
}

// customerText joins the customer's messages, keeping the latest when they
// are over max bytes.
func customerText(v *interactions.ConversationView, max int) string {
	var parts []string
	n := 0
	for i := len(v.Items) - 1; i >= 0; i-- {
		m := v.Items[i]
		t := strings.TrimSpace(m.Text)
		if m.Role != risk.RoleCustomer || t == "" {
			continue
		}
		if n+len(t)+1 > max {
			break
		}
		parts = append(parts, t)
		n += len(t) + 1
	}
	if len(parts) == 0 {
		return "（来自预警 " + v.ID + "，客户未留下文字）"
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, "\n")
}

// contactNote is the conversation's transcript (latest turns first to go
// when over max) followed by the alert's assessment.
func contactNote(v *interactions.ConversationView, al *alerts.Alert, max int) string {
	note := assessmentNote(al)
	var lines []string
	n := len(note) + 2
	for i := len(v.Items) - 1; i >= 0; i-- {
		m := v.Items[i]
		who := "客户"
		if m.Role == risk.RoleAgent {
			who = "坐席"
		}
		l := who + "：" + strings.TrimSpace(m.Text)
		if n+len(l)+1 > max {
			break
		}
		lines = append(lines, l)
		n += len(l) + 1
	}
	for i, j := 0, len(lines)-1; i < j; i, j = i+1, j-1 {
		lines[i], lines[j] = lines[j], lines[i]
	}
	return cutUTF8(strings.Join(lines, "\n")+"\n\n"+note, max)
}

func cutUTF8(s string, max int) string {
	if len(s) <= max {
		return s
	}
	for max > 0 && !utf8.RuneStart(s[max]) {
		max--
	}
	return s[:max]
}

// assessmentNote is the alert's assessment, Chinese first.
func assessmentNote(al *alerts.Alert) string {
	var b strings.Builder
	fmt.Fprintf(&b, "投诉预警 %s：会话 %s 风险 %.2f（%s，阈值 %.2f）。\n原因：", al.ID, al.ConversationID, al.Risk, al.Level, al.Threshold)
	for i, r := range al.Reasons {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(r.Zh)
	}
	b.WriteString("\n建议：")
	for i, iv := range al.Interventions {
		if i > 0 {
			b.WriteString("；")
		}
		b.WriteString(iv.Zh)
	}
	fmt.Fprintf(&b, "\nAlert %s: conversation %s risk %.2f (%s, threshold %.2f). Reasons: ", al.ID, al.ConversationID, al.Risk, al.Level, al.Threshold)
	for i, r := range al.Reasons {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(r.En)
	}
	b.WriteString(". Suggested: ")
	for i, iv := range al.Interventions {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(iv.En)
	}
	return b.String()
}
