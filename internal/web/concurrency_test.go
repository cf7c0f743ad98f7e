package web_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
)

// TestConcurrentWrites sends case creations and transitions from many
// clients at once. On SQLite every write queues on the one writer
// connection, so none may fail with a busy error; and the audit chain must
// hold exactly the entries of the cases, each once, beside the access
// entries (users, tokens).
func TestConcurrentWrites(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		const workers = 40
		ids := make([]string, workers)
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for i := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl := e.as[auth.RoleHandler]
				c, err := cl.CreateCase(ctx, cases.NewCase{Channel: cases.ChannelApp,
					Customer: cases.Customer{ID: fmt.Sprintf("P%d", i), Name: "并发客户"}, Text: fmt.Sprintf("第%d笔转账失败", i)})
				if err != nil {
					errs <- err
					return
				}
				ids[i] = c.ID
				for _, to := range []cases.State{cases.StateAssessing, cases.StateInvestigating} {
					if _, err := cl.Transition(ctx, c.ID, cases.TransitionInput{To: to}); err != nil {
						errs <- fmt.Errorf("case %s to %s: %w", c.ID, to, err)
						return
					}
				}
				// Proposing moves the case to resolution_proposed: the
				// third transition entry.
				if _, err := cl.ProposeSolution(ctx, c.ID, cases.SolutionInput{Summary: "退回款项并致歉",
					Remedies: []cases.Remedy{{Kind: cases.RemedyApology}}}); err != nil {
					errs <- fmt.Errorf("case %s propose: %w", c.ID, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		sup := e.as[auth.RoleSupervisor]
		var sum int64
		seen := map[int64]bool{}
		for _, id := range ids {
			trail, err := sup.AuditTrail(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			transitions := 0
			for _, en := range trail {
				if seen[en.Seq] {
					t.Errorf("audit entry %d appears twice", en.Seq)
				}
				seen[en.Seq] = true
				if en.Action == "case.transition" {
					transitions++
				}
			}
			if transitions != 3 {
				t.Errorf("case %s: %d transition entries, want 3", id, transitions)
			}
			sum += int64(len(trail))
		}
		rep, err := sup.VerifyAudit(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("audit verify: %+v %v", rep, err)
		}
		// The chain also holds the set-up's user and token entries, which
		// belong to no case.
		access, err := e.auth.AccessAudit(ctx, auth.AuditQuery{Limit: auth.MaxAuditLimit})
		if err != nil {
			t.Fatal(err)
		}
		if len(access) == 0 {
			t.Error("no access entries: the set-up's users and tokens are audited")
		}
		if rep.Entries != sum+int64(len(access)) {
			t.Errorf("chain has %d entries, the cases' trails %d and the access entries %d", rep.Entries, sum, len(access))
		}
	})
}
