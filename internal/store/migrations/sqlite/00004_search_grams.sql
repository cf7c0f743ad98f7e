-- Two-character search (most Chinese words and names): one token per
-- character bigram in the grams column, indexed by FTS5 (see search.go).
-- Existing rows are filled in by Migrate.

-- +goose Up
ALTER TABLE cases ADD COLUMN grams TEXT NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE cases_grams USING fts5(grams, content='cases', content_rowid='rowid', tokenize='ascii');
-- +goose StatementBegin
CREATE TRIGGER cases_grams_insert AFTER INSERT ON cases BEGIN
    INSERT INTO cases_grams (rowid, grams) VALUES (new.rowid, new.grams);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_grams_update AFTER UPDATE OF grams ON cases BEGIN
    INSERT INTO cases_grams (cases_grams, rowid, grams) VALUES ('delete', old.rowid, old.grams);
    INSERT INTO cases_grams (rowid, grams) VALUES (new.rowid, new.grams);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER cases_grams_delete AFTER DELETE ON cases BEGIN
    INSERT INTO cases_grams (cases_grams, rowid, grams) VALUES ('delete', old.rowid, old.grams);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER cases_grams_delete;
DROP TRIGGER cases_grams_update;
DROP TRIGGER cases_grams_insert;
DROP TABLE cases_grams;
ALTER TABLE cases DROP COLUMN grams;
