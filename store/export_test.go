package store

import (
	"context"

	"allot"
)

// ExecInWrite runs one statement in a write transaction of db, with its
// error translated as every statement of the store is, so that a test can
// write what the store's methods never would.
func ExecInWrite(ctx context.Context, db *DB, query string, args ...any) error {
	return db.Write(ctx, func(t allot.Tx) error {
		_, err := t.(*tx).exec(query, args...)
		return err
	})
}
