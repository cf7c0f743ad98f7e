package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"huajie/internal/alerts"
	"huajie/internal/interactions"
)

// Ingest posts a batch of messages (as a JSON array).
func (c *Client) Ingest(ctx context.Context, ms []interactions.Message) (*interactions.Result, error) {
	var out interactions.Result
	return &out, c.do(ctx, "POST", "/api/v1/interactions", ms, &out)
}

// IngestOne posts one message (as a JSON object).
func (c *Client) IngestOne(ctx context.Context, m interactions.Message) (*interactions.Result, error) {
	var out interactions.Result
	return &out, c.do(ctx, "POST", "/api/v1/interactions", m, &out)
}

// ConversationView is a conversation with its messages.
type ConversationView = interactions.ConversationView

// Conversation returns a conversation with its messages.
func (c *Client) Conversation(ctx context.Context, id string) (*ConversationView, error) {
	var out ConversationView
	return &out, c.do(ctx, "GET", "/api/v1/conversations/"+url.PathEscape(id), nil, &out)
}

// CustomerRisk is a customer's current risk as the API returns it.
type CustomerRisk struct {
	interactions.CustomerView
	OpenCases []struct {
		ID string `json:"id"`
	} `json:"open_cases"`
	Alerts []alerts.Alert `json:"alerts"`
}

// CustomerRisk returns a customer's current risk.
func (c *Client) CustomerRisk(ctx context.Context, id string) (*CustomerRisk, error) {
	var out CustomerRisk
	return &out, c.do(ctx, "GET", "/api/v1/customers/"+url.PathEscape(id)+"/risk", nil, &out)
}

// Alerts lists alerts; q holds the filters (state, team, agent, channel).
func (c *Client) Alerts(ctx context.Context, q url.Values) ([]alerts.Alert, error) {
	var out struct {
		Items []alerts.Alert `json:"items"`
	}
	p := "/api/v1/alerts"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return out.Items, c.do(ctx, "GET", p, nil, &out)
}

// Alert returns an alert.
func (c *Client) Alert(ctx context.Context, id string) (*alerts.Alert, error) {
	var out alerts.Alert
	return &out, c.do(ctx, "GET", "/api/v1/alerts/"+url.PathEscape(id), nil, &out)
}

// AcknowledgeAlert acknowledges an alert.
func (c *Client) AcknowledgeAlert(ctx context.Context, id string) (*alerts.Alert, error) {
	var out alerts.Alert
	return &out, c.do(ctx, "POST", "/api/v1/alerts/"+url.PathEscape(id)+"/acknowledge", nil, &out)
}

// CloseAlert closes an alert.
func (c *Client) CloseAlert(ctx context.Context, id, note string) (*alerts.Alert, error) {
	var out alerts.Alert
	return &out, c.do(ctx, "POST", "/api/v1/alerts/"+url.PathEscape(id)+"/close", map[string]string{"note": note}, &out)
}

// AlertCase is the answer to opening a case from an alert.
type AlertCase struct {
	Case  json.RawMessage `json:"case"`
	Alert alerts.Alert    `json:"alert"`
}

// CaseFromAlert opens a case from an alert; in may be nil.
func (c *Client) CaseFromAlert(ctx context.Context, id string, in map[string]string) (*AlertCase, error) {
	var out AlertCase
	if in == nil {
		in = map[string]string{}
	}
	return &out, c.do(ctx, "POST", "/api/v1/alerts/"+url.PathEscape(id)+"/case", in, &out)
}

// CreateWebhook registers a webhook; the answer carries its secret.
func (c *Client) CreateWebhook(ctx context.Context, urlStr, team string) (*alerts.Webhook, error) {
	var out alerts.Webhook
	return &out, c.do(ctx, "POST", "/api/v1/webhooks", map[string]string{"url": urlStr, "team": team}, &out)
}

// WebhookDeliveries returns a webhook's delivery log.
func (c *Client) WebhookDeliveries(ctx context.Context, id string) ([]alerts.Delivery, error) {
	var out struct {
		Items []alerts.Delivery `json:"items"`
	}
	return out.Items, c.do(ctx, "GET", "/api/v1/webhooks/"+url.PathEscape(id)+"/deliveries", nil, &out)
}

// AlertStream is an open server-sent-event stream of alert events.
type AlertStream struct {
	resp *http.Response
	rd   *bufio.Reader
	// Heartbeats counts the heartbeat comments read so far.
	Heartbeats int
}

// StreamAlerts opens the alert stream with the filters in q; lastEventID
// (when not empty) resumes after that event. It returns once the server
// has confirmed the subscription, so events committed afterwards are on
// the stream. Close it when done.
func (c *Client) StreamAlerts(ctx context.Context, q url.Values, lastEventID string) (*AlertStream, error) {
	p := c.base + "/api/v1/alerts/stream"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, "GET", p, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	req.Header.Set("Accept", "text/event-stream")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, decode(&Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil)
	}
	s := &AlertStream{resp: resp, rd: bufio.NewReader(resp.Body)}
	line, err := s.rd.ReadString('\n')
	if err != nil || !strings.HasPrefix(line, ": connected") {
		resp.Body.Close()
		return nil, fmt.Errorf("alert stream: unexpected start %q: %v", line, err)
	}
	return s, nil
}

// StreamEvent is one event read from the stream.
type StreamEvent struct {
	ID    int64
	Event string
	Data  alerts.Event
	Raw   string
}

// Next reads the next event (heartbeats are counted and skipped). It
// blocks until an event arrives or the stream ends; close the stream (or
// cancel its context) to stop it.
func (s *AlertStream) Next() (*StreamEvent, error) {
	var ev StreamEvent
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			return nil, err
		}
		line = strings.TrimRight(line, "\r\n")
		switch {
		case line == ": heartbeat":
			s.Heartbeats++
		case strings.HasPrefix(line, "id: "):
			ev.ID, _ = strconv.ParseInt(line[4:], 10, 64)
		case strings.HasPrefix(line, "event: "):
			ev.Event = line[7:]
		case strings.HasPrefix(line, "data: "):
			ev.Raw = line[6:]
			if err := json.Unmarshal([]byte(ev.Raw), &ev.Data); err != nil {
				return nil, fmt.Errorf("alert stream: data %q: %w", ev.Raw, err)
			}
		case line == "" && ev.Raw != "":
			return &ev, nil
		}
	}
}

// Close ends the stream.
func (s *AlertStream) Close() error { return s.resp.Body.Close() }

// StreamStatus opens a streaming route and returns its status without
// reading the body (role × route checks on the event stream).
func (c *Client) StreamStatus(ctx context.Context, path string) (int, []byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+path, nil)
	if err != nil {
		return 0, nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var b []byte
	if resp.StatusCode != http.StatusOK {
		b, _ = io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	}
	return resp.StatusCode, b, nil
}

// WaitHeartbeat reads until the next heartbeat comment; events read on the
// way are returned.
func (s *AlertStream) WaitHeartbeat() ([]string, error) {
	var skipped []string
	for {
		line, err := s.rd.ReadString('\n')
		if err != nil {
			return skipped, err
		}
		line = strings.TrimRight(line, "\r\n")
		if line == ": heartbeat" {
			s.Heartbeats++
			return skipped, nil
		}
		if line != "" {
			skipped = append(skipped, line)
		}
	}
}
