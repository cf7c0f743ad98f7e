// Package client is a Go client for Huajie's HTTP API. The API's own tests
// go through it (black-box, as miniflux does), so it is exercised with every
// test run; the demo and the kill -9 test use it too.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"huajie/internal/audit"
	"huajie/internal/cases"
)

// Client talks to one Huajie server as one identity.
type Client struct {
	base  string
	token string
	hc    *http.Client
}

// New returns a client for the server at base ("http://127.0.0.1:8080")
// sending token as a bearer token (none when empty). Sessions from Login are
// kept in a cookie jar of the client's own.
func New(base, token string) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{base: strings.TrimRight(base, "/"), token: token, hc: &http.Client{Jar: jar}}
}

// WithToken returns a client for the same server with another token and no
// session.
func (c *Client) WithToken(token string) *Client { return New(c.base, token) }

// Error is an error response from the API.
type Error struct {
	Status  int
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("huajie API: %d %s: %s", e.Status, e.Code, e.Message)
}

// Response is a raw response, for callers (tests) that want the status and
// headers as well.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Raw sends body (a []byte is sent as is, anything else as JSON; nil sends
// nothing) and returns the response whatever its status.
func (c *Client) Raw(ctx context.Context, method, path string, body any, header http.Header) (*Response, error) {
	var rd io.Reader
	var ct string
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}

// do sends in as JSON and decodes a 2xx answer into out, or returns *Error.
func (c *Client) do(ctx context.Context, method, path string, in, out any) error {
	resp, err := c.Raw(ctx, method, path, in, nil)
	if err != nil {
		return err
	}
	return decode(resp, out)
}

func decode(resp *Response, out any) error {
	if resp.Status >= 300 {
		var e struct {
			Error struct{ Code, Message string } `json:"error"`
		}
		if json.Unmarshal(resp.Body, &e) != nil || e.Error.Code == "" {
			return &Error{Status: resp.Status, Code: "http", Message: strings.TrimSpace(string(resp.Body))}
		}
		return &Error{Status: resp.Status, Code: e.Error.Code, Message: e.Error.Message}
	}
	if out == nil || len(resp.Body) == 0 {
		return nil
	}
	return json.Unmarshal(resp.Body, out)
}

func casePath(id string, rest ...string) string {
	p := "/api/v1/cases/" + url.PathEscape(id)
	for _, r := range rest {
		p += "/" + r
	}
	return p
}

// Me is who the server thinks is calling.
type Me struct {
	Name        string   `json:"name"`
	Role        string   `json:"role"`
	Via         string   `json:"via"`
	Permissions []string `json:"permissions"`
}

// Login opens a password session; later calls carry its cookie.
func (c *Client) Login(ctx context.Context, name, password string) (*Me, error) {
	var m Me
	return &m, c.do(ctx, "POST", "/api/v1/auth/login", map[string]string{"name": name, "password": password}, &m)
}

// Logout closes the session.
func (c *Client) Logout(ctx context.Context) error {
	return c.do(ctx, "POST", "/api/v1/auth/logout", nil, nil)
}

// Me returns the caller's identity and permissions.
func (c *Client) Me(ctx context.Context) (*Me, error) {
	var m Me
	return &m, c.do(ctx, "GET", "/api/v1/auth/me", nil, &m)
}

// Ready reports whether /readyz answers 200.
func (c *Client) Ready(ctx context.Context) bool {
	resp, err := c.Raw(ctx, "GET", "/readyz", nil, nil)
	return err == nil && resp.Status == http.StatusOK
}

// CreateCase opens a case.
func (c *Client) CreateCase(ctx context.Context, in cases.NewCase) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", "/api/v1/cases", in, &out)
}

// GetCase returns a case.
func (c *Client) GetCase(ctx context.Context, id string) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "GET", casePath(id), nil, &out)
}

// ListCases lists cases; q holds the filters (state, q, due_before …).
func (c *Client) ListCases(ctx context.Context, q url.Values) (*cases.ListPage, error) {
	var out cases.ListPage
	p := "/api/v1/cases"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return &out, c.do(ctx, "GET", p, nil, &out)
}

// Transition moves a case to another state.
func (c *Client) Transition(ctx context.Context, id string, in cases.TransitionInput) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "transitions"), in, &out)
}

