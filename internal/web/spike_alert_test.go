package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analyst"
	"huajie/internal/auth"
	"huajie/internal/collect"
	"huajie/internal/insight"
	"huajie/internal/spikewatch"
	"huajie/internal/store"
	"huajie/internal/web/client"
)

// spikeReceiver is a webhook endpoint that records the spike alerts it
// receives with a valid signature.
type spikeReceiver struct {
	mu     sync.Mutex
	secret string
	got    []alerts.Event
	bad    []string
}

func (rc *spikeReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if err := alerts.VerifySignature(rc.secret, r.Header.Get("Huajie-Signature"), body, time.Now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var ev alerts.Event
	if err := json.Unmarshal(body, &ev); err != nil || r.Header.Get("Huajie-Event") != ev.Kind || r.Header.Get("Huajie-Event-Id") != strconv.FormatInt(ev.Seq, 10) {
		rc.bad = append(rc.bad, fmt.Sprintf("payload %s (%v) with headers %v", body, err, r.Header))
	}
	rc.got = append(rc.got, ev)
}

// postHistory stores 12 weeks of posts on three causes with a weekly rhythm
// and noise, ending now, and a wave of extra posts on the wave cause today.
func postHistory(t *testing.T, db *store.DB, now time.Time, wave string, quiet []string, extra int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, 11))
	rhythm := map[time.Weekday]float64{time.Monday: 1.35, time.Sunday: 0.45, time.Saturday: 0.6}
	var rows []store.PostRow
	add := func(cause string, at time.Time) {
		id := fmt.Sprintf("p%05d", len(rows))
		rows = append(rows, store.PostRow{Post: collect.Post{ID: id, Platform: "weibo", At: at, Text: "投诉 " + cause},
			Fact: insight.Fact{At: at, Values: map[string]string{insight.DimCause: cause}}})
	}
	levels := append([]string{wave}, quiet...)
	for d := 84; d >= 0; d-- {
		at := now.Add(-time.Duration(d)*24*time.Hour - 2*time.Minute)
		for i, c := range levels {
			mean := float64(8-2*i) * max(rhythm[at.Weekday()], 1)
			n := int(mean + rng.NormFloat64()*1.2 + 0.5)
			for range max(n, 0) {
				add(c, at)
			}
		}
	}
	for range extra {
		add(wave, now.Add(-time.Minute))
	}
	if _, err := db.ImportPosts(context.Background(), rows, nil); err != nil {
		t.Fatal(err)
	}
}

