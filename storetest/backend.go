// Package storetest holds the conformance suite every allot.Store passes and
// the helpers that open a fresh store of each kind for tests: SQLite always,
// PostgreSQL when ALLOT_TEST_POSTGRES holds a server's URL.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"allot/store"
)

// PostgresEnv names the environment variable holding the URL of a
// PostgreSQL server for tests, e.g. postgres://postgres@127.0.0.1:5432/postgres.
const PostgresEnv = "ALLOT_TEST_POSTGRES"

// Backend is a kind of store to test against.
type Backend struct {
	Name string
	// URL returns the URL of a fresh, empty database of this kind, removed
	// when the test ends. It skips the test when the kind is unavailable.
	URL func(t testing.TB) string
}

// Open opens a fresh store of this kind, closed when the test ends.
func (b Backend) Open(t testing.TB) *store.DB {
	t.Helper()
	return OpenURL(t, b.URL(t))
}

// OpenURL opens the store at url, closed when the test ends; several
// stores on one URL stand for several processes sharing a database.
func OpenURL(t testing.TB, url string) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open store %s: %v", url, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Backends are SQLite and PostgreSQL.
var Backends = []Backend{
	{Name: "sqlite", URL: SQLiteURL},
	{Name: "postgres", URL: PostgresURL},
}

// runner is a test or a benchmark: what Each runs its subtests on.
type runner[T any] interface {
	Run(name string, f func(T)) bool
}

// Each runs test on every backend, as a subtest (or sub-benchmark) named
// after it. A backend that is unavailable skips its subtest, saying why.
func Each[T runner[T]](t T, test func(t T, b Backend)) {
	for _, b := range Backends {
		t.Run(b.Name, func(t T) { test(t, b) })
	}
}

// SQLiteURL returns the path of a new SQLite file in the test's temporary
// directory.
func SQLiteURL(t testing.TB) string {
	return filepath.Join(t.TempDir(), "allot.db")
}

// PostgresURL creates a schema of its own on the server named by
// ALLOT_TEST_POSTGRES and returns a URL whose connections use it; the schema
// is dropped when the test ends. Without the variable, the test is skipped.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skipf("PostgreSQL not tested: set %s to a server's URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)", PostgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "allot_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Errorf("postgres: %v", err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("postgres: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres: %s: %v", PostgresEnv, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenPlain opens a database/sql connection to the database at url, the way
// store.Open names it (a postgres:// URL, or a SQLite file).
func OpenPlain(tb testing.TB, url string) *sql.DB {
	tb.Helper()
	driver, dsn := "pgx", url
	if !strings.HasPrefix(url, "postgres://") && !strings.HasPrefix(url, "postgresql://") {
		driver, dsn = "sqlite", "file:"+url+"?_pragma=busy_timeout(30000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		tb.Fatalf("open %s: %v", driver, err)
	}
	db.SetMaxOpenConns(8) // PostgreSQL's 100 connections are shared by every process of a test
	tb.Cleanup(func() { db.Close() })
	return db
}
