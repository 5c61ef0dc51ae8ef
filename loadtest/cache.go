package loadtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"allot/store"
)

// Cached returns the path of a SQLite ledger seeded at now in directory
// dir, seeding it first when it is not there; seeded says whether it was.
// The file is named prefix-KEY.db, where KEY changes with the schema that
// store.Open makes and with the seed, so a ledger of an older schema or
// seed is never used. Whoever opens the file may change it: copy it first
// to keep it as seeded.
func Cached(ctx context.Context, dir, prefix string, now time.Time) (path string, seeded bool, err error) {
	key, err := fingerprint(ctx, now)
	if err != nil {
		return "", false, fmt.Errorf("cached ledger: %w", err)
	}
	path = filepath.Join(dir, prefix+"-"+key+".db")
	if _, err := os.Stat(path); err == nil {
		return path, false, nil
	}
	if err := SeedFile(ctx, path, now); err != nil {
		return "", false, err
	}
	return path, true, nil
}

// SeedFile seeds a new SQLite ledger at path, as Seed does, first into a
// file next to it which is then renamed: nobody sees half a ledger at path.
func SeedFile(ctx context.Context, path string, now time.Time) error {
	partial := fmt.Sprintf("%s.%d.partial", path, os.Getpid())
	os.Remove(partial)
	if err := Seed(ctx, partial, now); err != nil {
		removeSQLite(partial)
		return err
	}
	if err := os.Rename(partial, path); err != nil {
		removeSQLite(partial)
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

// removeSQLite removes a SQLite file with its journal and WAL files.
func removeSQLite(path string) {
	for _, suffix := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suffix)
	}
}

// fingerprint hashes the SQLite schema store.Open makes, the migrations it
// records, and the seed statements at now.
func fingerprint(ctx context.Context, now time.Time) (string, error) {
	dir, err := os.MkdirTemp("", "allot-schema-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "schema.db")
	st, err := store.Open(ctx, path)
	if err != nil {
		return "", err
	}
	if err := st.Close(); err != nil {
		return "", err
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	h := sha256.New()
	fmt.Fprintf(h, "seed %d\n", Version)
	for _, q := range []string{
		"SELECT type || ' ' || name || ' ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name",
		"SELECT CAST(version AS TEXT) FROM schema_migrations ORDER BY version",
	} {
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			return "", err
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				rows.Close()
				return "", err
			}
			fmt.Fprintln(h, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	for _, q := range Statements("sqlite", now) {
		fmt.Fprintln(h, q)
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