func rawCall(t *testing.T, c *client.Client, method, path string, body any) *client.Response {
	t.Helper()
	r, err := c.Raw(context.Background(), method, path, body, nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// TestSpikeAlertsEndToEnd: a stored history with a known wave of one cause
// raises exactly one spike alert, for that cause, none for the quiet ones;
// it arrives on the SSE stream and at a webhook (HMAC verified); a second
// run raises nothing new, a growing wave updates it; acknowledging works once (then 409), dismissing
// ends it; the stream resumes over conversation and spike events alike.
func TestSpikeAlertsEndToEnd(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		sup, an, admin := e.as[auth.RoleSupervisor], e.as[auth.RoleAnalyst], e.as[auth.RoleAdmin]

		// Not configured yet: 503.
		if r := rawCall(t, an, "GET", "/api/v1/insight/spike-alerts", nil); r.Status != http.StatusServiceUnavailable {
			t.Fatalf("unconfigured: %d %s", r.Status, r.Body)
		}

		now := time.Now().UTC()
		const wave = "C02" // facilities, equipment and systems
		quiet := []string{"C01", "C03"}
		postHistory(t, e.db, now, wave, quiet, 40)

		rc := &spikeReceiver{}
		hook := httptest.NewServer(rc)
		defer hook.Close()
		wh, err := admin.CreateWebhook(ctx, hook.URL, "")
		if err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		rc.secret = wh.Secret
		rc.mu.Unlock()
		worker := alerts.NewWorker(alerts.WorkerOpts{Store: e.db.Alerts()})

		stream, err := sup.StreamAlerts(ctx, nil, "")
		if err != nil {
			t.Fatal(err)
		}
		defer stream.Close()

		svc := spikewatch.New(spikewatch.Opts{Store: e.db.SpikeAlerts(), Publish: e.ing.alerts.Publish})
		e.ing.alerts.SetSpikes(svc)
		runner := spikewatch.NewRunner(spikewatch.RunnerOpts{Service: svc,
			Analyst: analyst.New(analyst.Opts{Repo: e.db, RefreshEvery: time.Nanosecond})})
		res, err := runner.RunOnce(ctx)
		if err != nil || res.Raised != 1 || res.Updated != 0 {
			t.Fatalf("first run: %+v %v", res, err)
		}

		var list struct {
			Items []alerts.SpikeAlert `json:"items"`
		}
		resp := rawCall(t, an, "GET", "/api/v1/insight/spike-alerts?state=open", nil)
		if resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &list) != nil || len(list.Items) != 1 {
			t.Fatalf("list: %d %s", resp.Status, resp.Body)
		}
		sa := list.Items[0]
		if sa.Source != insight.SourcePost || sa.By != insight.DimCause || sa.Value != wave || sa.Name == "" || sa.NameEn == "" ||
			sa.Count < 40 || sa.Z < 4 || sa.Expected >= sa.Count || sa.State != alerts.SpikeOpen || sa.Link == "" {
			t.Fatalf("alert %+v", sa)
		}

		// On the stream, with its seq as the event id.
		ev := readEvent(t, stream)
		if ev.Event != alerts.EventSpikeRaised || ev.Data.Spike == nil || ev.Data.Spike.ID != sa.ID || ev.ID != ev.Data.Seq || ev.Data.Alert.ID != "" {
			t.Fatalf("stream: %+v", ev)
		}
		raisedSeq := ev.ID

		// At the webhook, signed.
		if _, err := worker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		rc.mu.Lock()
		if len(rc.bad) > 0 || len(rc.got) != 1 || rc.got[0].Kind != alerts.EventSpikeRaised || rc.got[0].Spike == nil || rc.got[0].Spike.ID != sa.ID {
			t.Fatalf("webhook: got %+v bad %v", rc.got, rc.bad)
		}
		rc.mu.Unlock()

		// The link shows the spike.
		var sp analyst.SpikesResult
		if resp := rawCall(t, an, "GET", sa.Link, nil); resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &sp) != nil || len(sp.Series) == 0 ||
			sp.Series[0].Value != wave || len(sp.Series[0].Spikes) == 0 {
			t.Fatalf("link %s: %d %s", sa.Link, resp.Status, resp.Body)
		}

		// A second run raises nothing new.
		if res, err := runner.RunOnce(ctx); err != nil || res.Raised+res.Updated != 0 {
			t.Fatalf("second run: %+v %v", res, err)
		}
		// The wave grows later the same day: the same alert, updated.
		var more []store.PostRow
		for i := range 15 {
			at := now.Add(-30 * time.Second)
			more = append(more, store.PostRow{Post: collect.Post{ID: fmt.Sprintf("late%d", i), Platform: "weibo", At: at, Text: "账单"},
				Fact: insight.Fact{At: at, Values: map[string]string{insight.DimCause: wave}}})
		}
		if _, err := e.db.ImportPosts(ctx, more, nil); err != nil {
			t.Fatal(err)
		}
		if res, err := runner.RunOnce(ctx); err != nil || res.Raised != 0 || res.Updated != 1 {
			t.Fatalf("run after growth: %+v %v", res, err)
		}
		if ev := readEvent(t, stream); ev.Event != alerts.EventSpikeUpdated || ev.Data.Spike.ID != sa.ID || ev.Data.Spike.Count != sa.Count+15 {
			t.Fatalf("update on the stream: %+v", ev)
		}
		if resp := rawCall(t, an, "GET", "/api/v1/insight/spike-alerts", nil); json.Unmarshal(resp.Body, &list) != nil || len(list.Items) != 1 || list.Items[0].Count != sa.Count+15 {
			t.Fatalf("after growth: %s", resp.Body)
		}

		// Acknowledge once; again is 409; dismiss; unknown is 404.
		p := "/api/v1/insight/spike-alerts/" + sa.ID
		var got alerts.SpikeAlert
		resp = rawCall(t, sup, "POST", p+"/acknowledge", map[string]string{"note": "系统故障，已通知信用卡中心"})
		if resp.Status != http.StatusOK || json.Unmarshal(resp.Body, &got) != nil || got.State != alerts.SpikeAcknowledged ||
			got.AcknowledgedBy != "test-supervisor" || got.Note == "" || got.AcknowledgedAt.IsZero() {
			t.Fatalf("acknowledge: %d %s", resp.Status, resp.Body)
		}
		for _, c := range []struct {
			method, path string
			status       int
			code         string
		}{
			{"POST", p + "/acknowledge", http.StatusConflict, "wrong_state"},
			{"POST", p + "/dismiss", http.StatusOK, ""},
			{"POST", p + "/dismiss", http.StatusConflict, "wrong_state"},
			{"GET", "/api/v1/insight/spike-alerts/SPK-none", http.StatusNotFound, "not_found"},
			{"POST", "/api/v1/insight/spike-alerts/SPK-none/dismiss", http.StatusNotFound, "not_found"},
			{"GET", "/api/v1/insight/spike-alerts?state=closed", http.StatusBadRequest, "bad_query"},
			{"GET", "/api/v1/insight/spike-alerts?limit=501", http.StatusBadRequest, "bad_query"},
			{"GET", "/api/v1/insight/spike-alerts?colour=red", http.StatusBadRequest, "bad_query"},
		} {
			r := rawCall(t, an, c.method, c.path, nil)
			var eb struct {
				Error struct{ Code string } `json:"error"`
			}
			_ = json.Unmarshal(r.Body, &eb)
			if r.Status != c.status || eb.Error.Code != c.code {
				t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, r.Status, r.Body, c.status, c.code)
			}
		}
		if resp := rawCall(t, sup, "POST", p+"/acknowledge", strings.Repeat("x", 2<<20)); resp.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("huge body: %d %s", resp.Status, resp.Body)
		}
		for _, kind := range []string{alerts.EventSpikeAcknowledged, alerts.EventSpikeDismissed} {
			if ev := readEvent(t, stream); ev.Event != kind || ev.Data.Spike.ID != sa.ID {
				t.Fatalf("stream %s: %+v", kind, ev)
			}
		}

		// A conversation alert after them; a stream resuming after the
		// raise replays both kinds in order.
		if _, err := e.as[auth.RoleAgent].IngestOne(ctx, msg("s1", "conv-s", "customer", angry, now.Add(-time.Minute))); err != nil {
			t.Fatal(err)
		}
		if ev := readEvent(t, stream); ev.Event != alerts.EventOpened || ev.Data.Alert.ConversationID != "conv-s" || ev.Data.Spike != nil {
			t.Fatalf("conversation alert on the stream: %+v", ev)
		}
		resumed, err := sup.StreamAlerts(ctx, url.Values{}, strconv.FormatInt(raisedSeq-1, 10))
		if err != nil {
			t.Fatal(err)
		}
		defer resumed.Close()
		var kinds []string
		for range 5 {
			kinds = append(kinds, readEvent(t, resumed).Event)
		}
		if want := fmt.Sprint([]string{alerts.EventSpikeRaised, alerts.EventSpikeUpdated, alerts.EventSpikeAcknowledged, alerts.EventSpikeDismissed, alerts.EventOpened}); fmt.Sprint(kinds) != want {
			t.Fatalf("resumed %v, want %v", kinds, want)
		}
		// A team's stream gets no spike events.
		teamStream, err := sup.StreamAlerts(ctx, url.Values{"team": {"team-x"}}, strconv.FormatInt(raisedSeq-1, 10))
		if err != nil {
			t.Fatal(err)
		}
		defer teamStream.Close()
		skipped, err := teamStream.WaitHeartbeat()
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range skipped {
			if !strings.HasPrefix(l, "retry: ") {
				t.Fatalf("team stream got %q", skipped)
			}
		}
	})
}
