// Package cases is the complaint case: intake, assessment, communication
// record, investigation, solution, the customer's response, follow-up, and
// the state machine that orders them, with regulatory deadlines and an audit
// trail of every change.
//
// The lifecycle follows seed 002 (疑难投诉处理 §二, seven steps) and seed 004
// (化解法 §一, five steps):
//
//	state                 seed 004 step            seed 002 step
//	received              倾听和理解 listen         投诉接收
//	assessing             分析和判断 analyse/judge  信息评估, 沟通记录
//	investigating         分析和判断                深入调查
//	resolution_proposed   提出解决方案 propose      方案制定
//	awaiting_customer     沟通与反馈 communicate    反馈沟通
//	follow_up             跟进与改进 follow up      跟踪回访
//	closed
//
// Contacts (the communication record) can be added in any open state.
// A closed case can be reopened; any open case can be escalated one or more
// levels without changing its state.
//
// The package knows nothing of HTTP or SQL: it validates, applies the rules
// and hands each change with its audit records to a Repo (package store),
// which commits the case, its audit entries and its deadline index in one
// transaction.
package cases

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"huajie/internal/audit"
	"huajie/internal/deadlines"
)

// State is a case's place in the lifecycle.
type State string

const (
	StateReceived           State = "received"
	StateAssessing          State = "assessing"
	StateInvestigating      State = "investigating"
	StateResolutionProposed State = "resolution_proposed"
	StateAwaitingCustomer   State = "awaiting_customer"
	StateFollowUp           State = "follow_up"
	StateClosed             State = "closed"
)

// States lists every state in lifecycle order.
var States = []State{StateReceived, StateAssessing, StateInvestigating, StateResolutionProposed, StateAwaitingCustomer, StateFollowUp, StateClosed}

// Channel is where a complaint came in.
type Channel string

const (
	ChannelPhone     Channel = "phone"
	ChannelChat      Channel = "online_chat"
	ChannelApp       Channel = "app"
	ChannelBranch    Channel = "branch"
	ChannelEmail     Channel = "email"
	ChannelSocial    Channel = "social_media"
	ChannelLetter    Channel = "letter"
	ChannelRegulator Channel = "regulator_referral"
)

// Channels lists the accepted intake channels.
var Channels = []Channel{ChannelPhone, ChannelChat, ChannelApp, ChannelBranch, ChannelEmail, ChannelSocial, ChannelLetter, ChannelRegulator}

// Direction of a contact.
type Direction string

const (
	Inbound  Direction = "inbound"  // from the customer
	Outbound Direction = "outbound" // to the customer
)

// Severity of a complaint.
type Severity string

const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Complexity of a complaint; complex cases may have their deadline extended.
type Complexity string

const (
	ComplexitySimple  Complexity = "simple"
	ComplexityComplex Complexity = "complex"
	// ComplexityVeryComplex: difficult on several counts (seed 002 §一).
	ComplexityVeryComplex Complexity = "very_complex"
)

// ComplaintType is the seed 002 §一 list of difficult complaint types.
type ComplaintType string

const (
	TypeServiceQuality     ComplaintType = "service_quality"     // 服务质量投诉
	TypeProductQuality     ComplaintType = "product_quality"     // 产品质量投诉
	TypeInformationLeak    ComplaintType = "information_leak"    // 信息泄露投诉
	TypeUnreasonableDemand ComplaintType = "unreasonable_demand" // 无理要求投诉
	TypeMalicious          ComplaintType = "malicious"           // 恶意投诉
)

// ComplaintTypes lists the accepted types.
var ComplaintTypes = []ComplaintType{TypeServiceQuality, TypeProductQuality, TypeInformationLeak, TypeUnreasonableDemand, TypeMalicious}

// Difficulty holds the seed 002 §一 difficulty flags.
type Difficulty struct {
	StrongEmotion      bool `json:"strong_emotion"`      // 情绪化强
	SeveralDepartments bool `json:"several_departments"` // 复杂性高: 多个环节或部门
	UnclearDemands     bool `json:"unclear_demands"`     // 要求不明确
	WideImpact         bool `json:"wide_impact"`         // 影响范围广
}

