package store

import (
	"context"

	"allot/webhook"
)

// Webhook returns the store of package webhook: its transactions are the ledger's
// with the package's tables beside it, over the same database.
func (db *DB) Webhook() webhook.Store { return webhookStore{db} }

// webhookStore is a DB as package webhook's Store.
type webhookStore struct{ db *DB }

var _ webhook.Store = webhookStore{}

func (s webhookStore) Write(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s webhookStore) Read(ctx context.Context, fn func(webhook.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}
