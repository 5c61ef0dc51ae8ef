package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"allot"
)

func (t *tx) CreateToken(tk *allot.Token) error {
	return t.insert(&tk.ID, `INSERT INTO api_tokens (user_id, name, prefix, hash, created_at, expires_at, last_used_at, revoked_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		tk.UserID, tk.Name, tk.Prefix, tk.Hash, micros(tk.CreatedAt), micros(tk.ExpiresAt), micros(tk.LastUsedAt), micros(tk.RevokedAt))
}

const tokenColumns = `id, user_id, name, prefix, hash, created_at, expires_at, last_used_at, revoked_at`

func scanToken(tk *allot.Token) func(scanner) error {
	return func(s scanner) error {
		var created, expires, used, revoked int64
		err := s.Scan(&tk.ID, &tk.UserID, &tk.Name, &tk.Prefix, &tk.Hash, &created, &expires, &used, &revoked)
		tk.CreatedAt, tk.ExpiresAt, tk.LastUsedAt, tk.RevokedAt = fromMicros(created), fromMicros(expires), fromMicros(used), fromMicros(revoked)
		return err
	}
}

func (t *tx) Token(id int64) (allot.Token, error) {
	var tk allot.Token
	err := t.get("token", scanToken(&tk), `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id)
	return tk, err
}

func (t *tx) Tokens(userID int64) ([]allot.Token, error) {
	var (
		out []allot.Token
		tk  allot.Token
	)
	err := t.list(func(s scanner) error {
		err := scanToken(&tk)(s)
		out = append(out, tk)
		return err
	}, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	return out, err
}

func (t *tx) RevokeToken(id int64, at time.Time) error {
	return t.execOne(allot.NotFound("token"), `UPDATE api_tokens SET revoked_at = $2 WHERE id = $1`, id, micros(at))
}

func (t *tx) TouchToken(id int64, at time.Time) error {
	return t.execOne(allot.NotFound("token"), `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, micros(at))
}

const tokenAuthQuery = `SELECT t.id, t.user_id, t.expires_at, t.last_used_at, t.revoked_at,
	u.email, u.role, u.partner_id, u.company_id, u.removed_at
FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.hash = $1`

// TokenAuth finds a token by hash with its user, in one prepared statement.
func (db *DB) TokenAuth(ctx context.Context, hash string) (allot.TokenAuth, error) {
	var (
		a                               allot.TokenAuth
		expires, used, revoked, removed int64
	)
	err := db.tokenAuth.QueryRowContext(context.WithoutCancel(ctx), hash).Scan(&a.Token.ID, &a.Token.UserID, &expires, &used, &revoked,
		&a.User.Email, &a.User.Role, &a.User.PartnerID, &a.User.CompanyID, &removed)
	if errors.Is(err, sql.ErrNoRows) {
		return a, allot.NotFound("token")
	}
	if err != nil {
		return a, fmt.Errorf("token: %w", db.dialect.translate(err))
	}
	a.User.ID = a.Token.UserID
	a.Token.ExpiresAt, a.Token.LastUsedAt, a.Token.RevokedAt = fromMicros(expires), fromMicros(used), fromMicros(revoked)
	a.User.RemovedAt = fromMicros(removed)
	return a, nil
}
