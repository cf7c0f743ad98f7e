package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/auth"
	"huajie/internal/interactions"
	"huajie/internal/web/client"
)

const angry = "我已经打了三次电话了，你们到底管不管？再不解决我就去银保监会投诉，还要找媒体曝光！"

func msg(id, conv, role, text string, at time.Time) interactions.Message {
	return interactions.Message{ID: id, ConversationID: conv, CustomerID: "cust-" + conv, Channel: "online_chat",
		Role: role, Time: at, Text: text, Team: "team-a", Agent: "agent-1"}
}

func apiErr(t *testing.T, err error) *client.Error {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want an API error, got %v", err)
	}
	return ce
}

// TestIngestBadInput: every kind of bad input gets a clear error, a batch
// reports each failed item by index, id, code and message, and the good
// items of that batch are stored.
func TestIngestBadInput(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	ag := e.as[auth.RoleAgent]
	now := time.Now().UTC().Truncate(time.Second)
	raw := func(body string) *client.Response {
		t.Helper()
		r, err := ag.Raw(ctx, "POST", "/api/v1/interactions", body, nil)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	code := func(r *client.Response) string {
		var eb struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(r.Body, &eb)
		return eb.Error.Code
	}
	good, _ := json.Marshal(msg("g1", "conv-bad", "customer", "你好", now))
	for name, c := range map[string]struct {
		body   string
		status int
		code   string
	}{
		"malformed":       {`{"id": "x",`, 400, "bad_json"},
		"malformed batch": {`[{"id": "x"}, {]`, 400, "bad_json"},
		"unknown field":   {strings.Replace(string(good), `"id"`, `"bogus":1,"id"`, 1), 400, "unknown_field"},
		"missing id":      {strings.Replace(string(good), `"id":"g1"`, `"id":""`, 1), 422, "missing_field"},
		"bad channel":     {strings.Replace(string(good), `online_chat`, `fax`, 1), 422, "invalid_field"},
		"empty":           {``, 400, "empty_body"},
		"empty batch":     {`[]`, 400, "empty_batch"},
	} {
		r := raw(c.body)
		if r.Status != c.status || code(r) != c.code {
			t.Errorf("%s: %d %s, want %d %s", name, r.Status, r.Body, c.status, c.code)
		}
	}
	// Time far in the future, or absurdly old.
	for _, at := range []time.Time{now.Add(time.Hour), time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)} {
		_, err := ag.IngestOne(ctx, msg("t1", "conv-bad", "customer", "x", at))
		if ce := apiErr(t, err); ce.Status != 422 || (ce.Code != interactions.CodeFuture && ce.Code != interactions.CodeTooOld) {
			t.Errorf("time %v: %+v", at, ce)
		}
	}
	// A text over the limit: 413 naming the limit, whether the body fits
	// (70 KiB) or not (10 MB).
	_, err := ag.IngestOne(ctx, msg("big1", "conv-bad", "customer", strings.Repeat("长", 70<<10/3+10), now))
	if ce := apiErr(t, err); ce.Status != 413 || !strings.Contains(ce.Message, "65536") {
		t.Errorf("70 KiB text: %+v", ce)
	}
	_, err = ag.IngestOne(ctx, msg("big2", "conv-bad", "customer", strings.Repeat("x", 10<<20), now))
	if ce := apiErr(t, err); ce.Status != 413 || ce.Code != "too_large" || !strings.Contains(ce.Message, "65536") {
		t.Errorf("10 MB text: %+v", ce)
	}
	// A batch over the count limit.
	over := make([]interactions.Message, interactions.DefaultMaxBatch+1)
	for i := range over {
		over[i] = msg(fmt.Sprint("o", i), "conv-over", "customer", "x", now)
	}
	_, err = ag.Ingest(ctx, over)
	if ce := apiErr(t, err); ce.Status != 413 || ce.Code != "batch_too_large" {
		t.Errorf("batch over the limit: %+v", ce)
	}

	// A batch with good and bad items: each bad one named, the good stored.
	body := `[` + string(good) + `,
		{"id":"b1","conversation_id":"conv-bad","customer_id":"c","channel":"phone","role":"customer","time":"` + now.Format(time.RFC3339) + `","text":"x","extra":1},
		{"id":"b2","conversation_id":"conv-bad","customer_id":"c","channel":"phone","role":"boss","time":"` + now.Format(time.RFC3339) + `","text":"x"},
		{"id":"b3","conversation_id":"conv-bad","customer_id":"c","channel":"phone","role":"customer","time":"yesterday","text":"x"},
		` + string(good) + `,
		{"id":"g2","conversation_id":"conv-bad","customer_id":"cust-conv-bad","channel":"online_chat","role":"agent","time":"` + now.Format(time.RFC3339) + `","text":"我理解您的感受"}]`
	r := raw(body)
	if r.Status != 200 {
		t.Fatalf("mixed batch: %d %s", r.Status, r.Body)
	}
	var res interactions.Result
	if err := json.Unmarshal(r.Body, &res); err != nil {
		t.Fatal(err)
	}
	want := []struct{ id, status, code string }{
		{"g1", "accepted", ""}, {"b1", "failed", "unknown_field"}, {"b2", "failed", "invalid_field"},
		{"", "failed", "bad_json"}, {"g1", "duplicate", ""}, {"g2", "accepted", ""},
	}
	if res.Accepted != 2 || res.Duplicates != 1 || res.Failed != 3 || len(res.Items) != len(want) {
		t.Fatalf("mixed batch result: %s", r.Body)
	}
	for i, w := range want {
		it := res.Items[i]
		if it.Index != i || it.Status != w.status || it.Code != w.code || (w.id != "" && it.ID != w.id) || (it.Status == "failed") != (it.Message != "") {
			t.Errorf("item %d: %+v, want %+v", i, it, w)
		}
	}
	v, err := ag.Conversation(ctx, "conv-bad")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Items) != 2 || v.Items[0].ID != "g1" || v.Items[1].ID != "g2" {
		t.Fatalf("stored: %+v", v.Items)
	}
}

