-- Cases, their evidence files, the audit chain and deadline events.
-- Times are microseconds since the Unix epoch (UTC) in both dialects, so
-- the same queries and the audit hash work unchanged.

-- +goose Up
CREATE TABLE cases (
    id              TEXT PRIMARY KEY,
    version         INTEGER NOT NULL,
    state           TEXT NOT NULL,
    channel         TEXT NOT NULL,
    customer_id     TEXT NOT NULL,
    customer_name   TEXT NOT NULL,
    received_at     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    title           TEXT NOT NULL,
    assignee        TEXT NOT NULL DEFAULT '',
    severity        TEXT NOT NULL,
    cause_code      TEXT NOT NULL DEFAULT '',
    business_code   TEXT NOT NULL DEFAULT '',
    difficulty      INTEGER NOT NULL DEFAULT 0,
    escalation      INTEGER NOT NULL DEFAULT 0,
    next_due        INTEGER,
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

-- The trigram tokenizer indexes every three-character sequence, so Chinese
-- (no spaces between words) is searchable by substring.
CREATE VIRTUAL TABLE cases_fts USING fts5(search, content='cases', content_rowid='rowid', tokenize='trigram');
-- +goose StatementBegin
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_fts_update AFTER UPDATE OF search ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
    INSERT INTO cases_fts (rowid, search) VALUES (new.rowid, new.search);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, search) VALUES ('delete', old.rowid, old.search);
END;
-- +goose StatementEnd

CREATE TABLE evidence_blobs (
    case_id     TEXT NOT NULL REFERENCES cases (id),
    evidence_id TEXT NOT NULL,
    content     BLOB NOT NULL,
    PRIMARY KEY (case_id, evidence_id)
);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
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

-- The chain head: one row, updated with every append in the same
-- transaction, so a lost tail of the log is detectable too.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE deadline_events (
    id      INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases (id),
    kind    TEXT NOT NULL,
    due     INTEGER NOT NULL,
    level   TEXT NOT NULL,
    at      INTEGER NOT NULL,
    UNIQUE (case_id, kind, due, level)
);

-- +goose Down
DROP TABLE deadline_events;
DROP TABLE audit_head;
DROP TABLE audit_log;
DROP TABLE evidence_blobs;
DROP TABLE cases_fts;
DROP TABLE cases;
