package store_test

import (
	"database/sql"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"allot"
	"allot/store"
	"allot/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		storetest.Run(t, func(t *testing.T) storetest.Stores { return b.Open(t) })
	})
}

// rawDB opens the database at url without the store, to look at its tables.
func rawDB(t *testing.T, url string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(url, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// migrations returns the versions applied to the database at url, in
// order, with the number of times each was recorded and when.
func migrations(t *testing.T, url string) (versions []int64, appliedAt []int64) {
	t.Helper()
	rows, err := rawDB(t, url).QueryContext(t.Context(), "SELECT version, applied_at FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var v, at int64
		if err := rows.Scan(&v, &at); err != nil {
			t.Fatal(err)
		}
		versions, appliedAt = append(versions, v), append(appliedAt, at)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return versions, appliedAt
}

// wantVersions returns the versions of the backend's migration files.
func wantVersions(t *testing.T, backend string) []int64 {
	t.Helper()
	entries, err := os.ReadDir(path.Join("migrations", backend))
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, e := range entries {
		v, err := strconv.ParseInt(strings.SplitN(e.Name(), "_", 2)[0], 10, 64)
		if err != nil {
			t.Fatalf("migration %s: %v", e.Name(), err)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		t.Fatalf("no migrations for %s", backend)
	}
	return out
}

// open opens the store at url, closed when the test ends.
func open(t *testing.T, url string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenSQLiteCreatesDirectory(t *testing.T) {
	for _, tc := range []struct {
		name string
		url  func(path string) string
	}{
		{"path", func(p string) string { return p }},
		{"sqlite prefix", func(p string) string { return "sqlite:" + p }},
		{"file prefix and query", func(p string) string { return "file:" + p + "?mode=rwc" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "not", "yet", "allot.db")
			db := open(t, tc.url(file))
			if got := db.Dialect(); got != "sqlite" {
				t.Errorf("Dialect() = %q, want sqlite", got)
			}
			if _, err := os.Stat(file); err != nil {
				t.Fatalf("the database file: %v", err)
			}
			err := db.Write(t.Context(), func(tx allot.Tx) error {
				return tx.CreatePartner(&allot.Partner{Name: "Channel One"})
			})
			if err != nil {
				t.Fatalf("write to the new database: %v", err)
			}
		})
	}
}

func TestOpenSQLiteWithoutName(t *testing.T) {
	for _, url := range []string{"", "sqlite:", "file:?mode=rwc"} {
		if db, err := store.Open(t.Context(), url); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", url)
		}
	}
}

func TestMigrateTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		db, err := store.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		if got := db.Dialect(); got != b.Name {
			t.Errorf("Dialect() = %q, want %q", got, b.Name)
		}
		partner := allot.Partner{Name: "Channel One"}
		if err := db.Write(t.Context(), func(tx allot.Tx) error { return tx.CreatePartner(&partner) }); err != nil {
			t.Fatal(err)
		}
		db.Close()
		versions, applied := migrations(t, url)

		db = open(t, url)
		again, appliedAgain := migrations(t, url)
		if !slices.Equal(again, versions) || !slices.Equal(appliedAgain, applied) {
			t.Errorf("schema_migrations changed by a second Open: %v %v, then %v %v", versions, applied, again, appliedAgain)
		}
		if want := wantVersions(t, b.Name); !slices.Equal(versions, want) {
			t.Errorf("versions applied %v, want %v", versions, want)
		}
		var got allot.Partner
		err = db.Read(t.Context(), func(tx allot.Tx) error {
			got, err = tx.Partner(partner.ID)
			return err
		})
		if err != nil || got.Name != partner.Name {
			t.Errorf("the partner after a second Open: %+v, %v", got, err)
		}
	})
}

// migratedAgain migrates the fresh database at url, runs queries on it,
// opens it again (which migrates what the queries undid) and returns a plain
// connection to it.
func migratedAgain(t *testing.T, url string, queries ...string) *sql.DB {
	t.Helper()
	db, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw := rawDB(t, url)
	for _, q := range queries {
		if _, err := raw.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	open(t, url)
	return raw
}

// TestMigrationBelowTheHighest: a migration that came in beside a later one
// (its number below the highest applied) is applied all the same.
func TestMigrationBelowTheHighest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		raw := migratedAgain(t, url, "DROP TABLE second_factor_required", "DROP TABLE recovery_codes", "DROP TABLE second_factors",
			"DELETE FROM schema_migrations WHERE version = 11")
		if versions, _ := migrations(t, url); !slices.Equal(versions, wantVersions(t, b.Name)) {
			t.Errorf("versions applied %v, want %v", versions, wantVersions(t, b.Name))
		}
		if _, err := raw.ExecContext(t.Context(), "INSERT INTO second_factor_required (company_id) VALUES (0)"); err != nil {
			t.Errorf("the migration's table: %v", err)
		}
	})
}

