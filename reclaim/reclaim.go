// Package reclaim keeps each company's reclaim rules: the seat of a learner
// who has not logged in for a number of days goes back to its pool, after
// an optional warning by e-mail, and the audit log names the rule.
//
// What a rule does now is decided by one function, judge, over one read,
// Candidates: the preview shows what it decides, and the run does it.
package reclaim

import (
	"time"

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
	// ReclaimRules returns company companyID's rules: the company-wide
	// one first, then by product name.
	ReclaimRules(companyID int64) ([]Rule, error)
	// EnabledReclaimRules returns up to limit enabled rules of every
	// company with an ID above afterID, by ID.
	EnabledReclaimRules(afterID int64, limit int) ([]Rule, error)
	// PutReclaimRule adds r, or changes the rule of its company and
	// product when there is one, and sets r.ID and r.CreatedAt.
	PutReclaimRule(r *Rule) error
	// DeleteReclaimRule deletes rule id of company companyID and the
	// warnings it sent; ENOTFOUND when the company has no such rule.
	DeleteReclaimRule(companyID, id int64) error
	// Candidates returns the live seats q's rule may act on now: held by
	// learners of the company idle since q.IdleBefore or earlier, with the
	// rule's warning of their current idle period when it sent one.
	Candidates(q CandidateQuery) ([]Candidate, error)
	// AddWarning records w, and reports false when its rule had already
	// warned of its seat in its idle period: a warning is sent once, however
	// many processes run the rules.
	AddWarning(w Warning) (bool, error)
	// AddReclaimed records that a rule released a seat.
	AddReclaimed(r Reclaimed) error
	// Reclaimed returns the seats company companyID's rules released,
	// newest first, up to limit.
	Reclaimed(companyID int64, limit int) ([]Reclaimed, error)
}

// CandidateQuery selects the seats a rule may act on.
type CandidateQuery struct {
	Rule       Rule
	IdleBefore time.Time // idle since this instant or earlier
	Now        time.Time // live at this instant
	AfterID    int64     // paging: seats with an ID above this
	Limit      int
}

// Candidate is a live seat of an idle learner, with the rule's warning of
// the current idle period when there is one.
type Candidate struct {
	SeatID      int64
	PoolID      int64
	ProductID   int64
	Product     string // its name
	UserID      int64
	Email       string
	Name        string
	LastLoginAt time.Time // zero when never
	StartsAt    time.Time // the seat's
	EndsAt      time.Time
	CreatedAt   time.Time
	WarnedAt    time.Time // zero when not warned in this idle period
	ReclaimAt   time.Time // when the warning said the seat goes back
}

// Since is when the learner's idle period began: the later of their last
// login and when the seat was given or began. A learner who never logged in
// counts from the seat.
func (c Candidate) Since() time.Time {
	since := c.LastLoginAt
	for _, t := range []time.Time{c.StartsAt, c.CreatedAt} {
		if t.After(since) {
			since = t
		}
	}
	return since
}

// seat returns the candidate as the kernel's seat, to release.
func (c Candidate) seat(companyID int64) allot.Seat {
	return allot.Seat{ID: c.SeatID, PoolID: c.PoolID, CompanyID: companyID, ProductID: c.ProductID, UserID: c.UserID,
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, CreatedAt: c.CreatedAt}
}

// Warning is a warning a rule sent of a seat, for one idle period.
type Warning struct {
	RuleID    int64
	SeatID    int64
	Since     time.Time // the idle period's start
	CompanyID int64
	UserID    int64
	WarnedAt  time.Time
	ReclaimAt time.Time
}

// Reclaimed is a seat a rule released.
type Reclaimed struct {
	SeatID      int64
	RuleID      int64
	CompanyID   int64
	UserID      int64
	Email       string // read back with the history
	ProductID   int64
	Product     string // read back with the history
	Days        int    // the rule's, when it released the seat
	IdleSince   time.Time
	ReclaimedAt time.Time
}
