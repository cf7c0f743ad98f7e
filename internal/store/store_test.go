package store_test

import (
	"context"
	"testing"

	"huajie/internal/store"
)

func TestOpenMigratePing(t *testing.T) {
	forEachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		// Migrating again applies nothing and does not fail.
		vs, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 0 {
			t.Fatalf("second migrate applied %v", vs)
		}
		var n int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE id = ?`, "x").Scan(&n); err != nil {
			t.Fatal(err)
		}
	})
}
