package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/goodwill"
	"huajie/internal/web"
	"huajie/internal/web/client"
)

const threatText = "你们必须赔我十万块钱，不然我就去银保监会投诉，还要找记者曝光你们！"

func wantAPIError(t *testing.T, err error, status int, code string) *client.Error {
	t.Helper()
	var ae *client.Error
	if !errors.As(err, &ae) || ae.Status != status || (code != "" && ae.Code != code) {
		t.Fatalf("got %v, want %d %s", err, status, code)
	}
	return ae
}

// TestGoodwillCase: intake assesses, a suspicion queues the case for a
// supervisor and changes nothing else, the supervisor's decision is
// recorded and audited, and the decisions export as labelled JSONL.
func TestGoodwillCase(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		h, sup := e.as[auth.RoleHandler], e.as[auth.RoleSupervisor]
		c := e.newCase(t, threatText)
		v, err := h.CaseGoodwill(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !v.Assessed || v.Goodwill == nil || v.Goodwill.Result == cases.GoodwillGood || !v.Goodwill.NeedsSupervisorReview || v.Notice.Zh == "" {
			t.Fatalf("goodwill view: %+v", v)
		}
		var as goodwill.Assessment
		if err := json.Unmarshal(v.Assessment, &as); err != nil {
			t.Fatal(err)
		}
		if len(as.Dimensions) != 5 || len(as.Cues) == 0 || len(as.Reasons) == 0 || as.Notice.En == "" {
			t.Fatalf("assessment without its evidence: %+v", as)
		}
		leverage := false
		for _, cu := range as.Cues {
			if cu.Kind == goodwill.CueLeverage && len(cu.Evidence) > 0 && cu.Evidence[0].Span != nil {
				leverage = true
			}
		}
		if !leverage {
			t.Errorf("no leverage-threat evidence with a span: %+v", as.Cues)
		}

		// The queue and the result filters.
		for _, q := range []url.Values{{"goodwill_review": {"pending"}}, {"goodwill": {string(v.Goodwill.Result)}}} {
			page, err := h.ListCases(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].ID != c.ID || !page.Items[0].NeedsSupervisorReview {
				t.Fatalf("list %v: %+v", q, page.Items)
			}
		}
		_, err = h.ListCases(ctx, url.Values{"goodwill_review": {"later"}})
		wantAPIError(t, err, 400, "bad_query")
		_, err = h.ListCases(ctx, url.Values{"goodwill": {"malicious"}})
		wantAPIError(t, err, 400, "bad_query")

		// Only a supervisor (or admin) decides; a reason is required to
		// confirm a suspicion; bad bodies are refused clearly.
		_, err = h.ReviewGoodwill(ctx, c.ID, cases.GoodwillReviewInput{Decision: cases.GoodwillGood})
		wantAPIError(t, err, 403, "")
		_, err = sup.ReviewGoodwill(ctx, c.ID, cases.GoodwillReviewInput{Decision: v.Goodwill.Result})
		if ae := wantAPIError(t, err, 422, "invalid_field"); !strings.Contains(ae.Message, "reason") {
			t.Errorf("message does not name the reason: %s", ae.Message)
		}
		_, err = sup.ReviewGoodwill(ctx, c.ID, cases.GoodwillReviewInput{Decision: "evil", Reason: "x"})
		wantAPIError(t, err, 422, "invalid_field")
		_, err = sup.ReviewGoodwill(ctx, "HJ-none", cases.GoodwillReviewInput{Decision: cases.GoodwillGood})
		wantAPIError(t, err, 404, "not_found")
		for body, code := range map[string]string{
			`{"decision":"goodwill","agree":true}`: "unknown_field",
			`{"decision":5}`:                       "bad_field_type",
			`{"decision":"goodwill"`:               "bad_json",
			``:                                     "empty_body",
		} {
			resp, err := sup.Raw(ctx, "POST", "/api/v1/cases/"+c.ID+"/goodwill/review", []byte(body), nil)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != 400 || !bytes.Contains(resp.Body, []byte(`"code":"`+code+`"`)) {
				t.Errorf("%q: %d %s", body, resp.Status, resp.Body)
			}
		}
		_, err = sup.ReviewGoodwill(ctx, c.ID, cases.GoodwillReviewInput{Decision: v.Goodwill.Result, Reason: strings.Repeat("理", 2000)})
		wantAPIError(t, err, 413, "too_large")

		before, err := h.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		r, err := sup.ReviewGoodwill(ctx, c.ID, cases.GoodwillReviewInput{Decision: v.Goodwill.Result, Reason: "以曝光相要挟索赔十万元，与损失不相称；照常处理并解释政策"})
		if err != nil {
			t.Fatal(err)
		}
		if !r.Agrees || r.By != "test-supervisor" || r.CaseID != c.ID {
			t.Fatalf("review: %+v", r)
		}
		after, err := h.GetCase(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Decision support, never a rejection: a confirmed suspicion
		// leaves the state, severity, escalation, assignee and deadlines
		// as they were.
		if after.State != before.State || after.State != cases.StateReceived || after.Assessment.Severity != before.Assessment.Severity ||
			after.EscalationLevel != before.EscalationLevel || after.Assignee != before.Assignee ||
			!slices.Equal(after.Deadline.Deadlines, before.Deadline.Deadlines) || after.Goodwill.NeedsSupervisorReview {
			t.Fatalf("the review changed the case:\nbefore %+v\nafter  %+v", before, after)
		}
		// … and the case is worked as any other.
		if _, err := h.Transition(ctx, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
			t.Fatal(err)
		}
		if page, err := h.ListCases(ctx, url.Values{"goodwill_review": {"pending"}}); err != nil || len(page.Items) != 0 {
			t.Errorf("still awaiting review: %+v %v", page, err)
		}
		trail, err := sup.AuditTrail(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, en := range trail {
			acts = append(acts, en.Action)
		}
		if !slices.Contains(acts, "case.goodwill") || !slices.Contains(acts, "case.goodwill_review") {
			t.Errorf("audit trail: %v", acts)
		}

		// Export: labelled JSONL that goodwill reads and measures.
		for _, role := range []auth.Role{auth.RoleAgent, auth.RoleHandler, auth.RoleAnalyst} {
			_, err := e.as[role].ExportGoodwillReviews(ctx)
			wantAPIError(t, err, 403, "forbidden")
		}
		b, err := e.as[auth.RoleCompliance].ExportGoodwillReviews(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ls, err := goodwill.ReadLabelled(bytes.NewReader(b), "export")
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		if len(ls) != 1 || ls[0].ID != c.ID || string(ls[0].Label) != string(r.Decision) || ls[0].Text != threatText || ls[0].Note == "" {
			t.Fatalf("export: %+v", ls)
		}
		gw, _ := goodwill.Default()
		if rep, _, err := goodwill.Measure(gw, ls); err != nil || rep.N != 1 {
			t.Errorf("measure on the export: %+v %v", rep, err)
		}
	})
}

// TestGoodwillContactsAndSerial: a new contact re-assesses; the customer's
// other cases across channels are the history; the serial-complainers
// report says it is a pattern, not a verdict, and offers duplicates for
// merging.
func TestGoodwillContactsAndSerial(t *testing.T) {
	forEachDB(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		h := e.as[auth.RoleHandler]
		first := e.newCase(t, "信用卡账单没有收到，希望补发账单。")
		in := casesInput()
		in.Customer = first.Customer
		in.Channel = cases.ChannelApp
		in.Text = "信用卡账单还是没有收到，希望补发账单。"
		second, err := h.CreateCase(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		if second.Goodwill == nil || second.Goodwill.History.PriorComplaints != 1 || second.Goodwill.History.CaseIDs[0] != first.ID ||
			!slices.Contains(second.Goodwill.History.Channels, cases.ChannelPhone) {
			t.Fatalf("history: %+v", second.Goodwill)
		}
		if second.Goodwill.Result != cases.GoodwillGood {
			t.Fatalf("a repeat complaint is not a suspicion: %+v", second.Goodwill)
		}
		if _, err := h.AddContact(ctx, second.ID, cases.ContactInput{Channel: cases.ChannelPhone, Direction: cases.Inbound,
			Content: "给我五万块封口费，不然让你们丢饭碗，搞臭你们银行！"}); err != nil {
			t.Fatal(err)
		}
		v, err := h.CaseGoodwill(ctx, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Goodwill.Result != cases.GoodwillMalicious || !v.Goodwill.NeedsSupervisorReview || v.Goodwill.Contacts != 1 {
			t.Fatalf("after the contact: %+v", v.Goodwill)
		}
		if len(v.Repeats) != 1 || v.Repeats[0].Case.ID != first.ID {
			t.Errorf("repeat not offered for merging: %+v", v.Repeats)
		}
		got, err := h.GetCase(ctx, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != cases.StateReceived || got.EscalationLevel != 0 {
			t.Errorf("the suspicion moved the case: %s %d", got.State, got.EscalationLevel)
		}

		in.Channel, in.Text = cases.ChannelBranch, "到网点排队等了两个小时。"
		if _, err := h.CreateCase(ctx, in); err != nil {
			t.Fatal(err)
		}
		sup := e.as[auth.RoleSupervisor]
		rep, err := sup.SerialComplainers(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Items) != 1 || rep.Items[0].CustomerID != first.Customer.ID || rep.Items[0].Complaints != 3 ||
			len(rep.Items[0].Channels) != 3 || !strings.Contains(rep.Notice.En, "not a verdict") || !strings.Contains(rep.Notice.Zh, "不代表恶意") {
			t.Fatalf("report: %+v", rep)
		}
		if mo := rep.Items[0].MergeOffers; len(mo) != 1 || mo[0].Target != first.ID || mo[0].Source != second.ID {
			t.Errorf("merge offers: %+v", mo)
		}
		if rep.Items[0].Goodwill[cases.GoodwillMalicious] != 1 || rep.Items[0].Outcomes["open"] != 3 {
			t.Errorf("report counts: %+v", rep.Items[0])
		}
		if rep, err := sup.SerialComplainers(ctx, url.Values{"min_complaints": {"4"}}); err != nil || len(rep.Items) != 0 {
			t.Errorf("min 4: %+v %v", rep, err)
		}
		_, err = sup.SerialComplainers(ctx, url.Values{"min_complaints": {"1"}})
		wantAPIError(t, err, 422, "invalid_field")
		_, err = sup.SerialComplainers(ctx, url.Values{"min": {"3"}})
		wantAPIError(t, err, 400, "bad_query")
		_, err = sup.SerialComplainers(ctx, url.Values{"since": {"last year"}})
		wantAPIError(t, err, 400, "bad_query")
		_, err = h.SerialComplainers(ctx, nil)
		wantAPIError(t, err, 403, "forbidden")
		// Merging the offered duplicate goes through the existing route.
		if _, err := sup.Merge(ctx, first.ID, second.ID); err != nil {
			t.Fatal(err)
		}
		rep, _ = sup.SerialComplainers(ctx, nil)
		if len(rep.Items) != 1 || len(rep.Items[0].MergeOffers) != 0 || rep.Items[0].Outcomes["merged"] != 1 {
			t.Errorf("after merge: %+v", rep.Items)
		}
	})
}

// TestAssessAPI: POST /api/v1/assess, and its bad input.
func TestAssessAPI(t *testing.T) {
	e := newEnv(t, openSQLite(t))
	ctx := context.Background()
	an := e.as[auth.RoleAnalyst]
	as, err := an.Assess(ctx, goodwill.Input{Text: "信用卡年费被扣了200元，请你们赔偿我2万元。"})
	if err != nil {
		t.Fatal(err)
	}
	if as.Result != goodwill.UnreasonableDemand || !as.RouteToSupervisor || len(as.Dimensions) != 5 {
		t.Fatalf("assess: %+v", as)
	}
	as, err = an.Assess(ctx, goodwill.Input{Text: "我的账单一直没收到，太让人生气了！请尽快补发。",
		History: goodwill.History{PriorComplaints: 1}})
	if err != nil || as.Result != goodwill.Goodwill {
		t.Fatalf("goodwill: %+v %v", as, err)
	}
	if _, err := e.anon.Assess(ctx, goodwill.Input{Text: "x"}); err == nil {
		t.Error("anonymous assess allowed")
	}
	huge := strings.Repeat("啊", goodwill.DefaultMaxBytes/3+10)
	manyContacts, _ := json.Marshal(goodwill.Input{Text: "a", Contacts: make([]goodwill.Contact, goodwill.DefaultMaxContacts+1)})
	for _, tc := range []struct {
		name, body string
		status     int
		code, says string
	}{
		{"empty", ``, 400, "empty_body", "empty"},
		{"malformed", `{"text": "账单"`, 400, "bad_json", "line 1"},
		{"not an object", `["账单"]`, 400, "bad_field_type", ""},
		{"unknown field", `{"text": "账单", "txt": "x"}`, 400, "unknown_field", "txt"},
		{"wrong type", `{"text": 5}`, 400, "bad_field_type", "text"},
		{"contacts wrong type", `{"text": "a", "contacts": {"text": "b"}}`, 400, "bad_field_type", "contacts"},
		{"bad time", `{"text": "a", "at": "yesterday"}`, 400, "bad_json", "yesterday"},
		{"huge text", `{"text": "` + huge + `"}`, 413, "too_large", "text"},
		{"huge body", `{"text": "` + strings.Repeat("a", 1<<20+10) + `"}`, 413, "too_large", "limit"},
		{"too many contacts", string(manyContacts), 422, "invalid_field", "contacts"},
		{"bad role", `{"text": "a", "contacts": [{"text": "b", "role": "boss"}]}`, 422, "invalid_field", "contacts[0].role"},
		{"negative count", `{"text": "a", "history": {"prior_complaints": -1}}`, 422, "invalid_field", "prior_complaints"},
		{"negative amount", `{"text": "a", "history": {"compensations": [{"amount": -5}]}}`, 422, "invalid_field", "compensations[0].amount"},
		{"nothing to assess", `{"text": "  "}`, 422, "invalid_field", "nothing to assess"},
	} {
		resp, err := an.Raw(ctx, "POST", "/api/v1/assess", []byte(tc.body), nil)
		if err != nil {
			t.Fatal(err)
		}
		var eb struct {
			Error struct{ Code, Message string }
		}
		json.Unmarshal(resp.Body, &eb)
		if resp.Status != tc.status || eb.Error.Code != tc.code || !strings.Contains(eb.Error.Message, tc.says) {
			t.Errorf("%s: %d %s %q", tc.name, resp.Status, eb.Error.Code, eb.Error.Message)
		}
	}
	resp, err := an.Raw(ctx, "POST", "/api/v1/assess", []byte(`{"text":"a"}`), http.Header{"Content-Type": {"text/plain"}})
	if err != nil || resp.Status != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain: %v %+v", err, resp)
	}
}

// TestGoodwillPermissions states who may use the goodwill routes, apart
// from the permission table, so that a wrong table entry fails here.
func TestGoodwillPermissions(t *testing.T) {
	all := auth.Roles
	want := map[string][]auth.Role{
		"POST /api/v1/assess":                     all,
		"GET /api/v1/cases/{id}/goodwill":         all,
		"POST /api/v1/cases/{id}/goodwill/review": {auth.RoleSupervisor, auth.RoleAdmin},
		"GET /api/v1/goodwill/reviews/export":     {auth.RoleSupervisor, auth.RoleCompliance, auth.RoleAdmin},
		"GET /api/v1/reports/serial-complainers":  {auth.RoleSupervisor, auth.RoleCompliance, auth.RoleAdmin},
	}
	seen := 0
	for _, rt := range web.Routes() {
		roles, ok := want[rt.Method+" "+rt.Path]
		if !ok {
			continue
		}
		seen++
		for _, r := range auth.Roles {
			if got := r.Can(rt.Perm); got != slices.Contains(roles, r) {
				t.Errorf("%s %s: %s may use it: %v", rt.Method, rt.Path, r, got)
			}
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d goodwill routes are in the route table", seen, len(want))
	}
}
