package ui_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/interactions"
)

// angry is a customer escalating on the phone with agent: the seeds' cues
// (repeated contact, the regulator, the media) push the risk over the
// threshold.
func angry(conv, customer, agent string, at time.Time) []interactions.Input {
	texts := []string{
		"我的信用卡账单一直没收到，被扣了滞纳金，这已经是我第三次打电话了！",
		"你们到底怎么回事？每次都说查一下就没下文了，太气人了！",
		"再不给我解决，我就去12378投诉，还要找媒体曝光你们！",
	}
	var in []interactions.Input
	for i, t := range texts {
		in = append(in, interactions.Input{Message: interactions.Message{
			ID: conv + "-" + string(rune('a'+i)), ConversationID: conv, CustomerID: customer, Channel: "phone",
			Role: "customer", Time: at.Add(time.Duration(i) * time.Minute), Text: t, Agent: agent, Team: "card-team",
		}})
	}
	return in
}

// TestWorkstationLive: an agent's workstation lists the conversations of
// that agent whose risk crossed the threshold, with reasons and
// interventions in the page's language, and not another agent's; the
// customer panel shows the customer's conversations and cases.
func TestWorkstationLive(t *testing.T) {
	e := newEnvWith(t, true, nil)
	now := time.Now().UTC()
	res, err := e.inter.Ingest(t.Context(), angry("conv-ws-1", "C100001", "demo-agent", now))
	if err != nil || res.Accepted != 3 {
		t.Fatalf("ingest: %+v %v", res, err)
	}
	if _, err := e.inter.Ingest(t.Context(), angry("conv-ws-2", "C100002", "someone-else", now)); err != nil {
		t.Fatal(err)
	}
	// Calm conversations stay below the threshold: listed for their agent
	// with their risk and level, not highlighted, and not for another agent.
	for _, c := range [][2]string{{"conv-ws-3", "demo-agent"}, {"conv-ws-4", "someone-else"}} {
		res, err := e.inter.Ingest(t.Context(), []interactions.Input{{Message: interactions.Message{
			ID: c[0] + "-a", ConversationID: c[0], CustomerID: "C100003", Channel: "online_chat", Role: "customer",
			Time: now, Text: "你好，请问信用卡账单日是哪天？", Agent: c[1], Team: "card-team"}}})
		if err != nil || res.Accepted != 1 || res.Items[0].AlertID != "" {
			t.Fatalf("calm ingest: %+v %v", res, err)
		}
	}
	b := e.browser(t)
	b.signIn(auth.RoleAgent)
	st, body := b.get("/ui/workstation")
	if st != http.StatusOK {
		t.Fatalf("workstation: %d", st)
	}
	if !strings.Contains(body, `data-conv="conv-ws-1"`) {
		t.Fatalf("the agent's alerted conversation is not listed:\n%s", body)
	}
	if strings.Contains(body, `data-conv="conv-ws-2"`) {
		t.Error("another agent's conversation is listed")
	}
	if strings.Contains(body, "⟦") {
		t.Error("missing catalog key on the workstation")
	}
	calm := cardHTML(t, body, "conv-ws-3")
	if strings.Contains(calm, "alerted") || !strings.Contains(calm, `data-risk>0.`) || !(strings.Contains(calm, "data-level>低<") || strings.Contains(calm, "data-level>中<")) {
		t.Errorf("the calm conversation's card: %s", calm)
	}
	if strings.Contains(body, `data-conv="conv-ws-4"`) {
		t.Error("another agent's calm conversation is listed")
	}
	if !strings.Contains(cardHTML(t, body, "conv-ws-1"), "conv risk-high alerted") {
		t.Error("the alerted conversation is not highlighted")
	}
	if !strings.Contains(body, `hx-get="/ui/workstation/list" hx-trigger="every 5s"`) {
		t.Error("the list does not refresh itself")
	}
	// The list fragment the page polls: the same cards, no layout.
	st, frag := b.get("/ui/workstation/list")
	if st != http.StatusOK || !strings.Contains(frag, `data-conv="conv-ws-3"`) || !strings.Contains(frag, `data-conv="conv-ws-1"`) ||
		strings.Contains(frag, `data-conv="conv-ws-4"`) || strings.Contains(frag, "<html") {
		t.Errorf("list fragment: %d\n%s", st, frag)
	}
	// Reasons and interventions are in Chinese by default.
	card := body[strings.Index(body, `data-conv="conv-ws-1"`):]
	card = card[:strings.Index(card, "</li>\n")]
	if !strings.Contains(card, "愤怒") || !strings.Contains(card, "我理解您的感受") {
		t.Errorf("the card lacks the anger reason or the empathy intervention: %s", card)
	}

	st, panel := b.get("/ui/workstation/customer/C100001")
	if st != http.StatusOK || !strings.Contains(panel, `id="customer-cases"`) || !strings.Contains(panel, `id="customer-conversations"`) {
		t.Fatalf("customer panel: %d\n%s", st, panel)
	}

	sup := e.browser(t)
	sup.lang = "en"
	sup.signIn(auth.RoleSupervisor)
	_, body = sup.get("/ui/workstation")
	for _, c := range []string{"conv-ws-1", "conv-ws-2", "conv-ws-3", "conv-ws-4"} {
		if !strings.Contains(body, `data-conv="`+c+`"`) {
			t.Errorf("a supervisor's workstation should list every agent's live conversations; %s is missing", c)
		}
	}
	_, dash := sup.get("/ui/dashboard")
	if !strings.Contains(dash, `id="alert-list"`) || !strings.Contains(dash, "C100002") {
		t.Error("the dashboard does not list the open alerts")
	}
	// In English, the reasons are the risk model's English texts.
	if i := strings.Index(body, `data-conv="conv-ws-1"`); i < 0 || strings.Contains(body[i:i+1500], "我理解您的感受") {
		t.Error("the English workstation shows Chinese interventions")
	}
}

// cardHTML is the workstation card of a conversation.
func cardHTML(t *testing.T, body, conv string) string {
	t.Helper()
	i := strings.Index(body, `data-conv="`+conv+`"`)
	if i < 0 {
		t.Fatalf("no card for %s", conv)
	}
	i = strings.LastIndex(body[:i], "<li")
	card := body[i:]
	return card[:strings.Index(card, "</li>\n")]
}
