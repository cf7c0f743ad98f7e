package alerts

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Webhook is a receiver of alert events.
type Webhook struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Secret signs deliveries; it is returned only when the webhook is
	// created.
	Secret string `json:"secret,omitempty"`
	// Team, when set, limits deliveries to that team's alerts.
	Team      string    `json:"team,omitempty"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery states.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryDead      = "dead"
)

// Delivery is one event to deliver to one webhook, with its attempts.
type Delivery struct {
	ID         int64     `json:"id"`
	WebhookID  string    `json:"webhook_id"`
	EventSeq   int64     `json:"event_seq"`
	Kind       string    `json:"kind"`
	State      string    `json:"state"`
	Attempts   int       `json:"attempts"`
	NextAt     time.Time `json:"next_at,omitzero"`
	LastStatus int       `json:"last_status,omitempty"`
	LastError  string    `json:"last_error,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Log        []Attempt `json:"log,omitempty"`

	// For the worker only.
	URL     string `json:"-"`
	Secret  string `json:"-"`
	Payload []byte `json:"-"`
}

// Attempt is one try of a delivery.
type Attempt struct {
	At         time.Time `json:"at"`
	Status     int       `json:"status,omitempty"`
	Error      string    `json:"error,omitempty"`
	DurationMS float64   `json:"duration_ms"`
	// Outcome after the attempt: delivered, pending (retry at NextAt) or dead.
	Outcome string    `json:"outcome"`
	NextAt  time.Time `json:"next_at,omitzero"`
}

// NewSecret returns a random webhook secret.
func NewSecret() string {
	var b [24]byte
	_, _ = rand.Read(b[:])
	return "whsec_" + hex.EncodeToString(b[:])
}

// ValidateWebhook checks a webhook before it is stored.
func ValidateWebhook(w *Webhook) error {
	u, err := url.Parse(w.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: url %q: expected an absolute http or https URL", ErrInvalid, w.URL)
	}
	if len(w.URL) > 2048 {
		return fmt.Errorf("%w: url is over 2048 bytes", ErrInvalid)
	}
	if len(w.Team) > 256 {
		return fmt.Errorf("%w: team is over 256 bytes", ErrInvalid)
	}
	if w.Secret != "" && len(w.Secret) < 16 {
		return fmt.Errorf("%w: secret must be at least 16 characters (or omitted to have one generated)", ErrInvalid)
	}
	return nil
}

// Sign returns the Huajie-Signature header value for body at time t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + mac(secret, ts, body)
}

func mac(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks a Huajie-Signature header against body: the HMAC
// must match and its time be within tolerance of now. Receivers can copy
// it.
func VerifySignature(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts, sig string
	for p := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	if ts == "" || sig == "" {
		return fmt.Errorf("signature header %q: want t=…,v1=…", header)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return fmt.Errorf("signature time %q is not a number", ts)
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return fmt.Errorf("signature time is %v away from now (tolerance %v)", d.Round(time.Second), tolerance)
	}
	if !hmac.Equal([]byte(sig), []byte(mac(secret, ts, body))) {
		return fmt.Errorf("signature does not match")
	}
	return nil
}

// WorkerOpts configures the delivery worker.
type WorkerOpts struct {
	Store  Store
	Client *http.Client // default: 10 s timeout
	// MaxAttempts failures make a delivery dead; default 8.
	MaxAttempts int
	// BaseBackoff and MaxBackoff bound the exponential backoff; default
	// 5 s and 1 h.
	BaseBackoff, MaxBackoff time.Duration
	// Poll is the longest the worker sleeps without a wake-up; default 5 s.
	Poll   time.Duration
	Now    func() time.Time
	Logger *slog.Logger
	// Concurrency is how many deliveries are sent at once; default 4.
	Concurrency int
}

// Worker delivers pending webhook deliveries. Its queue is the database:
// deliveries are inserted with the alert events, in the ingest
// transaction, so a restart resumes where the last run stopped.
type Worker struct {
	o    WorkerOpts
	wake chan struct{}
}

// NewWorker returns a worker; call Run to start it.
func NewWorker(o WorkerOpts) *Worker {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.BaseBackoff <= 0 {
		o.BaseBackoff = 5 * time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = time.Hour
	}
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	return &Worker{o: o, wake: make(chan struct{}, 1)}
}

// Wake tells the worker new deliveries may be due.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done.
func (w *Worker) Run(ctx context.Context) {
	for {
		n, err := w.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			w.o.Logger.Warn("webhook worker", "err", err)
		}
		if n > 0 && err == nil {
			continue // there may be more due
		}
		wait := w.o.Poll
		if next, err := w.o.Store.NextDue(ctx); err == nil && !next.IsZero() {
			if d := next.Sub(w.o.Now()); d < wait {
				wait = max(d, time.Millisecond)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-w.wake:
		case <-t.C:
		}
		t.Stop()
	}
}

// RunOnce sends the deliveries due now and returns how many it tried.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	ds, err := w.o.Store.DueDeliveries(ctx, w.o.Now(), 64)
	if err != nil || len(ds) == 0 {
		return 0, err
	}
	sem := make(chan struct{}, w.o.Concurrency)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for i := range ds {
		d := &ds[i]
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := w.deliver(ctx, d); err != nil {
				mu.Lock()
				if firstErr == nil {
					firstErr = err
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return len(ds), firstErr
}

// deliver makes one attempt and records it.
func (w *Worker) deliver(ctx context.Context, d *Delivery) error {
	start := w.o.Now()
	status, err := w.send(ctx, d, start)
	if err != nil && ctx.Err() != nil {
		return ctx.Err() // shutting down mid-attempt: the delivery stays pending, unchanged
	}
	// A delivered attempt is recorded even while shutting down, so it is
	// not sent again after a restart (delivery is at least once; the
	// Huajie-Delivery header lets receivers drop repeats).
	ctx = context.WithoutCancel(ctx)
	a := Attempt{At: start, Status: status, DurationMS: float64(time.Since(start).Microseconds()) / 1000}
	d.Attempts++
	switch {
	case err == nil:
		a.Outcome = DeliveryDelivered
	case d.Attempts >= w.o.MaxAttempts:
		a.Error = err.Error()
		a.Outcome = DeliveryDead
		w.o.Logger.Warn("webhook delivery dead", "delivery", d.ID, "webhook", d.WebhookID, "attempts", d.Attempts, "err", err)
	default:
		a.Error = err.Error()
		a.Outcome = DeliveryPending
		a.NextAt = start.Add(Backoff(w.o.BaseBackoff, w.o.MaxBackoff, d.Attempts))
	}
	return w.o.Store.RecordAttempt(ctx, d, a)
}

func (w *Worker) send(ctx context.Context, d *Delivery, now time.Time) (int, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "huajie-webhook/1")
	req.Header.Set("Huajie-Event", d.Kind)
	req.Header.Set("Huajie-Event-Id", strconv.FormatInt(d.EventSeq, 10))
	req.Header.Set("Huajie-Delivery", strconv.FormatInt(d.ID, 10))
	req.Header.Set("Huajie-Signature", Sign(d.Secret, now, d.Payload))
	resp, err := w.o.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}
