package store

import (
	"context"

	"allot"
	"allot/account"
)

// Account returns the store of package account: its transactions are the
// ledger's with the sign-in links beside it, over the same database.
func (db *DB) Account() account.Store { return accountStore{db} }

// accountStore is a DB as package account's Store.
type accountStore struct{ db *DB }

func (s accountStore) Write(ctx context.Context, fn func(account.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s accountStore) Read(ctx context.Context, fn func(account.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

// PutLink replaces the user's link: one statement, so that two links made
// at once leave one.
func (t *tx) PutLink(l *account.Link) error {
	return t.insert(&l.ID, `INSERT INTO sign_in_links (user_id, purpose, hash, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id) DO UPDATE SET purpose = excluded.purpose, hash = excluded.hash,
			created_at = excluded.created_at, expires_at = excluded.expires_at
		RETURNING id`,
		l.UserID, l.Purpose, l.Hash, micros(l.CreatedAt), micros(l.ExpiresAt))
}

func (t *tx) LinkByHash(h string) (account.Link, error) {
	var (
		l                account.Link
		created, expires int64
	)
	err := t.get("link", func(s scanner) error {
		err := s.Scan(&l.ID, &l.UserID, &l.Purpose, &l.Hash, &created, &expires)
		l.CreatedAt, l.ExpiresAt = fromMicros(created), fromMicros(expires)
		return err
	}, `SELECT id, user_id, purpose, hash, created_at, expires_at FROM sign_in_links WHERE hash = $1`, h)
	return l, err
}

func (t *tx) DeleteLink(hash string) error {
	return t.execOne(allot.NotFound("link"), `DELETE FROM sign_in_links WHERE hash = $1`, hash)
}
