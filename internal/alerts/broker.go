package alerts

import (
	"sync"
)

// Broker fans alert events out to live subscribers (the SSE stream). It
// holds no history: a subscriber that resumes (Last-Event-ID) reads the
// missed events from the Store, then the live ones. Publishing never
// blocks: a subscriber that falls more than its buffer behind is dropped
// (its channel closed) and must reconnect, resuming from its last id.
type Broker struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}
}

// NewBroker returns an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[*Subscription]struct{}{}} }

// Subscription is one live subscriber.
type Subscription struct {
	C      chan Event
	filter Filter
	b      *Broker
	once   sync.Once
}

// Subscribe registers a subscriber for events whose alert matches f (team,
// agent, channel; the state is not filtered on a stream); spike alerts'
// events reach subscribers without those filters (Filter.MatchEvent).
func (b *Broker) Subscribe(f Filter, buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 256
	}
	f.States = nil
	s := &Subscription{C: make(chan Event, buffer), filter: f, b: b}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
	return s
}

// Close unregisters the subscriber and closes its channel.
func (s *Subscription) Close() {
	s.b.mu.Lock()
	s.b.drop(s)
	s.b.mu.Unlock()
}

// drop must be called with b.mu held.
func (b *Broker) drop(s *Subscription) {
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		s.once.Do(func() { close(s.C) })
	}
}

// Publish delivers events, in order, to every matching subscriber.
func (b *Broker) Publish(evs ...Event) {
	if len(evs) == 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
	events:
		for i := range evs {
			if !s.filter.MatchEvent(&evs[i]) {
				continue
			}
			select {
			case s.C <- evs[i]:
			default:
				b.drop(s) // too slow: it reconnects and resumes
				break events
			}
		}
	}
}

// Subscribers is the number of live subscribers.
func (b *Broker) Subscribers() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.subs)
}
