-- Teams (issue 7): a user's team; a case's team (its assignee's when
-- assigned) and the branch where it was received, so the case desk can
-- show a team's cases and the analyst can count cases by team and branch.

-- +goose Up
ALTER TABLE users ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN team TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN branch TEXT NOT NULL DEFAULT '';
CREATE INDEX cases_team ON cases (team, state);

-- +goose Down
DROP INDEX cases_team;
ALTER TABLE cases DROP COLUMN branch;
ALTER TABLE cases DROP COLUMN team;
ALTER TABLE users DROP COLUMN team;
