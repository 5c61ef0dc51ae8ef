// Package account lets every person allot knows get in: the one-time links
// of a welcome or a password reset, and forgetting a password. It works
// over the kernel's people and passwords; a rule about getting in lives
// here once.
package account

import (
	"context"
	"time"

	"allot"
)

// Service keeps sign-in links. Its methods that act for someone take the
// principal from the context, as the kernel's do; those that serve a person
// who cannot sign in yet (a link, a forgotten password) act as the system.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, passwords and audit log
	Store  Store
}

// Store keeps accounts, beside the ledger and in the same database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the sign-in links beside it.
type Tx interface {
	allot.Tx
	// PutLink stores l as its user's one link, replacing the link they had.
	PutLink(l *Link) error
	// LinkByHash returns the link whose token has hash h.
	LinkByHash(h string) (Link, error)
	// DeleteLink deletes the link whose token has hash h; ENOTFOUND when it
	// is gone or replaced already, so that of two transactions using one
	// link, one fails.
	DeleteLink(h string) error

	// PutFactor stores f as its person's second factor, replacing theirs.
	PutFactor(f Factor) error
	// Factor returns person id's second factor.
	Factor(userID int64) (Factor, error)
	// UpdateFactor saves when f was confirmed and its last step.
	UpdateFactor(f Factor) error
	// DeleteFactor deletes person id's second factor and recovery codes.
	DeleteFactor(userID int64) error
	// PutRecoveryCodes replaces person id's recovery codes by these hashes.
	PutRecoveryCodes(userID int64, hashes []string) error
	// UseRecoveryCode marks person id's unused recovery code of hash h used
	// at at; ENOTFOUND when there is none.
	UseRecoveryCode(userID int64, h string, at time.Time) error
	// SecondFactorRequired reports whether a second factor is required of
	// the managers of company id (0: of the vendor's staff).
	SecondFactorRequired(companyID int64) (bool, error)
	SetSecondFactorRequired(companyID int64, required bool) error

	// PutConnection stores single sign-on connection c, a new one when its
	// ID is 0, with its domains instead of those it had; ECONFLICT when its
	// owner has another or one of its domains is another connection's.
	PutConnection(c *Connection) error
	// ConnectionOf, ConnectionByID and ConnectionByDomain return a
	// connection with its domains: owner o's, connection id, or the one
	// covering an e-mail domain; ENOTFOUND when there is none.
	ConnectionOf(o Owner) (Connection, error)
	ConnectionByID(id int64) (Connection, error)
	ConnectionByDomain(domain string) (Connection, error)
	// DeleteConnection deletes connection id and its domains.
	DeleteConnection(id int64) error
}

// write runs fn in a write transaction as the principal ctx carries.
func (s *Service) write(ctx context.Context, fn func(tx Tx, p allot.Principal) error) error {
	return allot.Write(ctx, s.Store, fn)
}

// read runs fn in a read transaction as the principal ctx carries.
func (s *Service) read(ctx context.Context, fn func(tx Tx, p allot.Principal) error) error {
	return allot.Read(ctx, s.Store, fn)
}

func (s *Service) now() time.Time { return s.Ledger.Clock.Now() }
