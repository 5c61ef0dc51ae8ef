// Package support is the support desk and the help centre: articles that
// answer before anyone asks, requests routed to the team that answers them,
// the service levels they are answered within, and the conversation by the
// dashboard and by mail.
package support

import (
	"allot"
)

// Service runs the help centre and the support desk. Every method takes
// the acting principal from its context, as the kernel's do; a request or
// an article the principal may not see reads as not found.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, permissions and audit log
	Store  Store
}

// Store keeps the help centre and the desk, beside the ledger and in the
// same database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the help centre and the desk
// beside it.
type Tx interface {
	allot.Tx
	articleTx
	requestTx
}
