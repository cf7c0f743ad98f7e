package demo_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"huajie/internal/audit"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/cases/casegoodwill"
	"huajie/internal/deadlines"
	"huajie/internal/demo"
	"huajie/internal/goodwill"
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
	gw, err := goodwill.Default()
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Seed(ctx, demo.Opts{Auth: as, Now: now, NewCases: func(clock func() time.Time) *cases.Service {
		return cases.New(cases.Opts{Repo: db.Cases(), Now: clock, Goodwill: casegoodwill.Func(gw)})
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
	// Goodwill: the regulator-threat cases are suspicions; one carries a
	// supervisor's decision, the others await review, and none was
	// closed or deprioritised for it.
	if !res.GoodwillReviewed {
		t.Error("no supervisor goodwill decision recorded")
	}
	pending, err := svc.List(ctx, cases.ListFilter{GoodwillReview: cases.GoodwillReviewPending, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	threat := 0
	for _, s := range pending.Items {
		if strings.Contains(s.Title, "银保监会") {
			threat++
			if s.Goodwill == cases.GoodwillGood || !s.NeedsSupervisorReview || !s.State.Open() {
				t.Errorf("regulator-threat case awaiting review: %+v", s)
			}
		}
	}
	if threat < 2 {
		t.Errorf("%d regulator-threat cases await review, want 2", threat)
	}
	reviewed, err := svc.List(ctx, cases.ListFilter{GoodwillReview: cases.GoodwillReviewReviewed})
	if err != nil {
		t.Fatal(err)
	}
	if len(reviewed.Items) != 1 {
		t.Fatalf("%d reviewed cases, want 1", len(reviewed.Items))
	}
	trail, err := svc.AuditTrail(ctx, reviewed.Items[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(trail, func(e audit.Entry) bool { return e.Action == "case.goodwill_review" && e.Actor == "demo-supervisor" }) {
		t.Error("the supervisor's goodwill decision is not in the audit trail")
	}
	if rep, err := svc.SerialComplainers(ctx, cases.SerialFilter{}); err != nil || len(rep.Items) == 0 {
		t.Errorf("serial complainers: %+v %v (王芳 complained three times)", rep, err)
	}

	rep, err := svc.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Entries < 300 {
		t.Errorf("audit: %+v %v", rep, err)
	}
}
