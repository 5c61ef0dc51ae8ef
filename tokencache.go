package allot

import (
	"sync"
	"time"
)

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
