// Package offline issues entitlement tokens: the check's answer signed
// with the deployment's Ed25519 key, short-lived, which the vendor's
// product verifies with the published public keys without calling allot.
package offline

import (
	"time"

	"allot"
)

// Service issues tokens and keeps the signing keys.
type Service struct {
	Ledger *allot.Service
	Store  Store
	// TTL is how long a token lasts at most; never past the seat's end.
	TTL time.Duration
	// Issuer names the deployment in the tokens (their iss); allot's base
	// URL.
	Issuer string
}

// Store keeps the signing keys, beside the ledger and in the same
// database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the signing keys beside it.
type Tx interface {
	allot.Tx
}
