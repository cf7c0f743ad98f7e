package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/interactions"
)

// TestAlertCaseConcurrent: eight calls opening a case from the same alert
// at once make exactly one case; every call answers with its id (one 201,
// the others 200), the alert links to it, and the audit chain verifies.
func TestAlertCaseConcurrent(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ag := e.as[auth.RoleAgent]
		m := msg("race-1", "conv-race", "customer", angry, time.Now().UTC().Add(-time.Minute))
		res, err := ag.Ingest(ctx, []interactions.Message{m})
		if err != nil || res.Items[0].AlertID == "" {
			t.Fatalf("ingest %+v %v", res, err)
		}
		alertID := res.Items[0].AlertID
		casesBefore, err := e.db.Cases().List(ctx, cases.ListFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}

		const n = 8
		type answer struct {
			status int
			caseID string
			err    error
		}
		answers := make([]answer, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				resp, err := ag.Raw(ctx, "POST", "/api/v1/alerts/"+alertID+"/case", map[string]string{}, nil)
				if err != nil {
					answers[i].err = err
					return
				}
				var body struct {
					Case  struct{ ID string }
					Alert struct {
						CaseID string `json:"case_id"`
					}
				}
				answers[i].status = resp.Status
				if err := json.Unmarshal(resp.Body, &body); err != nil {
					answers[i].err = err
					return
				}
				answers[i].caseID = body.Case.ID
				if body.Alert.CaseID != "" && body.Alert.CaseID != body.Case.ID {
					answers[i].err = &mismatch{body.Alert.CaseID, body.Case.ID}
				}
			})
		}
		close(start)
		wg.Wait()

		created := 0
		first := ""
		for i, a := range answers {
			if a.err != nil {
				t.Fatalf("call %d: %v", i, a.err)
			}
			switch a.status {
			case http.StatusCreated:
				created++
			case http.StatusOK:
			default:
				t.Fatalf("call %d: status %d", i, a.status)
			}
			if first == "" {
				first = a.caseID
			}
			if a.caseID == "" || a.caseID != first {
				t.Fatalf("call %d answered case %q, another %q", i, a.caseID, first)
			}
		}
		if created != 1 {
			t.Errorf("%d calls answered 201, want 1", created)
		}
		after, err := e.db.Cases().List(ctx, cases.ListFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(after.Items) - len(casesBefore.Items); got != 1 {
			t.Errorf("%d cases were opened, want 1", got)
		}
		al, err := ag.Alert(ctx, alertID)
		if err != nil || al.CaseID != first {
			t.Fatalf("alert: %+v %v, want case %s", al, err, first)
		}
		c, err := e.cases.Get(ctx, first)
		if err != nil {
			t.Fatal(err)
		}
		if c.SourceAlert != alertID || len(c.Contacts) != 1 {
			t.Errorf("case: source %q, %d contacts; want %s and 1", c.SourceAlert, len(c.Contacts), alertID)
		}
		rep, err := e.db.VerifyAudit(ctx)
		if err != nil || !rep.OK {
			t.Fatalf("audit chain: %+v %v", rep, err)
		}
	})
}

type mismatch struct{ alertCase, caseID string }

func (m *mismatch) Error() string {
	return "the alert links case " + m.alertCase + " but the answer is case " + m.caseID
}
