package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"huajie/internal/alerts"
	"huajie/internal/auth"
)

var alertStreamParams = []param{
	{"team", "string", "only alerts of this team"},
	{"agent", "string", "only alerts of this agent"},
	{"channel", "string", "only alerts of this channel"},
	{"last_event_id", "integer", "resume after this event id (as the Last-Event-ID header, which takes precedence)"},
}

// maxReplay bounds the stored events replayed on a resume.
const maxReplay = 10000

// alertStream serves alert events as server-sent events:
//
//	id: <event seq>
//	event: alert.opened | alert.raised | alert.acknowledged | alert.closed | alert.case_opened
//	data: {"seq":…,"kind":…,"at":…,"alert":{…}}
//
// A reconnecting client sends Last-Event-ID and first receives the stored
// events after it (up to maxReplay), then live ones; a comment line is sent
// as a heartbeat every a.heartbeat so proxies keep the connection open and
// clients notice a dead one. The first line, ": connected", tells the
// client the subscription is in place.
func (a *api) alertStream(w http.ResponseWriter, r *http.Request) {
	if a.alerts == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "alerts are not configured on this server")
		return
	}
	f, err := parseAlertFilter(r, alertStreamParams)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var last int64
	lastID := r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = r.URL.Query().Get("last_event_id")
	}
	resume := lastID != ""
	if resume {
		if last, err = strconv.ParseInt(strings.TrimSpace(lastID), 10, 64); err != nil || last < 0 {
			a.fail(w, r, badRequest("bad_last_event_id", "Last-Event-ID %q: expected a non-negative event id", lastID))
			return
		}
	}
	rc := http.NewResponseController(w)
	// The server's write timeout is for ordinary responses; a stream lives
	// until the client goes.
	_ = rc.SetWriteDeadline(time.Time{})

	// Subscribe before reading the replay, so nothing committed in between
	// is missed; live events already replayed are skipped by seq.
	sub := a.alerts.Broker().Subscribe(f, 1024)
	defer sub.Close()

	id, _ := identityFrom(r.Context())
	mask := !id.Can(auth.PermPIIView)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\nretry: 2000\n\n")

	send := func(ev *alerts.Event) bool {
		b, err := json.Marshal(ev)
		if err != nil {
			return false
		}
		if mask {
			b = maskJSON(b)
		}
		if _, err := fmt.Fprintf(w, "id: %d\nevent: %s\ndata: %s\n\n", ev.Seq, ev.Kind, b); err != nil {
			return false
		}
		return true
	}
	if resume {
		evs, _, err := a.alerts.Replay(r.Context(), last, f, maxReplay)
		if err != nil {
			a.log.WarnContext(r.Context(), "alert stream replay", "err", err)
			return
		}
		for i := range evs {
			if !send(&evs[i]) {
				return
			}
			last = evs[i].Seq
		}
	}
	if rc.Flush() != nil {
		return
	}
	tick := time.NewTicker(a.heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				return // dropped for falling behind: the client resumes
			}
			if ev.Seq <= last && resume {
				continue
			}
			if !send(&ev) {
				return
			}
			last = ev.Seq
			// Send what else is waiting before flushing.
		drain:
			for {
				select {
				case ev, ok := <-sub.C:
					if !ok {
						rc.Flush()
						return
					}
					if ev.Seq <= last {
						continue
					}
					if !send(&ev) {
						return
					}
					last = ev.Seq
				default:
					break drain
				}
			}
			if rc.Flush() != nil {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": heartbeat\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}
