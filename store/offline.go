package store

import (
	"context"

	"allot/offline"
)

// Offline returns the store of package offline: its transactions are the ledger's
// with the package's tables beside it, over the same database.
func (db *DB) Offline() offline.Store { return offlineStore{db} }

// offlineStore is a DB as package offline's Store.
type offlineStore struct{ db *DB }

var _ offline.Store = offlineStore{}

func (s offlineStore) Write(ctx context.Context, fn func(offline.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s offlineStore) Read(ctx context.Context, fn func(offline.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}
