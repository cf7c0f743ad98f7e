package web

import (
	"net/http"
)

// getConversation returns a conversation with its messages, each with its
// analysis and the risk after it (the risk history).
func (a *api) getConversation(w http.ResponseWriter, r *http.Request) {
	if a.ingest == nil {
		writeError(w, r, http.StatusServiceUnavailable, "unavailable", "ingest is not configured on this server")
		return
	}
	v, err := a.ingest.Conversation(r.Context(), r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, v)
}
