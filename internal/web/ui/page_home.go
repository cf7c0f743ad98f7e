package ui

import (
	"net/http"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
)

type figure struct {
	N    int
	Key  string
	Href string
}

// home is the opening page: what Huajie does, in the five steps of the
// resolution method, and for a signed-in user where to start plus live
// figures from the desk.
func (s *server) home(w http.ResponseWriter, r *http.Request, id auth.Identity) {
	data := map[string]any{
		"Steps": []string{"step1", "step2", "step3", "step4", "step5"},
		"Start": startPage(id),
	}
	if id.Can(auth.PermCaseRead) {
		var figs []figure
		for _, q := range []struct {
			key, href string
			f         cases.ListFilter
		}{
			{"home.fig.open", "/ui/desk?queue=team", cases.ListFilter{States: openStates()}},
			{"home.fig.due_soon", "/ui/desk?queue=due_soon", cases.ListFilter{States: openStates(), DeadlineStatus: deadlines.StatusWarning}},
			{"home.fig.breached", "/ui/desk?queue=breached", cases.ListFilter{States: openStates(), DeadlineStatus: deadlines.StatusBreached}},
			{"home.fig.difficult", "/ui/desk?queue=difficult", cases.ListFilter{States: openStates(), Difficult: true}},
		} {
			n, err := s.count(r, q.f)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			figs = append(figs, figure{N: n, Key: q.key, Href: q.href})
		}
		data["Figures"] = figs
	}
	s.render(w, r, http.StatusOK, "home", &page{Title: "home.title", Data: data})
}

// startPage is where a role begins its day.
func startPage(id auth.Identity) string {
	switch {
	case id.Role == auth.RoleAgent:
		return "/ui/workstation"
	case id.Can(auth.PermCaseAssign):
		return "/ui/dashboard"
	case id.Can(auth.PermCaseRead):
		return "/ui/desk"
	}
	return "/ui/"
}

func openStates() []cases.State { return cases.States[:len(cases.States)-1] }

// count counts the cases a filter selects (pages through the list).
func (s *server) count(r *http.Request, f cases.ListFilter) (int, error) {
	f.Limit = cases.MaxListLimit
	n := 0
	for {
		pg, err := s.cases.List(r.Context(), f)
		if err != nil {
			return 0, err
		}
		n += len(pg.Items)
		if pg.Next == "" {
			return n, nil
		}
		f.Cursor = pg.Next
	}
}

// fail shows a domain or store error as an error page.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, key := errorKey(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "ui: request failed", "path", r.URL.Path, "err", err)
	}
	s.renderError(w, r, status, key)
}
