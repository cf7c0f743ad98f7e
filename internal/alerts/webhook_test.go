package alerts_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/interactions"
	"huajie/internal/risk"
	"huajie/internal/store"
)

// receiver is a local webhook endpoint that verifies every signature and
// fails the first `fail` deliveries.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	fail   int
	calls  int
	ok     []string // event kinds received with 2xx
	bad    []string // signature problems
	okc    chan string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.calls++
	if err := alerts.VerifySignature(rc.secret, r.Header.Get("Huajie-Signature"), body, time.Now(), 5*time.Minute); err != nil {
		rc.bad = append(rc.bad, err.Error())
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.Header.Get("Huajie-Event") == "" || r.Header.Get("Huajie-Delivery") == "" || r.Header.Get("Huajie-Event-Id") == "" {
		rc.bad = append(rc.bad, "missing headers")
	}
	if rc.fail > 0 {
		rc.fail--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	rc.ok = append(rc.ok, r.Header.Get("Huajie-Event"))
	if rc.okc != nil {
		rc.okc <- r.Header.Get("Huajie-Event")
	}
}

// setup opens a SQLite store with a webhook to rc and one alert raised by
// ingesting an angry message; it returns the DSN for reopening.
func setup(t *testing.T, rc *receiver) (string, *store.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "h.db")
	db, err := store.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	asvc := alerts.New(alerts.Opts{Store: db.Alerts()})
	wh, err := asvc.CreateWebhook(ctx, alerts.Webhook{URL: srv.URL, CreatedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rc.secret = wh.Secret
	an, err := analysis.Default()
	if err != nil {
		t.Fatal(err)
	}
	sc := interactions.NewScorer(interactions.ScorerOpts{Model: risk.Default(), Analyzer: an, Policy: alerts.NewPolicy(risk.DefaultAlertThreshold, nil)})
	gl := interactions.NewGroupCommitLog(interactions.GroupCommitOpts{Store: db.Interactions(), Scorer: sc})
	defer gl.Close()
	svc := interactions.New(interactions.Opts{Log: gl, Reader: db.Interactions(), Analyzer: an})
	res, err := svc.Ingest(ctx, []interactions.Input{{Message: interactions.Message{ID: "m1", ConversationID: "c1", CustomerID: "u1",
		Channel: "phone", Role: "customer", Time: time.Now().Add(-time.Minute),
		Text: "我已经打了三次电话了，你们到底管不管？再不解决我就去银保监会投诉，还要找媒体曝光！"}}})
	if err != nil || res.Items[0].AlertID == "" {
		t.Fatalf("no alert from an angry message: %+v %v", res, err)
	}
	return dsn, db
}

// clock is a settable time for the worker.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func deliveries(t *testing.T, db *store.DB) []alerts.Delivery {
	t.Helper()
	hooks, err := db.Alerts().ListWebhooks(context.Background())
	if err != nil || len(hooks) != 1 {
		t.Fatal(hooks, err)
	}
	ds, err := db.Alerts().Deliveries(context.Background(), hooks[0].ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestWebhookRetriesThenDelivers: the receiver fails twice; the worker
// retries after the backoff (not before) and the third attempt succeeds,
// every attempt signed and logged.
func TestWebhookRetriesThenDelivers(t *testing.T) {
	rc := &receiver{t: t, fail: 2}
	_, db := setup(t, rc)
	ck := &clock{t: time.Now()}
	w := alerts.NewWorker(alerts.WorkerOpts{Store: db.Alerts(), Now: ck.now, BaseBackoff: time.Second, MaxBackoff: time.Minute, MaxAttempts: 5})
	ctx := context.Background()
	mustRun := func(want int) {
		t.Helper()
		n, err := w.RunOnce(ctx)
		if err != nil || n != want {
			t.Fatalf("RunOnce: %d, %v; want %d", n, err, want)
		}
	}
	mustRun(1) // fails
	mustRun(0) // backoff not elapsed
	ck.add(1100 * time.Millisecond)
	mustRun(1) // fails again; next wait 2 s
	ck.add(1100 * time.Millisecond)
	mustRun(0)
	ck.add(time.Second)
	mustRun(1) // succeeds
	ck.add(time.Hour)
	mustRun(0)
	if len(rc.bad) > 0 || rc.calls != 3 || len(rc.ok) != 1 || rc.ok[0] != alerts.EventOpened {
		t.Fatalf("receiver: calls %d ok %v bad %v", rc.calls, rc.ok, rc.bad)
	}
	ds := deliveries(t, db)
	if len(ds) != 1 || ds[0].State != alerts.DeliveryDelivered || ds[0].Attempts != 3 || len(ds[0].Log) != 3 {
		t.Fatalf("delivery: %+v", ds)
	}
	if ds[0].Log[0].Status != 503 || ds[0].Log[0].Outcome != alerts.DeliveryPending || ds[0].Log[2].Status != 200 {
		t.Fatalf("attempt log: %+v", ds[0].Log)
	}
}

// TestWebhookDeadLetter: a receiver that never succeeds gets MaxAttempts
// attempts, then the delivery is dead and no longer tried.
func TestWebhookDeadLetter(t *testing.T) {
	rc := &receiver{t: t, fail: 1000}
	_, db := setup(t, rc)
	ck := &clock{t: time.Now()}
	w := alerts.NewWorker(alerts.WorkerOpts{Store: db.Alerts(), Now: ck.now, BaseBackoff: time.Second, MaxBackoff: time.Second, MaxAttempts: 3})
	for range 6 {
		if _, err := w.RunOnce(context.Background()); err != nil {
			t.Fatal(err)
		}
		ck.add(2 * time.Second)
	}
	ds := deliveries(t, db)
	if rc.calls != 3 || len(ds) != 1 || ds[0].State != alerts.DeliveryDead || ds[0].Attempts != 3 || ds[0].LastStatus != 503 {
		t.Fatalf("calls %d deliveries %+v", rc.calls, ds)
	}
	if next, err := db.Alerts().NextDue(context.Background()); err != nil || !next.IsZero() {
		t.Fatalf("a dead delivery is still due: %v %v", next, err)
	}
}

// TestWebhookWorkerRestart: a delivery that failed is pending in the
// database; a new worker on a reopened database delivers it.
func TestWebhookWorkerRestart(t *testing.T) {
	rc := &receiver{t: t, fail: 1, okc: make(chan string, 10)}
	dsn, db := setup(t, rc)
	ck := &clock{t: time.Now()}
	ctx := context.Background()
	w1 := alerts.NewWorker(alerts.WorkerOpts{Store: db.Alerts(), Now: ck.now, BaseBackoff: time.Second})
	if n, err := w1.RunOnce(ctx); n != 1 || err != nil {
		t.Fatal(n, err)
	}
	db.Close()

	db2, err := store.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	if ds := deliveries(t, db2); len(ds) != 1 || ds[0].State != alerts.DeliveryPending || ds[0].Attempts != 1 {
		t.Fatalf("after restart: %+v", ds)
	}
	ck.add(2 * time.Second)
	w2 := alerts.NewWorker(alerts.WorkerOpts{Store: db2.Alerts(), Now: ck.now})
	if n, err := w2.RunOnce(ctx); n != 1 || err != nil {
		t.Fatal(n, err)
	}
	select {
	case kind := <-rc.okc:
		if kind != alerts.EventOpened {
			t.Fatalf("delivered %s", kind)
		}
	default:
		t.Fatal("the restarted worker did not deliver")
	}
	if ds := deliveries(t, db2); ds[0].State != alerts.DeliveryDelivered || ds[0].Attempts != 2 {
		t.Fatalf("after delivery: %+v", ds)
	}
}
