package web

import (
	"net/http"

	"huajie/internal/auth"
)

func (a *api) me(w http.ResponseWriter, r *http.Request) {
	id, _ := identityFrom(r.Context())
	writeJSON(w, r, http.StatusOK, meFor(id))
}

// meFor lists the identity's permissions so a UI can hide what the user
// cannot do, from the same table the server enforces.
func meFor(id auth.Identity) meResponse {
	m := meResponse{Name: id.Name, Role: string(id.Role), Team: id.Team, Via: id.Via, Permissions: []string{}}
	for _, p := range auth.AllPermissions {
		if id.Can(p) {
			m.Permissions = append(m.Permissions, string(p))
		}
	}
	return m
}
