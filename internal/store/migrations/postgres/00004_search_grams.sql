-- Two-character search (most Chinese words and names): one token per
-- character bigram in the grams column, GIN-indexed as a tsvector (see
-- search.go). Existing rows are filled in by Migrate.

-- +goose Up
ALTER TABLE cases ADD COLUMN grams TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_grams ON cases USING gin (to_tsvector('simple', grams));

-- +goose Down
DROP INDEX cases_grams;
ALTER TABLE cases DROP COLUMN grams;
