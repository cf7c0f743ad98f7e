// Package demo fills an empty Huajie database with a few dozen complaint
// cases built from the seeds' own cases: the credit-card bill that never
// arrived and the month of interest-free credit that resolved it (seed 004),
// the leaked phone number and the harassing calls, the cold service attitude,
// the unreasonable demand with a threat to go to the regulator (seed 002),
// the hotel room's cleanliness and the late delivery (seed 001), the long
// wait at the branch (seed 000) and the loan complaints of seed 002's
// introduction.
//
// Everything is created through cases.Service, as a person would through the
// API, so the states, deadlines and hash-chained audit trail are real. Cases
// are spread over the lifecycle and over time, so that some are overdue,
// some due soon and some closed with a follow-up visit.
package demo

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"strings"
	"sync"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// Opts configures Seed.
type Opts struct {
	// NewCases returns the cases service to create the demo through,
	// reading time from clock. The demo plays each case's history at the
	// times it would have happened (received weeks ago, investigated days
	// later …), so deadlines come out met, met late, due soon or breached
	// as they would in real use; the audit trail still records when each
	// entry was written.
	NewCases func(clock func() time.Time) *cases.Service
	Auth     *auth.Service
	// Now is when the demo is built; received times are in the weeks
	// before it. time.Now when zero.
	Now time.Time
}

// SignIn is a demo user.
type SignIn struct {
	Name     string
	Role     auth.Role
	Password string
	Team     string
}

// Teams are the demo users' teams by role: the agent in the contact
// centre, the handler and the supervisor in the first complaint team;
// the analyst, compliance officer and admin in none (the case desk's team
// queue shows them every open case). Team2 is the second complaint team,
// whose handler (demo-handler-2) works every third case.
var Teams = map[auth.Role]string{
	auth.RoleAgent:      "客服中心",
	auth.RoleHandler:    "投诉处理一组",
	auth.RoleSupervisor: "投诉处理一组",
}

// Team2 is the second complaint team.
const Team2 = "消保专班"

// branches are where the demo complaints were received.
var branches = []string{"南山支行", "福田支行", "深圳分行营业部", "罗湖支行"}

// Result is what Seed created.
type Result struct {
	Users []SignIn
	// Token is an API token of the admin user.
	Token string
	Cases int
	// ByState counts the cases by final state.
	ByState map[cases.State]int
	// GoodwillReviewed is true when a supervisor's goodwill decision was
	// recorded (the service assesses goodwill).
	GoodwillReviewed bool
}

// Seed creates one user per role (with a random password), an API token
// and the demo cases. It expects an empty database: the demo command gives
// it a fresh file each time, which is what makes re-running idempotent.
func Seed(ctx context.Context, o Opts) (*Result, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	res := &Result{ByState: map[cases.State]int{}}
	for _, r := range auth.Roles {
		name := "demo-" + string(r)
		pw := password()
		if _, err := o.Auth.AddUser(ctx, auth.NewUser{Name: name, Role: r, Password: pw, Team: Teams[r]}); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", name, err)
		}
		res.Users = append(res.Users, SignIn{Name: name, Role: r, Password: pw, Team: Teams[r]})
	}
	// The second team's handler works cases but does not sign in.
	if _, err := o.Auth.AddUser(ctx, auth.NewUser{Name: handler2.Name, Role: auth.RoleHandler, Team: Team2}); err != nil {
		return nil, fmt.Errorf("demo user %s: %w", handler2.Name, err)
	}
	tok, _, err := o.Auth.CreateToken(ctx, "demo-admin", auth.RoleAdmin)
	if err != nil {
		return nil, fmt.Errorf("demo token: %w", err)
	}
	res.Token = tok

	clk := &clock{real: now, t: now}
	b := &builder{svc: o.NewCases(clk.now), now: now, clk: clk}
	for i, sc := range scenarios {
		for j, st := range sc.stages {
			c, err := b.play(ctx, sc, st, i, j)
			if err != nil {
				return nil, fmt.Errorf("demo case %q (%s, stage %s): %w", sc.key, st.customer, st.until, err)
			}
			res.Cases++
			res.ByState[c.State]++
		}
	}
	if err := b.repeat(ctx); err != nil {
		return nil, fmt.Errorf("demo repeat complaint: %w", err)
	}
	res.Cases += 2
	if res.GoodwillReviewed, err = b.reviewGoodwill(ctx); err != nil {
		return nil, fmt.Errorf("demo goodwill review: %w", err)
	}
	return res, nil
}

// password returns a random password: the demo may be reachable from other
// machines when started with a non-loopback --addr.
func password() string {
	b := make([]byte, 10)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// The demo staff, as they appear in the audit trail.
var (
	agent      = cases.Actor{Name: "demo-agent", Role: string(auth.RoleAgent)}
	handler    = cases.Actor{Name: "demo-handler", Role: string(auth.RoleHandler)}
	handler2   = cases.Actor{Name: "demo-handler-2", Role: string(auth.RoleHandler)}
	supervisor = cases.Actor{Name: "demo-supervisor", Role: string(auth.RoleSupervisor)}
)

// idCard returns a valid 18-character resident ID (GB 11643 check digit)
// for a made-up person: region 110101 (Beijing Dongcheng), the birth date
// and a sequence number.
func idCard(birth string, seq int) string {
	base := fmt.Sprintf("110101%s%03d", birth, seq%1000)
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(base[i]-'0') * weights[i]
	}
	return base + string("10X98765432"[sum%11])
}

// clock is the demo's simulated time; it never runs past the real now.
type clock struct {
	mu      sync.Mutex
	real, t time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.real) {
		t = c.real
	}
	c.t = t
}
