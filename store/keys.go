package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"allot"
)

// ClaimKey claims idempotency key for owner and a request hashed as hash.
// A key used before is answered from what it holds; every key older than
// expired, whoever's, is forgotten, so that no response is kept longer; and
// a claim still running after stale is taken over (its process is taken to
// have died).
func (db *DB) ClaimKey(ctx context.Context, owner, key, hash string, now time.Time, stale, expired time.Duration) (allot.KeyClaim, error) {
	var c allot.KeyClaim
	err := db.run(ctx, db.write, nil, func(t *tx) error {
		if _, err := t.exec(`DELETE FROM idempotency_keys WHERE created_at < $1`, micros(now.Add(-expired))); err != nil {
			return err
		}
		res, err := t.exec(`INSERT INTO idempotency_keys (owner, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (owner, key) DO NOTHING`, owner, key, hash, micros(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			c.New = true
			return nil
		}
		var (
			storedHash string
			done       bool
			created    int64
		)
		err = t.tx.QueryRowContext(ctx, `SELECT request_hash, done, status, content_type, COALESCE(body, ''), created_at
			FROM idempotency_keys WHERE owner = $1 AND key = $2`, owner, key).
			Scan(&storedHash, &done, &c.Status, &c.ContentType, &c.Body, &created)
		switch {
		case err != nil:
			return t.d.translate(err)
		case storedHash != hash:
			c.Mismatch = true
		case done:
		case fromMicros(created).Before(now.Add(-stale)):
			c = allot.KeyClaim{New: true}
			_, err = t.exec(`UPDATE idempotency_keys SET created_at = $3 WHERE owner = $1 AND key = $2`, owner, key, micros(now))
		default:
			c.InProgress = true
		}
		return err
	})
	return c, err
}

// FinishKey stores the response of the request that claimed key.
func (db *DB) FinishKey(ctx context.Context, owner, key string, status int, contentType string, body []byte) error {
	return db.run(ctx, db.write, nil, func(t *tx) error {
		_, err := t.exec(`UPDATE idempotency_keys SET done = true, status = $3, content_type = $4, body = $5
			WHERE owner = $1 AND key = $2`, owner, key, status, contentType, body)
		return err
	})
}

// ReleaseKey forgets key, so that its request may be tried again.
func (db *DB) ReleaseKey(ctx context.Context, owner, key string) error {
	return db.run(ctx, db.write, nil, func(t *tx) error {
		_, err := t.exec(`DELETE FROM idempotency_keys WHERE owner = $1 AND key = $2 AND NOT done`, owner, key)
		return err
	})
}

// Sessions returns the browser sessions' store: Find, Commit and Delete as
// github.com/alexedwards/scs/v2 expects.
func (db *DB) Sessions() *Sessions { return &Sessions{db: db} }

// Sessions keeps browser sessions in the database, so that every process
// of a deployment knows them.
type Sessions struct{ db *DB }

// Find returns the data of an unexpired session.
func (s *Sessions) Find(token string) ([]byte, bool, error) {
	var data []byte
	err := s.db.read.QueryRow(`SELECT data FROM sessions WHERE token = $1 AND expiry > $2`, token, time.Now().UnixMicro()).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("find session: %w", err)
	}
	return data, true, nil
}

// Commit saves a session's data until expiry, and forgets expired sessions.
func (s *Sessions) Commit(token string, data []byte, expiry time.Time) error {
	return s.db.run(context.Background(), s.db.write, nil, func(t *tx) error {
		if _, err := t.exec(`DELETE FROM sessions WHERE expiry <= $1`, time.Now().UnixMicro()); err != nil {
			return err
		}
		_, err := t.exec(`INSERT INTO sessions (token, data, expiry) VALUES ($1, $2, $3)
			ON CONFLICT (token) DO UPDATE SET data = excluded.data, expiry = excluded.expiry`, token, data, expiry.UnixMicro())
		return err
	})
}

// Delete forgets a session.
func (s *Sessions) Delete(token string) error {
	return s.db.run(context.Background(), s.db.write, nil, func(t *tx) error {
		_, err := t.exec(`DELETE FROM sessions WHERE token = $1`, token)
		return err
	})
}
