// Package allot is the kernel of a licence (seat) management platform and
// its licence ledger: the vendor, its partners and their customer companies,
// products, orders, the licence pools that assigned orders become, the seats
// given to learners and the entitlement decision the vendor's product asks
// for on every login.
//
// The package holds the shared nouns and their rules, the Principal and the
// permission table, Error and its codes, the Clock, the audit record, jobs
// and the one door through which every seat is given. Storage is behind the
// Store interface; package store implements it on SQLite and PostgreSQL.
// Nothing here imports another package of allot.
package allot
