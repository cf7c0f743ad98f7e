package store_test

import (
	"testing"

	"huajie/internal/store"
	"huajie/internal/store/storetest"
)

// forEachDB runs fn as a subtest on a fresh, migrated SQLite database and
// on a fresh PostgreSQL schema. When PostgreSQL is unreachable the
// PostgreSQL subtest fails if CI is set and is skipped otherwise.
func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

func openSQLite(t testing.TB) *store.DB { return storetest.OpenSQLite(t) }

func openPostgres(t testing.TB) *store.DB { return storetest.OpenPostgres(t) }

func postgresSchemaDSN(t testing.TB) string { return storetest.PostgresSchemaDSN(t) }
