package interactions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/risk"
)

// Log accepts entries durably: when Append returns without error, every
// entry is either stored or was a duplicate, and the outcomes say which.
type Log interface {
	Append(ctx context.Context, entries []Entry) ([]Outcome, error)
}

// GroupCommitLog is the in-process Log: one writer goroutine runs the
// Scorer over the entries of all waiting Append calls in one transaction
// (group commit), then publishes the alert events.
type GroupCommitLog struct {
	store    Store
	scorer   *Scorer
	publish  func([]alerts.Event)
	maxGroup int
	linger   time.Duration
	log      *slog.Logger

	jobs chan *job
	done chan struct{}
	once sync.Once
	stop chan struct{}
}

type job struct {
	ctx     context.Context
	entries []Entry
	out     []Outcome
	err     error
	ready   chan struct{}
}

// GroupCommitOpts configures a GroupCommitLog.
type GroupCommitOpts struct {
	Store  Store
	Scorer *Scorer
	// Publish receives the alert events of each committed group (the SSE
	// broker and the webhook worker's wake-up).
	Publish func([]alerts.Event)
	// MaxGroup is the most entries committed together (default 4,000).
	MaxGroup int
	// Linger is how long the writer waits for more requests when it has
	// fewer than MaxGroup entries (default 500 µs; negative: none). One
	// message per request from many clients then shares a transaction
	// instead of paying a commit each.
	Linger time.Duration
	Logger *slog.Logger
}

// NewGroupCommitLog starts the writer; Close stops it.
func NewGroupCommitLog(o GroupCommitOpts) *GroupCommitLog {
	if o.MaxGroup <= 0 {
		o.MaxGroup = 4000
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Linger == 0 {
		o.Linger = 500 * time.Microsecond
	}
	l := &GroupCommitLog{store: o.Store, scorer: o.Scorer, publish: o.Publish, maxGroup: o.MaxGroup, linger: o.Linger, log: o.Logger,
		jobs: make(chan *job, 1024), done: make(chan struct{}), stop: make(chan struct{})}
	go l.run()
	return l
}

// Append implements Log.
func (l *GroupCommitLog) Append(ctx context.Context, entries []Entry) ([]Outcome, error) {
	if len(entries) == 0 {
		return nil, nil
	}
	j := &job{ctx: ctx, entries: entries, ready: make(chan struct{})}
	select {
	case l.jobs <- j:
	case <-l.stop:
		return nil, ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once queued the job is committed or failed by the writer; waiting
	// for it even if ctx ends keeps "acknowledged means stored" simple.
	<-j.ready
	return j.out, j.err
}

// Close stops the writer after the queued jobs.
func (l *GroupCommitLog) Close() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

func (l *GroupCommitLog) run() {
	defer close(l.done)
	for {
		var first *job
		select {
		case first = <-l.jobs:
		case <-l.stop:
			// Drain what was queued before the stop.
			for {
				select {
				case j := <-l.jobs:
					l.commit([]*job{j})
				default:
					return
				}
			}
		}
		group := []*job{first}
		n := len(first.entries)
		var linger <-chan time.Time
		var timer *time.Timer
		if l.linger > 0 && n < l.maxGroup {
			timer = time.NewTimer(l.linger)
			linger = timer.C
		}
	gather:
		for n < l.maxGroup {
			select {
			case j := <-l.jobs:
				group = append(group, j)
				n += len(j.entries)
				continue
			default:
			}
			if linger == nil {
				break
			}
			select {
			case j := <-l.jobs:
				group = append(group, j)
				n += len(j.entries)
			case <-linger:
				linger = nil
				break gather
			}
		}
		if timer != nil {
			timer.Stop()
		}
		l.commit(group)
	}
}

// commit runs one group; if the group's transaction fails and it had
// several jobs, each is retried alone so one bad job fails only itself.
func (l *GroupCommitLog) commit(group []*job) {
	err := l.tryGroup(group)
	if err != nil && len(group) > 1 {
		for _, j := range group {
			if e := l.tryGroup([]*job{j}); e != nil {
				j.err = e
			}
			close(j.ready)
		}
		return
	}
	for _, j := range group {
		j.err = err
		close(j.ready)
	}
}

func (l *GroupCommitLog) tryGroup(group []*job) error {
	var all []Entry
	if len(group) == 1 {
		all = group[0].entries
	} else {
		for _, j := range group {
			all = append(all, j.entries...)
		}
	}
	var outs []Outcome
	var events []alerts.Event
	// The transaction runs under a context that is not the callers': a
	// client going away must not roll back other clients' messages.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := l.store.InTx(ctx, func(tx Tx) error {
		var err error
		outs, events, err = l.scorer.Process(ctx, tx, all)
		return err
	})
	if err != nil {
		l.scorer.Forget(all)
		l.log.Warn("ingest transaction failed", "entries", len(all), "err", err)
		return fmt.Errorf("interactions: storing %d messages: %w", len(all), err)
	}
	off := 0
	for _, j := range group {
		j.out = outs[off : off+len(j.entries)]
		off += len(j.entries)
	}
	if l.publish != nil && len(events) > 0 {
		l.publish(events)
	}
	return nil
}

