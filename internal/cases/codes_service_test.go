package cases_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huajie/internal/cases"
	"huajie/internal/store/storetest"
)

// TestServiceValidationCodes: representative refusals of the service, on
// a real (SQLite) repo, carry the expected field, code and value.
func TestServiceValidationCodes(t *testing.T) {
	ctx := context.Background()
	s := cases.New(cases.Opts{Repo: storetest.OpenSQLite(t).Cases()})
	agent := cases.Actor{Name: "li.agent", Role: "agent"}
	sup := cases.Actor{Name: "zhao.supervisor", Role: "supervisor"}
	intake := func(mod func(*cases.NewCase)) cases.NewCase {
		in := cases.NewCase{Channel: cases.ChannelPhone, Text: "信用卡账单没有收到",
			Customer: cases.Customer{ID: "C001", Name: "张三", Phone: "13812345678", IDCard: "11010519491231002X"}}
		if mod != nil {
			mod(&in)
		}
		return in
	}
	newCase := func(t *testing.T, customer string) *cases.Case {
		t.Helper()
		c, err := s.Create(ctx, agent, intake(func(n *cases.NewCase) { n.Customer.ID = customer }))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	// must(t)(call()) stops the test when a step before the refusal fails.
	must := func(t *testing.T) func(any, error) {
		return func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	create := func(mod func(*cases.NewCase)) func(t *testing.T) error {
		return func(t *testing.T) error { _, err := s.Create(ctx, agent, intake(mod)); return err }
	}
	solution := func(rs ...cases.Remedy) func(t *testing.T) error {
		return func(t *testing.T) error {
			c := newCase(t, "C-sol")
			_, err := s.ProposeSolution(ctx, sup, c.ID, cases.SolutionInput{Summary: "道歉并退费", Remedies: rs})
			return err
		}
	}
	var mergeTarget string // set by the merge case, before its check
	str := func(s string) *string { return &s }
	tests := []struct {
		name  string
		call  func(t *testing.T) error
		field string
		code  string
		value *string // checked when set
	}{
		{"no actor", func(t *testing.T) error { _, err := s.Create(ctx, cases.Actor{}, intake(nil)); return err }, "actor", cases.CodeActorRequired, nil},
		{"unknown channel", create(func(n *cases.NewCase) { n.Channel = "fax" }), "channel", cases.CodeUnknownValue, nil},
		{"blank text", create(func(n *cases.NewCase) { n.Text = "  " }), "text", cases.CodeRequired, nil},
		{"text not UTF-8", create(func(n *cases.NewCase) { n.Text = "\xff\xfe" }), "text", cases.CodeNotUTF8, nil},
		{"phone letters", create(func(n *cases.NewCase) { n.Customer.Phone = "call me" }), "customer.phone", cases.CodePhoneChars, nil},
		{"phone short", create(func(n *cases.NewCase) { n.Customer.Phone = "1234" }), "customer.phone", cases.CodePhoneLength, nil},
		{"id card short", create(func(n *cases.NewCase) { n.Customer.IDCard = "1101" }), "customer.id_card", cases.CodeIDCardLength, nil},
		{"id card letters", create(func(n *cases.NewCase) { n.Customer.IDCard = "11010519491231A02X" }), "customer.id_card", cases.CodeIDCardDigits, nil},
		{"id card check digit", create(func(n *cases.NewCase) { n.Customer.IDCard = "110105194912310021" }), "customer.id_card", cases.CodeIDCardCheck, nil},
		{"unknown policy", create(func(n *cases.NewCase) { n.Policy = "mars" }), "policy", cases.CodeUnknownValue, nil},
		{"received in the future", create(func(n *cases.NewCase) { n.ReceivedAt = time.Now().Add(time.Hour) }), "received_at", cases.CodeInFuture, nil},
		{"unknown state", func(t *testing.T) error {
			_, err := s.Transition(ctx, sup, newCase(t, "C1").ID, cases.TransitionInput{To: "done"})
			return err
		}, "to", cases.CodeUnknownValue, nil},
		{"bare move without a solution", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateAssessing}))
			_, err := s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateResolutionProposed})
			return err
		}, "to", cases.CodeNoSolution, nil},
		{"follow-up before acceptance", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateAssessing}))
			must(t)(s.ProposeSolution(ctx, sup, c.ID, cases.SolutionInput{Summary: "道歉", Remedies: []cases.Remedy{{Kind: cases.RemedyApology}}}))
			must(t)(s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateAwaitingCustomer}))
			_, err := s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateFollowUp})
			return err
		}, "to", cases.CodeNotAccepted, nil},
		{"contact direction", func(t *testing.T) error {
			_, err := s.AddContact(ctx, sup, newCase(t, "C1").ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: "sideways", Content: "回电"})
			return err
		}, "direction", cases.CodeDirection, nil},
		{"empty evidence", func(t *testing.T) error {
			_, err := s.AddEvidence(ctx, sup, newCase(t, "C1").ID, cases.EvidenceInput{Name: "a.pdf"})
			return err
		}, "content", cases.CodeEmpty, nil},
		{"no remedy", solution(), "remedies", cases.CodeRemedyRequired, nil},
		{"too many remedies", solution(make([]cases.Remedy, 21)...), "remedies", cases.CodeRemediesTooMany, nil},
		{"unknown remedy", solution(cases.Remedy{Kind: "gift"}), "remedies[0].kind", cases.CodeUnknownValue, nil},
		{"negative amount", solution(cases.Remedy{Kind: cases.RemedyRefund, AmountMinor: -1}), "remedies[0].amount_minor", cases.CodeAmountNegative, nil},
		{"refund without an amount", solution(cases.Remedy{Kind: cases.RemedyApology}, cases.Remedy{Kind: cases.RemedyRefund}), "remedies[1].amount_minor", cases.CodeAmountRequired, str("refund")},
		{"interest-free without days", solution(cases.Remedy{Kind: cases.RemedyInterestFree}), "remedies[0].days", cases.CodeDaysRequired, nil},
		{"lower-case currency", solution(cases.Remedy{Kind: cases.RemedyRefund, AmountMinor: 100, Currency: "cny"}), "remedies[0].currency", cases.CodeCurrency, nil},
		{"satisfaction", func(t *testing.T) error {
			_, err := s.RecordFollowUp(ctx, sup, newCase(t, "C1").ID, cases.FollowUpInput{Satisfaction: 9})
			return err
		}, "satisfaction", cases.CodeSatisfactionRange, nil},
		{"level out of range", func(t *testing.T) error {
			_, err := s.Escalate(ctx, sup, newCase(t, "C1").ID, cases.EscalateInput{Level: cases.MaxEscalation + 1, Reason: "监管转办"})
			return err
		}, "level", cases.CodeLevelRange, str("3")},
		{"level not above", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.Escalate(ctx, sup, c.ID, cases.EscalateInput{Level: 2, Reason: "监管转办"}))
			_, err := s.Escalate(ctx, sup, c.ID, cases.EscalateInput{Level: 1, Reason: "再次"})
			return err
		}, "level", cases.CodeLevelAbove, str("2")},
		{"highest level", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.Escalate(ctx, sup, c.ID, cases.EscalateInput{Level: cases.MaxEscalation, Reason: "监管转办"}))
			_, err := s.Escalate(ctx, sup, c.ID, cases.EscalateInput{Reason: "再次"})
			return err
		}, "level", cases.CodeHighestLevel, nil},
		{"extension without notifying", func(t *testing.T) error {
			_, err := s.ExtendDeadline(ctx, sup, newCase(t, "C1").ID, cases.ExtendInput{Reason: "需要调取日志"})
			return err
		}, "customer_notified", cases.CodeExtensionRule, str("1")},
		{"second extension without approver", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "需要调取日志", CustomerNotified: true}))
			_, err := s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "仍在调查", CustomerNotified: true})
			return err
		}, "approver", cases.CodeExtensionRule, str("2")},
		{"no more extensions", func(t *testing.T) error {
			c := newCase(t, "C1")
			must(t)(s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "需要调取日志", CustomerNotified: true}))
			must(t)(s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "仍在调查", CustomerNotified: true, Approver: "wu.director"}))
			_, err := s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "还要", CustomerNotified: true, Approver: "wu.director"})
			return err
		}, "policy", cases.CodeNoMoreExtensions, nil},
		{"merge into itself", func(t *testing.T) error {
			c := newCase(t, "C1")
			_, err := s.Merge(ctx, sup, c.ID, c.ID)
			return err
		}, "source", cases.CodeMergeSelf, nil},
		{"merge other customer", func(t *testing.T) error {
			_, err := s.Merge(ctx, sup, newCase(t, "C1").ID, newCase(t, "C2").ID)
			return err
		}, "source", cases.CodeMergeCustomers, nil},
		{"move a merged case", func(t *testing.T) error {
			target, src := newCase(t, "C3"), newCase(t, "C3")
			must(t)(s.Merge(ctx, sup, target.ID, src.ID))
			_, err := s.Transition(ctx, sup, src.ID, cases.TransitionInput{To: cases.StateAssessing})
			if !strings.Contains(err.Error(), target.ID) {
				t.Errorf("message %q does not name the target", err)
			}
			mergeTarget = target.ID
			return err
		}, "id", cases.CodeMerged, &mergeTarget},
		{"review decision", func(t *testing.T) error {
			_, err := s.ReviewGoodwill(ctx, sup, newCase(t, "C1").ID, cases.GoodwillReviewInput{Decision: "malicious"})
			return err
		}, "decision", cases.CodeUnknownValue, nil},
		{"review without an assessment", func(t *testing.T) error {
			_, err := s.ReviewGoodwill(ctx, sup, newCase(t, "C1").ID, cases.GoodwillReviewInput{Decision: cases.GoodwillGood})
			return err
		}, "id", cases.CodeNoGoodwill, nil},
		{"goodwill not JSON", func(t *testing.T) error {
			_, err := s.UpdateAssessment(ctx, sup, newCase(t, "C1").ID, cases.AssessmentPatch{Goodwill: []byte("{")})
			return err
		}, "goodwill", cases.CodeNotJSON, nil},
		{"list sort", func(t *testing.T) error { _, err := s.List(ctx, cases.ListFilter{Sort: "priority"}); return err }, "sort", cases.CodeUnknownValue, nil},
		{"serial minimum", func(t *testing.T) error {
			_, err := s.SerialComplainers(ctx, cases.SerialFilter{MinComplaints: 1})
			return err
		}, "min_complaints", cases.CodeAtLeast, str("2")},
		{"serial limit", func(t *testing.T) error {
			_, err := s.SerialComplainers(ctx, cases.SerialFilter{Limit: cases.MaxSerialLimit + 1})
			return err
		}, "limit", cases.CodeAtMost, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call(t)
			var ve *cases.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("got %v, want a ValidationError", err)
			}
			if ve.Field != tt.field || ve.Code != tt.code {
				t.Errorf("field %q code %q (%s); want field %q code %q", ve.Field, ve.Code, ve.Message, tt.field, tt.code)
			}
			if tt.value != nil && ve.Value != *tt.value {
				t.Errorf("value %q, want %q", ve.Value, *tt.value)
			}
		})
	}
}
