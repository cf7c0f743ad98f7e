-- The workstation's live conversations: an agent's by last message time,
-- and every agent's (supervisors) by last message time.

-- +goose Up
CREATE INDEX conversations_agent ON conversations(agent, last_at);
CREATE INDEX conversations_last ON conversations(last_at);

-- +goose Down
DROP INDEX conversations_last;
DROP INDEX conversations_agent;
