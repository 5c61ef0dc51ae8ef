package store

import (
	"context"

	"allot/report"
)

// Report returns the store of package report: its transactions are the ledger's
// with the report package's tables and reads beside it, over the same database.
func (db *DB) Report() report.Store { return reportStore{db} }

// reportStore is a DB as package report's Store.
type reportStore struct{ db *DB }

var _ report.Store = reportStore{}

func (s reportStore) Write(ctx context.Context, fn func(report.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s reportStore) Read(ctx context.Context, fn func(report.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}
