package client

import (
	"context"
	"net/url"

	"huajie/internal/cases"
	"huajie/internal/goodwill"
)

// Assess assesses a complaint (POST /api/v1/assess): decision support only.
func (c *Client) Assess(ctx context.Context, in goodwill.Input) (*goodwill.Assessment, error) {
	var out goodwill.Assessment
	return &out, c.do(ctx, "POST", "/api/v1/assess", in, &out)
}

// CaseGoodwill returns a case's goodwill assessment, its evidence and the
// supervisors' decisions.
func (c *Client) CaseGoodwill(ctx context.Context, id string) (*cases.GoodwillView, error) {
	var out cases.GoodwillView
	return &out, c.do(ctx, "GET", casePath(id, "goodwill"), nil, &out)
}

// ReviewGoodwill records a supervisor's decision on a case's goodwill
// assessment.
func (c *Client) ReviewGoodwill(ctx context.Context, id string, in cases.GoodwillReviewInput) (*cases.GoodwillReview, error) {
	var out cases.GoodwillReview
	return &out, c.do(ctx, "POST", casePath(id, "goodwill", "review"), in, &out)
}

// ExportGoodwillReviews returns the supervisors' decisions as labelled
// JSONL (goodwill.ReadLabelled reads it).
func (c *Client) ExportGoodwillReviews(ctx context.Context) ([]byte, error) {
	resp, err := c.Raw(ctx, "GET", "/api/v1/goodwill/reviews/export", nil, nil)
	if err != nil {
		return nil, err
	}
	if resp.Status >= 300 {
		return nil, decode(resp, nil)
	}
	return resp.Body, nil
}

// SerialComplainers returns the serial-complainers report; q holds
// min_complaints, since and limit.
func (c *Client) SerialComplainers(ctx context.Context, q url.Values) (*cases.SerialReport, error) {
	var out cases.SerialReport
	p := "/api/v1/reports/serial-complainers"
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return &out, c.do(ctx, "GET", p, nil, &out)
}
