package interactions

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/analysis"
	"huajie/internal/risk"
)

// Entry is a validated message on its way to the Scorer, with its analysis
// when the caller already made it.
type Entry struct {
	Message
	ReceivedAt time.Time
	Result     *analysis.Result
}

// Outcome is what became of one entry.
type Outcome struct {
	// Duplicate: a message with this id was already stored (or earlier in
	// the same group); nothing was written for it.
	Duplicate bool
	Stored    *Stored
	// AlertID is the conversation's live alert after the message, if any.
	AlertID string
}

// Tx is what the Scorer does inside one write transaction; package store
// implements it.
type Tx interface {
	// Existing returns which of ids are stored already.
	Existing(ctx context.Context, ids []string) (map[string]bool, error)
	// Conversations returns the stored conversations among ids.
	Conversations(ctx context.Context, ids []string) (map[string]*Conversation, error)
	// Messages returns a conversation's stored messages in time order,
	// at most limit.
	Messages(ctx context.Context, conversationID string, limit int) ([]Stored, error)
	// Histories returns what is known of each key's customer outside its
	// conversation, as of its time.
	Histories(ctx context.Context, keys []HistoryKey) ([]risk.History, error)
	InsertMessages(ctx context.Context, ms []*Stored) error
	// UpdateScores rewrites turn, risk, level and assessment of stored
	// messages (after a late message).
	UpdateScores(ctx context.Context, ms []*Stored) error
	SaveConversations(ctx context.Context, cs []*Conversation) error
	// OpenAlert stores a new alert and its event (with its webhook
	// deliveries) and returns the event.
	OpenAlert(ctx context.Context, a *alerts.Alert) (alerts.Event, error)
	// RaiseAlert updates an alert that is not closed and appends its
	// event; ok is false when the alert turned out to be closed.
	RaiseAlert(ctx context.Context, a *alerts.Alert) (ev alerts.Event, ok bool, err error)
	// GetAlert reads an alert inside the transaction.
	GetAlert(ctx context.Context, id string) (*alerts.Alert, error)
}

// HistoryKey asks for a customer's history outside one conversation.
type HistoryKey struct {
	CustomerID, ConversationID string
	At                         time.Time
}

// Store runs Scorer work in transactions and serves reads.
type Store interface {
	// InTx runs fn in one write transaction, committed when it returns nil.
	InTx(ctx context.Context, fn func(tx Tx) error) error
	Reader
}

// Reader is the read side of the store.
type Reader interface {
	GetConversation(ctx context.Context, id string) (*Conversation, error)
	ConversationMessages(ctx context.Context, id string, limit int) ([]Stored, error)
	CustomerConversations(ctx context.Context, customerID string, limit int) ([]Conversation, error)
	CustomerMessages(ctx context.Context, customerID string, limit int) ([]Stored, error)
	// LiveConversations returns the conversations of agent (every agent's
	// when agent is empty) with a message at or after since, the latest
	// first, at most limit, each with its latest assessment.
	LiveConversations(ctx context.Context, agent string, since time.Time, limit int) ([]LiveConversation, error)
	Message(ctx context.Context, id string) (*Stored, error)
}

// Model is the conversation risk model (risk.Model).
type Model interface {
	Update(st *risk.State, m risk.Message, a analysis.Result, h risk.History) risk.Assessment
}

// Analyzer analyses a message's text.
type Analyzer interface {
	AnalyzeInto(text string, r *analysis.Result, explain bool)
}

// ScorerOpts configures a Scorer.
type ScorerOpts struct {
	Model    Model
	Analyzer Analyzer
	Policy   alerts.Policy
	// MaxReplay bounds the messages replayed after a late one (default
	// 10,000); older ones keep their scores.
	MaxReplay int
	// CacheSize bounds the conversations kept in memory (default 100,000).
	CacheSize int
	Now       func() time.Time
}

// Scorer is the per-conversation processing: order, risk, alerts. It must
// be called by one goroutine at a time (the log's writer), which is what
// lets it keep conversation state in memory.
type Scorer struct {
	o     ScorerOpts
	mu    sync.Mutex
	cache map[string]*cached
}

type cached struct {
	conv    Conversation
	history risk.History
}

