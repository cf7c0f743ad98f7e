-- Cases, their evidence files, the audit chain and deadline events.
-- Times are microseconds since the Unix epoch (UTC) in both dialects, so
-- the same queries and the audit hash work unchanged.

-- +goose Up
-- pg_trgm makes ILIKE '%…%' use a GIN index: substring search that works
-- for Chinese, which has no spaces for a word tokenizer.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    version         BIGINT NOT NULL,
    state           TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    received_at     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    title           TEXT NOT NULL,
    assignee        TEXT NOT NULL DEFAULT '',
    severity        TEXT NOT NULL,
    cause_code      TEXT NOT NULL DEFAULT '',
    business_code   TEXT NOT NULL DEFAULT '',
    difficulty      INTEGER NOT NULL DEFAULT 0,
    escalation      INTEGER NOT NULL DEFAULT 0,
    next_due        BIGINT,
    deadline_status TEXT NOT NULL DEFAULT '',
    merged_into     TEXT NOT NULL DEFAULT '',
    search          TEXT NOT NULL,
    doc             TEXT NOT NULL
);
CREATE INDEX cases_received ON cases (received_at DESC, id DESC);
CREATE INDEX cases_state ON cases (state, received_at DESC, id DESC);
CREATE INDEX cases_assignee ON cases (assignee, received_at DESC);
CREATE INDEX cases_customer ON cases (customer_id, received_at DESC);
CREATE INDEX cases_cause ON cases (cause_code, received_at DESC);
CREATE INDEX cases_channel ON cases (channel, received_at DESC);
CREATE INDEX cases_due ON cases (next_due) WHERE next_due IS NOT NULL;
CREATE INDEX cases_search ON cases USING gin (search gin_trgm_ops);

CREATE TABLE evidence_blobs (
    case_id     TEXT NOT NULL REFERENCES cases (id),
    evidence_id TEXT NOT NULL,
    content     BYTEA NOT NULL,
    PRIMARY KEY (case_id, evidence_id)
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        BIGINT NOT NULL,
    case_id   TEXT NOT NULL,
    actor     TEXT NOT NULL,
    role      TEXT NOT NULL,
    action    TEXT NOT NULL,
    before    TEXT NOT NULL,
    after     TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);

-- The chain head: one row, locked (SELECT … FOR UPDATE) and updated with
-- every append in the same transaction, so concurrent writers queue on it
-- and the chain never forks; a lost tail of the log is detectable too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE deadline_events (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    due     BIGINT NOT NULL,
    level   TEXT NOT NULL,
    at      BIGINT NOT NULL,
    UNIQUE (case_id, kind, due, level)
);

-- +goose Down
DROP TABLE deadline_events;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE evidence_blobs;
DROP TABLE cases;