// Difficulty flag names, as used by ListFilter.Difficulty.
const (
	FlagStrongEmotion      = "strong_emotion"
	FlagSeveralDepartments = "several_departments"
	FlagUnclearDemands     = "unclear_demands"
	FlagWideImpact         = "wide_impact"
)

// Any reports whether any flag is set: the case is a difficult complaint.
func (d Difficulty) Any() bool {
	return d.StrongEmotion || d.SeveralDepartments || d.UnclearDemands || d.WideImpact
}

// Bits encodes the flags as a bit set (strong emotion = 1, several
// departments = 2, unclear demands = 4, wide impact = 8), for indexing.
func (d Difficulty) Bits() int {
	b := 0
	for i, f := range []bool{d.StrongEmotion, d.SeveralDepartments, d.UnclearDemands, d.WideImpact} {
		if f {
			b |= 1 << i
		}
	}
	return b
}

// FlagBit returns the bit of a flag name, 0 for an unknown name.
func FlagBit(name string) int {
	switch name {
	case FlagStrongEmotion:
		return 1
	case FlagSeveralDepartments:
		return 2
	case FlagUnclearDemands:
		return 4
	case FlagWideImpact:
		return 8
	}
	return 0
}

// Actor is who makes a change, for the audit trail.
type Actor struct {
	Name string `json:"name"`
	Role string `json:"role"`
}

// System is the actor of automatic changes (deadline watcher).
var System = Actor{Name: "system", Role: "system"}

// Customer is the complainant. Phone and IDCard are personal data: use
// Masked for anyone without the right to see them.
type Customer struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Phone  string `json:"phone,omitempty"`
	IDCard string `json:"id_card,omitempty"`
}

// Contact is one entry of the communication record.
type Contact struct {
	ID        string    `json:"id"`
	At        time.Time `json:"at"`
	Channel   Channel   `json:"channel"`
	Direction Direction `json:"direction"`
	// By is the staff member who handled the contact.
	By      string `json:"by"`
	Content string `json:"content"`
	// Emotion is the customer's emotion in this contact as analysed
	// (inbound contacts only; empty when no analyser is configured).
	Emotion          Emotion `json:"emotion,omitempty"`
	EmotionIntensity float64 `json:"emotion_intensity,omitempty"`
	Negative         float64 `json:"negative,omitempty"`
	RecordedBy       string  `json:"recorded_by"`
}

// Finding is one result of the investigation.
type Finding struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
	Department string    `json:"department,omitempty"`
	Text       string    `json:"text"`
	// Substantiated says whether the finding supports the complaint
	// (nil: undetermined).
	Substantiated *bool `json:"substantiated,omitempty"`
}

