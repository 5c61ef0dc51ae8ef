package report

import "time"

// reportTx reads the facts the reports are made of. Each read is limited to
// the Where it is given; the service has already checked that the
// principal may see it.
type reportTx interface {
	// ReportPools returns the pools of w live at p.LiveAt (when it is not
	// zero) or ending in [p.EndsFrom, p.EndsBefore), by partner name,
	// company name and end; each with how many of its held seats have a
	// learner who logged in at or after each instant of p.Since.
	ReportPools(p PoolParams) ([]PoolUse, error)
	// ReportCandidates returns up to p.Limit held seats of the pools of w
	// live at p.Now whose learner never logged in or last did before
	// p.Before, by company then seat.
	ReportCandidates(p CandidateParams) ([]Candidate, error)
	// ReportRenewals returns when each learner of w whose seat expired was
	// given a new seat of the product, for new seats given in
	// [p.From, p.To).
	ReportRenewals(p PeriodParams) ([]time.Time, error)
	// ReportInvitations returns the invitations of w made in [p.From, p.To).
	ReportInvitations(p PeriodParams) ([]InvitationFact, error)
}

// Where limits a report's reads: zero fields do not limit.
type Where struct {
	CompanyID int64
	PartnerID int64
	ProductID int64
	PoolID    int64
}

// PoolParams select pools for ReportPools.
type PoolParams struct {
	Where
	LiveAt     time.Time
	EndsFrom   time.Time
	EndsBefore time.Time
	Since      []time.Time // the instants logins are counted from, at most four
	// Ever counts the held seats whose learner ever logged in (LoggedIn);
	// without it only the logins since the earliest of Since are read.
	Ever bool
}

// PoolUse is a pool with its company, partner and product named, and how
// its held seats' learners logged in.
type PoolUse struct {
	PoolID      int64
	CompanyID   int64
	CompanyName string
	PartnerID   int64  // 0 for a direct customer
	PartnerName string // "" for a direct customer
	ProductName string
	Quantity    int // the seats bought
	Used        int // the seats held: given and not released
	StartsAt    time.Time
	EndsAt      time.Time
	LoggedIn    int   // held seats whose learner ever logged in, when PoolParams.Ever
	Since       []int // held seats whose learner logged in at or after each PoolParams.Since
}

// CandidateParams select the seats ReportCandidates lists.
type CandidateParams struct {
	Where
	Now    time.Time
	Before time.Time
	Limit  int
}

// Candidate is a held seat whose learner has not logged in for a while.
type Candidate struct {
	SeatID      int64
	UserID      int64
	Name        string
	Email       string
	CompanyID   int64
	CompanyName string
	ProductName string
	PoolID      int64
	PoolEndsAt  time.Time
	SeatSince   time.Time
	LastLoginAt time.Time // zero when never
}

// PeriodParams select what happened in [From, To).
type PeriodParams struct {
	Where
	From time.Time
	To   time.Time
}

// InvitationFact is an invitation as the invitations report counts it.
type InvitationFact struct {
	CreatedAt   time.Time
	SentAt      time.Time // zero until sent
	CancelledAt time.Time // zero unless cancelled
	SeenAt      time.Time // the member's last login or sign-in; zero when never
}
