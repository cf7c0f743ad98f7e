package web

import (
	"net/http"

	"huajie/internal/audit"
	"huajie/internal/auth"
	"huajie/internal/cases"
	"huajie/internal/goodwill"
)

// route is one entry of the route table.
type route struct {
	Method  string
	Path    string
	Perm    auth.Permission
	Summary string
	Tag     string
	// Request is the JSON body's type (a zero value), nil without a body.
	Request any
	// Response is the success body's type, nil for none or non-JSON.
	Response any
	// Status is the success status (200 when zero).
	Status int
	// Query documents query parameters.
	Query []param
	// Upload marks a multipart evidence upload; Download a binary body.
	Upload, Download bool
	handler          http.HandlerFunc
}

// param is a documented query parameter.
type param struct {
	Name, Type, Description string
}

// Response types of the few routes that do not return a domain type.
type (
	healthResponse struct {
		Status string `json:"status"`
	}
	meResponse struct {
		Name        string   `json:"name"`
		Role        string   `json:"role"`
		Team        string   `json:"team,omitempty"`
		Via         string   `json:"via"`
		Permissions []string `json:"permissions"`
	}
	loginRequest struct {
		Name     string `json:"name"`
		Password string `json:"password"`
	}
	assignRequest struct {
		Assignee string `json:"assignee"`
	}
	mergeRequest struct {
		SourceID string `json:"source_id"`
	}
	repeatsResponse struct {
		Items []cases.RepeatCandidate `json:"items"`
	}
	auditResponse struct {
		Items []audit.Entry `json:"items"`
	}
	deadlineEventsResponse struct {
		Items []cases.DeadlineEvent `json:"items"`
	}
)

// goodwillRoutes are the goodwill judgement's routes (issue 5): decision
// support, never a rejection.
func (a *api) goodwillRoutes() []route {
	const c = "/api/v1/cases"
	return []route{
		{Method: "POST", Path: "/api/v1/assess", Perm: auth.PermCaseRead, Tag: "goodwill", Summary: "Assess a complaint: goodwill, unreasonable demand or suspected malicious, with evidence (decision support only)", Request: goodwill.Input{}, Response: goodwill.Assessment{}, handler: a.assess},
		{Method: "GET", Path: c + "/{id}/goodwill", Perm: auth.PermCaseRead, Tag: "goodwill", Summary: "The case's goodwill assessment with its evidence, the supervisors' decisions and repeats offered for merging", Response: cases.GoodwillView{}, handler: a.caseGoodwill},
		{Method: "POST", Path: c + "/{id}/goodwill/review", Perm: auth.PermGoodwillReview, Tag: "goodwill", Summary: "Record a supervisor's decision on the goodwill assessment (changes nothing else)", Request: cases.GoodwillReviewInput{}, Response: cases.GoodwillReview{}, Status: http.StatusCreated, handler: a.reviewGoodwill},
		{Method: "GET", Path: "/api/v1/goodwill/reviews/export", Perm: auth.PermGoodwillReport, Tag: "goodwill", Summary: "Supervisors' goodwill decisions as labelled JSONL (huajie assess --measure reads it)", Download: true, handler: a.exportGoodwillReviews},
		{Method: "GET", Path: "/api/v1/reports/serial-complainers", Perm: auth.PermGoodwillReport, Tag: "goodwill", Summary: "Customers with many complaints, their outcomes and compensation: a pattern for review, not a verdict", Response: cases.SerialReport{}, Query: serialParams, handler: a.serialComplainers},
	}
}

var serialParams = []param{
	{"min_complaints", "integer", "cases received since `since` that put a customer on the report; default 3, at least 2"},
	{"since", "string", "count cases received at or after (RFC 3339 or YYYY-MM-DD); default a year ago"},
	{"limit", "integer", "customers listed, most complaints first; default 50, at most 200"},
}

