// Package auth is who may do what in Huajie: users and their roles, the one
// permission table every HTTP route is checked against, password hashing,
// API tokens and browser sessions.
//
// # Roles and permissions
//
// The six roles of PRODUCT.md ("Who uses it") map to permissions in
// rolePermissions, the only place that decides access:
//
//   - agent (front-line staff): opens cases and records contacts with the
//     customer in front of them; reads cases. Sees personal data masked:
//     the agent already has the customer on the line and does not need the
//     full ID card or card number to help them.
//   - handler: works cases through the whole workflow (transitions,
//     findings, evidence, solutions, the customer's response, follow-ups,
//     escalation), and so sees personal data in full.
//   - supervisor: everything a handler does, plus assignment, deadline
//     extensions (the regulation's "senior approval"), merging repeat
//     complaints and reading the audit trail.
//   - analyst (CX/quality): reads cases for trends and root causes, with
//     personal data masked, which is all analysis needs.
//   - compliance: reads cases, evidence and the audit trail in full; changes
//     nothing.
//   - admin: everything.
//
// Personal data (phone, ID-card and bank-card numbers, also inside texts) is
// shown in clear only with PermPIIView; the web layer masks every response
// for other roles, and logs are masked for everyone (package pii).
//
// # Credentials
//
// Passwords are hashed with PBKDF2-HMAC-SHA256 (crypto/pbkdf2, standard
// library, 600,000 iterations as OWASP recommends in 2023) so no dependency
// is needed; the parameters are stored with each hash so they can be raised
// later without invalidating old ones. API tokens and session ids are 32
// random bytes; only their SHA-256 is stored, which is enough for secrets of
// that entropy and keeps each request's check cheap.
//
// # Audit
//
// Changes to who may do what are in the one hash-chained audit trail
// (package audit) with the cases' changes: a user created (user.create),
// a user's role or team changed (user.role, user.team), an API token
// issued or revoked (token.issue, token.revoke), each with its actor and
// the values before and after, appended in the transaction that makes the
// change. They concern no case (CaseID ""); AccessAudit reads them. A
// role change revokes the user's tokens for the old role, each audited.
package auth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Role is a user's role.
type Role string

// The roles, from PRODUCT.md "Who uses it".
const (
	RoleAgent      Role = "agent"
	RoleHandler    Role = "handler"
	RoleSupervisor Role = "supervisor"
	RoleAnalyst    Role = "analyst"
	RoleCompliance Role = "compliance"
	RoleAdmin      Role = "admin"
)

// Roles lists every role, in a fixed order.
var Roles = []Role{RoleAgent, RoleHandler, RoleSupervisor, RoleAnalyst, RoleCompliance, RoleAdmin}

// ParseRole returns the role named s or an error listing the valid ones.
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(Roles, r) {
		return r, nil
	}
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return "", fmt.Errorf("%w: %q (one of %s)", ErrUnknownRole, s, strings.Join(names, ", "))
}

// Permission is the right to do one kind of thing.
type Permission string

// Permissions. PermPublic marks routes that need no identity at all
// (health, readiness, metrics, the OpenAPI description, signing in); it is a
// permission like the others so that the route table states it explicitly.
const (
	PermPublic        Permission = "public"
	PermAuthenticated Permission = "authenticated" // any signed-in user
	PermCaseCreate    Permission = "case:create"
	PermCaseRead      Permission = "case:read"
	PermCaseContact   Permission = "case:contact"
	PermCaseWork      Permission = "case:work"
	PermCaseAssign    Permission = "case:assign"
	PermCaseEscalate  Permission = "case:escalate"
	PermCaseExtend    Permission = "case:extend"
	PermCaseMerge     Permission = "case:merge"
	PermEvidenceRead  Permission = "evidence:read"
	PermEvidenceWrite Permission = "evidence:write"
	PermAuditRead     Permission = "audit:read"
	PermPIIView       Permission = "pii:view"
	// Live pre-identification (issue 4): posting interactions, reading
	// conversations and customers' risk, alerts, and webhook
	// administration.
	PermInteractionWrite Permission = "interaction:write"
	PermInteractionRead  Permission = "interaction:read"
	PermAlertRead        Permission = "alert:read"
	PermAlertWork        Permission = "alert:work"
	PermWebhookAdmin     Permission = "webhook:admin"
	// PermTokenAdmin lists and revokes the API tokens of every user.
	PermTokenAdmin Permission = "token:admin"
	// The goodwill judgement (issue 5): recording a supervisor's decision
	// on an assessment; exporting those decisions and reading the
	// serial-complainers report.
	PermGoodwillReview Permission = "goodwill:review"
	PermGoodwillReport Permission = "goodwill:report"

	// The analyst's and compliance officer's side (issue 7): trends,
	// spikes, clusters, SERVQUAL and measures' effect; measures' edits;
	// the regulatory and deadline reports.
	PermInsightRead  Permission = "insight:read"
	PermMeasureWrite Permission = "measure:write"
	PermReportRead   Permission = "report:read"
)

