package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"huajie/internal/audit"
)

// User is someone who signs in or holds API tokens.
type User struct {
	ID           int64
	Name         string
	Role         Role
	PasswordHash string // empty: password sign-in disabled
	Disabled     bool
	// Team is the team the user works in ("" for none): a case assigned
	// to the user is counted for it, the case desk's team queue shows it.
	Team      string
	CreatedAt time.Time
}

// Token is an API token's stored record; the plain token is shown once.
// ID is not secret: lists show it and revocation names it.
type Token struct {
	ID     int64
	UserID int64
	// UserName is the token's user (filled in by reads).
	UserName  string
	Role      Role
	Hash      []byte
	CreatedAt time.Time
	// CreatedBy is who issued the token ("cli" from the command line;
	// "" for tokens issued before it was recorded).
	CreatedBy string
	// LastUsedAt is when the token last authenticated a request, to the
	// minute (zero: never).
	LastUsedAt time.Time
	// ExpiresAt is when the token stops working (zero: never).
	ExpiresAt time.Time
	// RevokedAt is when the token was revoked (zero: it was not), and
	// RevokedBy who revoked it.
	RevokedAt time.Time
	RevokedBy string
}

// Status is "active", "expired" or "revoked" at now.
func (t *Token) Status(now time.Time) string {
	switch {
	case !t.RevokedAt.IsZero():
		return "revoked"
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// Session is a browser session's stored record.
type Session struct {
	Hash      []byte
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Identity is who is making a request, as established by a token or a
// session.
type Identity struct {
	UserID int64
	Name   string
	Role   Role
	// Team is the user's team ("" for none).
	Team string
	// Via is "token" or "session": the web layer applies cross-site request
	// protection to sessions only, since browsers attach cookies on their
	// own but never a bearer token.
	Via string
}

// Can reports whether the identity holds p.
func (id Identity) Can(p Permission) bool { return id.Role.Can(p) }

// Store is the persistence auth needs; internal/store implements it on
// SQLite and PostgreSQL.
//
// Every change to a user's role or team and every token issued or revoked
// is appended to the audit chain (UserCreateChange … TokenRevokeChange,
// actor by) in the transaction that makes it: if the append fails, the
// change is not made.
type Store interface {
	// CreateUser inserts u, sets u.ID and audits it; ErrExists if the
	// name is taken.
	CreateUser(ctx context.Context, u *User, by Actor) error
	// UserByName returns ErrNotFound for an unknown name.
	UserByName(ctx context.Context, name string) (*User, error)
	SetPasswordHash(ctx context.Context, userID int64, hash string, by Actor) error
	// SetTeam sets a user's team and audits the change (nothing is
	// written when the team is the same); ErrNotFound for an unknown user.
	SetTeam(ctx context.Context, userID int64, team string, by Actor) error
	// SetRole sets a user's role and revokes, at at, the user's
	// unrevoked tokens that carry another role, auditing the change and
	// each revocation (nothing is written when the role is the same); it
	// returns the tokens revoked. ErrNotFound for an unknown user.
	SetRole(ctx context.Context, userID int64, role Role, by Actor, at time.Time) ([]Token, error)
	// CreateToken inserts t, sets t.ID and audits it.
	CreateToken(ctx context.Context, t *Token, by Actor) error
	// UserByTokenHash returns the token's user and the token (revoked or
	// expired ones too); ErrNotFound when no token has that hash.
	UserByTokenHash(ctx context.Context, hash []byte) (*User, *Token, error)
	// ListTokens returns every token (without its hash), oldest first.
	ListTokens(ctx context.Context) ([]Token, error)
	// RevokeToken marks a token revoked at at by by, audits it and
	// returns it; ErrNotFound for an unknown id. Revoking a revoked token
	// changes nothing (and audits nothing) and returns it.
	RevokeToken(ctx context.Context, id int64, by Actor, at time.Time) (*Token, error)
	// TouchToken sets a token's last use to at unless it is already at or
	// after notBefore (so one write a minute at most, whoever races).
	TouchToken(ctx context.Context, id int64, at, notBefore time.Time) error
	CreateSession(ctx context.Context, s *Session) error
	// UserBySessionHash returns ErrNotFound for an unknown or expired
	// (ExpiresAt <= now) session.
	UserBySessionHash(ctx context.Context, hash []byte, now time.Time) (*User, error)
	DeleteSession(ctx context.Context, hash []byte) error
	// AuditEntries returns the audit entries that concern no case (CaseID
	// ""), oldest first, selected by a checked q.
	AuditEntries(ctx context.Context, q AuditQuery) ([]audit.Entry, error)
}

// Opts configures a Service.
type Opts struct {
	Store Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// SessionTTL is how long a session lasts; 12 hours when zero, a
	// working day with margin.
	SessionTTL time.Duration
}

// Service manages users and authenticates requests.
type Service struct {
	store Store
	now   func() time.Time
	ttl   time.Duration
	// touched is when this process last recorded each token's use (token
	// id → unix seconds), so a busy token costs one write a minute.
	touched sync.Map
}

// TouchEvery is how often a token's last use is written at most.
const TouchEvery = time.Minute

// New returns a Service.
func New(o Opts) *Service {
	s := &Service{store: o.Store, now: o.Now, ttl: o.SessionTTL}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl == 0 {
		s.ttl = 12 * time.Hour
	}
	return s
}

// SessionTTL is how long a new session lasts.
func (s *Service) SessionTTL() time.Duration { return s.ttl }

var nameRE = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N}._@-]{0,63}$`)

// CheckName reports whether name is a valid user name: 1–64 letters
// (Chinese included), digits and . _ @ -, starting with a letter or digit.
func CheckName(name string) error {
	if !nameRE.MatchString(name) {
		return fmt.Errorf("%w %q: 1–64 letters, digits or . _ @ -, starting with a letter or digit", ErrInvalidName, name)
	}
	return nil
}

// MaxTeamBytes bounds a team's name (as interactions bound theirs).
const MaxTeamBytes = 128

// CheckTeam reports whether team is a valid team name: at most
// MaxTeamBytes of UTF-8 on one line, without leading or trailing space
// ("" is no team).
func CheckTeam(team string) error {
	switch {
	case len(team) > MaxTeamBytes:
		return fmt.Errorf("%w: team is %d bytes, over the limit of %d", ErrInvalidTeam, len(team), MaxTeamBytes)
	case !utf8.ValidString(team) || strings.ContainsFunc(team, unicode.IsControl):
		return fmt.Errorf("%w: team must be valid UTF-8 on one line", ErrInvalidTeam)
	case strings.TrimSpace(team) != team:
		return fmt.Errorf("%w: team %q has leading or trailing space", ErrInvalidTeam, team)
	}
	return nil
}

// NewUser is a user to create.
type NewUser struct {
	Name string
	Role Role
	// Password empty creates a user that can only use API tokens.
	Password string
	Team     string
	// By is who creates the user, for the audit trail (SystemActor when
	// empty).
	By Actor
}

// CreateUser creates a user without a team. An empty password creates a
// user that can only use API tokens.
func (s *Service) CreateUser(ctx context.Context, name string, role Role, password string) (*User, error) {
	return s.AddUser(ctx, NewUser{Name: name, Role: role, Password: password})
}

// AddUser creates a user, in a team when one is given.
func (s *Service) AddUser(ctx context.Context, in NewUser) (*User, error) {
	name, role, password := in.Name, in.Role, in.Password
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return nil, err
	}
	if err := CheckTeam(in.Team); err != nil {
		return nil, err
	}
	u := &User{Name: name, Role: role, Team: in.Team, CreatedAt: s.now().UTC()}
	if password != "" {
		h, err := HashPassword(password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	if err := s.store.CreateUser(ctx, u, in.By.orSystem()); err != nil {
		return nil, err
	}
	return u, nil
}

// SetTeam is SetUserTeam by SystemActor.
func (s *Service) SetTeam(ctx context.Context, name, team string) error {
	return s.SetUserTeam(ctx, Actor{}, name, team)
}

// SetUserTeam moves an existing user to a team ("" for none), audited as
// by's change. Cases already assigned keep the team they were assigned
// in; the next assignment counts the new one.
func (s *Service) SetUserTeam(ctx context.Context, by Actor, name, team string) error {
	if err := CheckTeam(team); err != nil {
		return err
	}
	u, err := s.store.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	if err := s.store.SetTeam(ctx, u.ID, team, by.orSystem()); err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	return nil
}

// SetUserRole gives an existing user another role, audited as by's
// change. A token never carries a role other than its user's, so the
// user's tokens issued for the old role are revoked with it (and
// returned); sessions take the new role on their next request.
func (s *Service) SetUserRole(ctx context.Context, by Actor, name string, role Role) ([]Token, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return nil, err
	}
	u, err := s.store.UserByName(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	revoked, err := s.store.SetRole(ctx, u.ID, role, by.orSystem(), s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	return revoked, nil
}

// TeamOf returns the team of the user named ("" when the name is no user
// or the user has none: an assignee need not be a user of Huajie).
func (s *Service) TeamOf(ctx context.Context, name string) (string, error) {
	u, err := s.store.UserByName(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return u.Team, nil
}

// SetPassword sets the password of an existing user, audited as
// user.password by the system actor; SetPasswordBy names the actor.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	return s.SetPasswordBy(ctx, Actor{}, name, password)
}

// SetPasswordBy sets the password of an existing user; by is who did it,
// for the audit trail.
func (s *Service) SetPasswordBy(ctx context.Context, by Actor, name, password string) error {
	u, err := s.store.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPasswordHash(ctx, u.ID, h, by)
}

// NewToken is a token to issue.
type NewToken struct {
	// User is the user's name; the user is created with Role if absent.
	User string
	Role Role
	// By is who issues it (a signed-in user, or "cli:<account>"), for
	// the token's record and the audit trail; SystemActor when empty.
	By Actor
	// ExpiresAt is when it stops working; zero: never.
	ExpiresAt time.Time
}

// MaxTokenLifetime bounds an expiry: ten years.
const MaxTokenLifetime = 10 * 366 * 24 * time.Hour

// CreateToken issues an API token for the user name with role, creating the
// user with that role if it does not exist. A token never carries a role
// other than its user's: tokens must not be a way around the role table.
func (s *Service) CreateToken(ctx context.Context, name string, role Role) (string, *User, error) {
	plain, _, u, err := s.IssueToken(ctx, NewToken{User: name, Role: role})
	return plain, u, err
}

// IssueToken is CreateToken with who issues it and an optional expiry;
// it returns the plain token (shown once), its record and its user.
func (s *Service) IssueToken(ctx context.Context, in NewToken) (string, *Token, *User, error) {
	name, role := in.User, in.Role
	if _, err := ParseRole(string(role)); err != nil {
		return "", nil, nil, err
	}
	now := s.now().UTC()
	if !in.ExpiresAt.IsZero() {
		if !in.ExpiresAt.After(now) {
			return "", nil, nil, fmt.Errorf("%w: expiry %s is not in the future", ErrInvalidExpiry, in.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if in.ExpiresAt.Sub(now) > MaxTokenLifetime {
			return "", nil, nil, fmt.Errorf("%w: expiry %s is more than ten years away", ErrInvalidExpiry, in.ExpiresAt.UTC().Format(time.RFC3339))
		}
	}
	if len(in.By.Name) > 128 {
		return "", nil, nil, fmt.Errorf("%w: issuer name is over 128 bytes", ErrInvalidName)
	}
	by := in.By.orSystem()
	u, err := s.store.UserByName(ctx, name)
	if errors.Is(err, ErrNotFound) {
		u, err = s.AddUser(ctx, NewUser{Name: name, Role: role, By: by})
		if errors.Is(err, ErrExists) { // created concurrently
			u, err = s.store.UserByName(ctx, name)
		}
	}
	if err != nil {
		return "", nil, nil, err
	}
	if u.Role != role {
		return "", nil, nil, fmt.Errorf("%w: user %q has role %s, not %s", ErrRoleMismatch, name, u.Role, role)
	}
	plain, hash := newSecret(TokenPrefix)
	t := &Token{UserID: u.ID, UserName: u.Name, Role: role, Hash: hash, CreatedAt: now, CreatedBy: by.Name,
		ExpiresAt: in.ExpiresAt.UTC().Truncate(time.Microsecond)}
	if err := s.store.CreateToken(ctx, t, by); err != nil {
		return "", nil, nil, err
	}
	return plain, t, u, nil
}

// Tokens lists every API token, oldest first (never the secret).
func (s *Service) Tokens(ctx context.Context) ([]Token, error) {
	return s.store.ListTokens(ctx)
}

// RevokeToken revokes the token id, effective on its next request, and
// audits it as by's change; ErrNotFound for an unknown id.
func (s *Service) RevokeToken(ctx context.Context, id int64, by Actor) (*Token, error) {
	if len(by.Name) > 128 {
		return nil, fmt.Errorf("%w: revoker name is over 128 bytes", ErrInvalidName)
	}
	t, err := s.store.RevokeToken(ctx, id, by.orSystem(), s.now().UTC())
	if err != nil {
		return nil, fmt.Errorf("token %d: %w", id, err)
	}
	return t, nil
}

// AccessAudit returns the audit entries that concern no case — users and
// API tokens created and changed — oldest first, selected by q
// (ErrInvalidQuery when q is malformed).
func (s *Service) AccessAudit(ctx context.Context, q AuditQuery) ([]audit.Entry, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	return s.store.AuditEntries(ctx, q)
}

// AuthenticateToken returns the identity a bearer token stands for, or
// ErrBadCredentials (also for a revoked or expired token). It records the
// token's use at most once a TouchEvery.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (Identity, error) {
	u, t, err := s.store.UserByTokenHash(ctx, HashSecret(plain))
	if errors.Is(err, ErrNotFound) {
		return Identity{}, ErrBadCredentials
	}
	if err != nil {
		return Identity{}, err
	}
	now := s.now().UTC()
	// A token for another role than its user's (the role changed and
	// the revocation has not been written, or a row written by hand) is
	// no way around the role table either.
	if t.Status(now) != "active" || t.Role != u.Role {
		return Identity{}, ErrBadCredentials
	}
	if u.Disabled {
		return Identity{}, ErrDisabled
	}
	s.touch(ctx, t, now)
	return Identity{UserID: u.ID, Name: u.Name, Role: t.Role, Team: u.Team, Via: "token"}, nil
}

// touch records the token's use unless the store or this process did
// within TouchEvery. A failed write is not the request's failure.
func (s *Service) touch(ctx context.Context, t *Token, now time.Time) {
	notBefore := now.Add(-TouchEvery)
	if !t.LastUsedAt.IsZero() && t.LastUsedAt.After(notBefore) {
		return
	}
	if v, ok := s.touched.Load(t.ID); ok && v.(int64) > notBefore.Unix() {
		return
	}
	s.touched.Store(t.ID, now.Unix())
	_ = s.store.TouchToken(ctx, t.ID, now, notBefore)
}

// Login checks a user name and password and opens a session, returning the
// session id to put in a cookie.
func (s *Service) Login(ctx context.Context, name, password string) (string, Identity, error) {
	u, err := s.store.UserByName(ctx, name)
	if errors.Is(err, ErrNotFound) {
		VerifyPassword(dummyHash(), password) // same cost as a real check
		return "", Identity{}, ErrBadCredentials
	}
	if err != nil {
		return "", Identity{}, err
	}
	if u.PasswordHash == "" || !VerifyPassword(u.PasswordHash, password) {
		return "", Identity{}, ErrBadCredentials
	}
	if u.Disabled {
		return "", Identity{}, ErrDisabled
	}
	plain, hash := newSecret(sessionPrefix)
	now := s.now().UTC()
	if err := s.store.CreateSession(ctx, &Session{Hash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.ttl)}); err != nil {
		return "", Identity{}, err
	}
	return plain, Identity{UserID: u.ID, Name: u.Name, Role: u.Role, Team: u.Team, Via: "session"}, nil
}

// AuthenticateSession returns the identity of an open session, or
// ErrBadCredentials.
func (s *Service) AuthenticateSession(ctx context.Context, plain string) (Identity, error) {
	u, err := s.store.UserBySessionHash(ctx, HashSecret(plain), s.now().UTC())
	if errors.Is(err, ErrNotFound) {
		return Identity{}, ErrBadCredentials
	}
	if err != nil {
		return Identity{}, err
	}
	if u.Disabled {
		return Identity{}, ErrDisabled
	}
	return Identity{UserID: u.ID, Name: u.Name, Role: u.Role, Team: u.Team, Via: "session"}, nil
}

// Logout closes a session.
func (s *Service) Logout(ctx context.Context, plain string) error {
	return s.store.DeleteSession(ctx, HashSecret(plain))
}
