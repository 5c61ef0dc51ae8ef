package allot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Token is a personal API token. Only its hash is stored; the secret is
// shown once, when it is made.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // the secret's first characters, to tell tokens apart
	Hash       string
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero for never
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// MaxTokenName is the most characters a token's name may have.
const MaxTokenName = 100

// TokenPrefix starts every token secret, so that a leaked one is easy to
// recognise.
const TokenPrefix = "allot_"

// HashToken returns the stored form of a token secret. Secrets are long and
// random, so a fast hash is enough.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// TokenAuth is a token with its user, as the store finds them by hash.
type TokenAuth struct {
	Token Token
	User  User
}

// CreateToken makes a personal API token for the signed-in user and returns
// it with its secret, which is never shown again. A zero expiry means never.
// Learners make none (ActMakeToken): EFORBIDDEN.
func (s *Service) CreateToken(ctx context.Context, name string, expires time.Time) (Token, string, error) {
	var (
		t      Token
		secret string
	)
	name = strings.TrimSpace(name)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if err := p.Must(ActMakeToken, p.Home()); err != nil {
			return err
		}
		now := s.Clock.Now()
		switch {
		case name == "":
			return Invalid("name", "name the token after what will use it")
		case !expires.IsZero() && !expires.After(now):
			return Invalid("expires_at", "the expiry must be in the future")
		}
		if err := CheckText("name", name, MaxTokenName); err != nil {
			return err
		}
		b := make([]byte, 20)
		if _, err := rand.Read(b); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		secret = TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
		t = Token{UserID: p.UserID, Name: name, Prefix: secret[:len(TokenPrefix)+6], Hash: HashToken(secret),
			CreatedAt: now, ExpiresAt: expires.UTC().Truncate(time.Microsecond)}
		if err := tx.CreateToken(&t); err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return s.Record(tx, p, Company{ID: p.CompanyID}, "token.create", "token", t.ID, nil, t.public())
	})
	return t, secret, err
}

// public is the token as recorded and listed: without its hash.
func (t Token) public() Token {
	t.Hash = ""
	return t
}

// Tokens lists the signed-in user's tokens, without their hashes.
func (s *Service) Tokens(ctx context.Context) ([]Token, error) {
	var out []Token
	err := s.read(ctx, func(tx Tx, p Principal) error {
		ts, err := tx.Tokens(p.UserID)
		for _, t := range ts {
			out = append(out, t.public())
		}
		return err
	})
	return out, err
}

// RevokeToken revokes one of the signed-in user's tokens; it stops working
// at once. Another user's token reads as not found.
func (s *Service) RevokeToken(ctx context.Context, id int64) (Token, error) {
	var t Token
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var err error
		t, err = tx.Token(id)
		if err != nil || t.UserID != p.UserID {
			return NotFound("token")
		}
		if !t.RevokedAt.IsZero() {
			return Errorf(ECONFLICT, "token %d is already revoked", id)
		}
		t.RevokedAt = s.Clock.Now()
		if err := tx.RevokeToken(id, t.RevokedAt); err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		t = t.public()
		return s.Record(tx, p, Company{ID: p.CompanyID}, "token.revoke", "token", id, nil, t)
	})
	if err == nil {
		s.tokens.forget(id, 0) // once committed, so no check caches the token anew
	}
	return t, err
}

// revokeTokens revokes user id's live tokens and returns their IDs.
func (s *Service) revokeTokens(tx Tx, userID int64) ([]int64, error) {
	ts, err := tx.Tokens(userID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	now := s.Clock.Now()
	for _, t := range ts {
		if t.RevokedAt.IsZero() {
			if err := tx.RevokeToken(t.ID, now); err != nil {
				return nil, fmt.Errorf("revoke token %d: %w", t.ID, err)
			}
			ids = append(ids, t.ID)
		}
	}
	return ids, nil
}

// Authenticate returns the principal a token secret stands for, or
// EUNAUTHORIZED when it is unknown, revoked, expired or its user removed.
func (s *Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	bad := func() error { return Errorf(EUNAUTHORIZED, "the token is not valid") }
	if !strings.HasPrefix(secret, TokenPrefix) {
		return Principal{}, bad()
	}
	hash, now := HashToken(secret), s.Clock.Now()
	a, cached := s.tokens.get(hash, now)
	if !cached {
		var err error
		a, err = s.Store.TokenAuth(ctx, hash)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			return Principal{}, bad()
		case err != nil:
			return Principal{}, fmt.Errorf("authenticate: %w", err)
		}
	}
	if !a.Token.RevokedAt.IsZero() || !a.Token.ExpiresAt.IsZero() && !now.Before(a.Token.ExpiresAt) || !a.User.RemovedAt.IsZero() {
		return Principal{}, bad()
	}
	if now.Sub(a.Token.LastUsedAt) > time.Hour {
		// Kept to the hour, so that the hot path does not write each time.
		if err := s.Store.Write(ctx, func(tx Tx) error { return tx.TouchToken(a.Token.ID, now) }); err != nil {
			s.Log.Warn("token last use not recorded", "token", a.Token.ID, "err", err)
		}
		a.Token.LastUsedAt = now
	}
	if !cached {
		s.tokens.put(hash, a, now)
	}
	return a.User.Principal(), nil
}

// TokenCacheTTL is how long a token's check is remembered by one process.
// A token revoked, or a user removed, through this process stops working at
// once; through another process sharing the database, within this time.
const TokenCacheTTL = 5 * time.Second

// tokenCache remembers recent token checks, so that the API does not ask the
// database on every request.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]cachedToken // by token hash
}

type cachedToken struct {
	auth    TokenAuth
	checked time.Time
}

// maxCachedTokens bounds the cache; it starts afresh when full.
const maxCachedTokens = 10_000

func (c *tokenCache) get(hash string, now time.Time) (TokenAuth, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok || now.Sub(e.checked) >= TokenCacheTTL || now.Before(e.checked) {
		return TokenAuth{}, false
	}
	return e.auth, true
}

func (c *tokenCache) put(hash string, a TokenAuth, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxCachedTokens {
		c.entries = make(map[string]cachedToken)
	}
	c.entries[hash] = cachedToken{auth: a, checked: now}
}

// forget drops the cached checks of a token, or of every token of a user.
func (c *tokenCache) forget(tokenID, userID int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for hash, e := range c.entries {
		if e.auth.Token.ID == tokenID || e.auth.User.ID == userID {
			delete(c.entries, hash)
		}
	}
}