// AllPermissions lists the permissions roles can hold (not the two
// pseudo-permissions PermPublic and PermAuthenticated).
var AllPermissions = []Permission{PermCaseCreate, PermCaseRead, PermCaseContact, PermCaseWork,
	PermCaseAssign, PermCaseEscalate, PermCaseExtend, PermCaseMerge, PermEvidenceRead,
	PermEvidenceWrite, PermAuditRead, PermPIIView, PermInteractionWrite, PermInteractionRead,
	PermAlertRead, PermAlertWork, PermWebhookAdmin, PermGoodwillReview, PermGoodwillReport,
	PermInsightRead, PermMeasureWrite, PermReportRead, PermTokenAdmin}

// rolePermissions is the permission table. Every route of the HTTP API names
// one permission, and this table alone decides who holds it.
var rolePermissions = map[Role][]Permission{
	// Agents' desks post the conversation in front of them and act on its
	// alerts.
	RoleAgent: {PermCaseCreate, PermCaseRead, PermCaseContact,
		PermInteractionWrite, PermInteractionRead, PermAlertRead, PermAlertWork},
	RoleHandler: {PermCaseCreate, PermCaseRead, PermCaseContact, PermCaseWork,
		PermCaseEscalate, PermEvidenceRead, PermEvidenceWrite, PermPIIView,
		PermInteractionRead, PermAlertRead, PermAlertWork},
	RoleSupervisor: {PermCaseCreate, PermCaseRead, PermCaseContact, PermCaseWork,
		PermCaseEscalate, PermCaseAssign, PermCaseExtend, PermCaseMerge,
		PermEvidenceRead, PermEvidenceWrite, PermAuditRead, PermPIIView,
		PermInteractionWrite, PermInteractionRead, PermAlertRead, PermAlertWork,
		PermGoodwillReview, PermGoodwillReport, PermInsightRead, PermMeasureWrite, PermReportRead},
	RoleAnalyst:    {PermCaseRead, PermInteractionRead, PermAlertRead, PermInsightRead, PermMeasureWrite, PermReportRead},
	RoleCompliance: {PermCaseRead, PermEvidenceRead, PermAuditRead, PermPIIView, PermInteractionRead, PermAlertRead, PermGoodwillReport, PermInsightRead, PermReportRead},
	// Webhooks send customer data to another system: administrators only.
	RoleAdmin: {PermCaseCreate, PermCaseRead, PermCaseContact, PermCaseWork,
		PermCaseEscalate, PermCaseAssign, PermCaseExtend, PermCaseMerge,
		PermEvidenceRead, PermEvidenceWrite, PermAuditRead, PermPIIView,
		PermInteractionWrite, PermInteractionRead, PermAlertRead, PermAlertWork, PermWebhookAdmin,
		PermGoodwillReview, PermGoodwillReport, PermInsightRead, PermMeasureWrite, PermReportRead, PermTokenAdmin},
}

// Can reports whether role r holds permission p.
func (r Role) Can(p Permission) bool {
	switch p {
	case PermPublic:
		return true
	case PermAuthenticated:
		return slices.Contains(Roles, r)
	}
	return slices.Contains(rolePermissions[r], p)
}

// Errors.
var (
	ErrUnknownRole     = errors.New("unknown role")
	ErrNotFound        = errors.New("not found")
	ErrExists          = errors.New("already exists")
	ErrBadCredentials  = errors.New("wrong user name or password")
	ErrInvalidPassword = errors.New("invalid password")
	ErrInvalidName     = errors.New("invalid user name")
	ErrInvalidTeam     = errors.New("invalid team")
	ErrRoleMismatch    = errors.New("role does not match the user's role")
	ErrDisabled        = errors.New("user is disabled")
	ErrInvalidExpiry   = errors.New("invalid token expiry")
)