// Opts configures a Service.
type Opts struct {
	Log      Log
	Reader   Reader
	Analyzer Analyzer
	Limits   Limits
	Now      func() time.Time
}

// Service is the ingest domain.
type Service struct {
	log    Log
	reader Reader
	an     Analyzer
	lim    Limits
	now    func() time.Time
}

// New returns a Service.
func New(o Opts) *Service {
	if o.Log == nil || o.Reader == nil || o.Analyzer == nil {
		panic("interactions.New: Log, Reader and Analyzer are required")
	}
	s := &Service{log: o.Log, reader: o.Reader, an: o.Analyzer, lim: o.Limits.withDefaults(), now: o.Now}
	if s.now == nil {
		s.now = time.Now
	}
	return s
}

// Limits returns the effective limits.
func (s *Service) Limits() Limits { return s.lim }

// Item statuses.
const (
	StatusAccepted  = "accepted"
	StatusDuplicate = "duplicate"
	StatusFailed    = "failed"
)

// ItemResult is the outcome of one message of a batch.
type ItemResult struct {
	Index   int      `json:"index"`
	ID      string   `json:"id,omitempty"`
	Status  string   `json:"status"`
	Code    string   `json:"code,omitempty"`
	Message string   `json:"message,omitempty"`
	Risk    *float64 `json:"risk,omitempty"`
	Level   string   `json:"level,omitempty"`
	Turn    int      `json:"turn,omitempty"`
	AlertID string   `json:"alert_id,omitempty"`
}

// Result is the outcome of an Ingest call.
type Result struct {
	Accepted   int          `json:"accepted"`
	Duplicates int          `json:"duplicates"`
	Failed     int          `json:"failed"`
	Items      []ItemResult `json:"items"`
}

// Input is one item of a batch: a decoded message or why it could not be
// decoded (the HTTP layer decodes items one by one so a bad item does not
// sink the batch).
type Input struct {
	Message Message
	Err     *ItemError
}

// Ingest validates, analyses and appends a batch. Items that fail are
// reported in the result; the rest are stored before it returns. An error
// means nothing of the batch may be assumed stored (ErrBatchTooLarge,
// storage failure).
func (s *Service) Ingest(ctx context.Context, in []Input) (Result, error) {
	if len(in) > s.lim.MaxBatch {
		return Result{}, fmt.Errorf("%w: %d messages, at most %d per request", ErrBatchTooLarge, len(in), s.lim.MaxBatch)
	}
	now := s.now()
	res := Result{Items: make([]ItemResult, len(in))}
	entries := make([]Entry, 0, len(in))
	pos := make([]int, 0, len(in))
	results := make([]analysis.Result, len(in))
	for i := range in {
		it := &res.Items[i]
		it.Index = i
		m := &in[i].Message
		it.ID = m.ID
		err := in[i].Err
		if err == nil {
			err = s.lim.Validate(m, now)
		}
		if err != nil {
			it.Status, it.Code, it.Message = StatusFailed, err.Code, err.Message
			res.Failed++
			continue
		}
		s.an.AnalyzeInto(m.Text, &results[i], false)
		entries = append(entries, Entry{Message: *m, ReceivedAt: now.UTC().Truncate(time.Microsecond), Result: &results[i]})
		pos = append(pos, i)
	}
	if len(entries) == 0 {
		return res, nil
	}
	outs, err := s.log.Append(ctx, entries)
	if err != nil {
		return Result{}, err
	}
	for k, o := range outs {
		it := &res.Items[pos[k]]
		if o.Duplicate {
			it.Status = StatusDuplicate
			res.Duplicates++
			continue
		}
		it.Status = StatusAccepted
		r := o.Stored.Risk
		it.Risk, it.Level, it.Turn, it.AlertID = &r, o.Stored.Level, o.Stored.Turn, o.AlertID
		res.Accepted++
	}
	return res, nil
}

