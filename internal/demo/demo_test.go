package demo_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/demo"
	"huajie/internal/store"
)

// TestSeed builds the demo on a fresh SQLite file and checks what the demo
// promises: a few dozen cases across the lifecycle, some overdue, some due
// soon, some closed with a follow-up, a merged repeat complaint, working
// sign-ins and token, and an audit chain that verifies.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as := auth.New(auth.Opts{Store: db})
	now := time.Now()
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: now, NewCases: func(clock func() time.Time) *cases.Service {
		return cases.New(cases.Opts{Repo: db.Cases(), Now: clock})
	}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases < 30 {
		t.Errorf("%d cases, want a few dozen", res.Cases)
	}
	for _, s := range cases.States {
		if res.ByState[s] == 0 {
			t.Errorf("no demo case in state %s", s)
		}
	}
	if len(res.Users) != len(auth.Roles) {
		t.Errorf("%d users, want one per role", len(res.Users))
	}
	for _, u := range res.Users {
		if _, id, err := as.Login(ctx, u.Name, u.Password); err != nil || id.Role != u.Role {
			t.Errorf("sign-in %s: %v", u.Name, err)
		}
	}
	if id, err := as.AuthenticateToken(ctx, res.Token); err != nil || id.Role != auth.RoleAdmin {
		t.Errorf("token: %+v %v", id, err)
	}

	svc := cases.New(cases.Opts{Repo: db.Cases()})
	events, err := svc.ScanDeadlines(ctx)
	if err != nil {
		t.Fatal(err)
	}
	levels := map[deadlines.Status]int{}
	for _, ev := range events {
		levels[ev.Level]++
	}
	if levels[deadlines.StatusBreached] < 2 || levels[deadlines.StatusWarning] < 1 {
		t.Errorf("deadline events %v: want some breached and some due soon", levels)
	}
	// The watcher's breaches are what the list filters on.
	overdue, err := svc.List(ctx, cases.ListFilter{DeadlineStatus: deadlines.StatusBreached})
	if err != nil {
		t.Fatal(err)
	}
	if len(overdue.Items) < 2 {
		t.Errorf("%d overdue cases listed, want some", len(overdue.Items))
	}
	page, err := svc.List(ctx, cases.ListFilter{States: []cases.State{cases.StateClosed}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	followed, merged := 0, 0
	for _, s := range page.Items {
		c, err := svc.Get(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.FollowUps) > 0 {
			followed++
		}
		if c.MergedInto != "" {
			merged++
		}
	}
	if followed < 5 || merged != 1 {
		t.Errorf("closed cases: %d with follow-up, %d merged", followed, merged)
	}
	rep, err := svc.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Entries < 300 {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
