package ui

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"huajie/internal/cases"
	"huajie/internal/i18n"
)

// errorKey maps a domain error to a status and a catalog key.
func errorKey(err error) (int, string) {
	var ite *cases.IllegalTransitionError
	var ve *cases.ValidationError
	var tl *cases.TooLargeError
	var ut *cases.UnsupportedTypeError
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return http.StatusNotFound, "err.not_found"
	case errors.Is(err, cases.ErrConflict):
		return http.StatusConflict, "err.conflict"
	case errors.As(err, &ite):
		return http.StatusConflict, "err.illegal"
	case errors.As(err, &ve):
		return http.StatusUnprocessableEntity, "err.invalid"
	case errors.As(err, &tl):
		return http.StatusRequestEntityTooLarge, "err.too_large"
	case errors.As(err, &ut):
		return http.StatusUnsupportedMediaType, "err.unsupported_type"
	}
	return http.StatusInternalServerError, "err.internal"
}

// refusal is a cases service error as the case page shows it: wholly in
// the user's language (the service's own messages are English, for the
// API and the logs), with the field of the input it concerns.
type refusal struct {
	Status  int
	Field   string // the service's field name; "" for the whole form
	Message string
}

// refusalOf translates a typed error of package cases; ok is false for
// any other error (a failure, not a refusal).
func refusalOf(lang i18n.Lang, err error) (refusal, bool) {
	rf, ok := translate(lang, err)
	if r, n := utf8.DecodeRuneInString(rf.Message); n > 0 && unicode.IsLower(r) {
		// English sentences built from "the summary" and the like.
		rf.Message = string(unicode.ToUpper(r)) + rf.Message[n:]
	}
	return rf, ok
}

func translate(lang i18n.Lang, err error) (refusal, bool) {
	var ite *cases.IllegalTransitionError
	var ve *cases.ValidationError
	var tl *cases.TooLargeError
	var ut *cases.UnsupportedTypeError
	switch {
	case errors.Is(err, cases.ErrNotFound):
		return refusal{http.StatusNotFound, "", i18n.T(lang, "refuse.not_found")}, true
	case errors.Is(err, cases.ErrConflict):
		return refusal{http.StatusConflict, "", i18n.T(lang, "refuse.conflict")}, true
	case errors.As(err, &ite):
		next := stateList(lang, ite.Allowed)
		if ite.Action != "" {
			return refusal{http.StatusConflict, "", i18n.T(lang, "refuse.action", stateName(lang, ite.From), actionName(lang, ite.Action), next)}, true
		}
		return refusal{http.StatusConflict, "", i18n.T(lang, "refuse.move", stateName(lang, ite.From), stateName(lang, ite.To), next)}, true
	case errors.As(err, &ve):
		return refusal{http.StatusUnprocessableEntity, ve.Field, validationMessage(lang, ve)}, true
	case errors.As(err, &tl):
		size, limit := byteSize(lang, tl.Size), byteSize(lang, tl.Limit)
		if size == limit {
			// Just over the limit: rounded it would read as the limit.
			size = i18n.T(lang, "ev.bytes", tl.Size)
		}
		return refusal{http.StatusRequestEntityTooLarge, tl.Field, i18n.T(lang, "refuse.too_large", fieldName(lang, tl.Field), size, limit)}, true
	case errors.As(err, &ut):
		return refusal{http.StatusUnsupportedMediaType, "file", i18n.T(lang, "refuse.type", typeName(lang, ut.ContentType), typeList(lang, ut.Allowed))}, true
	}
	return refusal{}, false
}