// TestIngestIdempotentAndOrdered: the same conversation posted in order
// and shuffled (late messages, repeats) ends with the same messages in the
// same order with the same risk after each, stored once.
func TestIngestIdempotentAndOrdered(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ag := e.as[auth.RoleAgent]
		base := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		texts := []struct{ role, text string }{
			{"customer", "我的信用卡账单怎么多扣了一笔年费？"},
			{"agent", "这个不归我们管，您去问网点吧"},
			{"customer", "你们怎么能这样推诿？我已经打了三次电话了"},
			{"agent", "非常抱歉给您带来不便，我理解您的感受"},
			{"customer", "再不解决我就去银保监会投诉"},
			{"agent", "我马上为您提交退费申请，24小时内回电"},
		}
		conv := func(c string) []interactions.Message {
			var out []interactions.Message
			for i, x := range texts {
				out = append(out, msg(fmt.Sprintf("%s-%d", c, i), c, x.role, x.text, base.Add(time.Duration(i)*time.Minute)))
			}
			return out
		}
		inOrder := conv("ordered")
		for _, m := range inOrder {
			if _, err := ag.IngestOne(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		sh := conv("shuffled")
		// Latest first, then the rest late, one duplicate in between and a
		// batch that repeats everything at the end.
		for _, batch := range [][]interactions.Message{{sh[5]}, {sh[2], sh[0]}, {sh[5]}, {sh[1], sh[4], sh[3]}, sh} {
			res, err := ag.Ingest(ctx, batch)
			if err != nil {
				t.Fatal(err)
			}
			if res.Failed != 0 {
				t.Fatalf("%+v", res)
			}
		}
		want, err := ag.Conversation(ctx, "ordered")
		if err != nil {
			t.Fatal(err)
		}
		got, err := ag.Conversation(ctx, "shuffled")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Items) != len(texts) || got.Messages != len(texts) {
			t.Fatalf("shuffled: %d messages stored (%d counted), want %d", len(got.Items), got.Messages, len(texts))
		}
		for i := range texts {
			g, w := got.Items[i], want.Items[i]
			if g.Text != w.Text || g.Turn != i+1 || w.Turn != i+1 {
				t.Fatalf("turn %d: %q (turn %d) vs %q (turn %d)", i, g.Text, g.Turn, w.Text, w.Turn)
			}
			if d := g.Risk - w.Risk; d > 1e-9 || d < -1e-9 {
				t.Errorf("turn %d: risk %.6f after late arrivals, %.6f in order", i+1, g.Risk, w.Risk)
			}
			if g.Assessment == nil || len(g.Assessment.Reasons) == 0 || g.Assessment.Reasons[0].Zh == "" || g.Assessment.Reasons[0].En == "" {
				t.Errorf("turn %d: assessment without reasons in both languages: %+v", i+1, g.Assessment)
			}
			if g.Analysis.Emotion == "" {
				t.Errorf("turn %d: no analysis stored", i+1)
			}
		}
		if got.Risk != want.Risk || !got.LastAt.Equal(want.LastAt) || !got.StartedAt.Equal(base) {
			t.Errorf("conversation: %+v vs %+v", got.Conversation, want.Conversation)
		}
	})
}

