package cases

import "slices"

// Validation codes: why a ValidationError refuses its field. A code is
// stable — clients and the UI's translations key on it — while Message is
// English prose for logs and the API that may be reworded. A new code goes
// here, in validationCodes, and in the UI's table of translations (its
// test fails otherwise).
const (
	// CodeRequired: the field is missing or blank.
	CodeRequired = "required"
	// CodeEmpty: the content (of a file or contact) is empty.
	CodeEmpty = "empty"
	// CodeNotUTF8: the text is not valid UTF-8.
	CodeNotUTF8 = "not_utf8"
	// CodeNotJSON: the field must hold a JSON document and does not.
	CodeNotJSON = "not_json"
	// CodeUnknownValue: the value is not one of the field's allowed values
	// (a state, channel, severity, remedy kind, policy, sort order …).
	CodeUnknownValue = "unknown_value"
	// CodeActorRequired: the change has no actor for the audit trail.
	CodeActorRequired = "actor_required"
	// CodeDirection: a contact's direction is neither inbound nor outbound.
	CodeDirection = "direction"
	// CodeInFuture: a time (received_at) lies in the future.
	CodeInFuture = "in_future"
	// CodePhoneChars: a phone number has characters other than digits,
	// spaces and + - ( ).
	CodePhoneChars = "phone_chars"
	// CodePhoneLength: a phone number has fewer than 5 or more than 20 digits.
	CodePhoneLength = "phone_length"
	// CodeIDCardLength: an ID card number is not 18 characters.
	CodeIDCardLength = "id_card_length"
	// CodeIDCardDigits: an ID card number's first 17 characters are not all digits.
	CodeIDCardDigits = "id_card_digits"
	// CodeIDCardCheck: an ID card number's check digit does not match.
	CodeIDCardCheck = "id_card_check"
	// CodeMerged: the case was merged into another; Value names it.
	CodeMerged = "merged"
	// CodeNoSolution: the move or response needs a proposed solution.
	CodeNoSolution = "no_solution"
	// CodeNotAccepted: the customer has not accepted the current solution.
	CodeNotAccepted = "not_accepted"
	// CodeNoFollowUp: closing needs a recorded follow-up visit.
	CodeNoFollowUp = "no_follow_up"
	// CodeRemedyRequired: a solution needs at least one remedy.
	CodeRemedyRequired = "remedy_required"
	// CodeRemediesTooMany: a solution has more than 20 remedies.
	CodeRemediesTooMany = "remedies_too_many"
	// CodeAmountNegative: an amount is below zero.
	CodeAmountNegative = "amount_negative"
	// CodeAmountRequired: the remedy needs an amount; Value is its kind.
	CodeAmountRequired = "amount_required"
	// CodeDaysRequired: an interest-free period needs a number of days.
	CodeDaysRequired = "days_required"
	// CodeCurrency: a currency is not an ISO 4217 code.
	CodeCurrency = "currency"
	// CodeSatisfactionRange: satisfaction is not 1 to 5.
	CodeSatisfactionRange = "satisfaction_range"
	// CodeLevelRange: an escalation level is not 1 to MaxEscalation.
	CodeLevelRange = "level_range"
	// CodeHighestLevel: the case is already at the highest escalation level.
	CodeHighestLevel = "highest_level"
	// CodeLevelAbove: the new level is not above the current one; Value is
	// the current level.
	CodeLevelAbove = "level_above"
	// CodeExtensionRule: the deadline policy requires the field for this
	// extension (deadlines.ExtensionError); Value is the extension's
	// step, from 1.
	CodeExtensionRule = "extension_rule"
	// CodeNoMoreExtensions: the deadline policy allows no further extension
	// (deadlines.ErrNoMoreExtensions).
	CodeNoMoreExtensions = "no_more_extensions"
	// CodeMergeSelf: a case cannot be merged into itself.
	CodeMergeSelf = "merge_self"
	// CodeMergeCustomers: cases of different customers cannot be merged.
	CodeMergeCustomers = "merge_customers"
	// CodeNoGoodwill: the case has no goodwill assessment to review.
	CodeNoGoodwill = "no_goodwill"
	// CodeReasonRequired: a reason is required when disagreeing with the
	// goodwill assessment or confirming a suspicion.
	CodeReasonRequired = "reason_required"
	// CodeAtLeast: the number is below its minimum; Value is the minimum.
	CodeAtLeast = "at_least"
	// CodeAtMost: the number is above its maximum; Value is the maximum.
	CodeAtMost = "at_most"
	// CodeBadCursor: a list cursor is not one this server returned for the
	// list's order. A Repo's List returns it (package store).
	CodeBadCursor = "bad_cursor"
)

var validationCodes = []string{
	CodeRequired, CodeEmpty, CodeNotUTF8, CodeNotJSON, CodeUnknownValue,
	CodeActorRequired, CodeDirection, CodeInFuture,
	CodePhoneChars, CodePhoneLength, CodeIDCardLength, CodeIDCardDigits, CodeIDCardCheck,
	CodeMerged, CodeNoSolution, CodeNotAccepted, CodeNoFollowUp,
	CodeRemedyRequired, CodeRemediesTooMany, CodeAmountNegative, CodeAmountRequired,
	CodeDaysRequired, CodeCurrency, CodeSatisfactionRange,
	CodeLevelRange, CodeHighestLevel, CodeLevelAbove,
	CodeExtensionRule, CodeNoMoreExtensions, CodeMergeSelf, CodeMergeCustomers,
	CodeNoGoodwill, CodeReasonRequired, CodeAtLeast, CodeAtMost, CodeBadCursor,
}

// ValidationCodes lists every code a ValidationError of this package (or
// of its Repo) can carry, for the tables that translate them. The slice is
// a copy.
func ValidationCodes() []string { return slices.Clone(validationCodes) }