// TestMigrationCleansNames: names stored with line breaks or tabs, before
// names refused them, lose them, so that mail about them can be written.
func TestMigrationCleansNames(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		crlf := "char(13) || char(10)"
		if b.Name == "postgres" {
			crlf = "chr(13) || chr(10)"
		}
		raw := migratedAgain(t, b.URL(t),
			"INSERT INTO partners (name, account_manager_id, created_at) VALUES ('Channel' || "+crlf+" || 'One', 0, 0)",
			"DELETE FROM schema_migrations WHERE version = 13")
		var name string
		if err := raw.QueryRowContext(t.Context(), "SELECT name FROM partners").Scan(&name); err != nil || name != "Channel  One" {
			t.Errorf("the partner's name after the migration: %q (%v), want %q", name, err, "Channel  One")
		}
	})
}

// TestOpenConcurrently starts several stores on one fresh database at once,
// as replicas starting together do: all of them open, and each migration is
// applied once.
func TestOpenConcurrently(t *testing.T) {
	const n = 8
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			dbs []*store.DB
		)
		for i := range n {
			wg.Go(func() {
				db, err := store.Open(t.Context(), url)
				if err != nil {
					t.Errorf("Open %d: %v", i, err)
					return
				}
				mu.Lock()
				dbs = append(dbs, db)
				mu.Unlock()
			})
		}
		wg.Wait()
		for _, db := range dbs {
			db.Close()
		}
		rows, err := rawDB(t, url).QueryContext(t.Context(),
			"SELECT version, COUNT(*) FROM schema_migrations GROUP BY version ORDER BY version")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var versions []int64
		for rows.Next() {
			var v, count int64
			if err := rows.Scan(&v, &count); err != nil {
				t.Fatal(err)
			}
			if count != 1 {
				t.Errorf("migration %d recorded %d times", v, count)
			}
			versions = append(versions, v)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		if want := wantVersions(t, b.Name); !slices.Equal(versions, want) {
			t.Errorf("versions applied %v, want %v", versions, want)
		}
	})
}

// TestCheckViolationIsConflict writes past the pools' CHECK constraint
// directly: the database refuses, and the store reports a conflict.
func TestCheckViolationIsConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		db := b.Open(t)
		var pool allot.Pool
		err := db.Write(t.Context(), func(tx allot.Tx) error {
			c := allot.Company{Name: "Acme"}
			if err := tx.CreateCompany(&c); err != nil {
				return err
			}
			p := allot.Product{Code: "premium", Name: "Premium", TermMonths: 12}
			if err := tx.CreateProduct(&p); err != nil {
				return err
			}
			o := allot.Order{CompanyID: c.ID, ProductID: p.ID, Quantity: 2, TermMonths: 12, Status: allot.OrderAssigned}
			if err := tx.CreateOrder(&o); err != nil {
				return err
			}
			pool = allot.Pool{OrderID: o.ID, CompanyID: c.ID, ProductID: p.ID, Quantity: 2, Used: 1}
			return tx.CreatePool(&pool)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			err  error
		}{
			{"used above quantity", store.ExecInWrite(t.Context(), db, "UPDATE pools SET used = quantity + 1 WHERE id = $1", pool.ID)},
			{"used below zero", store.ExecInWrite(t.Context(), db, "UPDATE pools SET used = -1 WHERE id = $1", pool.ID)},
			{"created over full", db.Write(t.Context(), func(tx allot.Tx) error {
				o := allot.Order{CompanyID: pool.CompanyID, ProductID: pool.ProductID, Quantity: 2, TermMonths: 12,
					Status: allot.OrderAssigned}
				if err := tx.CreateOrder(&o); err != nil {
					return err
				}
				over := allot.Pool{OrderID: o.ID, CompanyID: pool.CompanyID, ProductID: pool.ProductID, Quantity: 2, Used: 3}
				return tx.CreatePool(&over)
			})},
		} {
			if got := allot.ErrorCode(tc.err); got != allot.ECONFLICT {
				t.Errorf("%s: %v (code %q), want code %q", tc.name, tc.err, got, allot.ECONFLICT)
			}
		}
		err = db.Read(t.Context(), func(tx allot.Tx) error {
			got, err := tx.Pool(pool.ID)
			if err == nil && got.Used != 1 {
				t.Errorf("Used = %d after refused writes, want 1", got.Used)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Write(t.Context(), func(tx allot.Tx) error { return tx.ReturnSeat(pool.ID) }); err != nil {
			t.Fatalf("ReturnSeat of the one seat used: %v", err)
		}
		err = db.Write(t.Context(), func(tx allot.Tx) error { return tx.ReturnSeat(pool.ID) })
		if got := allot.ErrorCode(err); got != allot.ECONFLICT {
			t.Errorf("ReturnSeat with no seat used: %v (code %q), want code %q", err, got, allot.ECONFLICT)
		}
	})
}