// Evidence is a stored evidence file's metadata; its content is fetched
// with Service.EvidenceContent.
type Evidence struct {
	ID          string    `json:"id"`
	At          time.Time `json:"at"`
	By          string    `json:"by"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Description string    `json:"description,omitempty"`
	Department  string    `json:"department,omitempty"`
}

// RemedyKind is a kind of remedy offered to the customer.
type RemedyKind string

const (
	RemedyApology      RemedyKind = "apology"
	RemedyExplanation  RemedyKind = "explanation"
	RemedyRefund       RemedyKind = "refund"
	RemedyCompensation RemedyKind = "compensation"
	RemedyFeeWaiver    RemedyKind = "fee_waiver"
	RemedyInterestFree RemedyKind = "interest_free_period"
	RemedyCorrection   RemedyKind = "record_correction"
)

// RemedyKinds lists the accepted remedies.
var RemedyKinds = []RemedyKind{RemedyApology, RemedyExplanation, RemedyRefund, RemedyCompensation, RemedyFeeWaiver, RemedyInterestFree, RemedyCorrection}

// Remedy is one part of a proposed solution. Amounts are in the minor unit
// (fen, pence, cents) so no money is ever a float.
type Remedy struct {
	Kind        RemedyKind `json:"kind"`
	AmountMinor int64      `json:"amount_minor,omitempty"` // refund, compensation, fee waiver
	Currency    string     `json:"currency,omitempty"`     // ISO 4217, default CNY
	Days        int        `json:"days,omitempty"`         // interest-free period
	Note        string     `json:"note,omitempty"`
}

// Solution is a proposed resolution. A case keeps every proposal; the last
// is current.
type Solution struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	By         string    `json:"by"`
	Summary    string    `json:"summary"`
	Basis      string    `json:"basis,omitempty"` // 解决方案的依据, told to the customer
	Remedies   []Remedy  `json:"remedies"`
	ResponseID string    `json:"response_id,omitempty"`
}

// CustomerResponse is the customer's answer to a solution.
type CustomerResponse struct {
	ID         string    `json:"id"`
	At         time.Time `json:"at"`
	SolutionID string    `json:"solution_id"`
	Accepted   bool      `json:"accepted"`
	Reason     string    `json:"reason,omitempty"` // required when rejected
	RecordedBy string    `json:"recorded_by"`
}

// FollowUp is a follow-up visit (回访).
type FollowUp struct {
	ID           string    `json:"id"`
	Date         time.Time `json:"date"`
	Satisfaction int       `json:"satisfaction"` // 1–5
	Comment      string    `json:"comment,omitempty"`
	By           string    `json:"by"`
}

// Escalation is one escalation of a case.
type Escalation struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	From   int       `json:"from"`
	To     int       `json:"to"`
	Reason string    `json:"reason"`
}

// MaxEscalation is the highest escalation level (1 team lead, 2 department
// head, 3 head office / senior management).
const MaxEscalation = 3

// StateChange is one move in the lifecycle, kept on the case for display;
// the audit trail is the authoritative record.
type StateChange struct {
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	From State     `json:"from"`
	To   State     `json:"to"`
	Note string    `json:"note,omitempty"`
}

// Assessment is the automatic, editable judgement made on intake.
type Assessment struct {
	Emotion          Emotion       `json:"emotion,omitempty"`
	EmotionIntensity float64       `json:"emotion_intensity"`
	Negative         float64       `json:"negative"`
	ChannelCode      string        `json:"channel_code,omitempty"` // JR/T 0169-2018 A
	BusinessCode     string        `json:"business_code,omitempty"`
	BusinessName     string        `json:"business_name,omitempty"`
	CauseCode        string        `json:"cause_code,omitempty"`
	CauseName        string        `json:"cause_name,omitempty"`
	Cues             []CueKind     `json:"cues,omitempty"` // not negated
	Severity         Severity      `json:"severity"`
	Complexity       Complexity    `json:"complexity"`
	Difficulty       Difficulty    `json:"difficulty"`
	Type             ComplaintType `json:"type,omitempty"`
	// Goodwill is reserved for the goodwill assessment of a later issue;
	// this package stores and audits it but does not interpret it.
	Goodwill json.RawMessage `json:"goodwill,omitempty"`
	// Analysis holds the analysis signals the automatic assessment came from.
	Analysis *Signals `json:"analysis,omitempty"`
	// Edited lists the fields a person has overridden; automatic
	// reassessment leaves them alone.
	Edited   []string  `json:"edited,omitempty"`
	EditedBy string    `json:"edited_by,omitempty"`
	EditedAt time.Time `json:"edited_at,omitzero"`
}

// DeadlineInfo is a case's deadline policy and computed deadlines.
type DeadlineInfo struct {
	Policy     string                `json:"policy"`
	Deadlines  []deadlines.Deadline  `json:"deadlines"`
	Extensions []deadlines.Extension `json:"extensions,omitempty"`
	// Milestones record when the case first reached each milestone.
	Milestones deadlines.Milestones `json:"milestones,omitempty"`
	// NextDue is the next pending deadline (zero when none is pending).
	NextDue time.Time `json:"next_due,omitzero"`
	// Status is the worst status at the time the case was read.
	Status deadlines.Status `json:"status"`
	// SummaryResolution is true when the case qualified for a DISP summary
	// resolution communication.
	SummaryResolution bool `json:"summary_resolution,omitempty"`
}

// Case is a complaint case.
type Case struct {
	ID         string    `json:"id"`
	Version    int64     `json:"version"`
	State      State     `json:"state"`
	Channel    Channel   `json:"channel"`
	Customer   Customer  `json:"customer"`
	ReceivedAt time.Time `json:"received_at"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	Text       string    `json:"text"`
	// ProductRef is the product or account concerned.
	ProductRef string `json:"product_ref,omitempty"`
	// Branch is where the complaint was received (a branch office's code
	// or name).
	Branch   string `json:"branch,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// Team is the assignee's team when the case was (last) assigned.
	Team            string             `json:"team,omitempty"`
	EscalationLevel int                `json:"escalation_level"`
	Escalations     []Escalation       `json:"escalations,omitempty"`
	Assessment      Assessment         `json:"assessment"`
	Contacts        []Contact          `json:"contacts"`
	Findings        []Finding          `json:"findings"`
	Evidence        []Evidence         `json:"evidence"`
	Departments     []string           `json:"departments"`
	Solutions       []Solution         `json:"solutions"`
	Responses       []CustomerResponse `json:"responses"`
	FollowUps       []FollowUp         `json:"follow_ups"`
	History         []StateChange      `json:"history"`
	Deadline        DeadlineInfo       `json:"deadline"`
	// SourceAlert is the conversation alert the case was opened from.
	SourceAlert string `json:"source_alert,omitempty"`
	// MergedInto is set on a case merged into another (it is then closed).
	MergedInto string   `json:"merged_into,omitempty"`
	Merged     []string `json:"merged,omitempty"`
	// RepeatCandidates are open cases of the same customer on the same
	// matter found at intake, offered for merging.
	RepeatCandidates []string `json:"repeat_candidates,omitempty"`
	// Goodwill is the goodwill judgement's bookkeeping (result, whether a
	// supervisor's review is awaited, the decisions); the assessment with
	// its evidence is Assessment.Goodwill. Nil when never assessed.
	Goodwill *GoodwillInfo `json:"goodwill,omitempty"`
	ClosedAt time.Time     `json:"closed_at,omitzero"`
	Reopened int           `json:"reopened,omitempty"`
}

// Summary is a case as listed.
type Summary struct {
	ID              string           `json:"id"`
	State           State            `json:"state"`
	Channel         Channel          `json:"channel"`
	CustomerID      string           `json:"customer_id"`
	CustomerName    string           `json:"customer_name"`
	ReceivedAt      time.Time        `json:"received_at"`
	UpdatedAt       time.Time        `json:"updated_at"`
	Title           string           `json:"title"` // the text's first line, cut to 80 runes
	Assignee        string           `json:"assignee,omitempty"`
	Team            string           `json:"team,omitempty"`
	Branch          string           `json:"branch,omitempty"`
	Severity        Severity         `json:"severity"`
	CauseCode       string           `json:"cause_code,omitempty"`
	BusinessCode    string           `json:"business_code,omitempty"`
	Difficulty      Difficulty       `json:"difficulty"`
	EscalationLevel int              `json:"escalation_level"`
	NextDue         time.Time        `json:"next_due,omitzero"`
	DeadlineStatus  deadlines.Status `json:"deadline_status"`
	// Goodwill is the goodwill result; NeedsSupervisorReview puts the
	// case in the supervisors' review queue.
	Goodwill              GoodwillResult `json:"goodwill,omitempty"`
	NeedsSupervisorReview bool           `json:"needs_supervisor_review,omitempty"`
	GoodwillReviews       int            `json:"goodwill_reviews,omitempty"`
}

// ListFilter selects cases. Zero fields do not filter.
type ListFilter struct {
	States     []State   `json:"states,omitempty"`
	Channels   []Channel `json:"channels,omitempty"`
	CauseCode  string    `json:"cause_code,omitempty"`
	Business   string    `json:"business_code,omitempty"`
	Assignee   string    `json:"assignee,omitempty"`
	Unassigned bool      `json:"unassigned,omitempty"`
	// Team selects the cases of a team (see Case.Team).
	Team string `json:"team,omitempty"`
	// Branch selects the cases received at a branch (see Case.Branch).
	Branch     string   `json:"branch,omitempty"`
	CustomerID string   `json:"customer_id,omitempty"`
	Severity   Severity `json:"severity,omitempty"`
	// Difficulty lists flag names (FlagStrongEmotion …) that must all be
	// set; Difficult selects cases with any flag set.
	Difficulty []string `json:"difficulty,omitempty"`
	Difficult  bool     `json:"difficult,omitempty"`
	// DueBefore selects cases with a pending deadline before the time.
	DueBefore    time.Time `json:"due_before,omitzero"`
	ReceivedFrom time.Time `json:"received_from,omitzero"`
	ReceivedTo   time.Time `json:"received_to,omitzero"`
	Escalated    bool      `json:"escalated,omitempty"`
	// DeadlineStatus selects by the status stored with the case: as of its
	// last change, or raised since by the deadline watcher.
	DeadlineStatus deadlines.Status `json:"deadline_status,omitempty"`
	// Query is full-text search over the complaint's text and customer
	// name; works for Chinese (trigram index, substring match).
	Query string `json:"q,omitempty"`
	// Goodwill selects by the goodwill result; GoodwillReview by
	// GoodwillReviewPending (awaiting a supervisor's decision) or
	// GoodwillReviewReviewed (with one).
	Goodwill       GoodwillResult `json:"goodwill,omitempty"`
	GoodwillReview string         `json:"goodwill_review,omitempty"`
	// Sort is SortReceived (newest first) or SortDue (soonest pending
	// deadline first, cases without one excluded). Default: SortDue when
	// DueBefore is set, else SortReceived.
	Sort string `json:"sort,omitempty"`
	// Limit defaults to 50 and is capped at MaxListLimit.
	Limit int `json:"limit,omitempty"`
	// Cursor is ListPage.Next of the previous page (with the same filter).
	Cursor string `json:"cursor,omitempty"`
}

// List orders.
const (
	SortReceived = "received"
	SortDue      = "due"
)

// MaxListLimit caps ListFilter.Limit.
const MaxListLimit = 500

// ListPage is one page of a list.
type ListPage struct {
	Items []Summary `json:"items"`
	// Next is the cursor of the following page, empty on the last.
	Next string `json:"next,omitempty"`
}

// DeadlineEvent is a warning or breach raised by the deadline watcher.
type DeadlineEvent struct {
	ID     int64            `json:"id"`
	CaseID string           `json:"case_id"`
	Kind   deadlines.Kind   `json:"kind"`
	Due    time.Time        `json:"due"`
	Level  deadlines.Status `json:"level"` // warning or breached
	At     time.Time        `json:"at"`
}

// RepeatCandidate is an earlier case that a case may repeat.
type RepeatCandidate struct {
	Case   Summary `json:"case"`
	Reason string  `json:"reason"` // "same_cause", "same_business", "similar_text"
	// Similarity is the text similarity (0–1, character bigram Jaccard).
	Similarity float64 `json:"similarity"`
}

// ---- inputs ----

// NewCase is the intake of a complaint.
type NewCase struct {
	Channel    Channel   `json:"channel"`
	Customer   Customer  `json:"customer"`
	ReceivedAt time.Time `json:"received_at,omitzero"` // default: now
	Text       string    `json:"text"`
	ProductRef string    `json:"product_ref,omitempty"`
	// Branch is where the complaint was received.
	Branch   string `json:"branch,omitempty"`
	Assignee string `json:"assignee,omitempty"`
	// Policy is the deadline policy ID (deadlines.CN …); default Opts.DefaultPolicy.
	Policy string `json:"policy,omitempty"`
	// SourceAlert is the conversation alert the case is opened from: at
	// most one case per alert (a second Create returns a
	// *DuplicateSourceError naming the first case).
	SourceAlert string `json:"-"`
}

// TransitionInput moves a case to another state.
type TransitionInput struct {
	To   State  `json:"to"`
	Note string `json:"note,omitempty"`
	// IfVersion, when non-zero, must equal the case's version (else ErrConflict).
	IfVersion int64 `json:"if_version,omitempty"`
}

// ContactInput records a contact with the customer.
type ContactInput struct {
	At        time.Time `json:"at,omitzero"` // default: now
	Channel   Channel   `json:"channel"`
	Direction Direction `json:"direction"`
	By        string    `json:"by,omitempty"` // default: the actor
	Content   string    `json:"content"`
}

// FindingInput records an investigation finding.
type FindingInput struct {
	Department    string `json:"department,omitempty"`
	Text          string `json:"text"`
	Substantiated *bool  `json:"substantiated,omitempty"`
}

// EvidenceInput is an evidence file. Content type is sniffed from the
// bytes (http.DetectContentType plus a few office formats) and must be in
// AllowedEvidenceTypes; a declared type is ignored.
type EvidenceInput struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Department  string `json:"department,omitempty"`
	Content     []byte `json:"-"`
}

// SolutionInput proposes a solution.
type SolutionInput struct {
	Summary  string   `json:"summary"`
	Basis    string   `json:"basis,omitempty"`
	Remedies []Remedy `json:"remedies"`
}

// ResponseInput records the customer's answer to the current solution.
type ResponseInput struct {
	Accepted bool      `json:"accepted"`
	Reason   string    `json:"reason,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// FollowUpInput records a follow-up visit.
type FollowUpInput struct {
	Date         time.Time `json:"date,omitzero"` // default: now
	Satisfaction int       `json:"satisfaction"`
	Comment      string    `json:"comment,omitempty"`
}

// EscalateInput raises a case's escalation level (Level 0: one level up).
type EscalateInput struct {
	Level  int    `json:"level,omitempty"`
	Reason string `json:"reason"`
}

// ExtendInput extends a case's deadline under its policy.
type ExtendInput struct {
	Reason           string    `json:"reason"`
	CustomerNotified bool      `json:"customer_notified"`
	NotifiedAt       time.Time `json:"notified_at,omitzero"`
	// Approver is the senior who approved (required by CN's second step).
	Approver string `json:"approver,omitempty"`
}

// AssessmentPatch edits an assessment; nil fields are left alone.
type AssessmentPatch struct {
	Emotion      *Emotion        `json:"emotion,omitempty"`
	BusinessCode *string         `json:"business_code,omitempty"`
	BusinessName *string         `json:"business_name,omitempty"`
	CauseCode    *string         `json:"cause_code,omitempty"`
	CauseName    *string         `json:"cause_name,omitempty"`
	Severity     *Severity       `json:"severity,omitempty"`
	Complexity   *Complexity     `json:"complexity,omitempty"`
	Difficulty   *Difficulty     `json:"difficulty,omitempty"`
	Type         *ComplaintType  `json:"type,omitempty"`
	Goodwill     json.RawMessage `json:"goodwill,omitempty"`
}

// ---- errors ----

// ErrNotFound: no such case (or evidence).
var ErrNotFound = errors.New("cases: not found")

// ErrConflict: the case changed since it was read (IfVersion), or the
// operation conflicts with the case's current data (merging a merged case).
var ErrConflict = errors.New("cases: conflict")

// DuplicateSourceError: a case was already opened from the same source
// (NewCase.SourceAlert); CaseID is that case. It is an ErrConflict.
type DuplicateSourceError struct {
	SourceAlert string
	CaseID      string
}

func (e *DuplicateSourceError) Error() string {
	return fmt.Sprintf("cases: case %s was already opened from alert %s", e.CaseID, e.SourceAlert)
}

func (e *DuplicateSourceError) Unwrap() error { return ErrConflict }

// IllegalTransitionError refuses a move the lifecycle does not allow.
type IllegalTransitionError struct {
	From    State   `json:"from"`
	To      State   `json:"to"`
	Allowed []State `json:"allowed"`
	// Action names a non-transition operation refused in this state
	// ("propose_solution", "escalate" …); empty for Transition.
	Action string `json:"action,omitempty"`
}

func (e *IllegalTransitionError) Error() string {
	allowed := make([]string, len(e.Allowed))
	for i, s := range e.Allowed {
		allowed[i] = string(s)
	}
	next := strings.Join(allowed, ", ")
	if next == "" {
		next = "none"
	}
	if e.Action != "" {
		return fmt.Sprintf("cases: cannot %s in state %s (allowed next steps: %s)", e.Action, e.From, next)
	}
	return fmt.Sprintf("cases: cannot move from %s to %s (allowed next steps: %s)", e.From, e.To, next)
}

// ValidationError names the field of an input that is wrong and, in Code
// (one of ValidationCodes), why: Code is what clients and translations key
// on, Message is English prose for the API and the logs and may change.
// Value is the value a translation quotes, for the codes that document one
// (the case merged into, the current level, a limit).
type ValidationError struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Value   string `json:"value,omitempty"`
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("cases: invalid %s: %s", e.Field, e.Message)
}

