package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"huajie/internal/audit"
	"huajie/internal/cases"
	"huajie/internal/deadlines"
	"huajie/internal/store"
)

var (
	agent   = cases.Actor{Name: "li.agent", Role: "agent"}
	handler = cases.Actor{Name: "wang.handler", Role: "handler"}
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newService(db *store.DB, now func() time.Time) *cases.Service {
	return cases.New(cases.Opts{Repo: db.Cases(), Now: now})
}

func intake(text string) cases.NewCase {
	return cases.NewCase{
		Channel:  cases.ChannelPhone,
		Customer: cases.Customer{ID: "C001", Name: "张三", Phone: "13812345678", IDCard: "11010519491231002X"},
		Text:     text, ProductRef: "信用卡 6222****1234",
	}
}

func mustVerify(t *testing.T, db *store.DB) audit.Report {
	t.Helper()
	rep, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("audit chain broken: %+v", rep)
	}
	return rep
}

func TestLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		c, err := s.Create(ctx, agent, intake("我的信用卡账单一直没有收到，打了三次电话都没人处理，再不解决我就投诉到监管！"))
		if err != nil {
			t.Fatal(err)
		}
		if c.State != cases.StateReceived || c.Version != 1 {
			t.Fatalf("new case: state %s version %d", c.State, c.Version)
		}
		if !c.Assessment.Difficulty.WideImpact || c.Assessment.Severity == cases.SeverityLow {
			t.Fatalf("regulator cue not assessed: %+v", c.Assessment)
		}
		if len(c.Deadline.Deadlines) != 1 || c.Deadline.NextDue.IsZero() {
			t.Fatalf("deadlines not computed: %+v", c.Deadline)
		}
		// Illegal: received → investigating.
		_, err = s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateInvestigating})
		var ite *cases.IllegalTransitionError
		if !errors.As(err, &ite) || ite.From != cases.StateReceived || len(ite.Allowed) != 1 || ite.Allowed[0] != cases.StateAssessing {
			t.Fatalf("want illegal transition naming assessing, got %v", err)
		}
		step := func(to cases.State) {
			t.Helper()
			if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: to}); err != nil {
				t.Fatalf("→ %s: %v", to, err)
			}
		}
		step(cases.StateAssessing)
		// Stale version is a conflict.
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateInvestigating, IfVersion: 1}); !errors.Is(err, cases.ErrConflict) {
			t.Fatalf("stale IfVersion: %v", err)
		}
		step(cases.StateInvestigating)
		if _, err := s.AddContact(ctx, handler, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Outbound, Content: "我理解您的感受，我们正在核查账单寄送记录。"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFinding(ctx, handler, c.ID, cases.FindingInput{Department: "信用卡中心", Text: "账单地址在系统迁移中被清空"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddFinding(ctx, handler, c.ID, cases.FindingInput{Department: "科技部", Text: "迁移脚本缺陷"}); err != nil {
			t.Fatal(err)
		}
		var img bytes.Buffer
		_ = png.Encode(&img, image.NewGray(image.Rect(0, 0, 4, 4)))
		ev, err := s.AddEvidence(ctx, handler, c.ID, cases.EvidenceInput{Name: "截图.png", Content: img.Bytes()})
		if err != nil {
			t.Fatal(err)
		}
		if ev.ContentType != "image/png" {
			t.Fatalf("sniffed %s", ev.ContentType)
		}
		_, content, err := s.EvidenceContent(ctx, c.ID, ev.ID)
		if err != nil || !bytes.Equal(content, img.Bytes()) {
			t.Fatalf("evidence content round trip: %v", err)
		}
		if _, err := s.AddEvidence(ctx, handler, c.ID, cases.EvidenceInput{Name: "x.exe", Content: []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff")}); err == nil {
			t.Fatal("executable accepted as evidence")
		} else if _, ok := err.(*cases.UnsupportedTypeError); !ok {
			t.Fatalf("want UnsupportedTypeError, got %T %v", err, err)
		}
		if _, err := s.AddEvidence(ctx, handler, c.ID, cases.EvidenceInput{Name: "big.txt", Content: bytes.Repeat([]byte("a"), cases.MaxEvidenceBytes+1)}); err == nil {
			t.Fatal("oversized evidence accepted")
		} else if _, ok := err.(*cases.TooLargeError); !ok {
			t.Fatalf("want TooLargeError, got %T %v", err, err)
		}
		if _, err := s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "补寄账单并减免滞纳金",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}, {Kind: cases.RemedyFeeWaiver, AmountMinor: 5000}}}); err != nil {
			t.Fatal(err)
		}
		step(cases.StateAwaitingCustomer)
		if _, err := s.RecordResponse(ctx, handler, c.ID, cases.ResponseInput{Accepted: false}); err == nil {
			t.Fatal("rejection without reason accepted")
		}
		got, err := s.RecordResponse(ctx, handler, c.ID, cases.ResponseInput{Accepted: false, Reason: "还要赔偿误工费"})
		if err != nil || got.State != cases.StateInvestigating {
			t.Fatalf("rejection: %v, state %v", err, got)
		}
		if _, err := s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "另加补偿",
			Remedies: []cases.Remedy{{Kind: cases.RemedyCompensation, AmountMinor: 20000}}}); err != nil {
			t.Fatal(err)
		}
		step(cases.StateAwaitingCustomer)
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateFollowUp}); err == nil {
			t.Fatal("follow_up before acceptance")
		}
		if got, err = s.RecordResponse(ctx, handler, c.ID, cases.ResponseInput{Accepted: true}); err != nil || got.State != cases.StateFollowUp {
			t.Fatalf("acceptance: %v %v", err, got)
		}
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateClosed}); err == nil {
			t.Fatal("closed without follow-up visit")
		}
		if _, err := s.RecordFollowUp(ctx, handler, c.ID, cases.FollowUpInput{Satisfaction: 6}); err == nil {
			t.Fatal("satisfaction 6 accepted")
		}
		if _, err := s.RecordFollowUp(ctx, handler, c.ID, cases.FollowUpInput{Satisfaction: 4, Comment: "满意"}); err != nil {
			t.Fatal(err)
		}
		step(cases.StateClosed)
		if _, err := s.Escalate(ctx, handler, c.ID, cases.EscalateInput{Reason: "x"}); err == nil {
			t.Fatal("escalated a closed case")
		}
		step(cases.StateAssessing) // reopen
		final, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if final.Reopened != 1 || len(final.Departments) != 2 || !final.Assessment.Difficulty.SeveralDepartments {
			t.Fatalf("final case: reopened %d departments %v flags %+v", final.Reopened, final.Departments, final.Assessment.Difficulty)
		}
		// The decision was made on time; reopening (the decision contested)
		// starts the CN review: 30 days from the reopening, pending until
		// a new solution is proposed.
		var decision, review *deadlines.Deadline
		for i, dl := range final.Deadline.Deadlines {
			switch dl.Kind {
			case deadlines.KindDecision:
				decision = &final.Deadline.Deadlines[i]
			case deadlines.KindReview:
				review = &final.Deadline.Deadlines[i]
			}
		}
		reopened := final.Deadline.Milestones[deadlines.MilestoneReopened]
		if decision == nil || review == nil || reopened.IsZero() {
			t.Fatalf("deadlines after reopening: %+v, milestones %v", final.Deadline.Deadlines, final.Deadline.Milestones)
		}
		if st := deadlines.StatusOf(*decision, final.Deadline.Milestones, time.Now(), 0); st != deadlines.StatusMet {
			t.Errorf("decision made on time, status %s", st)
		}
		cal := deadlines.Calendar{} // the service's: UTC days
		if want := cal.EndOfPeriod(reopened, deadlines.Period{Days: 30}); !review.Due.Equal(want) {
			t.Errorf("review due %s, want %s (30 days from the reopening)", review.Due, want)
		}
		if final.Deadline.Status != deadlines.StatusOK || !final.Deadline.NextDue.Equal(review.Due) {
			t.Errorf("reopened case: status %s next due %s, want ok and the review's due", final.Deadline.Status, final.Deadline.NextDue)
		}
		trail, err := s.AuditTrail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if trail[0].Action != "case.create" || strings.Contains(string(trail[0].After), "13812345678") {
			t.Fatalf("first entry %s, or personal data in the trail: %s", trail[0].Action, trail[0].After)
		}
		transitions := 0
		for _, e := range trail {
			if e.Action == "case.transition" {
				transitions++
			}
		}
		// 6 explicit steps + solution → resolution_proposed ×2 + response ×2
		if transitions != 10 {
			t.Fatalf("%d transition entries, want 10", transitions)
		}
		mustVerify(t, db)

		// The review's decision: a new solution proposed meets it.
		step(cases.StateInvestigating)
		if _, err := s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "核查后维持原决定并再次致歉",
			Remedies: []cases.Remedy{{Kind: cases.RemedyApology}}}); err != nil {
			t.Fatal(err)
		}
		if final, err = s.Get(ctx, c.ID); err != nil || final.Deadline.Status != deadlines.StatusMet {
			t.Fatalf("review decided: status %v %v, want met", final.Deadline.Status, err)
		}
	})
}

