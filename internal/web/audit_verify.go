package web

import "net/http"

// verifyAudit checks the whole chain. A broken chain is still a successful
// request: the report says what is broken.
func (a *api) verifyAudit(w http.ResponseWriter, r *http.Request) {
	rep, err := a.cases.VerifyAudit(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, rep)
}