// TooLargeError: a field or file exceeds its size limit (HTTP 413).
type TooLargeError struct {
	Field string `json:"field"`
	Limit int64  `json:"limit"`
	Size  int64  `json:"size"`
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("cases: %s is %d bytes, over the limit of %d", e.Field, e.Size, e.Limit)
}

// UnsupportedTypeError: an evidence file's sniffed content type is not
// allowed (HTTP 415 or 422).
type UnsupportedTypeError struct {
	ContentType string   `json:"content_type"`
	Allowed     []string `json:"allowed"`
}

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("cases: evidence of type %s is not accepted (allowed: %s)", e.ContentType, strings.Join(e.Allowed, ", "))
}

// ---- dependencies ----

// AnalyzeFunc analyses one message. caseanalysis.Func(a.Analyze) adapts the
// analysis engine ((*analysis.Analyzer).Analyze); this package does not
// import it, so cases build and test before the models exist.
type AnalyzeFunc func(text string) Signals

// Mutation is what an Update callback returns: the audit records of the
// change and evidence contents to store with it.
type Mutation struct {
	Changes []audit.Change
	Blobs   []Blob
}

// Blob is evidence content stored with a mutation.
type Blob struct {
	CaseID     string
	EvidenceID string
	Content    []byte
}

// Repo is the persistence the service needs; package store implements it
// for SQLite and PostgreSQL. Every write commits the case documents, their
// index columns, the audit entries and blobs in one transaction.
type Repo interface {
	// Insert stores a new case with its audit records.
	Insert(ctx context.Context, c *Case, m Mutation) error
	// Get returns a case or ErrNotFound.
	Get(ctx context.Context, id string) (*Case, error)
	// Update locks the cases (in ID order), calls fn with them, and
	// stores the changed cases (version incremented) with fn's mutation.
	// An error from fn rolls everything back and is returned as is.
	Update(ctx context.Context, ids []string, fn func(cs []*Case) (Mutation, error)) ([]*Case, error)
	List(ctx context.Context, f ListFilter) (ListPage, error)
	// Candidates returns open cases of a customer received at or after
	// since, excluding one ID, for repeat detection.
	Candidates(ctx context.Context, customerID string, since time.Time, exclude string) ([]*Case, error)
	EvidenceContent(ctx context.Context, caseID, evidenceID string) ([]byte, error)
	AuditTrail(ctx context.Context, caseID string) ([]audit.Entry, error)
	VerifyAudit(ctx context.Context) (audit.Report, error)
	// DueBefore returns IDs of open cases with a pending deadline before t.
	DueBefore(ctx context.Context, t time.Time) ([]string, error)
	// RaiseDeadlineEvent stores ev unless an event with the same case,
	// kind, due time and level exists; it reports whether it stored it,
	// and appends ch to the audit trail in the same transaction if so.
	RaiseDeadlineEvent(ctx context.Context, ev DeadlineEvent, ch audit.Change) (bool, error)
	DeadlineEvents(ctx context.Context, caseID string) ([]DeadlineEvent, error)
	// CustomerCases returns a customer's cases received in [from, to)
	// (zero bounds are open), newest first, at most limit, merged
	// duplicates and closed cases included: the customer's history.
	CustomerCases(ctx context.Context, customerID string, from, to time.Time, limit int) ([]*Case, error)
	// Complainers returns the customers with at least min cases received
	// at or after since, most cases first, at most limit.
	Complainers(ctx context.Context, since time.Time, min, limit int) ([]string, error)
}

