package ui

import (
	"bytes"
	"net/http"
	"slices"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
)

// queues in the desk's tab order.
var queues = []string{"mine", "team", "due_soon", "breached", "difficult", "malicious"}

// deskRow is a listed case with what the desk shows beside the summary.
type deskRow struct {
	cases.Summary
	Malicious bool
}

// desk lists one queue of open cases, soonest deadline first, each with a
// countdown (static/app.js ticks it).
func (s *server) desk(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	q := r.URL.Query().Get("queue")
	if !slices.Contains(queues, q) {
		q = "mine"
		if id.Role != auth.RoleHandler {
			q = "team"
		}
	}
	f := cases.ListFilter{States: openStates(), Sort: cases.SortDue, Limit: cases.MaxListLimit}
	switch q {
	case "mine":
		f.Assignee = id.Name
	case "team":
		// The signed-in user's team: the cases assigned to its members.
		// A user in no team sees every open case (the page says so).
		f.Team = id.Team
	case "due_soon":
		f.DeadlineStatus = deadlines.StatusWarning
	case "breached":
		f.DeadlineStatus = deadlines.StatusBreached
	case "difficult":
		f.Difficult = true
	}
	pg, err := s.cases.List(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows := make([]deskRow, 0, len(pg.Items))
	for _, it := range pg.Items {
		row := deskRow{Summary: it}
		if q == "malicious" {
			c, err := s.cases.Get(r.Context(), it.ID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if row.Malicious = suspectedMalicious(c); !row.Malicious {
				continue
			}
		}
		rows = append(rows, row)
	}
	if !id.Can(auth.PermPIIView) {
		maskValue(&rows)
	}
	s.render(w, r, http.StatusOK, "desk", &page{Title: "desk.title", Nav: "desk",
		Data: map[string]any{"Queue": q, "Queues": queues, "Rows": rows, "More": pg.Next != "", "Team": id.Team}})
}

// suspectedMalicious: typed malicious by a person or the assessment, or
// flagged by the goodwill assessment (decision support only: the case is
// routed to a senior, never rejected).
func suspectedMalicious(c *cases.Case) bool {
	return c.Assessment.Type == cases.TypeMalicious || bytes.Contains(c.Assessment.Goodwill, []byte(`"suspected_malicious"`))
}
