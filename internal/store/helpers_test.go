package store_test

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

// pgDSN is the PostgreSQL server the suite runs against.
func pgDSN() string {
	if d := os.Getenv("HUAJIE_TEST_POSTGRES"); d != "" {
		return d
	}
	return "postgres://root@127.0.0.1:5432/test?sslmode=disable"
}

// forEachDB runs fn as a subtest on a fresh, migrated SQLite database and
// on a fresh PostgreSQL schema. When PostgreSQL is unreachable the
// PostgreSQL subtest fails if CI is set and is skipped otherwise.
func forEachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, openSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, openPostgres(t)) })
}

func openSQLite(t testing.TB) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.OpenAndMigrate(ctx, "sqlite:"+filepath.Join(t.TempDir(), "huajie.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t testing.TB) *store.DB {
	t.Helper()
	db, err := store.OpenAndMigrate(context.Background(), postgresSchemaDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresSchemaDSN creates a schema for one test, dropped when it ends, and
// returns a DSN whose search_path selects it.
func postgresSchemaDSN(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	admin, err := sql.Open("pgx", pgDSN())
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
			t.Fatalf("PostgreSQL unreachable at %s (CI is set, so this fails): %v", pgDSN(), err)
		}
		t.Skipf("PostgreSQL unreachable at %s: %v", pgDSN(), err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "huajie_test_" + hex.EncodeToString(b[:])
	// The extension lives in public so every test schema can use it.
	if _, err := admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
		admin.Close()
	})
	u, err := url.Parse(pgDSN())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}
