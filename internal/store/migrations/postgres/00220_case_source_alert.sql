-- One case per alert: a case opened from a conversation alert records the
-- alert's id, unique among cases, so two concurrent "open a case from this
-- alert" calls insert one case and the second finds the first's. Cases
-- opened otherwise leave it NULL (any number of them).

-- +goose Up
ALTER TABLE cases ADD COLUMN source_alert TEXT;
CREATE UNIQUE INDEX cases_source_alert ON cases(source_alert) WHERE source_alert IS NOT NULL;

-- +goose Down
DROP INDEX cases_source_alert;
ALTER TABLE cases DROP COLUMN source_alert;