func TestConcurrentCreateAndTransition(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		const n = 1000
		var wg sync.WaitGroup
		errs := make(chan error, n+1)
		ids := make(chan string, n)
		// Verify while the writers run: every snapshot must be a whole chain.
		stop := make(chan struct{})
		verified := make(chan int)
		go func() {
			k := 0
			for {
				select {
				case <-stop:
					verified <- k
					return
				default:
				}
				rep, err := db.VerifyAudit(ctx)
				if err != nil || !rep.OK {
					errs <- fmt.Errorf("verify during writes: %v %+v", err, rep)
				}
				k++
			}
		}()
		for i := range n {
			wg.Go(func() {
				in := intake(fmt.Sprintf("第%d号投诉：账单未收到", i))
				in.Customer.ID = fmt.Sprintf("C%04d", i)
				c, err := s.Create(ctx, agent, in)
				if err != nil {
					errs <- err
					return
				}
				if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
					errs <- err
					return
				}
				ids <- c.ID
			})
		}
		wg.Wait()
		close(stop)
		if k := <-verified; k == 0 {
			t.Error("no verification ran during the writes")
		}
		close(errs)
		close(ids)
		for err := range errs {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for id := range ids {
			seen[id] = true
		}
		if len(seen) != n {
			t.Fatalf("%d distinct cases, want %d", len(seen), n)
		}
		rep := mustVerify(t, db)
		if rep.Entries != 2*n {
			t.Fatalf("%d audit entries, want %d", rep.Entries, 2*n)
		}
		// Exactly one create and one transition per case: none lost, none doubled.
		rows, err := db.QueryContext(ctx, `SELECT case_id, action, count(*) FROM audit_log GROUP BY case_id, action`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		per := map[string]int{}
		for rows.Next() {
			var id, action string
			var k int
			if err := rows.Scan(&id, &action, &k); err != nil {
				t.Fatal(err)
			}
			if k != 1 {
				t.Fatalf("case %s has %d %s entries", id, k, action)
			}
			per[id]++
		}
		if len(per) != n {
			t.Fatalf("audit covers %d cases, want %d", len(per), n)
		}
		for id, k := range per {
			if !seen[id] || k != 2 {
				t.Fatalf("case %s: %d kinds of entry", id, k)
			}
		}
		page, err := s.List(ctx, cases.ListFilter{States: []cases.State{cases.StateAssessing}, Limit: cases.MaxListLimit})
		if err != nil || len(page.Items) != cases.MaxListLimit || page.Next == "" {
			t.Fatalf("list: %v, %d items", err, len(page.Items))
		}
	})
}

