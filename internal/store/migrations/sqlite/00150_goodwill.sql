-- The goodwill judgement (issue 5) as list columns: the result of the
-- latest assessment, whether a supervisor's review is awaited (1) and how
-- many supervisor decisions the case holds. The assessment, the history it
-- saw and the decisions themselves live in the case document; these only
-- let lists filter on them ("awaiting review") and the export find the
-- reviewed cases without reading every document.

-- +goose Up
ALTER TABLE cases ADD COLUMN goodwill_result TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN goodwill_pending INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN goodwill_reviews INTEGER NOT NULL DEFAULT 0;
CREATE INDEX cases_goodwill_pending ON cases (received_at DESC, id DESC) WHERE goodwill_pending = 1;
CREATE INDEX cases_goodwill_reviewed ON cases (id) WHERE goodwill_reviews > 0;

-- +goose Down
DROP INDEX cases_goodwill_reviewed;
DROP INDEX cases_goodwill_pending;
ALTER TABLE cases DROP COLUMN goodwill_reviews;
ALTER TABLE cases DROP COLUMN goodwill_pending;
ALTER TABLE cases DROP COLUMN goodwill_result;
