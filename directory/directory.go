// Package directory brings people into companies from a source: a file
// uploaded (CSV), and the directories the companies keep. Every source goes
// through one pipeline: its people are classified (to create, to update,
// unchanged, or an error with its reason), staged, previewed, and applied
// exactly as previewed, in one transaction, their seats given through the
// kernel's one door. A rule about people from a source lives here once.
package directory

import (
	"context"

	"allot"
)

// Service runs imports. Every method takes the acting principal from its
// context, as the kernel's do, and asks the kernel what that principal may
// do; an import of another tenant reads as not found.
type Service struct {
	Ledger *allot.Service // the kernel: its clock, log, seats and audit log
	Store  Store
	Files  Files // reads uploaded files
	// Sources are the kinds of directory allot reads on its own, by kind.
	Sources map[string]Source
	// ObserveImport and ObserveSync, when set, are told how each step of
	// an import and each run of a directory ended (observe.go).
	ObserveImport func(outcome string)
	ObserveSync   func(outcome string)
}

// Store keeps imports, beside the ledger and in the same database.
type Store interface {
	allot.Transactor[Tx]
	// StageImport adds classified rows to import imp, in their own
	// transaction and as fast as the database loads rows (COPY on
	// PostgreSQL), and records imp.Done as its progress. ECONFLICT, staging
	// nothing, when a row's line is staged already, or when the import is
	// no longer previewing at imp.Run: another run of its preview started.
	StageImport(ctx context.Context, imp Import, rows []ImportRow) error
}

// Tx is a transaction of the ledger with the imports and the directories'
// people and groups beside it.
type Tx interface {
	allot.Tx
	peopleTx
	syncTx
	connectionTx
	ownedTx
	// CreateImport stores an import and its file.
	CreateImport(i *Import, file []byte) error
	// Import returns an import, without its file.
	Import(id int64) (Import, error)
	ImportFile(id int64) ([]byte, error)
	// UpdateImport saves i's mapping, status, progress, counts, error and
	// actor, but only while the stored status is from and the run i.Run;
	// ECONFLICT otherwise.
	UpdateImport(i Import, from ImportStatus) error
	// Imports returns a company's imports, newest first.
	Imports(companyID int64, limit int) ([]Import, error)
	ImportRows(f ImportRowFilter) ([]ImportRow, error)
	// StartImportRun starts a new run of previewing import i: it numbers
	// the run, into i.Run, and clears the rows and progress of the runs
	// before. ECONFLICT when i is no longer previewing at i.Run.
	StartImportRun(i *Import) error
	// CreateImportedUsers adds, for each of the import's rows to create, a
	// user like like (its role, company, language, zone and creation time)
	// with the row's fields, and returns their IDs, ascending, in the
	// rows' order; ECONFLICT when an e-mail is taken.
	CreateImportedUsers(importID int64, like allot.User) ([]int64, error)
	// RecordImportedUsers adds an audit event like e for each user the
	// import's rows of action (create or update) created or updated, with
	// the user as subject and the row's Before and After, in file order.
	RecordImportedUsers(importID int64, action RowAction, e allot.Event) error
	// UpdateImportedUsers saves the fields of the import's rows to update
	// on their users, who must still belong to the company and still hold
	// the values the rows kept (Kept), and returns how many it changed.
	UpdateImportedUsers(p UpdateImportedUsersParams) (int, error)
}

// UpdateImportedUsersParams name the users an import updates: those of its
// rows to update, of its company.
type UpdateImportedUsersParams struct {
	ImportID  int64
	CompanyID int64
}

// write runs fn in a write transaction as the principal ctx carries.
func (s *Service) write(ctx context.Context, fn func(tx Tx, p allot.Principal) error) error {
	return allot.Write(ctx, s.Store, fn)
}

// read runs fn in a read transaction as the principal ctx carries.
func (s *Service) read(ctx context.Context, fn func(tx Tx, p allot.Principal) error) error {
	return allot.Read(ctx, s.Store, fn)
}
