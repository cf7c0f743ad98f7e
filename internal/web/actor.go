package web

import (
	"net/http"

	"huajie/internal/cases"
)

// actor is the audit trail's "who" for a request. The wrap middleware has
// already established the identity for every non-public route.
func actor(r *http.Request) cases.Actor {
	id, _ := identityFrom(r.Context())
	return cases.Actor{Name: id.Name, Role: string(id.Role)}
}