// Opts configures a Service.
type Opts struct {
	Repo Repo
	// Analyze, when set, assesses intake text and contacts. Without it
	// the assessment starts from the text's cue words only.
	Analyze AnalyzeFunc
	// Goodwill, when set, assesses each complaint on intake and again with
	// each new inbound contact (casegoodwill.Func). It is decision
	// support: a suspicion only queues the case for a supervisor's review.
	Goodwill GoodwillFunc
	// Now is the clock; default time.Now.
	Now func() time.Time
	// Policies by ID; default deadlines.Builtin().
	Policies map[string]deadlines.Policy
	// DefaultPolicy; default deadlines.CN.
	DefaultPolicy string
	Calendar      deadlines.Calendar
	// WarnLead is how long before a deadline a warning is raised; default 72h.
	WarnLead time.Duration
	// MaxEvidenceBytes; default 10 MiB.
	MaxEvidenceBytes int64
	// ChannelCode maps an intake channel to its JR/T 0169-2018 channel (A)
	// code, when the taxonomy has one (DefaultChannelCode does).
	ChannelCode func(Channel) (string, bool)
	// TeamOf returns an assignee's team ("" for none or an unknown name);
	// a case records its assignee's team when assigned. Without it cases
	// have no team.
	TeamOf func(ctx context.Context, assignee string) (string, error)
	Logger *slog.Logger
}

