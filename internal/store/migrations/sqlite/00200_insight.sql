-- Foresight and management (issue 7): surveys and social-media posts; the
-- daily roll-up of messages (interactions and posts) by dimension that the
-- trend, spike and effect queries read instead of a million rows; a fact
-- row per case (its codes, touchpoint, SERVQUAL dimension, decision and
-- closing times, upheld, redress) kept up to date from cases.updated_at;
-- prevention measures. Days are whole days since the epoch (UTC); times
-- are microseconds since the epoch as elsewhere.

-- +goose Up
CREATE TABLE surveys (
    id          TEXT    PRIMARY KEY,
    kind        TEXT    NOT NULL,
    at          BIGINT  NOT NULL,
    day         INTEGER NOT NULL,
    touchpoint  TEXT    NOT NULL DEFAULT '',
    branch      TEXT    NOT NULL DEFAULT '',
    product     TEXT    NOT NULL DEFAULT '',
    team        TEXT    NOT NULL DEFAULT '',
    channel     TEXT    NOT NULL DEFAULT '',
    score       INTEGER,
    items       TEXT    NOT NULL DEFAULT '',
    comment     TEXT    NOT NULL DEFAULT '',
    imported_at BIGINT  NOT NULL
);
CREATE INDEX surveys_kind_day ON surveys (kind, day);

CREATE TABLE posts (
    id            TEXT    PRIMARY KEY,
    platform      TEXT    NOT NULL,
    at            BIGINT  NOT NULL,
    day           INTEGER NOT NULL,
    author        TEXT    NOT NULL DEFAULT '',
    url           TEXT    NOT NULL DEFAULT '',
    text          TEXT    NOT NULL,
    touchpoint    TEXT    NOT NULL DEFAULT '',
    branch        TEXT    NOT NULL DEFAULT '',
    product       TEXT    NOT NULL DEFAULT '',
    team          TEXT    NOT NULL DEFAULT '',
    channel       TEXT    NOT NULL DEFAULT '',
    emotion       TEXT    NOT NULL DEFAULT '',
    negative      REAL    NOT NULL DEFAULT 0,
    cause_code    TEXT    NOT NULL DEFAULT '',
    business_code TEXT    NOT NULL DEFAULT '',
    dimension     TEXT    NOT NULL DEFAULT '',
    analysis      TEXT    NOT NULL DEFAULT '',
    imported_at   BIGINT  NOT NULL
);
CREATE INDEX posts_day ON posts (day);

CREATE TABLE insight_daily (
    source       TEXT    NOT NULL,
    dim          TEXT    NOT NULL,
    day          INTEGER NOT NULL,
    value        TEXT    NOT NULL,
    n            BIGINT  NOT NULL,
    negative     BIGINT  NOT NULL,
    negative_sum REAL    NOT NULL,
    risk_sum     REAL    NOT NULL,
    high         BIGINT  NOT NULL,
    PRIMARY KEY (source, dim, day, value)
);

CREATE TABLE insight_case_facts (
    case_id       TEXT    PRIMARY KEY,
    received_at   BIGINT  NOT NULL,
    day           INTEGER NOT NULL,
    channel       TEXT    NOT NULL DEFAULT '',
    channel_code  TEXT    NOT NULL DEFAULT '',
    business_code TEXT    NOT NULL DEFAULT '',
    cause_code    TEXT    NOT NULL DEFAULT '',
    touchpoint    TEXT    NOT NULL DEFAULT '',
    branch        TEXT    NOT NULL DEFAULT '',
    product       TEXT    NOT NULL DEFAULT '',
    team          TEXT    NOT NULL DEFAULT '',
    dimension     TEXT    NOT NULL DEFAULT '',
    emotion       TEXT    NOT NULL DEFAULT '',
    negative      REAL    NOT NULL DEFAULT 0,
    decided_at    BIGINT  NOT NULL DEFAULT 0,
    closed_at     BIGINT  NOT NULL DEFAULT 0,
    upheld        INTEGER NOT NULL DEFAULT -1,
    redress       TEXT    NOT NULL DEFAULT '',
    updated_at    BIGINT  NOT NULL,
    decided_band  INTEGER NOT NULL DEFAULT 4,
    closed_band   INTEGER NOT NULL DEFAULT 4,
    redress_cny   BIGINT  NOT NULL DEFAULT 0,
    redress_other INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX insight_case_facts_day ON insight_case_facts (day);
-- The reports read only this index (a year of 100,000 cases grouped).
CREATE INDEX insight_case_facts_report ON insight_case_facts (received_at, channel_code, business_code, cause_code, decided_band, closed_band, upheld, redress_cny, redress_other);

-- Case texts for clustering and cluster targets, apart so that the facts
-- stay narrow for the scans of the views.
CREATE TABLE insight_case_texts (
    case_id     TEXT   PRIMARY KEY,
    received_at BIGINT NOT NULL,
    text        TEXT   NOT NULL
);
CREATE INDEX insight_case_texts_received ON insight_case_texts (received_at);

CREATE TABLE insight_watermarks (
    source TEXT   PRIMARY KEY,
    at     BIGINT NOT NULL,
    id     TEXT   NOT NULL DEFAULT ''
);

CREATE INDEX insight_interactions_received ON interactions (received_at, id);
CREATE INDEX insight_cases_updated ON cases (updated_at, id);

CREATE TABLE measures (
    id             TEXT    PRIMARY KEY,
    version        INTEGER NOT NULL,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    target_kind    TEXT    NOT NULL,
    target_value   TEXT    NOT NULL,
    owner          TEXT    NOT NULL,
    due            BIGINT  NOT NULL,
    status         TEXT    NOT NULL,
    effective_from BIGINT  NOT NULL DEFAULT 0,
    created_by     TEXT    NOT NULL DEFAULT '',
    created_at     BIGINT  NOT NULL,
    updated_at     BIGINT  NOT NULL
);
CREATE INDEX measures_due ON measures (status, due);

-- +goose Down
DROP TABLE measures;
DROP INDEX insight_cases_updated;
DROP INDEX insight_interactions_received;
DROP TABLE insight_watermarks;
DROP TABLE insight_case_texts;
DROP TABLE insight_case_facts;
DROP TABLE insight_daily;
DROP TABLE posts;
DROP TABLE surveys;
