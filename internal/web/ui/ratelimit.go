package ui

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// Sign-in limits: per client address, attempts in a window; per user
// name, failed attempts in a window (so guessing one user's password from
// many addresses is slowed as well).
const (
	loginWindow      = 5 * time.Minute
	maxAttemptsPerIP = 20
	maxFailsPerName  = 5
	maxLimiterKeys   = 100_000 // bounds memory under a flood of distinct keys
)

type window struct {
	start time.Time
	n     int
}

// limiter counts events per key in fixed windows.
type limiter struct {
	mu   sync.Mutex
	keys map[string]*window
}

func newLimiter() *limiter { return &limiter{keys: map[string]*window{}} }

// count returns the number of events for key in the current window.
func (l *limiter) count(key string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := l.keys[key]; w != nil && now.Sub(w.start) < loginWindow {
		return w.n
	}
	return 0
}

// add records an event for key.
func (l *limiter) add(key string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.keys[key]
	if w == nil || now.Sub(w.start) >= loginWindow {
		if len(l.keys) >= maxLimiterKeys {
			for k, v := range l.keys {
				if now.Sub(v.start) >= loginWindow {
					delete(l.keys, k)
				}
			}
			if len(l.keys) >= maxLimiterKeys {
				clear(l.keys)
			}
		}
		w = &window{start: now}
		l.keys[key] = w
	}
	w.n++
}

// reset forgets key (a successful sign-in clears the name's failures).
func (l *limiter) reset(key string) {
	l.mu.Lock()
	delete(l.keys, key)
	l.mu.Unlock()
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
