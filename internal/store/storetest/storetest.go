// Package storetest gives tests a fresh, migrated database: a SQLite file in
// the test's temporary directory, or a PostgreSQL schema of its own that is
// dropped when the test ends. Every suite that runs on both databases uses
// it, so "PostgreSQL unreachable" means the same everywhere: the test fails
// when the CI environment variable is set and is skipped otherwise.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"huajie/internal/store"
)

// PostgresDSN is the server the suites run against: $HUAJIE_TEST_POSTGRES,
// or the development machine's local PostgreSQL.
func PostgresDSN() string {
	if d := os.Getenv("HUAJIE_TEST_POSTGRES"); d != "" {
		return d
	}
	return "postgres://root@127.0.0.1:5432/test?sslmode=disable"
}

// OpenSQLite opens a fresh, migrated SQLite database, closed when t ends.
func OpenSQLite(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "huajie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// OpenPostgres opens a fresh, migrated schema on the test server, closed and
// dropped when t ends.
func OpenPostgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), PostgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// PostgresSchemaDSN creates a schema for one test, dropped when it ends, and
// returns a DSN whose search_path selects it (for tests that start a server
// process on it).
func PostgresSchemaDSN(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	dsn := PostgresDSN()
	admin, err := sql.Open("pgx", dsn)
	if err == nil {
		pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		err = admin.PingContext(pctx)
		cancel()
	}
	if err != nil {
		if admin != nil {
			admin.Close()
		}
		if os.Getenv("CI") != "" {
			t.Fatalf("PostgreSQL unreachable at %s (CI is set, so this fails): %v", dsn, err)
		}
		t.Skipf("PostgreSQL unreachable at %s: %v", dsn, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "huajie_test_" + hex.EncodeToString(b[:])
	// The extension lives in public so every test schema can use it.
	if _, err := admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		admin.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}
