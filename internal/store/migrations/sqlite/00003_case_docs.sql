-- The case document (contacts, findings, solutions …) moves out of the
-- cases table, which keeps only what lists filter, sort and show: narrow
-- rows make every scan (search by one or two characters, unindexed filter
-- combinations) read a fraction of the pages.

-- +goose Up
CREATE TABLE case_docs (
    id  TEXT PRIMARY KEY REFERENCES cases (id),
    doc TEXT NOT NULL
);
INSERT INTO case_docs (id, doc) SELECT id, doc FROM cases;
ALTER TABLE cases DROP COLUMN doc;

-- +goose Down
ALTER TABLE cases ADD COLUMN doc TEXT NOT NULL DEFAULT '';
UPDATE cases SET doc = (SELECT doc FROM case_docs WHERE case_docs.id = cases.id);
DROP TABLE case_docs;
