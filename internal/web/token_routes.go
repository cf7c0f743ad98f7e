package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"huajie/internal/auth"
)

// tokenRoutes let administrators see which API tokens exist and revoke
// them; issuing stays on the command line (huajie token create), where
// the secret is shown once. The audit of those changes (and of users')
// is read through accessAuditRoutes.
func (a *api) tokenRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/v1/tokens", Perm: auth.PermTokenAdmin, Tag: "auth", Summary: "List API tokens: id, user, role, issued by and when, last use (to the minute), expiry, revocation (never the secret)", Response: tokenListResponse{}, handler: a.listTokens},
		{Method: "DELETE", Path: "/api/v1/tokens/{id}", Perm: auth.PermTokenAdmin, Tag: "auth", Summary: "Revoke an API token: refused from its next request on; answers the revoked token (revoking twice keeps the first revocation); audited as token.revoke", Response: tokenView{}, handler: a.revokeToken},
	}
}

// tokenView is an API token as administrators see it.
type tokenView struct {
	ID         int64     `json:"id"`
	User       string    `json:"user"`
	Role       auth.Role `json:"role"`
	CreatedAt  time.Time `json:"created_at"`
	CreatedBy  string    `json:"created_by,omitempty"`
	LastUsedAt time.Time `json:"last_used_at,omitzero"`
	ExpiresAt  time.Time `json:"expires_at,omitzero"`
	RevokedAt  time.Time `json:"revoked_at,omitzero"`
	RevokedBy  string    `json:"revoked_by,omitempty"`
	// Status is active, expired or revoked.
	Status string `json:"status"`
}

type tokenListResponse struct {
	Items []tokenView `json:"items"`
}

func viewToken(t *auth.Token, now time.Time) tokenView {
	return tokenView{ID: t.ID, User: t.UserName, Role: t.Role, CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy,
		LastUsedAt: t.LastUsedAt, ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, RevokedBy: t.RevokedBy, Status: t.Status(now)}
}

func (a *api) listTokens(w http.ResponseWriter, r *http.Request) {
	ts, err := a.auth.Tokens(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := time.Now()
	out := tokenListResponse{Items: make([]tokenView, len(ts))}
	for i := range ts {
		out.Items[i] = viewToken(&ts[i], now)
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		writeError(w, r, http.StatusUnprocessableEntity, "invalid_field", fmt.Sprintf("token id %q in the path: expected a positive integer (see GET /api/v1/tokens)", cutUTF8(raw, 64)))
		return
	}
	by := authActor(r)
	t, err := a.auth.RevokeToken(r.Context(), id, by)
	if errors.Is(err, auth.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, "not_found", fmt.Sprintf("no API token with id %d", id))
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// The audit line names the token, its user and role and who revoked
	// it: no secret, no personal data.
	a.log.InfoContext(r.Context(), "api token revoked", "token", t.ID, "user", t.UserName, "role", string(t.Role), "by", by.Name)
	writeJSON(w, r, http.StatusOK, viewToken(t, time.Now()))
}
