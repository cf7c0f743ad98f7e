package ui_test

import (
	"net/http"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// BenchmarkPages measures each main page, server side, on the demo data
// (signed in as a supervisor, who sees the most). The budget is
// 1 s a page; figures go in the README, not in a timed assertion.
func BenchmarkPages(b *testing.B) {
	e := newEnvWith(b, true, nil)
	pg, err := e.cases.List(b.Context(), cases.ListFilter{States: []cases.State{cases.StateInvestigating}, Limit: 1})
	if err != nil || len(pg.Items) == 0 {
		b.Fatal(err)
	}
	br := e.browser(b)
	br.signIn(auth.RoleSupervisor)
	for _, p := range []struct{ name, path string }{
		{"home", "/ui/"},
		{"workstation", "/ui/workstation"},
		{"desk_team", "/ui/desk?queue=team"},
		{"desk_malicious", "/ui/desk?queue=malicious"},
		{"case", "/ui/cases/" + pg.Items[0].ID},
		{"dashboard", "/ui/dashboard"},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if st, _ := br.get(p.path); st != http.StatusOK {
					b.Fatalf("%s: %d", p.path, st)
				}
			}
		})
	}
}
