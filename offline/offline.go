// Package offline issues entitlement tokens: the check's answer signed
// with the deployment's Ed25519 key, short-lived, which the vendor's
// product verifies with the published public keys without calling allot.
//
// A token is a JWS in compact form, alg EdDSA, its header naming the key
// (kid). One rule decides how long it lasts (expiry): never longer than
// the TTL, and never, when it says yes, past the moment access ends. One
// key signs at a time; rotating makes a new one sign at once while the old
// stays published until every token it signed has expired.
package offline

import (
	"crypto/ed25519"
	"sync"
	"sync/atomic"
	"time"

	"allot"
)

// Service issues tokens and keeps the signing keys. Issuing reads no
// database: the signing key is kept in memory, read again when this
// process rotates it and at least every KeyRefresh.
type Service struct {
	Ledger *allot.Service
	Store  Store
	// TTL is how long a token lasts at most; never past the seat's end.
	TTL time.Duration
	// Issuer names the deployment in the tokens (their iss); allot's base
	// URL.
	Issuer string

	signing atomic.Pointer[signer] // the key that signs, as last read
	load    sync.Mutex             // one reader of the key at a time
}

// The bounds of a token's lifetime, and how keys outlive the tokens they
// signed.
const (
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	DefaultTTL = 15 * time.Minute
	// KeyRefresh is how long a process signs with the key it read before
	// reading it again: another process may have rotated it meanwhile.
	KeyRefresh = time.Minute
	// Margin is added to a retired key's publication beyond the longest
	// TTL: a process may sign with it for up to KeyRefresh after the
	// rotation, and clocks differ a little.
	Margin = 5 * time.Minute
	// Overlap is how long a retired key stays published: until every
	// token it may have signed has expired.
	Overlap = MaxTTL + Margin
)

// Key is an Ed25519 key that signs tokens.
type Key struct {
	ID        string // kid: named in each token's header and in the published set
	Private   ed25519.PrivateKey
	CreatedAt time.Time
	RetiredAt time.Time // when it stopped signing; zero while it signs
	DropsAt   time.Time // when it leaves the published set; zero while it signs
}

// Signs reports whether k is the key that signs.
func (k Key) Signs() bool { return k.RetiredAt.IsZero() }

// Published reports whether k's public key is published at now.
func (k Key) Published(now time.Time) bool { return k.Signs() || now.Before(k.DropsAt) }

// Public is k's public key.
func (k Key) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

// Store keeps the signing keys, beside the ledger and in the same
// database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the signing keys beside it.
type Tx interface {
	allot.Tx
	// SigningKeys returns the keys not dropped at now (signing, or DropsAt
	// after now): the one that signs first, then the retired ones, the
	// latest retired first.
	SigningKeys(now time.Time) ([]Key, error)
	// AddSigningKey stores k, which signs; ECONFLICT when another key
	// signs (a unique index holds that).
	AddSigningKey(k Key) error
	// RetireSigningKeys retires the key that signs, if any, at at, to be
	// dropped at drops.
	RetireSigningKeys(at, drops time.Time) error
	// DeleteDroppedKeys forgets the keys dropped at or before now, their
	// private keys with them.
	DeleteDroppedKeys(now time.Time) error
}
