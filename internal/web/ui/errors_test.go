package ui

import (
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/i18n"
	"huajie/internal/store/storetest"
)

// englishWord finds an English word: two or more letters with a lower-case
// one (format names such as PDF, MB or MP4 are not words of a language).
var englishWord = regexp.MustCompile(`[A-Za-z]*[a-z][A-Za-z]*`)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestRefusalsInUsersLanguage: every typed error of package cases becomes
// a message wholly in the user's language, naming the states, actions,
// fields, sizes and types it is about through the catalog.
func TestRefusalsInUsersLanguage(t *testing.T) {
	allowed := []cases.State{cases.StateAssessing, cases.StateClosed}
	tests := []struct {
		name   string
		err    error
		status int
		field  string
		// parts returns what the message must contain in lang.
		parts func(l i18n.Lang) []string
	}{
		{"not found", fmt.Errorf("get: %w", cases.ErrNotFound), http.StatusNotFound, "", nil},
		{"conflict", fmt.Errorf("update: %w", cases.ErrConflict), http.StatusConflict, "", nil},
		{"illegal move", &cases.IllegalTransitionError{From: cases.StateReceived, To: cases.StateFollowUp, Allowed: allowed}, http.StatusConflict, "",
			func(l i18n.Lang) []string {
				return []string{i18n.T(l, "state.received"), i18n.T(l, "state.follow_up"), i18n.T(l, "state.assessing"), i18n.T(l, "state.closed")}
			}},
		{"illegal action", &cases.IllegalTransitionError{From: cases.StateClosed, Action: "add_evidence"}, http.StatusConflict, "",
			func(l i18n.Lang) []string {
				return []string{i18n.T(l, "state.closed"), i18n.T(l, "refuse.act.add_evidence"), i18n.T(l, "refuse.none")}
			}},
		{"illegal unknown action", &cases.IllegalTransitionError{From: cases.StateClosed, Action: "something_new", Allowed: allowed}, http.StatusConflict, "",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "refuse.act.other")} }},
		{"required", &cases.ValidationError{Field: "summary", Code: cases.CodeRequired, Message: "is required"}, http.StatusUnprocessableEntity, "summary",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.summary")} }},
		{"no solution", &cases.ValidationError{Field: "to", Code: cases.CodeNoSolution, Message: "no solution has been proposed (use propose solution)"}, http.StatusUnprocessableEntity, "to",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "refuse.v.no_solution")} }},
		{"unknown value", &cases.ValidationError{Field: "remedies[0].kind", Code: cases.CodeUnknownValue, Message: "unknown remedy gift"}, http.StatusUnprocessableEntity, "remedies[0].kind",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.kind")} }},
		{"merged", &cases.ValidationError{Field: "id", Code: cases.CodeMerged, Message: "case was merged into C42", Value: "C42"}, http.StatusUnprocessableEntity, "id",
			func(l i18n.Lang) []string { return []string{"C42"} }},
		{"reworded message", &cases.ValidationError{Field: "to", Code: cases.CodeNotAccepted, Message: "the complainant said no"}, http.StatusUnprocessableEntity, "to",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "refuse.v.not_accepted")} }},
		{"extension rule", &cases.ValidationError{Field: "customer_notified", Code: cases.CodeExtensionRule, Message: "deadlines: extension 1 requires customer_notified", Value: "1"}, http.StatusUnprocessableEntity, "customer_notified",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.customer_notified")} }},
		{"limit with its value", &cases.ValidationError{Field: "limit", Code: cases.CodeAtMost, Message: "must be at most 500", Value: "500"}, http.StatusUnprocessableEntity, "limit",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.limit"), "500"} }},
		{"no code", &cases.ValidationError{Field: "satisfaction", Message: "is required"}, http.StatusUnprocessableEntity, "satisfaction",
			func(l i18n.Lang) []string {
				return []string{i18n.T(l, "refuse.invalid", i18n.T(l, "field.satisfaction"))}
			}},
		{"unknown code", &cases.ValidationError{Field: "satisfaction", Code: "some_new_rule", Message: "some new rule"}, http.StatusUnprocessableEntity, "satisfaction",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.satisfaction")} }},
		{"unknown field", &cases.ValidationError{Field: "frobnicate", Code: cases.CodeRequired, Message: "is required"}, http.StatusUnprocessableEntity, "frobnicate",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.other")} }},
		{"too large", &cases.TooLargeError{Field: "content", Limit: 64 << 10, Size: 3 << 20}, http.StatusRequestEntityTooLarge, "content",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.content"), "64 KB", "3 MB"} }},
		{"just too large", &cases.TooLargeError{Field: "content", Limit: 64 << 10, Size: 64<<10 + 1}, http.StatusRequestEntityTooLarge, "content",
			func(l i18n.Lang) []string {
				return []string{"64 KB", i18n.T(l, "ev.bytes", 64<<10+1)}
			}},
		{"too large bytes", &cases.TooLargeError{Field: "file", Limit: 100, Size: 101}, http.StatusRequestEntityTooLarge, "file",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "ev.bytes", 100), i18n.T(l, "ev.bytes", 101)} }},
		{"unsupported type", &cases.UnsupportedTypeError{ContentType: "application/zip", Allowed: cases.AllowedEvidenceTypes}, http.StatusUnsupportedMediaType, "file",
			func(l i18n.Lang) []string {
				out := []string{i18n.T(l, "mime.application/zip")}
				for _, ct := range cases.AllowedEvidenceTypes {
					out = append(out, i18n.T(l, "mime."+ct))
				}
				return out
			}},
		{"unsupported unknown type", &cases.UnsupportedTypeError{ContentType: "font/woff2", Allowed: []string{"application/pdf"}}, http.StatusUnsupportedMediaType, "file",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "mime.other")} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			zh, ok := refusalOf(i18n.ZH, tt.err)
			if !ok {
				t.Fatal("not recognised as a refusal")
			}
			en, _ := refusalOf(i18n.EN, tt.err)
			t.Logf("zh: %s\n en: %s", zh.Message, en.Message)
			if zh.Status != tt.status || en.Status != tt.status || zh.Field != tt.field || en.Field != tt.field {
				t.Errorf("status/field: zh %d %q, en %d %q; want %d %q", zh.Status, zh.Field, en.Status, en.Field, tt.status, tt.field)
			}
			if w := englishWord.FindAllString(zh.Message, -1); len(w) > 0 || !hasHan(zh.Message) {
				t.Errorf("zh message %q has English words %q (or no Chinese)", zh.Message, w)
			}
			if hasHan(en.Message) || strings.Contains(en.Message, "⟦") || strings.Contains(zh.Message, "⟦") || strings.Contains(en.Message, "%!") || strings.Contains(zh.Message, "%!") {
				t.Errorf("en %q / zh %q: Chinese in English, a missing key or a bad format", en.Message, zh.Message)
			}
			if en.Message == zh.Message {
				t.Errorf("same message in both languages: %q", en.Message)
			}
			if tt.parts != nil {
				for _, l := range []i18n.Lang{i18n.ZH, i18n.EN} {
					m := map[i18n.Lang]string{i18n.ZH: zh.Message, i18n.EN: en.Message}[l]
					for _, p := range tt.parts(l) {
						// An English sentence may begin with the part.
						if !strings.Contains(strings.ToLower(m), strings.ToLower(p)) {
							t.Errorf("%s message %q lacks %q", l, m, p)
						}
					}
				}
			}
		})
	}
	if _, ok := refusalOf(i18n.ZH, fmt.Errorf("disk full")); ok {
		t.Error("an unexpected error must not be shown as a refusal")
	}
}