// ConversationView is a conversation with its messages (per-message
// analysis and the risk after each: the risk history).
type ConversationView struct {
	Conversation
	Items []Stored `json:"items"`
}

// MaxConversationMessages bounds a conversation as returned.
const MaxConversationMessages = 5000

// Conversation returns a conversation with its messages.
func (s *Service) Conversation(ctx context.Context, id string) (*ConversationView, error) {
	c, err := s.reader.GetConversation(ctx, id)
	if err != nil {
		return nil, err
	}
	ms, err := s.reader.ConversationMessages(ctx, id, MaxConversationMessages)
	if err != nil {
		return nil, err
	}
	if ms == nil {
		ms = []Stored{}
	}
	return &ConversationView{Conversation: *c, Items: ms}, nil
}

// CustomerView is a customer's current risk and recent interactions
// across channels.
type CustomerView struct {
	CustomerID string `json:"customer_id"`
	// Risk is the highest risk among the customer's conversations active
	// in the last RecentWindow (0 when none); Level its level.
	Risk  float64 `json:"risk"`
	Level string  `json:"level"`
	// ConversationID is the conversation Risk comes from.
	ConversationID string         `json:"conversation_id,omitempty"`
	Conversations  []Conversation `json:"conversations"`
	Recent         []Stored       `json:"recent"`
}

// RecentWindow is how recent a conversation must be to count in a
// customer's current risk.
const RecentWindow = 7 * 24 * time.Hour

// Customer returns a customer's current risk and recent interactions;
// ErrNotFound when none is stored.
func (s *Service) Customer(ctx context.Context, id string) (*CustomerView, error) {
	cs, err := s.reader.CustomerConversations(ctx, id, 50)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, ErrNotFound
	}
	ms, err := s.reader.CustomerMessages(ctx, id, 50)
	if err != nil {
		return nil, err
	}
	v := &CustomerView{CustomerID: id, Conversations: cs, Recent: ms, Level: "low"}
	latest := cs[0].LastAt
	for _, c := range cs {
		if c.LastAt.After(latest) {
			latest = c.LastAt
		}
	}
	for _, c := range cs {
		if latest.Sub(c.LastAt) <= RecentWindow && c.Risk > v.Risk {
			v.Risk, v.Level, v.ConversationID = c.Risk, c.Level, c.ID
		}
	}
	return v, nil
}

// LiveConversation is a conversation as the workstation lists it: its
// current risk and level, and the reasons and interventions of its latest
// assessed message (nil when none is assessed yet).
type LiveConversation struct {
	Conversation
	Assessment *risk.Assessment `json:"assessment,omitempty"`
}

// LiveWindow is how recent a conversation's last message must be for the
// conversation to count as live (a shift).
const LiveWindow = 8 * time.Hour

// MaxLive bounds the live conversations returned.
const MaxLive = 50

// Live returns agent's live conversations (every agent's when agent is
// empty): a message in the last LiveWindow, the latest first, at most
// MaxLive.
func (s *Service) Live(ctx context.Context, agent string) ([]LiveConversation, error) {
	return s.reader.LiveConversations(ctx, agent, s.now().Add(-LiveWindow), MaxLive)
}

// IsNotFound reports whether err is ErrNotFound.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