// routes is the route table: everything the API serves, with its
// permission. The OpenAPI description is generated from it and the
// role × route test walks it.
func (a *api) routes() []route {
	const c = "/api/v1/cases"
	return append([]route{
		{Method: "GET", Path: "/healthz", Perm: auth.PermPublic, Tag: "ops", Summary: "Liveness: the process answers", Response: healthResponse{}, handler: a.healthz},
		{Method: "GET", Path: "/readyz", Perm: auth.PermPublic, Tag: "ops", Summary: "Readiness: the database answers", Response: healthResponse{}, handler: a.readyz},
		{Method: "GET", Path: "/metrics", Perm: auth.PermPublic, Tag: "ops", Summary: "Prometheus metrics (text exposition format)", Download: true, handler: a.metricsHandler},
		{Method: "GET", Path: "/api/v1/openapi.json", Perm: auth.PermPublic, Tag: "ops", Summary: "This API's OpenAPI 3.1 description", Download: true, handler: a.openAPI},

		{Method: "POST", Path: "/api/v1/auth/login", Perm: auth.PermPublic, Tag: "auth", Summary: "Sign in with a password; sets the session cookie", Request: loginRequest{}, Response: meResponse{}, handler: a.login},
		{Method: "POST", Path: "/api/v1/auth/logout", Perm: auth.PermAuthenticated, Tag: "auth", Summary: "Close the session", Status: http.StatusNoContent, handler: a.logout},
		{Method: "GET", Path: "/api/v1/auth/me", Perm: auth.PermAuthenticated, Tag: "auth", Summary: "Who is signed in, with which permissions", Response: meResponse{}, handler: a.me},

		{Method: "POST", Path: c, Perm: auth.PermCaseCreate, Tag: "cases", Summary: "Intake: open a case from a complaint", Request: cases.NewCase{}, Response: cases.Case{}, Status: http.StatusCreated, handler: a.createCase},
		{Method: "GET", Path: c, Perm: auth.PermCaseRead, Tag: "cases", Summary: "List cases, newest first, with filters", Response: cases.ListPage{}, Query: listParams, handler: a.listCases},
		{Method: "GET", Path: c + "/{id}", Perm: auth.PermCaseRead, Tag: "cases", Summary: "Get a case", Response: cases.Case{}, handler: a.getCase},
		{Method: "PATCH", Path: c + "/{id}/assessment", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Edit the assessment (type, severity, difficulty flags …)", Request: cases.AssessmentPatch{}, Response: cases.Case{}, handler: a.patchAssessment},
		{Method: "POST", Path: c + "/{id}/transitions", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Move the case to another state (409 names the allowed next steps)", Request: cases.TransitionInput{}, Response: cases.Case{}, handler: a.transition},
		{Method: "POST", Path: c + "/{id}/contacts", Perm: auth.PermCaseContact, Tag: "cases", Summary: "Record a contact with the customer", Request: cases.ContactInput{}, Response: cases.Contact{}, Status: http.StatusCreated, handler: a.addContact},
		{Method: "POST", Path: c + "/{id}/findings", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Record an investigation finding", Request: cases.FindingInput{}, Response: cases.Finding{}, Status: http.StatusCreated, handler: a.addFinding},
		{Method: "POST", Path: c + "/{id}/evidence", Perm: auth.PermEvidenceWrite, Tag: "cases", Summary: "Upload an evidence file (multipart/form-data: file, description, department)", Upload: true, Response: cases.Evidence{}, Status: http.StatusCreated, handler: a.uploadEvidence},
		{Method: "GET", Path: c + "/{id}/evidence/{evidence_id}", Perm: auth.PermEvidenceRead, Tag: "cases", Summary: "Download an evidence file", Download: true, handler: a.downloadEvidence},
		{Method: "POST", Path: c + "/{id}/solutions", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Propose a solution (remedies)", Request: cases.SolutionInput{}, Response: cases.Solution{}, Status: http.StatusCreated, handler: a.proposeSolution},
		{Method: "POST", Path: c + "/{id}/responses", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Record the customer's response to the current solution", Request: cases.ResponseInput{}, Response: cases.Case{}, handler: a.recordResponse},
		{Method: "POST", Path: c + "/{id}/follow-ups", Perm: auth.PermCaseWork, Tag: "cases", Summary: "Record a follow-up visit", Request: cases.FollowUpInput{}, Response: cases.Case{}, handler: a.recordFollowUp},
		{Method: "POST", Path: c + "/{id}/assign", Perm: auth.PermCaseAssign, Tag: "cases", Summary: "Assign the case to a handler", Request: assignRequest{}, Response: cases.Case{}, handler: a.assign},
		{Method: "POST", Path: c + "/{id}/escalate", Perm: auth.PermCaseEscalate, Tag: "cases", Summary: "Escalate the case", Request: cases.EscalateInput{}, Response: cases.Case{}, handler: a.escalate},
		{Method: "POST", Path: c + "/{id}/extend", Perm: auth.PermCaseExtend, Tag: "cases", Summary: "Extend the deadline under the case's policy", Request: cases.ExtendInput{}, Response: cases.Case{}, handler: a.extend},
		{Method: "POST", Path: c + "/{id}/merge", Perm: auth.PermCaseMerge, Tag: "cases", Summary: "Merge a repeat complaint (source_id) into this case", Request: mergeRequest{}, Response: cases.Case{}, handler: a.merge},
		{Method: "GET", Path: c + "/{id}/repeats", Perm: auth.PermCaseRead, Tag: "cases", Summary: "Earlier cases this one may repeat", Response: repeatsResponse{}, handler: a.repeats},
		{Method: "GET", Path: c + "/{id}/deadline-events", Perm: auth.PermCaseRead, Tag: "cases", Summary: "Deadline warnings and breaches raised for the case", Response: deadlineEventsResponse{}, handler: a.deadlineEvents},
		{Method: "GET", Path: c + "/{id}/audit", Perm: auth.PermAuditRead, Tag: "audit", Summary: "The case's audit trail", Response: auditResponse{}, handler: a.caseAudit},

		{Method: "GET", Path: "/api/v1/audit/verify", Perm: auth.PermAuditRead, Tag: "audit", Summary: "Verify the whole audit hash chain", Response: audit.Report{}, handler: a.verifyAudit},
	}, append(append(append(a.goodwillRoutes(), a.ingestRoutes()...), a.insightRoutes()...), append(append(a.spikeAlertRoutes(), a.tokenRoutes()...), a.accessAuditRoutes()...)...)...)
}

var listParams = []param{
	{"state", "string", "state; repeat or comma-separate for several"},
	{"channel", "string", "intake channel; repeat or comma-separate for several"},
	{"cause", "string", "JR/T 0169-2018 cause (C) code"},
	{"business", "string", "JR/T 0169-2018 business type (B) code"},
	{"assignee", "string", "assigned handler"},
	{"unassigned", "boolean", "only unassigned cases"},
	{"team", "string", "the team the case is assigned to (its assignee's team when assigned)"},
	{"branch", "string", "the branch where the complaint was received"},
	{"customer_id", "string", "customer"},
	{"severity", "string", "low, medium, high or critical"},
	{"difficulty", "string", "difficulty flags that must all be set, comma-separated (strong_emotion, several_departments, unclear_demands, wide_impact)"},
	{"difficult", "boolean", "only cases with any difficulty flag"},
	{"escalated", "boolean", "only escalated cases"},
	{"deadline_status", "string", "ok, warning (due soon), breached, met, met_late or lapsed"},
	{"due_before", "string", "a pending deadline before this time (RFC 3339 or YYYY-MM-DD)"},
	{"received_from", "string", "received at or after (RFC 3339 or YYYY-MM-DD)"},
	{"received_to", "string", "received before (RFC 3339 or YYYY-MM-DD)"},
	{"q", "string", "full-text search in the complaint and customer name (Chinese substring match)"},
	{"goodwill", "string", "goodwill result: goodwill, unreasonable_demand or suspected_malicious"},
	{"goodwill_review", "string", "pending (awaiting a supervisor's goodwill decision) or reviewed"},
	{"sort", "string", "received (newest first) or due (soonest pending deadline first); default due when due_before is set, else received"},
	{"limit", "integer", "page size, default 50, at most 500"},
	{"cursor", "string", "the previous page's next cursor"},
}

// RouteInfo describes one served route: what the role × route test walks
// and what documentation lists.
type RouteInfo struct {
	Method string
	Path   string
	Perm   auth.Permission
}

// Routes lists every route of the API with its permission.
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, rt := range (&api{}).routes() {
		out = append(out, RouteInfo{Method: rt.Method, Path: rt.Path, Perm: rt.Perm})
	}
	return out
}
