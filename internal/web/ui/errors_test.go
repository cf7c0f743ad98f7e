package ui

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"huajie/internal/cases"
	"huajie/internal/i18n"
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
		{"required", &cases.ValidationError{Field: "summary", Message: "is required"}, http.StatusUnprocessableEntity, "summary",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.summary")} }},
		{"no solution", &cases.ValidationError{Field: "to", Message: "no solution has been proposed (use propose solution)"}, http.StatusUnprocessableEntity, "to",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "refuse.v.no_solution")} }},
		{"unknown value", &cases.ValidationError{Field: "remedies[0].kind", Message: "unknown remedy gift"}, http.StatusUnprocessableEntity, "remedies[0].kind",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.kind")} }},
		{"merged", &cases.ValidationError{Field: "id", Message: "case was merged into C42"}, http.StatusUnprocessableEntity, "id",
			func(l i18n.Lang) []string { return []string{"C42"} }},
		{"unlisted message", &cases.ValidationError{Field: "satisfaction", Message: "some new rule"}, http.StatusUnprocessableEntity, "satisfaction",
			func(l i18n.Lang) []string { return []string{i18n.T(l, "field.satisfaction")} }},
		{"unknown field", &cases.ValidationError{Field: "frobnicate", Message: "some new rule"}, http.StatusUnprocessableEntity, "frobnicate",
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

// TestEveryValidationKeyTranslated: each listed service message maps to a
// key present in both languages, with the field argument only where the
// text has a place for it.
func TestEveryValidationKeyTranslated(t *testing.T) {
	for msg, k := range validationKeys {
		ve := &cases.ValidationError{Field: "reason", Message: msg}
		zh := validationMessage(i18n.ZH, ve)
		en := validationMessage(i18n.EN, ve)
		if !i18n.Has(k) || strings.Contains(zh, "%!") || strings.Contains(en, "%!") || englishWord.MatchString(zh) || hasHan(en) {
			t.Errorf("%q → %s: zh %q, en %q", msg, k, zh, en)
		}
	}
}
