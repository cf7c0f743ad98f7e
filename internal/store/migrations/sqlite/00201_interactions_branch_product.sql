-- Branch and product on interactions and their conversations (issue 7):
-- optional, like team, so the insight roll-up can break messages down by
-- branch and product as it already does posts and surveys.

-- +goose Up
ALTER TABLE interactions ADD COLUMN branch TEXT NOT NULL DEFAULT '';
ALTER TABLE interactions ADD COLUMN product TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN branch TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN product TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE conversations DROP COLUMN product;
ALTER TABLE conversations DROP COLUMN branch;
ALTER TABLE interactions DROP COLUMN product;
ALTER TABLE interactions DROP COLUMN branch;