// readEvent waits for the next event on s, failing after a timeout.
func readEvent(t *testing.T, s *client.AlertStream) *client.StreamEvent {
	t.Helper()
	type r struct {
		ev  *client.StreamEvent
		err error
	}
	ch := make(chan r, 1)
	go func() { ev, err := s.Next(); ch <- r{ev, err} }()
	select {
	case x := <-ch:
		if x.err != nil {
			t.Fatalf("stream: %v", x.err)
		}
		return x.ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event on the stream within 10 s")
	}
	return nil
}

// TestAlertLifecycle: an angry customer opens one alert, delivered on the
// SSE stream of its team only (not another team's); more anger raises it
// rather than opening another; the stream resumes from Last-Event-ID; one
// call opens a case pre-filled from the conversation; closing it stops
// alerts until the conversation re-arms.
func TestAlertLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ag := e.as[auth.RoleAgent]
		sup := e.as[auth.RoleSupervisor]
		streamA, err := ag.StreamAlerts(ctx, url.Values{"team": {"team-a"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		defer streamA.Close()
		streamB, err := sup.StreamAlerts(ctx, url.Values{"team": {"team-b"}}, "")
		if err != nil {
			t.Fatal(err)
		}
		defer streamB.Close()

		now := time.Now().UTC().Add(-10 * time.Minute)
		res, err := ag.Ingest(ctx, []interactions.Message{
			msg("a1", "conv-a", "customer", "您好，我想问一下转账的事", now),
			msg("a2", "conv-a", "agent", "请您稍等", now.Add(time.Second)),
			msg("a3", "conv-a", "customer", angry, now.Add(2*time.Second)),
		})
		if err != nil {
			t.Fatal(err)
		}
		alertID := res.Items[2].AlertID
		if alertID == "" || res.Items[0].AlertID != "" {
			t.Fatalf("alert ids: %+v", res.Items)
		}
		ev := readEvent(t, streamA)
		if ev.Event != alerts.EventOpened || ev.Data.Alert.ID != alertID || ev.ID != ev.Data.Seq || ev.Data.Alert.Team != "team-a" ||
			len(ev.Data.Alert.Reasons) == 0 || len(ev.Data.Alert.Interventions) == 0 || ev.Data.Alert.Interventions[0].Zh == "" {
			t.Fatalf("stream A: %+v", ev)
		}
		// Another team's alert reaches stream B, and B never saw A's.
		bm := msg("b1", "conv-b", "customer", angry, now)
		bm.Team = "team-b"
		if _, err := ag.IngestOne(ctx, bm); err != nil {
			t.Fatal(err)
		}
		if evb := readEvent(t, streamB); evb.Data.Alert.ConversationID != "conv-b" || evb.Event != alerts.EventOpened {
			t.Fatalf("stream B: %+v", evb)
		}
		// Heartbeats keep the stream alive (200 ms in tests).
		if _, err := streamB.WaitHeartbeat(); err != nil {
			t.Fatal(err)
		}

		// Dedup: more anger in conv-a keeps one alert.
		if _, err := ag.IngestOne(ctx, msg("a4", "conv-a", "customer", "你们这是诈骗！我要找律师起诉你们！！！", now.Add(3*time.Second))); err != nil {
			t.Fatal(err)
		}
		list, err := sup.Alerts(ctx, url.Values{"team": {"team-a"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != alertID || list[0].MessageID == "" {
			t.Fatalf("team-a alerts: %+v", list)
		}

		// Resume: a new stream from Last-Event-ID 0 replays team-a's
		// events in order, starting with the opening.
		resumed, err := ag.StreamAlerts(ctx, url.Values{"team": {"team-a"}}, "0")
		if err != nil {
			t.Fatal(err)
		}
		defer resumed.Close()
		if ev := readEvent(t, resumed); ev.Event != alerts.EventOpened || ev.Data.Alert.ID != alertID {
			t.Fatalf("resumed: %+v", ev)
		}

		// One call opens the case; a second answers with the same case.
		ac, err := ag.CaseFromAlert(ctx, alertID, map[string]string{"customer_name": "张伟"})
		if err != nil {
			t.Fatal(err)
		}
		var c struct {
			ID       string `json:"id"`
			Channel  string `json:"channel"`
			Text     string `json:"text"`
			Customer struct{ ID, Name string }
			Contacts []struct{ Content, Direction string }
		}
		if err := json.Unmarshal(ac.Case, &c); err != nil {
			t.Fatal(err)
		}
		if c.ID == "" || ac.Alert.CaseID != c.ID || ac.Alert.State != alerts.StateAcknowledged || c.Channel != "online_chat" ||
			c.Customer.ID != "cust-conv-a" || c.Customer.Name != "张伟" || !strings.Contains(c.Text, "银保监会") || strings.Contains(c.Text, "请您稍等") ||
			len(c.Contacts) != 1 || !strings.Contains(c.Contacts[0].Content, alertID) || !strings.Contains(c.Contacts[0].Content, "坐席：请您稍等") {
			t.Fatalf("case from alert: %+v / %+v", c, ac.Alert)
		}
		if again, err := ag.CaseFromAlert(ctx, alertID, nil); err != nil || !strings.Contains(string(again.Case), `"id":"`+c.ID+`"`) {
			t.Fatalf("second call: %v, want case %s again", err, c.ID)
		}
		cr, err := sup.CustomerRisk(ctx, "cust-conv-a")
		if err != nil {
			t.Fatal(err)
		}
		if cr.Risk < 0.6 || cr.ConversationID != "conv-a" || len(cr.OpenCases) != 1 || cr.OpenCases[0].ID != c.ID || len(cr.Alerts) != 1 || len(cr.Recent) != 4 {
			t.Fatalf("customer risk: %+v", cr)
		}

		// Close: no new alert while the risk stays high.
		if _, err := ag.CloseAlert(ctx, alertID, "回电处理完毕"); err != nil {
			t.Fatal(err)
		}
		if _, err := ag.CloseAlert(ctx, alertID, ""); apiErr(t, err).Code != "alert_closed" {
			t.Fatalf("closing twice: %v", err)
		}
		if _, err := ag.IngestOne(ctx, msg("a5", "conv-a", "customer", angry+"！！", now.Add(4*time.Second))); err != nil {
			t.Fatal(err)
		}
		if list, _ := sup.Alerts(ctx, url.Values{"team": {"team-a"}}); len(list) != 1 {
			t.Fatalf("closed alert re-opened without re-arming: %+v", list)
		}
		if _, err := sup.Alert(ctx, "AL-nope"); apiErr(t, err).Status != 404 {
			t.Fatal(err)
		}
	})
}

// TestWebhookThroughAPI: an administrator registers a receiver; an alert
// is delivered to it signed; the delivery log says so; other roles may not
// manage webhooks.
func TestWebhookThroughAPI(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	var mu sync.Mutex
	var secret string
	got := make(chan string, 4)
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		s := secret
		mu.Unlock()
		if err := alerts.VerifySignature(s, r.Header.Get("Huajie-Signature"), b, time.Now(), time.Minute); err != nil {
			got <- "bad: " + err.Error()
			w.WriteHeader(401)
			return
		}
		got <- r.Header.Get("Huajie-Event")
	}))
	defer rcv.Close()
	if _, err := e.as[auth.RoleSupervisor].CreateWebhook(ctx, rcv.URL, ""); apiErr(t, err).Status != 403 {
		t.Fatal("a supervisor registered a webhook")
	}
	if _, err := e.as[auth.RoleAdmin].CreateWebhook(ctx, "ftp://example.com/x", ""); apiErr(t, err).Status != 422 {
		t.Fatal("a non-HTTP URL was accepted")
	}
	wh, err := e.as[auth.RoleAdmin].CreateWebhook(ctx, rcv.URL, "team-a")
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	secret = wh.Secret
	mu.Unlock()
	if _, err := e.as[auth.RoleAgent].IngestOne(ctx, msg("w1", "conv-w", "customer", angry, time.Now().Add(-time.Minute))); err != nil {
		t.Fatal(err)
	}
	other := msg("w2", "conv-w2", "customer", angry, time.Now().Add(-time.Minute))
	other.Team = "team-z" // not this webhook's team
	if _, err := e.as[auth.RoleAgent].IngestOne(ctx, other); err != nil {
		t.Fatal(err)
	}
	w := alerts.NewWorker(alerts.WorkerOpts{Store: e.db.Alerts()})
	if n, err := w.RunOnce(ctx); n != 1 || err != nil {
		t.Fatalf("RunOnce: %d %v", n, err)
	}
	if g := <-got; g != alerts.EventOpened {
		t.Fatalf("receiver: %s", g)
	}
	ds, err := e.as[auth.RoleAdmin].WebhookDeliveries(ctx, wh.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].State != alerts.DeliveryDelivered || ds[0].Attempts != 1 || len(ds[0].Log) != 1 || ds[0].Log[0].Status != 200 {
		t.Fatalf("deliveries: %+v", ds)
	}
	list, err := e.as[auth.RoleAdmin].Raw(ctx, "GET", "/api/v1/webhooks", nil, nil)
	if err != nil || list.Status != 200 || strings.Contains(string(list.Body), wh.Secret) {
		t.Fatalf("webhook list shows the secret or fails: %v %s", err, list.Body)
	}
}
