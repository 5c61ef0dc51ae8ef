// Package loadtest builds large ledgers for allot's benchmarks and load
// runs: a million learners, each with a seat of their company's pool, made
// by the database itself with a few set-based statements, so that seeding
// takes seconds rather than hours. BenchmarkCheck decides against such a
// ledger, and cmd/allot-load serves one over HTTP to wrk and hey.
package loadtest

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"allot/store" // opens and migrates; registers the sqlite and pgx drivers
)

// The ledger: Companies companies of PerCompany learners, each learner with
// one seat of the company's pool of Product, so a million learners and a
// million seats, plus a manager per company and the vendor admin. Every
// ReleasedEvery-th learner's seat was released a week before the seeding
// time, so checking them is refused.
const (
	Partners      = 100
	Companies     = 10_000
	PerCompany    = 100
	Learners      = Companies * PerCompany
	ReleasedEvery = 20
	// Version changes when the seed does, so that cached ledgers of an
	// older seed are not used.
	Version = 1
)

// The ledger's product, whose code the check asks about, and its vendor
// admin.
const (
	Product    = "premium"
	AdminEmail = "admin@vendor.test"
	AdminID    = Learners + Companies + 1
)

// LearnerEmail returns the e-mail of learner i, from 1 to Learners; the
// learner's user ID is i.
func LearnerEmail(i int64) string {
	return fmt.Sprintf("learner%d@company%d.test", i, (i-1)/PerCompany+1)
}

// Released reports whether learner i's seat was released.
func Released(i int64) bool { return i%ReleasedEvery == 0 }

// Seed migrates the empty database at url (a SQLite file or a postgres://
// URL, as store.Open takes) and fills it with the ledger in one
// transaction. The pools run from a month before now to eleven months
// after, so the ledger is live for checks at now.
func Seed(ctx context.Context, url string, now time.Time) error {
	db, err := store.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	dialect := db.Dialect()
	if err := db.Close(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	if err := fill(ctx, url, dialect, now); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// fill runs the seed statements in one transaction on a plain connection.
func fill(ctx context.Context, url, dialect string, now time.Time) error {
	driver, dsn := "pgx", url
	if dialect == "sqlite" {
		name := strings.TrimPrefix(strings.TrimPrefix(url, "sqlite:"), "file:")
		if i := strings.IndexByte(name, '?'); i >= 0 {
			name = name[:i]
		}
		driver, dsn = "sqlite", "file:"+name+"?_pragma=busy_timeout(30000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if dialect == "sqlite" {
		// Nobody else has the file open: no journal, no syncing, a big cache.
		for _, q := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -1048576"} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range Statements(dialect, now) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if dialect == "postgres" {
		// What autovacuum would soon do on a real server: statistics for
		// the planner, and the visibility map, without which an index-only
		// scan reads the table's row too (a server may run with autovacuum
		// off, and pgbench -i vacuums the tables it fills).
		_, err = db.ExecContext(ctx, "VACUUM (ANALYZE)")
	} else {
		_, err = db.ExecContext(ctx, "PRAGMA journal_mode = DELETE")
	}
	return err
}

// Statements returns the statements that fill a migrated, empty database of
// dialect "sqlite" or "postgres" with the ledger seeded at now. Rows are
// made by the database from a series of numbers n.i.
func Statements(dialect string, now time.Time) []string {
	series := func(n int) string {
		if dialect == "postgres" {
			return fmt.Sprintf("generate_series(1, %d) AS n(i)", n)
		}
		return fmt.Sprintf("(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s) AS n", n)
	}
	var (
		created  = now.AddDate(0, -2, 0).UnixMicro()
		starts   = now.AddDate(0, -1, 0).UnixMicro()
		ends     = now.AddDate(0, 11, 0).UnixMicro()
		released = now.AddDate(0, 0, -7).UnixMicro()
		company  = fmt.Sprintf("((n.i - 1) / %d + 1)", PerCompany)
	)
	qs := []string{
		fmt.Sprintf(`INSERT INTO products (id, code, name, term_months, created_at) VALUES (1, '%s', 'Premium', 12, %d)`, Product, created),
		fmt.Sprintf(`INSERT INTO partners (id, name, account_manager_id, created_at)
			SELECT n.i, 'Partner ' || n.i, 0, %d FROM %s`, created, series(Partners)),
		fmt.Sprintf(`INSERT INTO companies (id, partner_id, name, account_manager_id, default_product_id, suspended, created_at)
			SELECT n.i, n.i %% %d + 1, 'Company ' || n.i, 0, 1, false, %d FROM %s`, Partners, created, series(Companies)),
		fmt.Sprintf(`INSERT INTO orders (id, company_id, partner_id, product_id, quantity, term_months, status,
				requested_by, requested_at, decided_by, decided_at)
			SELECT n.i, n.i, n.i %% %d + 1, 1, %d, 12, 'assigned', %d, %d, %d, %d FROM %s`,
			Partners, PerCompany, AdminID, starts, AdminID, starts, series(Companies)),
		fmt.Sprintf(`INSERT INTO pools (id, order_id, company_id, product_id, quantity, used, starts_at, ends_at)
			SELECT n.i, n.i, n.i, 1, %d, %d, %d, %d FROM %s`,
			PerCompany, PerCompany-PerCompany/ReleasedEvery, starts, ends, series(Companies)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, company_id, created_at)
			SELECT n.i, 'learner' || n.i || '@company' || %[1]s || '.test', 'Learner', 'No. ' || n.i, 'learner', %[1]s, %[2]d
			FROM %[3]s`, company, created, series(Learners)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, company_id, created_at)
			SELECT %d + n.i, 'manager@company' || n.i || '.test', 'Manager', 'of ' || n.i, 'company_manager', n.i, %d
			FROM %s`, Learners, created, series(Companies)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, created_at)
			VALUES (%d, '%s', 'Vendor', 'Admin', 'vendor_admin', %d)`, AdminID, AdminEmail, created),
		fmt.Sprintf(`INSERT INTO seats (id, pool_id, company_id, product_id, user_id, starts_at, ends_at, created_at,
				released_at, release_reason, held)
			SELECT n.i, %[1]s, %[1]s, 1, n.i, %[2]d, %[3]d, %[2]d,
				CASE WHEN n.i %% %[4]d = 0 THEN %[5]d ELSE 0 END,
				CASE WHEN n.i %% %[4]d = 0 THEN 'left_company' ELSE '' END,
				n.i %% %[4]d <> 0
			FROM %[6]s`, company, starts, ends, ReleasedEvery, released, series(Learners)),
	}
	if dialect == "postgres" {
		// Rows were given their ids: move the identity sequences past them.
		for _, table := range []string{"products", "partners", "companies", "orders", "pools", "users", "seats"} {
			qs = append(qs, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT MAX(id) FROM %[1]s))`, table))
		}
	}
	return qs
}
