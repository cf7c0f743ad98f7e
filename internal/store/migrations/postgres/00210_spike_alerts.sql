-- Spike alerts (issue 7): a sudden wave of one value of a breakdown on one
-- day, raised by spikewatch. alert_key (source/by/value/day) is unique, so
-- an alert is raised once even across restarts and by two processes
-- (insert-if-absent). The whole alert is the JSON doc; the columns are what
-- lists filter and sort on. Its events go to alert_events (one sequence
-- with the conversation alerts', so a stream resumes over both) and
-- webhook_deliveries. Times are microseconds since the epoch.

-- +goose Up
CREATE TABLE spike_alerts (
    id         TEXT    PRIMARY KEY,
    alert_key  TEXT    NOT NULL UNIQUE,
    source     TEXT    NOT NULL,
    dim        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    day        TEXT    NOT NULL,
    state      TEXT    NOT NULL,
    n          DOUBLE PRECISION    NOT NULL,
    z          DOUBLE PRECISION    NOT NULL,
    raised_at  BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL,
    doc        TEXT    NOT NULL
);
CREATE INDEX spike_alerts_raised ON spike_alerts(raised_at, id);

-- +goose Down
DROP TABLE spike_alerts;