func TestAtomicity(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		c, err := s.Create(ctx, agent, intake("服务态度冷漠"))
		if err != nil {
			t.Fatal(err)
		}
		before := mustVerify(t, db)
		repo := db.Cases()
		// The case row and the audit entries are written, then the blob
		// insert fails on its foreign key: nothing may remain.
		_, err = repo.Update(ctx, []string{c.ID}, func(cs []*cases.Case) (cases.Mutation, error) {
			cs[0].State = cases.StateAssessing
			return cases.Mutation{
				Changes: []audit.Change{{CaseID: c.ID, Actor: "x", Action: "case.transition", Before: audit.JSON(nil), After: audit.JSON("assessing")}},
				Blobs:   []cases.Blob{{CaseID: "no-such-case", EvidenceID: "ev", Content: []byte("x")}},
			}, nil
		})
		if err == nil {
			t.Fatal("update with a failing blob insert succeeded")
		}
		got, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != cases.StateReceived || got.Version != c.Version {
			t.Fatalf("half-written: state %s version %d", got.State, got.Version)
		}
		after := mustVerify(t, db)
		if after.Entries != before.Entries {
			t.Fatalf("audit entries %d → %d after a rolled-back change", before.Entries, after.Entries)
		}
		// A domain error from the callback rolls back too.
		_, err = s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateClosed})
		if err == nil {
			t.Fatal("illegal transition accepted")
		}
		if rep := mustVerify(t, db); rep.Entries != before.Entries {
			t.Fatal("refused transition left an audit entry")
		}
		// And the next real change chains on the untouched head.
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			t.Fatal(err)
		}
		if rep := mustVerify(t, db); rep.Entries != before.Entries+1 {
			t.Fatalf("entries %d, want %d", rep.Entries, before.Entries+1)
		}
	})
}

