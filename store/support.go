package store

import (
	"context"

	"allot/support"
)

// Support returns the store of package support: its transactions are the
// ledger's with the help centre and the support desk beside it.
func (db *DB) Support() support.Store { return supportStore{db} }

// supportStore is a DB as package support's Store.
type supportStore struct{ db *DB }

var _ support.Store = supportStore{}

func (s supportStore) Write(ctx context.Context, fn func(support.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s supportStore) Read(ctx context.Context, fn func(support.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}
