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

// validationText is how a validation code reads: a catalog key and what
// fills its verbs.
type validationText struct {
	key  string
	args validationArgs
}

type validationArgs int

const (
	noArgs        validationArgs = iota
	fieldArg                     // the field's name
	valueArg                     // ValidationError.Value (the case merged into …)
	fieldValueArg                // the field's name, then Value
)

// validationTexts translates every cases.ValidationCodes() code (a test
// keeps the two in step). The code, not the English message, is the key:
// messages may be reworded, codes are stable.
var validationTexts = map[string]validationText{
	cases.CodeRequired:          {"refuse.v.required", fieldArg},
	cases.CodeEmpty:             {"refuse.v.empty", fieldArg},
	cases.CodeNotUTF8:           {"refuse.v.utf8", fieldArg},
	cases.CodeNotJSON:           {"refuse.v.not_json", fieldArg},
	cases.CodeUnknownValue:      {"refuse.v.unknown", fieldArg},
	cases.CodeActorRequired:     {"refuse.v.actor", noArgs},
	cases.CodeDirection:         {"refuse.v.direction", noArgs},
	cases.CodeInFuture:          {"refuse.v.in_future", fieldArg},
	cases.CodePhoneChars:        {"refuse.v.phone_chars", noArgs},
	cases.CodePhoneLength:       {"refuse.v.phone_length", noArgs},
	cases.CodeIDCardLength:      {"refuse.v.id_card_length", noArgs},
	cases.CodeIDCardDigits:      {"refuse.v.id_card_digits", noArgs},
	cases.CodeIDCardCheck:       {"refuse.v.id_card_check", noArgs},
	cases.CodeMerged:            {"refuse.v.merged", valueArg},
	cases.CodeNoSolution:        {"refuse.v.no_solution", noArgs},
	cases.CodeNotAccepted:       {"refuse.v.not_accepted", noArgs},
	cases.CodeNoFollowUp:        {"refuse.v.no_follow_up", noArgs},
	cases.CodeRemedyRequired:    {"refuse.v.remedy_required", noArgs},
	cases.CodeRemediesTooMany:   {"refuse.v.remedies_too_many", noArgs},
	cases.CodeAmountNegative:    {"refuse.v.amount_negative", noArgs},
	cases.CodeAmountRequired:    {"refuse.v.amount_required", noArgs},
	cases.CodeDaysRequired:      {"refuse.v.days_required", noArgs},
	cases.CodeCurrency:          {"refuse.v.currency", noArgs},
	cases.CodeSatisfactionRange: {"refuse.v.satisfaction", noArgs},
	cases.CodeLevelRange:        {"refuse.v.level_range", noArgs},
	cases.CodeHighestLevel:      {"refuse.v.highest_level", noArgs},
	cases.CodeLevelAbove:        {"refuse.v.level_above", noArgs},
	cases.CodeExtensionRule:     {"refuse.v.extension", fieldArg},
	cases.CodeNoMoreExtensions:  {"refuse.v.no_more_extensions", noArgs},
	cases.CodeMergeSelf:         {"refuse.v.merge_self", noArgs},
	cases.CodeMergeCustomers:    {"refuse.v.merge_customers", noArgs},
	cases.CodeNoGoodwill:        {"refuse.v.no_goodwill", noArgs},
	cases.CodeReasonRequired:    {"refuse.v.reason_required", noArgs},
	cases.CodeAtLeast:           {"refuse.v.at_least", fieldValueArg},
	cases.CodeAtMost:            {"refuse.v.at_most", fieldValueArg},
	cases.CodeBadCursor:         {"refuse.v.bad_cursor", noArgs},
}

// validationMessage translates ve by its Code; an error without a known
// code (one built outside package cases and not yet given one) names its
// field.
func validationMessage(lang i18n.Lang, ve *cases.ValidationError) string {
	field := fieldName(lang, ve.Field)
	vt, ok := validationTexts[ve.Code]
	if !ok {
		return i18n.T(lang, "refuse.invalid", field)
	}
	switch vt.args {
	case fieldArg:
		return i18n.T(lang, vt.key, field)
	case valueArg:
		return i18n.T(lang, vt.key, ve.Value)
	case fieldValueArg:
		return i18n.T(lang, vt.key, field, ve.Value)
	}
	return i18n.T(lang, vt.key)
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
