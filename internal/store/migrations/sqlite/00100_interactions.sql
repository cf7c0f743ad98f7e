-- Interactions (messages of conversations on every channel) with their
-- analysis summary and the conversation's risk after each; conversations
-- with their running risk state; alerts, their event log (the SSE event
-- ids) and webhook deliveries (the delivery worker's queue). Times are
-- microseconds since the epoch.

-- +goose Up
CREATE TABLE interactions (
    id              TEXT    PRIMARY KEY,
    conversation_id TEXT    NOT NULL,
    customer_id     TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    role            TEXT    NOT NULL,
    at              BIGINT  NOT NULL,
    received_at     BIGINT  NOT NULL,
    team            TEXT    NOT NULL DEFAULT '',
    agent           TEXT    NOT NULL DEFAULT '',
    text            TEXT    NOT NULL,
    signals         TEXT    NOT NULL DEFAULT '',
    analysis        TEXT    NOT NULL DEFAULT '',
    turn            INTEGER NOT NULL DEFAULT 0,
    risk            REAL    NOT NULL DEFAULT 0,
    level           TEXT    NOT NULL DEFAULT '',
    assessment      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX interactions_conversation ON interactions(conversation_id, at, id);
CREATE INDEX interactions_customer ON interactions(customer_id, at);

CREATE TABLE conversations (
    id          TEXT    PRIMARY KEY,
    customer_id TEXT    NOT NULL,
    channel     TEXT    NOT NULL,
    team        TEXT    NOT NULL DEFAULT '',
    agent       TEXT    NOT NULL DEFAULT '',
    started_at  BIGINT  NOT NULL,
    last_at     BIGINT  NOT NULL,
    messages    INTEGER NOT NULL,
    risk        REAL    NOT NULL DEFAULT 0,
    level       TEXT    NOT NULL DEFAULT '',
    state       TEXT    NOT NULL DEFAULT '',
    alert       TEXT    NOT NULL DEFAULT '',
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX conversations_customer ON conversations(customer_id, last_at);

CREATE TABLE alerts (
    id              TEXT    PRIMARY KEY,
    state           TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    customer_id     TEXT    NOT NULL,
    channel         TEXT    NOT NULL,
    team            TEXT    NOT NULL DEFAULT '',
    agent           TEXT    NOT NULL DEFAULT '',
    risk            REAL    NOT NULL,
    case_id         TEXT    NOT NULL DEFAULT '',
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL,
    doc             TEXT    NOT NULL
);
CREATE INDEX alerts_created ON alerts(created_at);
CREATE INDEX alerts_state ON alerts(state, created_at);
CREATE INDEX alerts_team ON alerts(team, created_at);
CREATE INDEX alerts_conversation ON alerts(conversation_id);
CREATE INDEX alerts_customer ON alerts(customer_id);

CREATE TABLE alert_events (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    alert_id TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    at       BIGINT  NOT NULL,
    doc      TEXT    NOT NULL
);

CREATE TABLE webhooks (
    id         TEXT    PRIMARY KEY,
    url        TEXT    NOT NULL,
    secret     TEXT    NOT NULL,
    team       TEXT    NOT NULL DEFAULT '',
    created_by TEXT    NOT NULL,
    created_at BIGINT  NOT NULL
);

CREATE TABLE webhook_deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id  TEXT    NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_seq   BIGINT  NOT NULL,
    kind        TEXT    NOT NULL,
    payload     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     BIGINT  NOT NULL,
    last_status INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT    NOT NULL DEFAULT '',
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

CREATE TABLE webhook_attempts (
    delivery_id BIGINT  NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
    at          BIGINT  NOT NULL,
    status      INTEGER NOT NULL DEFAULT 0,
    error       TEXT    NOT NULL DEFAULT '',
    duration_ms REAL    NOT NULL DEFAULT 0,
    outcome     TEXT    NOT NULL,
    next_at     BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, at);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE alert_events;
DROP TABLE alerts;
DROP TABLE conversations;
DROP TABLE interactions;
