// Package report reads the ledger for the people who run it: each role's
// home page, which shows what needs its attention first, and the reports of
// seats, use, expiries, renewals and invitations per pool, company, partner
// and deployment, exported as CSV and XLSX.
package report

import (
	"allot"
)

// Service reads reports and home pages. Every method takes the acting
// principal from its context, as the kernel's do: a report of a company or
// partner the principal may not see reads as not found.
type Service struct {
	Ledger *allot.Service // the kernel: its clock and permissions
	Store  Store
}

// Store reads the reports, beside the ledger and in the same database.
type Store interface {
	allot.Transactor[Tx]
}

// Tx is a transaction of the ledger with the reports' reads beside it.
type Tx interface {
	allot.Tx
	homeTx
	reportTx
}
