package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"
)

// User is someone who signs in or holds API tokens.
type User struct {
	ID           int64
	Name         string
	Role         Role
	PasswordHash string // empty: password sign-in disabled
	Disabled     bool
	CreatedAt    time.Time
}

// Token is an API token's stored record; the plain token is shown once.
type Token struct {
	ID        int64
	UserID    int64
	Role      Role
	Hash      []byte
	CreatedAt time.Time
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
	// Via is "token" or "session": the web layer applies cross-site request
	// protection to sessions only, since browsers attach cookies on their
	// own but never a bearer token.
	Via string
}

// Can reports whether the identity holds p.
func (id Identity) Can(p Permission) bool { return id.Role.Can(p) }

// Store is the persistence auth needs; internal/store implements it on
// SQLite and PostgreSQL.
type Store interface {
	// CreateUser inserts u and sets u.ID; ErrExists if the name is taken.
	CreateUser(ctx context.Context, u *User) error
	// UserByName returns ErrNotFound for an unknown name.
	UserByName(ctx context.Context, name string) (*User, error)
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	// CreateToken inserts t and sets t.ID.
	CreateToken(ctx context.Context, t *Token) error
	// UserByTokenHash returns the token's user and the token; ErrNotFound
	// when no token has that hash.
	UserByTokenHash(ctx context.Context, hash []byte) (*User, *Token, error)
	CreateSession(ctx context.Context, s *Session) error
	// UserBySessionHash returns ErrNotFound for an unknown or expired
	// (ExpiresAt <= now) session.
	UserBySessionHash(ctx context.Context, hash []byte, now time.Time) (*User, error)
	DeleteSession(ctx context.Context, hash []byte) error
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
}

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

// CreateUser creates a user. An empty password creates a user that can only
// use API tokens.
func (s *Service) CreateUser(ctx context.Context, name string, role Role, password string) (*User, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if _, err := ParseRole(string(role)); err != nil {
		return nil, err
	}
	u := &User{Name: name, Role: role, CreatedAt: s.now().UTC()}
	if password != "" {
		h, err := HashPassword(password)
		if err != nil {
			return nil, err
		}
		u.PasswordHash = h
	}
	if err := s.store.CreateUser(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// SetPassword sets the password of an existing user.
func (s *Service) SetPassword(ctx context.Context, name, password string) error {
	u, err := s.store.UserByName(ctx, name)
	if err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPasswordHash(ctx, u.ID, h)
}

// CreateToken issues an API token for the user name with role, creating the
// user with that role if it does not exist. A token never carries a role
// other than its user's: tokens must not be a way around the role table.
func (s *Service) CreateToken(ctx context.Context, name string, role Role) (string, *User, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return "", nil, err
	}
	u, err := s.store.UserByName(ctx, name)
	if errors.Is(err, ErrNotFound) {
		u, err = s.CreateUser(ctx, name, role, "")
		if errors.Is(err, ErrExists) { // created concurrently
			u, err = s.store.UserByName(ctx, name)
		}
	}
	if err != nil {
		return "", nil, err
	}
	if u.Role != role {
		return "", nil, fmt.Errorf("%w: user %q has role %s, not %s", ErrRoleMismatch, name, u.Role, role)
	}
	plain, hash := newSecret(TokenPrefix)
	t := &Token{UserID: u.ID, Role: role, Hash: hash, CreatedAt: s.now().UTC()}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	return plain, u, nil
}

// AuthenticateToken returns the identity a bearer token stands for, or
// ErrBadCredentials.
func (s *Service) AuthenticateToken(ctx context.Context, plain string) (Identity, error) {
	u, t, err := s.store.UserByTokenHash(ctx, HashSecret(plain))
	if errors.Is(err, ErrNotFound) {
		return Identity{}, ErrBadCredentials
	}
	if err != nil {
		return Identity{}, err
	}
	if u.Disabled {
		return Identity{}, ErrDisabled
	}
	return Identity{UserID: u.ID, Name: u.Name, Role: t.Role, Via: "token"}, nil
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
	return plain, Identity{UserID: u.ID, Name: u.Name, Role: u.Role, Via: "session"}, nil
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
	return Identity{UserID: u.ID, Name: u.Name, Role: u.Role, Via: "session"}, nil
}

// Logout closes a session.
func (s *Service) Logout(ctx context.Context, plain string) error {
	return s.store.DeleteSession(ctx, HashSecret(plain))
}
