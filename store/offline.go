package store

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"time"

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

func (t *tx) SigningKeys(now time.Time) ([]offline.Key, error) {
	var out []offline.Key
	err := t.list(func(s scanner) error {
		var k offline.Key
		var seed []byte
		var created, retired, drops int64
		if err := s.Scan(&k.ID, &seed, &created, &retired, &drops); err != nil {
			return err
		}
		if len(seed) != ed25519.SeedSize {
			return fmt.Errorf("signing key %s: a seed of %d bytes, not %d", k.ID, len(seed), ed25519.SeedSize)
		}
		k.Private = ed25519.NewKeyFromSeed(seed)
		k.CreatedAt, k.RetiredAt, k.DropsAt = fromMicros(created), fromMicros(retired), fromMicros(drops)
		out = append(out, k)
		return nil
	}, `SELECT kid, private_key, created_at, retired_at, drops_at FROM signing_keys
		WHERE retired_at = 0 OR drops_at > $1 ORDER BY retired_at <> 0, retired_at DESC, created_at DESC, kid`, micros(now))
	return out, err
}

func (t *tx) AddSigningKey(k offline.Key) error {
	_, err := t.exec(`INSERT INTO signing_keys (kid, private_key, created_at) VALUES ($1, $2, $3)`,
		k.ID, []byte(k.Private.Seed()), micros(k.CreatedAt))
	return err
}

func (t *tx) RetireSigningKeys(at, drops time.Time) error {
	_, err := t.exec(`UPDATE signing_keys SET retired_at = $1, drops_at = $2 WHERE retired_at = 0`, micros(at), micros(drops))
	return err
}

func (t *tx) DeleteDroppedKeys(now time.Time) error {
	_, err := t.exec(`DELETE FROM signing_keys WHERE retired_at <> 0 AND drops_at <= $1`, micros(now))
	return err
}
