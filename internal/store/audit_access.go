package store

import (
	"context"
	"strings"

	"huajie/internal/audit"
	"huajie/internal/auth"
)

// AuditEntries returns the audit entries that concern no case (the users'
// and API tokens' changes, an empty case_id), oldest first: those after q.After,
// of q.Action (or of the actions it is a prefix of, when it ends in "."),
// at most q.Limit. The index on (case_id, seq) serves it however long the
// cases' part of the chain grows.
func (db *DB) AuditEntries(ctx context.Context, q auth.AuditQuery) ([]audit.Entry, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(`SELECT ` + auditCols + ` FROM audit_log WHERE case_id = '' AND seq > ?`)
	args := []any{q.After}
	switch {
	case strings.HasSuffix(q.Action, "."):
		// substr, not LIKE: "_" would be a wildcard, and SQLite's LIKE
		// ignores case.
		b.WriteString(` AND substr(action, 1, ?) = ?`)
		args = append(args, len(q.Action), q.Action)
	case q.Action != "":
		b.WriteString(` AND action = ?`)
		args = append(args, q.Action)
	}
	b.WriteString(` ORDER BY seq LIMIT ?`)
	args = append(args, q.Limit)
	return db.queryEntries(ctx, "audit entries", b.String(), args...)
}