func TestAuditTamperDetected(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		for i := range 5 {
			if _, err := s.Create(ctx, agent, intake(fmt.Sprintf("投诉 %d", i))); err != nil {
				t.Fatal(err)
			}
		}
		mustVerify(t, db)
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`UPDATE audit_log SET actor = ? WHERE seq = ?`), "mallory", 3); err != nil {
			t.Fatal(err)
		}
		rep, err := db.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.OK || rep.FirstBroken != 3 {
			t.Fatalf("tampered entry 3 not found: %+v", rep)
		}
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`UPDATE audit_log SET actor = ? WHERE seq = ?`), agent.Name, 3); err != nil {
			t.Fatal(err)
		}
		mustVerify(t, db)
		// Dropping the tail is found through the chain head.
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`DELETE FROM audit_log WHERE seq = ?`), 5); err != nil {
			t.Fatal(err)
		}
		rep, _ = db.VerifyAudit(ctx)
		if rep.OK || rep.FirstBroken != 5 {
			t.Fatalf("truncated tail not found: %+v", rep)
		}
	})
}

func TestListFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ck := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := newService(db, ck.Now)
		mk := func(cust, text string, ch cases.Channel) *cases.Case {
			in := intake(text)
			in.Customer.ID, in.Channel = cust, ch
			c, err := s.Create(ctx, agent, in)
			if err != nil {
				t.Fatal(err)
			}
			ck.Add(24 * time.Hour)
			return c
		}
		a := mk("A", "信用卡账单没有收到，产生了滞纳金", cases.ChannelPhone)
		b := mk("B", "柜员服务态度冷漠，排队两个小时", cases.ChannelBranch)
		c := mk("C", "我的个人信息被泄露，每天接到骚扰电话，要去媒体曝光", cases.ChannelSocial)
		if _, err := s.Assign(ctx, handler, b.ID, "zhao"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			t.Fatal(err)
		}
		ids := func(f cases.ListFilter) string {
			t.Helper()
			p, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range p.Items {
				out = append(out, it.CustomerID)
			}
			return strings.Join(out, ",")
		}
		for _, tc := range []struct {
			name string
			f    cases.ListFilter
			want string
		}{
			{"all newest first", cases.ListFilter{}, "C,B,A"},
			{"state", cases.ListFilter{States: []cases.State{cases.StateAssessing}}, "C"},
			{"channel", cases.ListFilter{Channels: []cases.Channel{cases.ChannelBranch, cases.ChannelPhone}}, "B,A"},
			{"assignee", cases.ListFilter{Assignee: "zhao"}, "B"},
			{"unassigned", cases.ListFilter{Unassigned: true}, "C,A"},
			{"difficulty flag", cases.ListFilter{Difficulty: []string{cases.FlagWideImpact}}, "C"},
			{"fts 3+ chars", cases.ListFilter{Query: "骚扰电话"}, "C"},
			{"fts 2 chars", cases.ListFilter{Query: "账单"}, "A"},
			{"fts customer name", cases.ListFilter{Query: "张三"}, "C,B,A"},
			{"fts no match", cases.ListFilter{Query: "理财产品"}, ""},
			{"fts wildcard is literal", cases.ListFilter{Query: "%"}, ""},
			{"due before", cases.ListFilter{DueBefore: a.Deadline.NextDue.Add(time.Minute)}, "A"},
			{"received range", cases.ListFilter{ReceivedFrom: b.ReceivedAt, ReceivedTo: c.ReceivedAt}, "B"},
		} {
			if got := ids(tc.f); got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		// Paging with the cursor visits each case once.
		var all []string
		f := cases.ListFilter{Limit: 1}
		for {
			p, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				all = append(all, it.CustomerID)
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		if strings.Join(all, ",") != "C,B,A" {
			t.Fatalf("paged: %v", all)
		}
		if _, err := s.List(ctx, cases.ListFilter{Cursor: "garbage"}); err == nil {
			t.Fatal("bad cursor accepted")
		}
	})
}

