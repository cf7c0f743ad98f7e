package main

import (
	"context"

	"huajie/internal/analyst"
	"huajie/internal/interactions"
	"huajie/internal/store"
)

// newAnalyst returns the analyst's service over the store; the peak-end
// view reads conversations through the ingest service.
func newAnalyst(db *store.DB, in *interactions.Service) *analyst.Service {
	o := analyst.Opts{Repo: db}
	if in != nil {
		o.Messages = func(ctx context.Context, id string) ([]interactions.Stored, error) {
			v, err := in.Conversation(ctx, id)
			if err != nil {
				return nil, err
			}
			return v.Items, nil
		}
	}
	return analyst.New(o)
}
