package ldap

import (
	"time"
)

// Person is one person a directory holds, as this package reads them. It
// carries no rule of what allot does with them.
type Person struct {
	// Anchor identifies the entry for its whole life: the canonical string
	// of its objectGUID, or its entryUUID. It never changes when the person
	// is renamed, moved, or given another e-mail.
	Anchor string
	// DN is where the entry is now; it changes with a rename or a move.
	DN             string
	Email          string
	FirstName      string
	LastName       string
	Department     string
	EmployeeNumber string
	// Manager is the DN the directory gives for the person's manager, and
	// ManagerAnchor that manager's anchor, empty when no entry has that DN
	// (or the sync account may not read it).
	Manager       string
	ManagerAnchor string
	// Disabled is true for an account the directory marks disabled
	// (userAccountControl bit 2, pwdAccountLockedTime, or the configured
	// rule).
	Disabled bool
	// Groups are the DNs of the groups the person belongs to (nested ones
	// too unless NoNesting), each as Result.Groups gives it, sorted.
	Groups []string
	// Changed is when the entry last changed, to the second; zero when the
	// directory did not say.
	Changed time.Time
}

// Group is one group the group search found.
type Group struct {
	Anchor  string
	DN      string
	Name    string
	Changed time.Time
}

// Result is what one read returns.
type Result struct {
	// People holds every person read, in the order the directory gave
	// them, each once.
	People []Person
	// Groups holds every group the group search found, whether or not it
	// has members among People.
	Groups []Group
	// Full is true for a full read: a person missing from People was
	// deleted or has left the scope. An incremental read (Full false) says
	// nothing of those it does not return.
	Full bool
	// Mark is the latest change time among the people and groups read, to
	// give to the next ReadChanged; a read that finds no change keeps the
	// mark it was given.
	Mark time.Time
}