func TestRepeatsAndMerge(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ck := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := newService(db, ck.Now)
		first, err := s.Create(ctx, agent, intake("信用卡账单一直没有收到，害我产生了滞纳金"))
		if err != nil {
			t.Fatal(err)
		}
		ck.Add(48 * time.Hour)
		other := intake("信用卡账单一直没有收到，害我产生了滞纳金")
		other.Customer.ID = "C999"
		if _, err := s.Create(ctx, agent, other); err != nil {
			t.Fatal(err)
		}
		second, err := s.Create(ctx, agent, intake("又是信用卡账单没有收到，滞纳金还是扣了"))
		if err != nil {
			t.Fatal(err)
		}
		if len(second.RepeatCandidates) != 1 || second.RepeatCandidates[0] != first.ID {
			t.Fatalf("repeat not detected: %v", second.RepeatCandidates)
		}
		reps, err := s.FindRepeats(ctx, second.ID)
		if err != nil || len(reps) != 1 || reps[0].Case.ID != first.ID {
			t.Fatalf("FindRepeats: %v %+v", err, reps)
		}
		// Out of the window: not a repeat.
		ck.Add(30 * 24 * time.Hour)
		late, err := s.Create(ctx, agent, intake("信用卡账单一直没有收到，害我产生了滞纳金"))
		if err != nil {
			t.Fatal(err)
		}
		if len(late.RepeatCandidates) != 0 {
			t.Fatalf("repeat found outside the window: %v", late.RepeatCandidates)
		}
		merged, err := s.Merge(ctx, handler, first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(merged.Merged) != 1 || merged.Merged[0] != second.ID {
			t.Fatalf("merged: %v", merged.Merged)
		}
		src, _ := s.Get(ctx, second.ID)
		if src.State != cases.StateClosed || src.MergedInto != first.ID {
			t.Fatalf("source after merge: %s into %q", src.State, src.MergedInto)
		}
		if _, err := s.Merge(ctx, handler, first.ID, second.ID); !errors.Is(err, cases.ErrConflict) {
			t.Fatalf("second merge: %v", err)
		}
		if _, err := s.Merge(ctx, handler, first.ID, "HJ-none"); !errors.Is(err, cases.ErrNotFound) {
			t.Fatalf("merge unknown: %v", err)
		}
		mustVerify(t, db)
	})
}

func TestDeadlineWatcher(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		received := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		ck := &clock{t: received}
		s := newService(db, ck.Now)
		c, err := s.Create(ctx, agent, intake("账单没收到"))
		if err != nil {
			t.Fatal(err)
		}
		due := c.Deadline.NextDue // CN: end of 2026-03-17
		if want := time.Date(2026, 3, 18, 0, 0, 0, 0, time.UTC); !due.Equal(want) {
			t.Fatalf("due %v, want %v", due, want)
		}
		scan := func(svc *cases.Service) []cases.DeadlineEvent {
			t.Helper()
			evs, err := svc.ScanDeadlines(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return evs
		}
		if evs := scan(s); len(evs) != 0 {
			t.Fatalf("events on day 0: %v", evs)
		}
		ck.t = due.Add(-48 * time.Hour) // inside the 72h lead
		if evs := scan(s); len(evs) != 1 || evs[0].Level != deadlines.StatusWarning {
			t.Fatalf("want one warning, got %v", evs)
		}
		if evs := scan(s); len(evs) != 0 {
			t.Fatalf("warning raised twice: %v", evs)
		}
		// A restarted server (new service, same DB) raises nothing new.
		if evs := scan(newService(db, ck.Now)); len(evs) != 0 {
			t.Fatalf("restart re-raised: %v", evs)
		}
		ck.t = due.Add(time.Second)
		if evs := scan(s); len(evs) != 1 || evs[0].Level != deadlines.StatusBreached {
			t.Fatalf("want one breach, got %v", evs)
		}
		got, _ := s.Get(ctx, c.ID)
		if got.Deadline.Status != deadlines.StatusBreached {
			t.Fatalf("status %s", got.Deadline.Status)
		}
		if p, err := s.List(ctx, cases.ListFilter{DeadlineStatus: deadlines.StatusBreached}); err != nil || len(p.Items) != 1 || p.Items[0].ID != c.ID {
			t.Fatalf("breach not visible in lists: %v %+v", err, p)
		}
		// The first CN extension needs a reason and the customer told.
		if _, err := s.ExtendDeadline(ctx, handler, c.ID, cases.ExtendInput{Reason: "涉及多个部门"}); err == nil {
			t.Fatal("extension without notifying the customer accepted")
		}
		ext, err := s.ExtendDeadline(ctx, handler, c.ID, cases.ExtendInput{Reason: "涉及多个部门", CustomerNotified: true})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2026, 4, 2, 0, 0, 0, 0, time.UTC); !ext.Deadline.NextDue.Equal(want) {
			t.Fatalf("extended due %v, want %v", ext.Deadline.NextDue, want)
		}
		if _, err := s.ExtendDeadline(ctx, handler, c.ID, cases.ExtendInput{Reason: "仍需调查", CustomerNotified: true}); err == nil {
			t.Fatal("second extension without approver accepted")
		}
		if _, err := s.ExtendDeadline(ctx, handler, c.ID, cases.ExtendInput{Reason: "仍需调查", CustomerNotified: true, Approver: "chen.vp"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ExtendDeadline(ctx, handler, c.ID, cases.ExtendInput{Reason: "再延", CustomerNotified: true, Approver: "chen.vp"}); err == nil {
			t.Fatal("third extension accepted")
		}
		evs, err := s.DeadlineEvents(ctx, c.ID)
		if err != nil || len(evs) != 2 {
			t.Fatalf("stored events: %v %v", err, evs)
		}
		trail, _ := s.AuditTrail(ctx, c.ID)
		n := 0
		for _, e := range trail {
			if strings.HasPrefix(e.Action, "deadline.") {
				n++
			}
		}
		if n != 2 {
			t.Fatalf("%d deadline audit entries, want 2", n)
		}
		mustVerify(t, db)
	})
}

