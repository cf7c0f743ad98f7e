// Package store keeps Huajie's data in SQLite (the default: one file, no
// server) or PostgreSQL. It owns the connections, the embedded migrations
// and the SQL; domain packages reach it through interfaces they define
// (cases.Repo).
//
// SQLite (modernc.org/sqlite, pure Go) is opened the way PocketBase does it:
// WAL journal, busy_timeout, foreign keys on, one writer connection whose
// transactions begin IMMEDIATE (so writers queue instead of failing on lock
// upgrades) plus a pool of query-only readers. synchronous=NORMAL in WAL mode
// keeps every committed transaction across a process crash (kill -9); only
// an OS crash or power loss may drop the last ones.
//
// PostgreSQL goes through pgx's database/sql driver; Writer and Reader are
// then the same pool.
//
// Queries are written once with ? placeholders; Rebind turns them into $1,
// $2 … for PostgreSQL. Times are stored as microseconds since the epoch.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	_ "modernc.org/sqlite" // registers "sqlite"
)

// Dialect is the SQL dialect of a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open store.
type DB struct {
	dialect Dialect
	w, r    *sql.DB
	dsn     string
}

// DefaultDSN is the SQLite file used when none is given.
const DefaultDSN = "huajie.db"

// Open opens the store named by dsn without migrating it:
//   - "postgres://…" or "postgresql://…": PostgreSQL;
//   - "sqlite:PATH", "file:PATH" or a plain path: SQLite ("" means DefaultDSN).
func Open(ctx context.Context, dsn string) (*DB, error) {
	if dsn == "" {
		dsn = DefaultDSN
	}
	var db *DB
	var err error
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err = openPostgres(dsn)
	} else {
		db, err = openSQLite(dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// OpenAndMigrate opens the store and applies pending migrations.
func OpenAndMigrate(ctx context.Context, dsn string) (*DB, error) {
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openPostgres(dsn string) (*DB, error) {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	p.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	p.SetMaxIdleConns(max(8, 4*runtime.NumCPU()))
	p.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: Postgres, w: p, r: p, dsn: redact(dsn)}, nil
}

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
	}
	return u.String()
}

// sqlitePragmas follow PocketBase: busy_timeout so a reader never fails on a
// checkpoint, WAL so readers don't block the writer, foreign keys on.
const sqlitePragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=journal_size_limit(200000000)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(ON)&_pragma=temp_store(MEMORY)&_pragma=cache_size(-32000)"

func openSQLite(dsn string) (*DB, error) {
	path := strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "file:")
	query := ""
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i+1:]
	}
	if path == "" {
		return nil, errors.New("store: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("store: %w", err)
		}
	}
	base := "file:" + path + "?" + sqlitePragmas
	if query != "" {
		base += "&" + query
	}
	w, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	// One writer: SQLite allows one write transaction at a time; queuing
	// in the pool is cheaper and fairer than spinning on SQLITE_BUSY.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	r, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open sqlite %s: %w", path, err)
	}
	n := max(4, 2*runtime.NumCPU())
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return &DB{dialect: SQLite, w: w, r: r, dsn: path}, nil
}

// Dialect returns the database's SQL dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// String describes the store without secrets.
func (db *DB) String() string { return string(db.dialect) + " " + db.dsn }

// Writer returns the pool for writes (SQLite: the single writer connection).
func (db *DB) Writer() *sql.DB { return db.w }

// Reader returns the pool for reads (SQLite: query-only connections; they
// see committed data only, so read your own writes through Writer inside a
// transaction).
func (db *DB) Reader() *sql.DB { return db.r }

// Ping checks both pools.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.w.PingContext(ctx); err != nil {
		return fmt.Errorf("store: %s: %w", db, err)
	}
	if db.r != db.w {
		if err := db.r.PingContext(ctx); err != nil {
			return fmt.Errorf("store: %s: %w", db, err)
		}
	}
	return nil
}

// Close closes the pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Rebind rewrites ? placeholders for the dialect ($1, $2 … on PostgreSQL).
// Question marks inside single-quoted literals are left alone.
func (db *DB) Rebind(q string) string { return rebind(db.dialect, q) }

func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, inQuote := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Tx is a write transaction whose query methods rebind placeholders.
type Tx struct {
	*sql.Tx
	d Dialect
}

// Dialect returns the transaction's dialect.
func (tx *Tx) Dialect() Dialect { return tx.d }

// ExecContext runs a statement written with ? placeholders.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return tx.Tx.ExecContext(ctx, rebind(tx.d, q), args...)
}

// QueryContext runs a query written with ? placeholders.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return tx.Tx.QueryContext(ctx, rebind(tx.d, q), args...)
}

// QueryRowContext runs a query written with ? placeholders.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return tx.Tx.QueryRowContext(ctx, rebind(tx.d, q), args...)
}

// ForUpdate is the row-lock suffix for a SELECT in a write transaction:
// " FOR UPDATE" on PostgreSQL, "" on SQLite (the single writer already
// holds the database's write lock).
func (tx *Tx) ForUpdate() string {
	if tx.d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// WithTx runs fn in a write transaction, committing when it returns nil and
// rolling back otherwise (also on panic).
func (db *DB) WithTx(ctx context.Context, fn func(tx *Tx) error) (err error) {
	stx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	tx := &Tx{Tx: stx, d: db.dialect}
	defer func() {
		if p := recover(); p != nil {
			_ = stx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = stx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = stx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// QueryContext runs a read query (with ? placeholders) on the read pool.
func (db *DB) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, db.Rebind(q), args...)
}

// QueryRowContext runs a one-row read query on the read pool.
func (db *DB) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, db.Rebind(q), args...)
}

//go:embed migrations
var migrations embed.FS

// Migrations returns the embedded migrations of a dialect. Files are goose
// SQL migrations, one directory per dialect with the same version numbers:
// 00001–00049 cases, audit and deadlines; 00050 and up users, tokens and
// sessions.
func Migrations(d Dialect) (fs.FS, error) {
	return fs.Sub(migrations, "migrations/"+string(d))
}

// Migrate applies pending migrations and returns the versions applied.
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	fsys, err := Migrations(db.dialect)
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true), goose.WithAllowOutofOrder(true)}
	gd := goose.DialectSQLite3
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
		// Two servers starting together must not migrate twice.
		l, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(l))
	}
	p, err := goose.NewProvider(gd, db.w, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var vs []int64
	for _, r := range res {
		if r.Source != nil {
			vs = append(vs, r.Source.Version)
		}
	}
	if err := db.backfillGrams(ctx); err != nil {
		return vs, err
	}
	return vs, nil
}

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}