// TestEveryValidationCodeTranslated: each code package cases can produce
// has a translation in both languages whose verbs its arguments fill, and
// the table lists no code the package does not know. A new code without a
// translation fails here.
func TestEveryValidationCodeTranslated(t *testing.T) {
	codes := cases.ValidationCodes()
	if len(codes) < 30 {
		t.Fatalf("only %d codes: the list is not the package's", len(codes))
	}
	for _, code := range codes {
		vt, ok := validationTexts[code]
		if !ok {
			t.Errorf("code %q has no translation in validationTexts", code)
			continue
		}
		ve := &cases.ValidationError{Field: "reason", Code: code, Message: "x", Value: "42"}
		zh := validationMessage(i18n.ZH, ve)
		en := validationMessage(i18n.EN, ve)
		if !i18n.Has(vt.key) || strings.Contains(zh, "%!") || strings.Contains(en, "%!") ||
			englishWord.MatchString(zh) || !hasHan(zh) || hasHan(en) || zh == en {
			t.Errorf("%s → %s: zh %q, en %q", code, vt.key, zh, en)
		}
		if (vt.args == valueArg || vt.args == fieldValueArg) && (!strings.Contains(zh, "42") || !strings.Contains(en, "42")) {
			t.Errorf("%s: the value is not shown: zh %q, en %q", code, zh, en)
		}
		if (vt.args == fieldArg || vt.args == fieldValueArg) && (!strings.Contains(zh, i18n.T(i18n.ZH, "field.reason")) || !strings.Contains(en, i18n.T(i18n.EN, "field.reason"))) {
			t.Errorf("%s: the field is not named: zh %q, en %q", code, zh, en)
		}
	}
	for code := range validationTexts {
		if !slices.Contains(codes, code) {
			t.Errorf("validationTexts translates %q, which package cases does not produce", code)
		}
	}
}

