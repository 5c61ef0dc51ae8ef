// Package store keeps allot's data in SQLite (the embedded default) or
// PostgreSQL, with one set of SQL for both. Its DB implements allot.Store.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"allot/directory"

	"allot"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// DB is an allot.Store on database/sql, the entitlement check aside on
// connections of its own.
type DB struct {
	dialect   dialect
	write     *sql.DB // SQLite: one connection whose transactions begin IMMEDIATE
	read      *sql.DB // SQLite: read-only connections; PostgreSQL: the same pool as write
	file      string  // SQLite: the database file
	checks    checker // the entitlement query's own connections
	tokenAuth *sql.Stmt
	contacts  *sql.Stmt
}

var (
	_ allot.Store     = (*DB)(nil)
	_ directory.Store = directoryStore{}
)

// Open opens the database at url and migrates it: a postgres:// or
// postgresql:// URL opens PostgreSQL; anything else names a SQLite file
// (with or without a sqlite: or file: prefix), created when missing.
func Open(ctx context.Context, url string) (*DB, error) {
	var (
		db  *DB
		err error
	)
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db, err = openPostgres(url)
	} else {
		db, err = openSQLite(url)
	}
	if err != nil {
		return nil, err
	}
	if err := db.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if db.checks, err = db.openChecks(url); err != nil {
		db.Close()
		return nil, fmt.Errorf("open the check's connections: %w", err)
	}
	for _, st := range []struct {
		stmt  **sql.Stmt
		query string
	}{{&db.tokenAuth, tokenAuthQuery}, {&db.contacts, contactsQuery}} {
		if *st.stmt, err = db.read.PrepareContext(ctx, st.query); err != nil {
			db.Close()
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	return db, nil
}

// openChecks opens the entitlement query's own connections to the database
// at url, with the query by user ID and by e-mail; nil when it fails.
func (db *DB) openChecks(url string) (checker, error) {
	byID, byEmail := entitlementQuery("users u", "u.id = $1"), entitlementQuery(db.dialect.usersByEmail, "u.email = $1")
	var (
		checks checker
		err    error
	)
	if db.dialect.name == "postgres" {
		checks, err = openPgChecks(url, byID, byEmail)
	} else {
		checks, err = openChecks(checkConnections, db.file, slices.Concat(sqlitePragmas, readPragmas), byID, byEmail)
	}
	if err != nil {
		return nil, err
	}
	return checks, nil
}

func openPostgres(url string) (*DB, error) {
	pool, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	pool.SetMaxOpenConns(32)
	pool.SetMaxIdleConns(32)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{dialect: postgresDialect, write: pool, read: pool}, nil
}

// SQLite's pragmas: of every connection, and of those that only read. The
// readers map the file into memory: the entitlement check reads pages at
// random, and the page cache of each connection is small.
var (
	sqlitePragmas = []string{"busy_timeout(30000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)"}
	readPragmas   = []string{"query_only(1)", "mmap_size(1073741824)"}
)

func openSQLite(name string) (*DB, error) {
	name = strings.TrimPrefix(strings.TrimPrefix(name, "sqlite:"), "file:")
	if i := strings.IndexByte(name, '?'); i >= 0 {
		name = name[:i]
	}
	if name == "" {
		return nil, errors.New("open sqlite: no file name")
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o750); err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	dsn := func(pragmas []string, params ...string) string {
		q := url.Values{"_pragma": slices.Concat(sqlitePragmas, pragmas)}
		for i := 0; i < len(params); i += 2 {
			q.Add(params[i], params[i+1])
		}
		return "file:" + name + "?" + q.Encode()
	}
	write, err := sql.Open("sqlite", dsn(nil, "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	// One writer per process: SQLite has one write lock per database, and
	// waiting for it in Go is cheaper than in the busy handler.
	write.SetMaxOpenConns(1)
	read, err := sql.Open("sqlite", dsn(readPragmas))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	return &DB{dialect: sqliteDialect, write: write, read: read, file: name}, nil
}

// Close closes the database.
func (db *DB) Close() error {
	for _, st := range []*sql.Stmt{db.tokenAuth, db.contacts} {
		if st != nil {
			st.Close()
		}
	}
	var err error
	if db.checks != nil {
		err = db.checks.Close()
	}
	err = errors.Join(err, db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Write runs fn in a write transaction. On PostgreSQL a transaction that
// fails on a serialization failure or a deadlock is run again, a few times.
func (db *DB) Write(ctx context.Context, fn func(allot.Tx) error) error {
	return db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

// Read runs fn in a read-only transaction over one snapshot.
func (db *DB) Read(ctx context.Context, fn func(allot.Tx) error) error {
	return db.readTx(ctx, func(t *tx) error { return fn(t) })
}

func (db *DB) writeTx(ctx context.Context, fn func(*tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.run(ctx, db.write, nil, fn)
		if attempt < 5 && db.dialect.retryable(err) {
			time.Sleep(time.Duration(attempt) * 5 * time.Millisecond)
			continue
		}
		return err
	}
}

// readTx runs fn over one snapshot. SQLite keeps the snapshot of a
// transaction's first read; PostgreSQL needs REPEATABLE READ for that, as
// its default takes a new snapshot for each statement.
func (db *DB) readTx(ctx context.Context, fn func(*tx) error) error {
	opts := &sql.TxOptions{}
	if db.dialect.name == "postgres" {
		opts = &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead}
	}
	return db.run(ctx, db.read, opts, fn)
}

// Directory returns the store of package directory: its transactions are
// the ledger's with the imports beside it, over the same database.
func (db *DB) Directory() directory.Store { return directoryStore{db} }

// directoryStore is a DB as package directory's Store.
type directoryStore struct{ db *DB }

func (s directoryStore) Write(ctx context.Context, fn func(directory.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s directoryStore) Read(ctx context.Context, fn func(directory.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

// run runs fn in a transaction on pool.
func (db *DB) run(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, fn func(*tx) error) (err error) {
	sqltx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return db.dialect.translate(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			sqltx.Rollback()
			panic(p)
		}
	}()
	if err := fn(&tx{ctx: ctx, tx: sqltx, d: db.dialect}); err != nil {
		sqltx.Rollback()
		return err
	}
	if err := sqltx.Commit(); err != nil {
		return db.dialect.translate(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// tx implements allot.Tx on a *sql.Tx.
type tx struct {
	ctx context.Context
	tx  *sql.Tx
	d   dialect
}

// exec runs a statement and translates its error.
func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	res, err := t.tx.ExecContext(t.ctx, query, args...)
	return res, t.d.translate(err)
}

// execOne runs a statement that must change a row, or a guarded update that
// changes one only while its guard holds: none is the error when it changes
// no row.
func (t *tx) execOne(none error, query string, args ...any) error {
	res, err := t.exec(query, args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return none
	}
	return nil
}

// insert runs an INSERT … RETURNING id and stores the id.
func (t *tx) insert(id *int64, query string, args ...any) error {
	return t.d.translate(t.tx.QueryRowContext(t.ctx, query, args...).Scan(id))
}

// insertAll runs an INSERT … SELECT into table and returns the IDs of the
// rows it added, ascending, which is the order it added them in. SQLite
// writes one transaction at a time and numbers a row one above the
// largest: the rows are numbered on from the largest ID before, which
// spares reading as many back. PostgreSQL returns them.
func (t *tx) insertAll(table, query string, args ...any) ([]int64, error) {
	var ids []int64
	if t.d.name == "sqlite" {
		var last int64
		if err := t.tx.QueryRowContext(t.ctx, `SELECT COALESCE(MAX(id), 0) FROM `+table).Scan(&last); err != nil {
			return nil, t.d.translate(err)
		}
		res, err := t.exec(query, args...)
		if err != nil {
			return nil, err
		}
		n, err := res.RowsAffected()
		for i := range n {
			ids = append(ids, last+1+i)
		}
		return ids, err
	}
	ids, err := column[int64](t, query+` RETURNING id`, args...)
	slices.Sort(ids)
	return ids, err
}

// column runs a query for one column and returns its values.
func column[T any](t *tx, query string, args ...any) ([]T, error) {
	var out []T
	err := t.list(func(s scanner) error {
		var v T
		err := s.Scan(&v)
		out = append(out, v)
		return err
	}, query, args...)
	return out, err
}

// get runs a query for one row; ENOTFOUND names what when there is none.
func (t *tx) get(what string, scan func(scanner) error, query string, args ...any) error {
	err := scan(t.tx.QueryRowContext(t.ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return allot.NotFound(what)
	}
	return t.d.translate(err)
}

// list runs a query and calls scan for each row.
func (t *tx) list(scan func(scanner) error, query string, args ...any) error {
	rows, err := t.tx.QueryContext(t.ctx, query, args...)
	if err != nil {
		return t.d.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return t.d.translate(rows.Err())
}

type scanner interface{ Scan(dest ...any) error }
