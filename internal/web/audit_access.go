package web

import (
	"net/http"
	"slices"

	"huajie/internal/audit"
	"huajie/internal/auth"
)

// accessAuditRoutes read the audit entries that concern no case: users
// created and their role or team changed, API tokens issued and revoked.
// A case's own entries are under /api/v1/cases/{id}/audit; the whole
// chain, both kinds, is verified by /api/v1/audit/verify.
func (a *api) accessAuditRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/audit", Perm: auth.PermAuditRead, Tag: "audit", Summary: "Audit entries that concern no case — users created, their role, team or password changed (user.*), API tokens issued and revoked (token.*) — oldest first; never a secret", Response: accessAuditResponse{}, Query: accessAuditParams, handler: a.accessAudit},
	}
}

var accessAuditParams = []param{
	{"action", "string", "an action (user.create, user.role, user.team, user.password, token.issue, token.revoke) or a prefix ending in a dot (user., token.); default all"},
	{"after", "integer", "entries after this sequence number: the previous page's next_after"},
	{"limit", "integer", "page size, default 100, at most 1000"},
}

// accessAuditResponse is a page of entries; NextAfter is set when a full
// page came back (more may follow).
type accessAuditResponse struct {
	Items     []audit.Entry `json:"items"`
	NextAfter int64         `json:"next_after,omitempty"`
}

// authActor is who changes users or tokens through the API.
func authActor(r *http.Request) auth.Actor {
	id, _ := identityFrom(r.Context())
	return auth.Actor{Name: id.Name, Role: id.Role}
}

func (a *api) accessAudit(w http.ResponseWriter, r *http.Request) {
	for k := range r.URL.Query() {
		if !slices.ContainsFunc(accessAuditParams, func(p param) bool { return p.Name == k }) {
			a.fail(w, r, badRequest("bad_query", "unknown query parameter %q", k))
			return
		}
	}
	q := auth.AuditQuery{Action: r.URL.Query().Get("action")}
	after, err := queryInt(r, "after")
	if err != nil {
		a.fail(w, r, err)
		return
	}
	q.After = int64(after)
	if q.Limit, err = queryInt(r, "limit"); err != nil {
		a.fail(w, r, err)
		return
	}
	if q.Limit == 0 && r.URL.Query().Get("limit") != "" {
		a.fail(w, r, badRequest("bad_query", "query parameter limit=%q: expected 1–%d", r.URL.Query().Get("limit"), auth.MaxAuditLimit))
		return
	}
	if err := q.Check(); err != nil {
		a.fail(w, r, badRequest("bad_query", "%s", err.Error()))
		return
	}
	items, err := a.auth.AccessAudit(r.Context(), q)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := accessAuditResponse{Items: items}
	if len(items) == q.Limit {
		out.NextAfter = items[len(items)-1].Seq
	}
	writeJSON(w, r, http.StatusOK, out)
}
