// Package reclaim keeps each company's reclaim rules: the seat of a learner
// who has not logged in for a number of days goes back to its pool, after
// an optional warning by e-mail, and the audit log names the rule.
package reclaim

import (
	"allot"
)

// Service keeps and runs reclaim rules. Every method takes the acting
// principal from its context, as the kernel's do.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, permissions, audit log and seats
	Store  Store
}

// Store keeps reclaim rules, beside the ledger and in the same database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the reclaim rules beside it.
type Tx interface {
	allot.Tx
}