// NewScorer returns a Scorer.
func NewScorer(o ScorerOpts) *Scorer {
	if o.MaxReplay <= 0 {
		o.MaxReplay = 10000
	}
	if o.CacheSize <= 0 {
		o.CacheSize = 100000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Scorer{o: o, cache: map[string]*cached{}}
}

// Policy returns the alert policy.
func (s *Scorer) Policy() alerts.Policy { return s.o.Policy }

// Process scores entries and stores them in tx. It returns one outcome per
// entry and the alert events to publish once tx commits. If tx fails, the
// caller must call Forget with the same entries.
func (s *Scorer) Process(ctx context.Context, tx Tx, entries []Entry) ([]Outcome, []alerts.Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Outcome, len(entries))
	ids := make([]string, 0, len(entries))
	for i := range entries {
		ids = append(ids, entries[i].ID)
	}
	existing, err := tx.Existing(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	// Group new entries by conversation, first come first served for an
	// id given twice.
	seen := make(map[string]bool, len(entries))
	byConv := map[string][]int{}
	var convOrder []string
	for i := range entries {
		e := &entries[i]
		if existing[e.ID] || seen[e.ID] {
			out[i].Duplicate = true
			continue
		}
		seen[e.ID] = true
		if _, ok := byConv[e.ConversationID]; !ok {
			convOrder = append(convOrder, e.ConversationID)
		}
		byConv[e.ConversationID] = append(byConv[e.ConversationID], i)
	}
	if err := s.loadMissing(ctx, tx, entries, byConv, convOrder); err != nil {
		return nil, nil, err
	}
	var (
		inserts []*Stored
		updates []*Stored
		convs   []*Conversation
		events  []alerts.Event
		res     analysis.Result
	)
	for _, cid := range convOrder {
		idx := byConv[cid]
		slices.SortStableFunc(idx, func(a, b int) int {
			return cmpMsg(&entries[a].Message, &entries[b].Message)
		})
		c := s.cache[cid]
		first := &entries[idx[0]]
		late := !c.conv.after(first.Time, first.ID)
		var replay []*Stored
		if late {
			old, err := tx.Messages(ctx, cid, s.o.MaxReplay)
			if err != nil {
				return nil, nil, err
			}
			// Replay from an empty state: the stored messages and the new
			// ones, in time order.
			for i := range old {
				replay = append(replay, &old[i])
			}
			c.conv.State = risk.State{}
			c.conv.Messages = 0
			c.conv.LastAt, c.conv.LastID = time.Time{}, ""
		}
		newOnes := make(map[*Stored]bool, len(idx))
		alertAfter := make(map[*Stored]string, len(idx))
		results := map[*Stored]*analysis.Result{}
		for _, i := range idx {
			e := &entries[i]
			st := &Stored{Message: e.Message, ReceivedAt: e.ReceivedAt}
			newOnes[st] = true
			if e.Result != nil {
				results[st] = e.Result
			}
			replay = append(replay, st)
			out[i].Stored = st
		}
		if late {
			slices.SortStableFunc(replay, func(a, b *Stored) int { return cmpMsg(&a.Message, &b.Message) })
		}
		var lastAssess risk.Assessment
		var lastMsg *Stored
		var ca convAlert
		for _, st := range replay {
			r := results[st]
			if r == nil {
				s.o.Analyzer.AnalyzeInto(st.Text, &res, false)
				r = &res
			}
			if newOnes[st] {
				st.Analysis = Summarise(r)
			}
			as := s.o.Model.Update(&c.conv.State, st.riskMessage(), *r, c.history)
			c.conv.Messages++
			st.Turn = c.conv.Messages
			st.Risk, st.Level = as.Risk, as.Level
			asc := as
			st.Assessment = &asc
			c.conv.touch(&st.Message)
			c.conv.Risk, c.conv.Level = as.Risk, as.Level
			lastAssess, lastMsg = as, st
			if newOnes[st] {
				inserts = append(inserts, st)
			} else {
				updates = append(updates, st)
			}
			if !late {
				if err := s.alert(ctx, tx, &c.conv, &ca, st, as); err != nil {
					return nil, nil, err
				}
				alertAfter[st] = c.conv.Alert.AlertID
			}
		}
		if late && lastMsg != nil {
			if err := s.alert(ctx, tx, &c.conv, &ca, lastMsg, lastAssess); err != nil {
				return nil, nil, err
			}
		}
		evs, err := s.flushAlert(ctx, tx, &c.conv, &ca)
		if err != nil {
			return nil, nil, err
		}
		events = append(events, evs...)
		for _, i := range idx {
			if late {
				out[i].AlertID = c.conv.Alert.AlertID
			} else {
				out[i].AlertID = alertAfter[out[i].Stored]
			}
		}
		convs = append(convs, &c.conv)
	}
	if err := tx.InsertMessages(ctx, inserts); err != nil {
		return nil, nil, err
	}
	if err := tx.UpdateScores(ctx, updates); err != nil {
		return nil, nil, err
	}
	if err := tx.SaveConversations(ctx, convs); err != nil {
		return nil, nil, err
	}
	s.evict()
	return out, events, nil
}

func cmpMsg(a, b *Message) int {
	if c := a.Time.Compare(b.Time); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

// touch records a message on the conversation's running record.
func (c *Conversation) touch(m *Message) {
	if c.StartedAt.IsZero() || m.Time.Before(c.StartedAt) {
		c.StartedAt = m.Time
	}
	if c.after(m.Time, m.ID) || c.LastAt.IsZero() {
		c.LastAt, c.LastID = m.Time, m.ID
	}
	if m.Team != "" {
		c.Team = m.Team
	}
	if m.Agent != "" {
		c.Agent = m.Agent
	}
	if m.Branch != "" {
		c.Branch = m.Branch
	}
	if m.Product != "" {
		c.Product = m.Product
	}
}

// loadMissing reads the conversations not in the cache (and their
// customers' history) in a few queries for the whole group.
func (s *Scorer) loadMissing(ctx context.Context, tx Tx, entries []Entry, byConv map[string][]int, order []string) error {
	var missing []string
	for _, cid := range order {
		if _, ok := s.cache[cid]; !ok {
			missing = append(missing, cid)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	stored, err := tx.Conversations(ctx, missing)
	if err != nil {
		return err
	}
	keys := make([]HistoryKey, len(missing))
	convs := make([]*Conversation, len(missing))
	for i, cid := range missing {
		m := &entries[byConv[cid][0]].Message
		c := stored[cid]
		if c == nil {
			c = &Conversation{ID: cid, CustomerID: m.CustomerID, Channel: m.Channel}
		}
		convs[i] = c
		keys[i] = HistoryKey{CustomerID: c.CustomerID, ConversationID: cid, At: m.Time}
	}
	hs, err := tx.Histories(ctx, keys)
	if err != nil {
		return err
	}
	for i, c := range convs {
		s.cache[c.ID] = &cached{conv: *c, history: hs[i]}
	}
	return nil
}

// convAlert collects a conversation's alert changes within one group, so
// the alert is written (and its event sent) at most once per group.
type convAlert struct {
	alert  *alerts.Alert
	opened bool // opened in this group
	raised bool
}

// alert applies the policy to the conversation's new risk.
func (s *Scorer) alert(ctx context.Context, tx Tx, c *Conversation, ca *convAlert, st *Stored, as risk.Assessment) error {
	next, act := s.o.Policy.Decide(c.Alert, c.Channel, as.Risk)
	now := s.o.Now().UTC().Truncate(time.Microsecond)
	switch act {
	case alerts.Open:
		ca.alert = &alerts.Alert{ID: newAlertID(now), State: alerts.StateOpen, ConversationID: c.ID, CustomerID: c.CustomerID,
			Channel: c.Channel, Team: c.Team, Agent: c.Agent, MessageID: st.ID, MessageAt: st.Time, Risk: as.Risk,
			Threshold: s.o.Policy.Threshold(c.Channel), Level: as.Level, Reasons: as.Reasons, Interventions: as.Interventions,
			CreatedAt: now, UpdatedAt: now}
		ca.opened = true
		next.AlertID = ca.alert.ID
	case alerts.Raise:
		if ca.alert == nil {
			a, err := tx.GetAlert(ctx, c.Alert.AlertID)
			if err != nil && err != alerts.ErrNotFound {
				return err
			}
			if a == nil || a.State == alerts.StateClosed {
				// Closed by a person since: the conversation must re-arm
				// before it alerts again.
				c.Alert = c.Alert.Closed()
				c.Alert.Disarmed = true
				return nil
			}
			ca.alert = a
		}
		a := ca.alert
		a.Risk, a.Level, a.Reasons, a.Interventions = as.Risk, as.Level, as.Reasons, as.Interventions
		a.MessageID, a.MessageAt, a.UpdatedAt = st.ID, st.Time, now
		if c.Team != "" {
			a.Team = c.Team
		}
		if c.Agent != "" {
			a.Agent = c.Agent
		}
		ca.raised = true
	}
	c.Alert = next
	return nil
}

// flushAlert writes the conversation's alert change of the group.
func (s *Scorer) flushAlert(ctx context.Context, tx Tx, c *Conversation, ca *convAlert) ([]alerts.Event, error) {
	switch {
	case ca.opened:
		ev, err := tx.OpenAlert(ctx, ca.alert)
		if err != nil {
			return nil, err
		}
		return []alerts.Event{ev}, nil
	case ca.raised:
		ev, ok, err := tx.RaiseAlert(ctx, ca.alert)
		if err != nil {
			return nil, err
		}
		if !ok {
			c.Alert = c.Alert.Closed()
			c.Alert.Disarmed = true
			return nil, nil
		}
		return []alerts.Event{ev}, nil
	}
	return nil, nil
}

func newAlertID(t time.Time) string {
	var b [5]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("AL-%s-%s", t.Format("20060102"), hex.EncodeToString(b[:]))
}

// AlertClosed tells the scorer a person closed a conversation's alert, so
// its cached state stops treating it as live (the store has already updated
// the conversation's stored alert state in the closing transaction).
func (s *Scorer) AlertClosed(conversationID, alertID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.cache[conversationID]; ok && c.conv.Alert.AlertID == alertID {
		c.conv.Alert = c.conv.Alert.Closed()
	}
}

// Forget drops the cached state of the entries' conversations (after a
// failed transaction, whose changes to them did not persist).
func (s *Scorer) Forget(entries []Entry) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range entries {
		delete(s.cache, entries[i].ConversationID)
	}
}

// ForgetAll empties the cache.
func (s *Scorer) ForgetAll() {
	s.mu.Lock()
	s.cache = map[string]*cached{}
	s.mu.Unlock()
}

// evict keeps the cache under its bound by dropping arbitrary entries
// (map order): they are reloaded from the store when needed.
func (s *Scorer) evict() {
	over := len(s.cache) - s.o.CacheSize
	for k := range s.cache {
		if over <= 0 {
			break
		}
		delete(s.cache, k)
		over--
	}
}