func TestAnalyzerAssessment(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		an := func(text string) cases.Signals {
			return cases.Signals{Emotion: cases.EmotionAnger, Intensity: 0.9, Negative: 0.95,
				Problems: []cases.ProblemSignal{{Axis: cases.AxisCause, Code: "C10", Name: "消费者信息安全", Score: 0.8}},
				Cues:     []cases.CueSignal{{Kind: cases.CueMedia}, {Kind: cases.CueRegulator, Negated: true}}}
		}
		s := cases.New(cases.Opts{Repo: db.Cases(), Analyze: an})
		c, err := s.Create(ctx, agent, intake("我的信息被泄露了"))
		if err != nil {
			t.Fatal(err)
		}
		a := c.Assessment
		if a.CauseCode != "C10" || !a.Difficulty.StrongEmotion || !a.Difficulty.WideImpact || a.Type != cases.TypeInformationLeak {
			t.Fatalf("assessment: %+v", a)
		}
		if len(a.Cues) != 1 || a.Cues[0] != cases.CueMedia {
			t.Fatalf("negated cue kept: %v", a.Cues)
		}
		sev := cases.SeverityLow
		upd, err := s.UpdateAssessment(ctx, handler, c.ID, cases.AssessmentPatch{Severity: &sev, Goodwill: []byte(`{"score":0.7}`)})
		if err != nil {
			t.Fatal(err)
		}
		if upd.Assessment.Severity != sev || string(upd.Assessment.Goodwill) != `{"score":0.7}` || len(upd.Assessment.Edited) != 2 {
			t.Fatalf("patched: %+v", upd.Assessment)
		}
		ct, err := s.AddContact(ctx, handler, c.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound, Content: "你们太过分了"})
		if err != nil || ct.Emotion != cases.EmotionAnger {
			t.Fatalf("contact emotion: %v %+v", err, ct)
		}
	})
}