// UpdateAssessment edits a case's assessment.
func (c *Client) UpdateAssessment(ctx context.Context, id string, in cases.AssessmentPatch) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "PATCH", casePath(id, "assessment"), in, &out)
}

// AddContact records a contact.
func (c *Client) AddContact(ctx context.Context, id string, in cases.ContactInput) (*cases.Contact, error) {
	var out cases.Contact
	return &out, c.do(ctx, "POST", casePath(id, "contacts"), in, &out)
}

// AddFinding records a finding.
func (c *Client) AddFinding(ctx context.Context, id string, in cases.FindingInput) (*cases.Finding, error) {
	var out cases.Finding
	return &out, c.do(ctx, "POST", casePath(id, "findings"), in, &out)
}

// UploadEvidence stores an evidence file.
func (c *Client) UploadEvidence(ctx context.Context, id, name string, content []byte, description, department string) (*cases.Evidence, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if description != "" {
		mw.WriteField("description", description)
	}
	if department != "" {
		mw.WriteField("department", department)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		return nil, err
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, "POST", c.base+casePath(id, "evidence"), &buf)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out cases.Evidence
	return &out, decode(&Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, &out)
}

// DownloadEvidence returns an evidence file's content and content type.
func (c *Client) DownloadEvidence(ctx context.Context, id, evidenceID string) ([]byte, string, error) {
	resp, err := c.Raw(ctx, "GET", casePath(id, "evidence", url.PathEscape(evidenceID)), nil, nil)
	if err != nil {
		return nil, "", err
	}
	if err := decode(resp, nil); err != nil {
		return nil, "", err
	}
	return resp.Body, resp.Header.Get("Content-Type"), nil
}

// ProposeSolution proposes a solution.
func (c *Client) ProposeSolution(ctx context.Context, id string, in cases.SolutionInput) (*cases.Solution, error) {
	var out cases.Solution
	return &out, c.do(ctx, "POST", casePath(id, "solutions"), in, &out)
}

// RecordResponse records the customer's response to the current solution.
func (c *Client) RecordResponse(ctx context.Context, id string, in cases.ResponseInput) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "responses"), in, &out)
}

// RecordFollowUp records a follow-up visit.
func (c *Client) RecordFollowUp(ctx context.Context, id string, in cases.FollowUpInput) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "follow-ups"), in, &out)
}

// Assign assigns a case.
func (c *Client) Assign(ctx context.Context, id, assignee string) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "assign"), map[string]string{"assignee": assignee}, &out)
}

// Escalate escalates a case.
func (c *Client) Escalate(ctx context.Context, id string, in cases.EscalateInput) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "escalate"), in, &out)
}

// ExtendDeadline extends a case's deadline.
func (c *Client) ExtendDeadline(ctx context.Context, id string, in cases.ExtendInput) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(id, "extend"), in, &out)
}

// Merge merges case sourceID into targetID.
func (c *Client) Merge(ctx context.Context, targetID, sourceID string) (*cases.Case, error) {
	var out cases.Case
	return &out, c.do(ctx, "POST", casePath(targetID, "merge"), map[string]string{"source_id": sourceID}, &out)
}

// Repeats lists the earlier cases a case may repeat.
func (c *Client) Repeats(ctx context.Context, id string) ([]cases.RepeatCandidate, error) {
	var out struct {
		Items []cases.RepeatCandidate `json:"items"`
	}
	return out.Items, c.do(ctx, "GET", casePath(id, "repeats"), nil, &out)
}

// DeadlineEvents lists a case's deadline warnings and breaches.
func (c *Client) DeadlineEvents(ctx context.Context, id string) ([]cases.DeadlineEvent, error) {
	var out struct {
		Items []cases.DeadlineEvent `json:"items"`
	}
	return out.Items, c.do(ctx, "GET", casePath(id, "deadline-events"), nil, &out)
}

// AuditTrail returns a case's audit entries.
func (c *Client) AuditTrail(ctx context.Context, id string) ([]audit.Entry, error) {
	var out struct {
		Items []audit.Entry `json:"items"`
	}
	return out.Items, c.do(ctx, "GET", casePath(id, "audit"), nil, &out)
}

// VerifyAudit verifies the whole audit chain.
func (c *Client) VerifyAudit(ctx context.Context) (*audit.Report, error) {
	var out audit.Report
	return &out, c.do(ctx, "GET", "/api/v1/audit/verify", nil, &out)
}