// validationKeys maps the service's fixed validation messages to the
// catalog. ValidationError carries no code, so its message is the key;
// a message not listed here falls back to naming the field.
var validationKeys = map[string]string{
	"is required":                   "refuse.v.required",
	"is empty":                      "refuse.v.empty",
	"is not valid UTF-8":            "refuse.v.utf8",
	"must be inbound or outbound":   "refuse.v.direction",
	"no solution has been proposed": "refuse.v.no_solution",
	"the customer has not accepted the current solution":                         "refuse.v.not_accepted",
	"no follow-up visit has been recorded":                                       "refuse.v.no_follow_up",
	"must be 1 to 5":                                                             "refuse.v.satisfaction",
	"at least one remedy is required":                                            "refuse.v.remedy_required",
	"at most 20 remedies":                                                        "refuse.v.remedies_too_many",
	"must not be negative":                                                       "refuse.v.amount_negative",
	"the interest-free period needs a number of days":                            "refuse.v.days_required",
	"must be an ISO 4217 code such as CNY":                                       "refuse.v.currency",
	"the case is already at the highest level":                                   "refuse.v.highest_level",
	"an actor is required for the audit trail":                                   "refuse.v.actor",
	"the case has no goodwill assessment to review":                              "refuse.v.no_goodwill",
	"is required when disagreeing with the assessment or confirming a suspicion": "refuse.v.reason_required",
	"a case cannot be merged into itself":                                        "refuse.v.merge_self",
	"cases of different customers cannot be merged":                              "refuse.v.merge_customers",
	"no solution has been proposed (use propose solution)":                       "refuse.v.no_solution",
}

// validationPrefixes are messages that end with a value.
var validationPrefixes = []struct{ prefix, key string }{
	{"case was merged into ", "refuse.v.merged"},
	{"an amount is required for ", "refuse.v.amount_required"},
	{"must be above the current level ", "refuse.v.level_above"},
	{"must be 1 to ", "refuse.v.level_range"},
	{"unknown ", "refuse.v.unknown"},
}

func validationMessage(lang i18n.Lang, ve *cases.ValidationError) string {
	field := fieldName(lang, ve.Field)
	if k, ok := validationKeys[ve.Message]; ok {
		if strings.Contains(i18n.T(i18n.EN, k), "%s") {
			return i18n.T(lang, k, field)
		}
		return i18n.T(lang, k)
	}
	for _, p := range validationPrefixes {
		if rest, ok := strings.CutPrefix(ve.Message, p.prefix); ok {
			switch p.key {
			case "refuse.v.merged":
				return i18n.T(lang, p.key, rest)
			case "refuse.v.unknown":
				return i18n.T(lang, p.key, field)
			}
			return i18n.T(lang, p.key)
		}
	}
	switch ve.Field {
	case "customer_notified", "approver", "reason":
		// deadlines.ExtensionError: the policy's rule for that field.
		if strings.Contains(ve.Message, "extension") || strings.Contains(ve.Message, "deadline") {
			return i18n.T(lang, "refuse.v.extension", field)
		}
	}
	return i18n.T(lang, "refuse.invalid", field)
}

// fieldName names a service field ("remedies[0].amount_minor" → the
// amount) through the catalog's field.* keys.
func fieldName(lang i18n.Lang, f string) string {
	if i := strings.LastIndexByte(f, '.'); i >= 0 {
		f = f[i+1:]
	}
	if i := strings.IndexByte(f, '['); i >= 0 {
		f = f[:i]
	}
	if i18n.Has("field." + f) {
		return i18n.T(lang, "field."+f)
	}
	return i18n.T(lang, "field.other")
}

func stateName(lang i18n.Lang, s cases.State) string {
	if i18n.Has("state." + string(s)) {
		return i18n.T(lang, "state."+string(s))
	}
	return i18n.T(lang, "state.none")
}

func stateList(lang i18n.Lang, ss []cases.State) string {
	if len(ss) == 0 {
		return i18n.T(lang, "refuse.none")
	}
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = stateName(lang, s)
	}
	return strings.Join(names, i18n.T(lang, "refuse.list_sep"))
}

func actionName(lang i18n.Lang, a string) string {
	if i18n.Has("refuse.act." + a) {
		return i18n.T(lang, "refuse.act."+a)
	}
	return i18n.T(lang, "refuse.act.other")
}

// typeName names a content type as people know it ("PDF 文档").
func typeName(lang i18n.Lang, ct string) string {
	if i18n.Has("mime." + ct) {
		return i18n.T(lang, "mime."+ct)
	}
	return i18n.T(lang, "mime.other")
}

func typeList(lang i18n.Lang, cts []string) string {
	names := make([]string, len(cts))
	for i, ct := range cts {
		names[i] = typeName(lang, ct)
	}
	return strings.Join(names, i18n.T(lang, "refuse.list_sep"))
}

// byteSize writes a size for people: 10 MB, 512 KB, 300 字节.
func byteSize(lang i18n.Lang, n int64) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KB"
	}
	return i18n.T(lang, "ev.bytes", n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
