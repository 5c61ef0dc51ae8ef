package allot

import "time"

// Status is a licence status, as shown everywhere: for a seat, a pool or a
// learner.
type Status string

// Licence statuses (PRODUCT.md §4).
const (
	StatusScheduled  Status = "scheduled"
	StatusActive     Status = "active"
	StatusExpiring   Status = "expiring"
	StatusExpired    Status = "expired"
	StatusReleased   Status = "released"
	StatusUnlicensed Status = "unlicensed"
)

// ExpiringWindow is how long before its end a seat or pool is "expiring".
const ExpiringWindow = 72 * time.Hour

// Release reasons.
const (
	ReasonLeft          = "left_company"
	ReasonNeverLoggedIn = "never_logged_in"
	ReasonOther         = "other"
	ReasonReallocated   = "reallocated"
	ReasonRemoved       = "removed"
)

// ReleaseReasons are the reasons a manager may give when releasing a seat.
var ReleaseReasons = []string{ReasonLeft, ReasonNeverLoggedIn, ReasonOther}

// Seat binds one learner to one pool, giving access from StartsAt until
// EndsAt unless released earlier.
type Seat struct {
	ID            int64
	PoolID        int64
	CompanyID     int64
	ProductID     int64
	UserID        int64
	StartsAt      time.Time
	EndsAt        time.Time
	CreatedAt     time.Time
	ReleasedAt    time.Time // zero unless released
	ReleaseReason string
}

// Status returns the seat's licence status at now.
func (s Seat) Status(now time.Time) Status {
	if !s.ReleasedAt.IsZero() {
		return StatusReleased
	}
	return windowStatus(s.StartsAt, s.EndsAt, now)
}

// Live reports whether the seat still counts as the learner's seat at now:
// not released and not ended (it may not have started yet).
func (s Seat) Live(now time.Time) bool {
	return s.ReleasedAt.IsZero() && now.Before(s.EndsAt)
}

// windowStatus is the status of a window [start, end) at now.
func windowStatus(start, end, now time.Time) Status {
	switch {
	case now.Before(start):
		return StatusScheduled
	case !now.Before(end):
		return StatusExpired
	case end.Sub(now) <= ExpiringWindow:
		return StatusExpiring
	}
	return StatusActive
}

// SeatFilter selects seats. Zero fields do not filter.
type SeatFilter struct {
	CompanyID int64
	PoolID    int64
	UserID    int64
	UserIDs   []int64 // when not empty: the seats of any of these users
	ProductID int64
	HeldOnly  bool  // only seats not released (live, scheduled or expired)
	AfterID   int64 // paging: seats with an ID greater than this
	Limit     int
}

// Waiting is a learner added without a seat, waiting for one.
type Waiting struct {
	UserID    int64
	CompanyID int64
	ProductID int64
	Reason    string
	Since     time.Time
}
