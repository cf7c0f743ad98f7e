package auth

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"huajie/internal/audit"
)

// Changes to who may do what — users created, their role, team or password changed,
// API tokens issued and revoked — go into the same hash-chained audit
// trail as changes to cases (package audit), appended by the store in the
// transaction that makes the change. They concern no case, so their
// CaseID is "". This file decides what such an entry records: names,
// roles, teams, token ids and expiries; never a secret, a token's hash or
// a password hash.

// The audit actions of this package.
const (
	ActionUserCreate = "user.create"
	ActionUserRole   = "user.role"
	ActionUserTeam   = "user.team"
	// ActionUserPassword: a password set or changed (never the password
	// or its hash: only that sign-in by password is now enabled).
	ActionUserPassword = "user.password"
	ActionTokenIssue   = "token.issue"
	ActionTokenRevoke  = "token.revoke"
)

// Actor is who makes a change to users or tokens, for the audit trail:
// the signed-in user and their role from the API, "cli:<account>" without
// a role from the command line.
type Actor struct {
	Name string
	Role Role
}

// SystemActor names changes made without a named actor (the demo data,
// a program's set-up): the audit trail never records an empty actor.
const SystemActor = "system"

func (a Actor) orSystem() Actor {
	if a.Name == "" {
		return Actor{Name: SystemActor, Role: a.Role}
	}
	return a
}

func (a Actor) change(action string, before, after any) audit.Change {
	a = a.orSystem()
	return audit.Change{Actor: a.Name, Role: string(a.Role), Action: action, Before: audit.JSON(before), After: audit.JSON(after)}
}

// auditUser is a user as the audit trail records it: whether password
// sign-in is enabled, never the hash.
type auditUser struct {
	ID       int64  `json:"user_id"`
	Name     string `json:"user"`
	Role     Role   `json:"role"`
	Team     string `json:"team"`
	Password bool   `json:"password_sign_in"`
	Disabled bool   `json:"disabled"`
}

// UserCreateChange is the audit entry of creating u (u.ID set).
func UserCreateChange(by Actor, u *User) audit.Change {
	return by.change(ActionUserCreate, nil, auditUser{ID: u.ID, Name: u.Name, Role: u.Role, Team: u.Team,
		Password: u.PasswordHash != "", Disabled: u.Disabled})
}

type auditRole struct {
	ID   int64  `json:"user_id"`
	Name string `json:"user"`
	Role Role   `json:"role"`
}

// UserRoleChange is the audit entry of u's role changing from before to
// u.Role.
func UserRoleChange(by Actor, u *User, before Role) audit.Change {
	return by.change(ActionUserRole, auditRole{ID: u.ID, Name: u.Name, Role: before}, auditRole{ID: u.ID, Name: u.Name, Role: u.Role})
}

type auditTeam struct {
	ID   int64  `json:"user_id"`
	Name string `json:"user"`
	Team string `json:"team"`
}

// UserTeamChange is the audit entry of u's team changing from before to
// u.Team.
func UserTeamChange(by Actor, u *User, before string) audit.Change {
	return by.change(ActionUserTeam, auditTeam{ID: u.ID, Name: u.Name, Team: before}, auditTeam{ID: u.ID, Name: u.Name, Team: u.Team})
}

type auditPassword struct {
	ID       int64  `json:"user_id"`
	Name     string `json:"user"`
	Password bool   `json:"password_sign_in"`
}

// UserPasswordChange is the audit entry of setting u's password; had says
// whether u had one before. The entry holds neither password nor hash.
func UserPasswordChange(by Actor, u *User, had bool) audit.Change {
	return by.change(ActionUserPassword, auditPassword{ID: u.ID, Name: u.Name, Password: had}, auditPassword{ID: u.ID, Name: u.Name, Password: true})
}

// auditToken is a token as the audit trail records it: never its secret
// or hash. Times are nil when absent (never expires, not revoked).
type auditToken struct {
	ID        int64      `json:"token_id"`
	UserID    int64      `json:"user_id"`
	User      string     `json:"user"`
	Role      Role       `json:"role"`
	CreatedBy string     `json:"created_by,omitempty"`
	ExpiresAt *time.Time `json:"expires_at"`
	Status    string     `json:"status"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
	RevokedBy string     `json:"revoked_by,omitempty"`
	// Reason says why a token was revoked other than by a direct
	// revocation (its user's role changed).
	Reason string `json:"reason,omitempty"`
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

func tokenForAudit(t *Token, at time.Time) auditToken {
	return auditToken{ID: t.ID, UserID: t.UserID, User: t.UserName, Role: t.Role, CreatedBy: t.CreatedBy,
		ExpiresAt: optTime(t.ExpiresAt), Status: t.Status(at), RevokedAt: optTime(t.RevokedAt), RevokedBy: t.RevokedBy}
}

// TokenIssueChange is the audit entry of issuing t (t.ID and t.UserName
// set).
func TokenIssueChange(by Actor, t *Token) audit.Change {
	return by.change(ActionTokenIssue, nil, tokenForAudit(t, t.CreatedAt))
}

// Reasons for a revocation that nobody asked for by the token's id.
const ReasonRoleChanged = "user role changed"

// TokenRevokeChange is the audit entry of revoking a token: before is the
// token as it was, after as revoked; reason is "" for a direct revocation.
func TokenRevokeChange(by Actor, before, after *Token, reason string) audit.Change {
	b := tokenForAudit(before, after.RevokedAt)
	a := tokenForAudit(after, after.RevokedAt)
	a.Reason = reason
	return by.change(ActionTokenRevoke, b, a)
}

// AuditQuery selects audit entries that concern no case (the entries of
// this package), oldest first.
type AuditQuery struct {
	// Action is an action ("token.issue"), a prefix ending in "."
	// ("token.") or "" for every action.
	Action string
	// After lists entries after this sequence number (paging: the last
	// one of the previous page).
	After int64
	// Limit is the page size: DefaultAuditLimit when 0, at most
	// MaxAuditLimit.
	Limit int
}

// Page sizes of AuditQuery.
const (
	DefaultAuditLimit = 100
	MaxAuditLimit     = 1000
)

// ErrInvalidQuery is a malformed AuditQuery.
var ErrInvalidQuery = errors.New("invalid audit query")

var actionRE = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$`)

// Check reports what is wrong with q, wrapping ErrInvalidQuery, and fills
// in the default limit.
func (q *AuditQuery) Check() error {
	switch {
	case q.Action != "" && (len(q.Action) > 64 || !actionRE.MatchString(q.Action)):
		return fmt.Errorf("%w: action %q: expected an action (token.issue) or a prefix ending in a dot (token.)", ErrInvalidQuery, q.Action)
	case q.After < 0:
		return fmt.Errorf("%w: after %d: expected a sequence number, 0 or more", ErrInvalidQuery, q.After)
	case q.Limit < 0 || q.Limit > MaxAuditLimit:
		return fmt.Errorf("%w: limit %d: expected 1–%d", ErrInvalidQuery, q.Limit, MaxAuditLimit)
	}
	if q.Limit == 0 {
		q.Limit = DefaultAuditLimit
	}
	return nil
}
