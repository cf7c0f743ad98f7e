// Package casegoodwill connects the goodwill judgement (package goodwill) to
// the cases service: it adapts an assessor to cases.GoodwillFunc, converts a
// case's input and supervisor reviews to goodwill's types, and exports the
// supervisors' decisions as labelled JSONL (the format of goodwill's test
// sets, read by `huajie assess --measure`) for re-measuring and retraining.
// Like caseanalysis it is the only place the two packages meet, so cases
// knows nothing of the rules.
package casegoodwill

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"

	"huajie/internal/cases"
	"huajie/internal/goodwill"
)

// Func adapts an assessor to cases.GoodwillFunc:
//
//	a, _ := goodwill.Default()
//	cases.New(cases.Opts{Goodwill: casegoodwill.Func(a), …})
func Func(a *goodwill.Assessor) cases.GoodwillFunc {
	if a == nil {
		return nil
	}
	return func(in cases.GoodwillInput) cases.GoodwillVerdict {
		as := a.Assess(Input(in))
		raw, err := json.Marshal(as)
		if err != nil {
			// An Assessment is plain data; this cannot happen, and if it
			// did the case keeps its result without the evidence.
			raw = nil
		}
		return cases.GoodwillVerdict{Result: cases.GoodwillResult(as.Result), Confidence: as.Confidence,
			RouteToSupervisor: as.RouteToSupervisor, Assessment: raw}
	}
}

// Input converts the service's input to goodwill's: inbound contacts as the
// customer's turns, the history's amounts from minor units to yuan.
func Input(in cases.GoodwillInput) goodwill.Input {
	out := goodwill.Input{Text: in.Text, At: in.At, History: History(in.History)}
	for _, c := range in.Contacts {
		if c.Direction != cases.Inbound {
			continue
		}
		out.Contacts = append(out.Contacts, goodwill.Contact{At: c.At, Text: c.Content, Channel: string(c.Channel), Role: "customer"})
	}
	return out
}

// History converts a customer history. Amounts are in the currency's major
// unit (yuan for CNY); goodwill reads them as yuan.
func History(h cases.CustomerHistory) goodwill.History {
	out := goodwill.History{PriorComplaints: h.PriorComplaints, PriorCases: h.PriorCases,
		ComplaintDates: slices.Clone(h.ComplaintDates)}
	for _, c := range h.Compensations {
		out.Compensations = append(out.Compensations, goodwill.Compensation{At: c.At, Amount: float64(c.AmountMinor) / 100,
			Note: fmt.Sprintf("%s %s on case %s", c.Kind, c.Currency, c.CaseID)})
	}
	for _, ch := range h.Channels {
		out.Channels = append(out.Channels, string(ch))
	}
	return out
}

// Review converts a supervisor's review to goodwill's.
func Review(r cases.GoodwillReview) goodwill.Review {
	return goodwill.Review{CaseID: r.CaseID, Assessed: goodwill.Result(r.Assessed), Decision: goodwill.Result(r.Decision),
		Reason: r.Reason, By: r.By, At: r.At}
}

// Labelled returns the labelled cases of a case's reviews: the input each
// reviewed assessment saw, labelled with the supervisor's decision. A
// case's first review has the case ID as its ID, later ones "ID#2" …, so
// that every line of an export has its own ID.
func Labelled(c *cases.Case) []goodwill.Labelled {
	if c.Goodwill == nil {
		return nil
	}
	var out []goodwill.Labelled
	for i, r := range c.Goodwill.Reviews {
		l := goodwill.FromReview(Input(cases.GoodwillInputOf(c, r)), Review(r))
		if i > 0 {
			l.ID = fmt.Sprintf("%s#%d", c.ID, i+1)
		}
		out = append(out, l)
	}
	return out
}

// Export writes every supervisor decision recorded by svc as labelled
// JSONL to w and returns the number of lines.
func Export(ctx context.Context, svc *cases.Service, w io.Writer) (int, error) {
	n := 0
	err := svc.ReviewedCases(ctx, func(c *cases.Case) error {
		ls := Labelled(c)
		if err := goodwill.WriteLabelled(w, ls); err != nil {
			return err
		}
		n += len(ls)
		return nil
	})
	return n, err
}