// Service is the case domain. It is safe for concurrent use.
type Service struct {
	repo     Repo
	analyze  AnalyzeFunc
	goodwill GoodwillFunc
	now      func() time.Time
	policies map[string]deadlines.Policy
	policy   string
	cal      deadlines.Calendar
	lead     time.Duration
	maxEv    int64
	chanCode func(Channel) (string, bool)
	teamOf   func(ctx context.Context, assignee string) (string, error)
	log      *slog.Logger
}

// Limits on input sizes (bytes of UTF-8).
const (
	MaxTextBytes     = 64 << 10
	MaxShortBytes    = 256
	MaxEvidenceBytes = 10 << 20
)

// New returns a Service. It panics without a Repo: that is a wiring error.
func New(o Opts) *Service {
	if o.Repo == nil {
		panic("cases.New: Opts.Repo is required")
	}
	s := &Service{repo: o.Repo, analyze: o.Analyze, goodwill: o.Goodwill, now: o.Now, policies: o.Policies,
		policy: o.DefaultPolicy, cal: o.Calendar, lead: o.WarnLead, maxEv: o.MaxEvidenceBytes,
		chanCode: o.ChannelCode, teamOf: o.TeamOf, log: o.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.policies == nil {
		s.policies = deadlines.Builtin()
	}
	if s.policy == "" {
		s.policy = deadlines.CN
	}
	if s.lead == 0 {
		s.lead = 72 * time.Hour
	}
	if s.maxEv == 0 {
		s.maxEv = MaxEvidenceBytes
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s
}

// MaxEvidence is the largest evidence file the service takes, in bytes:
// the API and the UI bound their uploads by it.
func (s *Service) MaxEvidence() int64 {
	return s.maxEv
}

// The Service's methods, implemented in the files named:
//
//	Create(ctx, Actor, NewCase) (*Case, error)                      intake.go
//	Get(ctx, id) (*Case, error)                                     service_impl.go
//	List(ctx, ListFilter) (ListPage, error)                         service_impl.go
//	Transition(ctx, Actor, id, TransitionInput) (*Case, error)      service_impl.go
//	AddContact(ctx, Actor, id, ContactInput) (*Contact, error)
//	AddFinding(ctx, Actor, id, FindingInput) (*Finding, error)
//	AddEvidence(ctx, Actor, id, EvidenceInput) (*Evidence, error)
//	EvidenceContent(ctx, caseID, evidenceID) (*Evidence, []byte, error)
//	ProposeSolution(ctx, Actor, id, SolutionInput) (*Solution, error)
//	RecordResponse(ctx, Actor, id, ResponseInput) (*Case, error)
//	RecordFollowUp(ctx, Actor, id, FollowUpInput) (*Case, error)
//	Assign(ctx, Actor, id, assignee string) (*Case, error)
//	Escalate(ctx, Actor, id, EscalateInput) (*Case, error)
//	ExtendDeadline(ctx, Actor, id, ExtendInput) (*Case, error)
//	Merge(ctx, Actor, targetID, sourceID string) (*Case, error)
//	FindRepeats(ctx, id) ([]RepeatCandidate, error)
//	UpdateAssessment(ctx, Actor, id, AssessmentPatch) (*Case, error)
//	ReviewGoodwill(ctx, Actor, id, GoodwillReviewInput) (*GoodwillReview, error)  goodwill.go
//	Goodwill(ctx, id) (*GoodwillView, error)                        goodwill.go
//	ReviewedCases(ctx, fn) error                                    goodwill.go
//	SerialComplainers(ctx, SerialFilter) (*SerialReport, error)     serial.go
//	AuditTrail(ctx, caseID) ([]audit.Entry, error)
//	VerifyAudit(ctx) (audit.Report, error)
//	DeadlineEvents(ctx, caseID) ([]DeadlineEvent, error)
//	ScanDeadlines(ctx) ([]DeadlineEvent, error)                     watcher.go
//	RunDeadlineWatcher(ctx, interval)                               watcher.go
//	Policies() map[string]deadlines.Policy
