package store

import (
	"context"

	"allot/reclaim"
)

// Reclaim returns the store of package reclaim: its transactions are the ledger's
// with the reclaim package's tables and reads beside it, over the same database.
func (db *DB) Reclaim() reclaim.Store { return reclaimStore{db} }

// reclaimStore is a DB as package reclaim's Store.
type reclaimStore struct{ db *DB }

var _ reclaim.Store = reclaimStore{}

func (s reclaimStore) Write(ctx context.Context, fn func(reclaim.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s reclaimStore) Read(ctx context.Context, fn func(reclaim.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}
