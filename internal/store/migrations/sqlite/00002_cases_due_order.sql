-- Lists filtered by "due before" are ordered by due time, soonest first:
-- an index on (next_due, id) answers them without sorting.

-- +goose Up
DROP INDEX cases_due;
CREATE INDEX cases_due ON cases (next_due, id) WHERE next_due IS NOT NULL;

-- +goose Down
DROP INDEX cases_due;
CREATE INDEX cases_due ON cases (next_due) WHERE next_due IS NOT NULL;