// TestSearchPaths checks that every search path (FTS for rare terms, index
// walk for common ones, LIKE for one or two characters) returns exactly the
// cases whose text contains the term.
func TestSearchPaths(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		seedCases(t, db, 3000)
		s := cases.New(cases.Opts{Repo: db.Cases()})
		for _, q := range []string{"反映", "次反映", "骚扰电话", "客户1234", "吞卡", "charged TWICE", "100%", "不存在的词"} {
			var want int
			if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE lower(search) LIKE lower(?) ESCAPE '\'`,
				"%"+strings.NewReplacer("%", `\%`, "_", `\_`).Replace(q)+"%").Scan(&want); err != nil {
				t.Fatal(err)
			}
			got := 0
			seen := map[string]bool{}
			f := cases.ListFilter{Query: q, Limit: cases.MaxListLimit}
			for {
				p, err := s.List(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, it := range p.Items {
					if seen[it.ID] {
						t.Fatalf("%q: %s twice", q, it.ID)
					}
					seen[it.ID] = true
				}
				got += len(p.Items)
				if p.Next == "" {
					break
				}
				f.Cursor = p.Next
			}
			if got != want {
				t.Errorf("%q: %d results, want %d", q, got, want)
			}
		}
		// Due order: ascending, paged without gaps.
		var last time.Time
		n := 0
		f := cases.ListFilter{DueBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Limit: 100}
		for {
			p, err := s.List(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range p.Items {
				if it.NextDue.Before(last) || !it.NextDue.Before(f.DueBefore) {
					t.Fatalf("due order broken at %s: %s after %s", it.ID, it.NextDue, last)
				}
				last = it.NextDue
				n++
			}
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		var want int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE next_due < ?`, f.DueBefore.UnixMicro()).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if n != want || n == 0 {
			t.Fatalf("due paging: %d cases, want %d", n, want)
		}
	})
}

func TestGramsBackfill(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		in := intake("销户被拒")
		in.Customer.Name = "欧阳娜娜"
		c, err := s.Create(ctx, agent, in)
		if err != nil {
			t.Fatal(err)
		}
		find := func() int {
			p, err := s.List(ctx, cases.ListFilter{Query: "欧阳"})
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Items)
		}
		if find() != 1 {
			t.Fatal("two-character name not found")
		}
		// A row written before the grams column existed.
		if _, err := db.Writer().ExecContext(ctx, db.Rebind(`UPDATE cases SET grams = '' WHERE id = ?`), c.ID); err != nil {
			t.Fatal(err)
		}
		if find() != 0 {
			t.Fatal("found without its grams: the test does not test the backfill")
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if find() != 1 {
			t.Fatal("not found after the backfill")
		}
	})
}

func TestValidationAndOperations(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := newService(db, nil)
		field := func(err error) string {
			var ve *cases.ValidationError
			var tl *cases.TooLargeError
			switch {
			case errors.As(err, &ve):
				return ve.Field
			case errors.As(err, &tl):
				return tl.Field + " too large"
			}
			return fmt.Sprint(err)
		}
		for _, tc := range []struct {
			name  string
			mod   func(*cases.NewCase)
			field string
		}{
			{"channel", func(n *cases.NewCase) { n.Channel = "fax" }, "channel"},
			{"empty text", func(n *cases.NewCase) { n.Text = "  " }, "text"},
			{"long text", func(n *cases.NewCase) { n.Text = strings.Repeat("长", cases.MaxTextBytes) }, "text too large"},
			{"customer id", func(n *cases.NewCase) { n.Customer.ID = "" }, "customer.id"},
			{"id card check digit", func(n *cases.NewCase) { n.Customer.IDCard = "110105194912310021" }, "customer.id_card"},
			{"phone", func(n *cases.NewCase) { n.Customer.Phone = "call me" }, "customer.phone"},
			{"policy", func(n *cases.NewCase) { n.Policy = "mars" }, "policy"},
			{"future", func(n *cases.NewCase) { n.ReceivedAt = time.Now().Add(time.Hour) }, "received_at"},
			{"bad utf-8", func(n *cases.NewCase) { n.Text = "\xff\xfe" }, "text"},
		} {
			in := intake("正常的投诉")
			tc.mod(&in)
			if _, err := s.Create(ctx, agent, in); field(err) != tc.field {
				t.Errorf("%s: got %v, want field %s", tc.name, err, tc.field)
			}
		}
		if _, err := s.Create(ctx, cases.Actor{}, intake("x")); field(err) != "actor" {
			t.Errorf("no actor: %v", err)
		}
		if _, err := s.Get(ctx, "HJ-none"); !errors.Is(err, cases.ErrNotFound) {
			t.Errorf("get unknown: %v", err)
		}
		if _, err := s.Transition(ctx, handler, "HJ-none", cases.TransitionInput{To: cases.StateAssessing}); !errors.Is(err, cases.ErrNotFound) {
			t.Errorf("transition unknown: %v", err)
		}
		in := intake("正常的投诉")
		in.Policy = deadlines.US
		c, err := s.Create(ctx, agent, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Deadline.Deadlines) != 2 || c.Deadline.Policy != deadlines.US {
			t.Fatalf("US policy: %+v", c.Deadline)
		}
		// Escalation climbs, never descends, stops at the top.
		for _, tc := range []struct {
			in    cases.EscalateInput
			level int
			field string
		}{
			{cases.EscalateInput{Reason: "客户情绪激动"}, 1, ""},
			{cases.EscalateInput{Reason: "again", Level: 1}, 1, "level"},
			{cases.EscalateInput{Reason: "媒体", Level: 3}, 3, ""},
			{cases.EscalateInput{Reason: "more"}, 3, "level"},
			{cases.EscalateInput{}, 3, "reason"},
		} {
			got, err := s.Escalate(ctx, handler, c.ID, tc.in)
			if tc.field != "" {
				if field(err) != tc.field {
					t.Errorf("escalate %+v: %v", tc.in, err)
				}
				continue
			}
			if err != nil || got.EscalationLevel != tc.level {
				t.Errorf("escalate %+v: %v level %v", tc.in, err, got)
			}
		}
		got, err := s.Assign(ctx, handler, c.ID, " zhao ")
		if err != nil || got.Assignee != "zhao" {
			t.Fatalf("assign: %v %v", err, got)
		}
		// Remedies are checked.
		for _, tc := range []struct {
			r     cases.Remedy
			field string
		}{
			{cases.Remedy{Kind: "cash_gift"}, "remedies[0].kind"},
			{cases.Remedy{Kind: cases.RemedyRefund}, "remedies[0].amount_minor"},
			{cases.Remedy{Kind: cases.RemedyCompensation, AmountMinor: -1}, "remedies[0].amount_minor"},
			{cases.Remedy{Kind: cases.RemedyInterestFree}, "remedies[0].days"},
			{cases.Remedy{Kind: cases.RemedyRefund, AmountMinor: 100, Currency: "rmb"}, "remedies[0].currency"},
		} {
			_, err := s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "x", Remedies: []cases.Remedy{tc.r}})
			if field(err) != tc.field {
				t.Errorf("remedy %+v: %v", tc.r, err)
			}
		}
		// Proposing in state received is refused with the allowed steps.
		_, err = s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "x", Remedies: []cases.Remedy{{Kind: cases.RemedyApology}}})
		var ite *cases.IllegalTransitionError
		if !errors.As(err, &ite) || ite.Action != "propose_solution" || ite.From != cases.StateReceived {
			t.Fatalf("propose in received: %v", err)
		}
		// Editing the difficulty re-derives complexity unless that was edited too.
		flags := cases.Difficulty{StrongEmotion: true, SeveralDepartments: true, WideImpact: true}
		got, err = s.UpdateAssessment(ctx, handler, c.ID, cases.AssessmentPatch{Difficulty: &flags})
		if err != nil || got.Assessment.Complexity != cases.ComplexityVeryComplex {
			t.Fatalf("assessment: %v %+v", err, got)
		}
		bad := cases.Severity("apocalyptic")
		if _, err := s.UpdateAssessment(ctx, handler, c.ID, cases.AssessmentPatch{Severity: &bad}); field(err) != "severity" {
			t.Fatalf("bad severity: %v", err)
		}
		trail, err := s.AuditTrail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// create, 2 escalations, assign, assessment
		if len(trail) != 5 {
			t.Fatalf("%d audit entries, want 5", len(trail))
		}
		last := trail[len(trail)-1]
		if last.Action != "case.assessment" || !strings.Contains(string(last.Before), `"strong_emotion":false`) || !strings.Contains(string(last.After), `"strong_emotion":true`) {
			t.Fatalf("before/after not recorded: %s → %s", last.Before, last.After)
		}
		mustVerify(t, db)
	})
}

func TestDeadlineWatcherTwoDeadlines(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ck := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
		s := newService(db, ck.Now)
		in := intake("fee charged twice")
		in.Policy = deadlines.US
		c, err := s.Create(ctx, agent, in)
		if err != nil {
			t.Fatal(err)
		}
		resp, final := c.Deadline.Deadlines[0], c.Deadline.Deadlines[1]
		if resp.Kind != deadlines.KindResponse || final.Kind != deadlines.KindFinal {
			t.Fatalf("US deadlines: %+v", c.Deadline.Deadlines)
		}
		ck.t = resp.Due.Add(time.Hour)
		evs, err := s.ScanDeadlines(ctx)
		if err != nil || len(evs) != 1 || evs[0].Kind != deadlines.KindResponse || evs[0].Level != deadlines.StatusBreached {
			t.Fatalf("response breach: %v %+v", err, evs)
		}
		// The response stays breached; the final deadline is still watched.
		ck.t = final.Due.Add(-time.Hour)
		evs, err = s.ScanDeadlines(ctx)
		if err != nil || len(evs) != 1 || evs[0].Kind != deadlines.KindFinal || evs[0].Level != deadlines.StatusWarning {
			t.Fatalf("final warning: %v %+v", err, evs)
		}
		// Meeting the final deadline (a decision) silences it.
		for _, to := range []cases.State{cases.StateAssessing} {
			if _, err := s.Transition(ctx, handler, c.ID, cases.TransitionInput{To: to}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ProposeSolution(ctx, handler, c.ID, cases.SolutionInput{Summary: "refund", Remedies: []cases.Remedy{{Kind: cases.RemedyRefund, AmountMinor: 1500, Currency: "USD"}}}); err != nil {
			t.Fatal(err)
		}
		ck.t = final.Due.Add(time.Hour)
		if evs, err = s.ScanDeadlines(ctx); err != nil || len(evs) != 0 {
			t.Fatalf("met deadline raised: %v %+v", err, evs)
		}
		got, _ := s.Get(ctx, c.ID)
		if got.Deadline.Status != deadlines.StatusMetLate || !got.Deadline.NextDue.IsZero() {
			t.Fatalf("status %s next %v", got.Deadline.Status, got.Deadline.NextDue)
		}
	})
}
