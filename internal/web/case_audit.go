package web

import (
	"net/http"

	"huajie/internal/audit"
)

func (a *api) caseAudit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if _, err := a.cases.Get(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	items, err := a.cases.AuditTrail(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if items == nil {
		items = []audit.Entry{}
	}
	writeJSON(w, r, http.StatusOK, auditResponse{Items: items})
}
