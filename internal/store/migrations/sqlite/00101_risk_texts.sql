-- The Chinese and English texts of risk reasons and interventions, stored
-- once per code: messages store only codes, weights, values and spans (a
-- per-message assessment with its texts was two thirds of a row).

-- +goose Up
CREATE TABLE risk_texts (
    code TEXT NOT NULL PRIMARY KEY,
    zh   TEXT NOT NULL,
    en   TEXT NOT NULL
);
DROP INDEX interactions_customer;

-- +goose Down
CREATE INDEX interactions_customer ON interactions(customer_id, at);
DROP TABLE risk_texts;