// TestServiceRefusalInChinese: real refusals of the cases service (on a
// SQLite repo) read as the catalog's Chinese sentences, by their codes.
func TestServiceRefusalInChinese(t *testing.T) {
	ctx := t.Context()
	s := cases.New(cases.Opts{Repo: storetest.OpenSQLite(t).Cases()})
	sup := cases.Actor{Name: "zhao.supervisor", Role: "supervisor"}
	c, err := s.Create(ctx, sup, cases.NewCase{Channel: cases.ChannelPhone, Text: "信用卡账单没有收到",
		Customer: cases.Customer{ID: "C001", Name: "张三"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		call func() error
		zh   string
	}{
		{"bare move to proposed", func() error {
			_, err := s.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateResolutionProposed})
			return err
		}, "尚未提出解决方案，请先提出方案。"},
		{"refund without amount", func() error {
			_, err := s.ProposeSolution(ctx, sup, c.ID, cases.SolutionInput{Summary: "退款", Remedies: []cases.Remedy{{Kind: cases.RemedyRefund}}})
			return err
		}, "该补救措施需要填写金额。"},
		{"extension without notifying", func() error {
			_, err := s.ExtendDeadline(ctx, sup, c.ID, cases.ExtendInput{Reason: "需要调取日志"})
			return err
		}, "不能按当前时限策略延长：「告知投诉人」不符合要求。"},
		{"level out of range", func() error {
			_, err := s.Escalate(ctx, sup, c.ID, cases.EscalateInput{Level: 9, Reason: "监管转办"})
			return err
		}, "升级级别超出允许范围。"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rf, ok := refusalOf(i18n.ZH, tt.call())
			if !ok || rf.Status != http.StatusUnprocessableEntity || rf.Message != tt.zh {
				t.Errorf("refusal %+v (ok %v), want %q", rf, ok, tt.zh)
			}
		})
	}
}

// TestRefusalOnThePage: a refusal the form does not foresee (moving a case
// to "solution proposed" without a solution) comes back on the case page
// as the catalog's sentence in the user's language.
func TestRefusalOnThePage(t *testing.T) {
	ctx := t.Context()
	db := storetest.OpenSQLite(t)
	as := auth.New(auth.Opts{Store: db})
	const name, password = "zhao.supervisor", "correct-horse-battery"
	if _, err := as.CreateUser(ctx, name, auth.RoleSupervisor, password); err != nil {
		t.Fatal(err)
	}
	cs := cases.New(cases.Opts{Repo: db.Cases()})
	sup := cases.Actor{Name: name, Role: string(auth.RoleSupervisor)}
	c, err := cs.Create(ctx, sup, cases.NewCase{Channel: cases.ChannelPhone, Text: "信用卡账单没有收到",
		Customer: cases.Customer{ID: "C001", Name: "张三"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Transition(ctx, sup, c.ID, cases.TransitionInput{To: cases.StateAssessing}); err != nil {
		t.Fatal(err)
	}
	h, err := New(Opts{Cases: cs, Auth: as, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NoAnimation: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Mount(http.NotFoundHandler(), h))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	cl := &http.Client{Jar: jar}
	do := func(method, path, lang string, form url.Values) (int, string) {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		req.Header.Set("Accept-Language", lang)
		resp, err := cl.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	do("GET", "/ui/login", "zh-CN", nil)
	u, _ := url.Parse(srv.URL + "/ui/")
	var csrf string
	for _, ck := range jar.Cookies(u) {
		if ck.Name == "huajie_csrf" {
			csrf = ck.Value
		}
	}
	if csrf == "" {
		t.Fatal("no CSRF cookie")
	}
	if st, body := do("POST", "/ui/login", "zh-CN", url.Values{"name": {name}, "password": {password}, "csrf_token": {csrf}}); st != http.StatusOK || strings.Contains(body, `id="login-error"`) {
		t.Fatalf("sign-in: %d", st)
	}
	for _, l := range []struct {
		header string
		lang   i18n.Lang
	}{{"zh-CN", i18n.ZH}, {"en", i18n.EN}} {
		want := i18n.T(l.lang, "refuse.v.no_solution")
		st, body := do("POST", "/ui/cases/"+c.ID+"/transition", l.header, url.Values{"to": {string(cases.StateResolutionProposed)}, "csrf_token": {csrf}})
		if st != http.StatusUnprocessableEntity || !strings.Contains(body, html.EscapeString(want)) {
			t.Errorf("%s: status %d, page lacks %q", l.lang, st, want)
		}
	}
	if got, err := cs.Get(ctx, c.ID); err != nil || got.State != cases.StateAssessing {
		t.Errorf("case after the refusals: %v %v", got.State, err)
	}
}
