package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations
var migrations embed.FS

// migrate applies the dialect's migrations that the database lacks, in
// order, all in one transaction that first takes a database-wide lock: when
// several processes start together, one migrates and the others then find
// nothing left to do.
func (db *DB) migrate(ctx context.Context) error {
	names, err := fs.Glob(migrations, path.Join(db.dialect.migrations, "*.sql"))
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	// A new SQLite file turns to WAL on its first connection. Of processes
	// that start together on it, all but one may find it locked without
	// waiting, SQLite's rule against deadlocks: they try again.
	sqltx, err := db.write.BeginTx(ctx, nil)
	for deadline := time.Now().Add(5 * time.Second); db.dialect.retryable(err) && time.Now().Before(deadline); {
		select {
		case <-ctx.Done():
			return fmt.Errorf("migrate: %w", ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
		sqltx, err = db.write.BeginTx(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer sqltx.Rollback()
	for _, q := range []string{
		db.dialect.lockMigrations,
		"CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
	} {
		if _, err := sqltx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	applied, err := appliedVersions(ctx, sqltx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, name := range names {
		base := path.Base(name)
		version, err := strconv.ParseInt(strings.SplitN(base, "_", 2)[0], 10, 64)
		if err != nil {
			return fmt.Errorf("migrate: %s: the name must start with its number", base)
		}
		if applied[version] {
			continue
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if _, err := sqltx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("migrate: %s: %w", base, err)
		}
		if _, err := sqltx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
			version, time.Now().UnixMicro()); err != nil {
			return fmt.Errorf("migrate: %s: %w", base, err)
		}
	}
	if err := sqltx.Commit(); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// appliedVersions returns the versions of the migrations applied already.
// Every other one is applied, even below the highest of them: one that
// came in beside a later one still runs.
func appliedVersions(ctx context.Context, tx *sql.Tx) (map[int64]bool, error) {
	rows, err := tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	applied := map[int64]bool{}
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		applied[v] = true
	}
	return applied, rows.Err()
}
