package allot

import "time"

// PartnerFilter selects partners. Zero fields do not filter.
type PartnerFilter struct {
	AccountManagerID int64
	AfterID          int64 // the partners after this one, in the list's order
	Limit            int
}

// CompanyFilter selects companies. Zero fields do not filter.
type CompanyFilter struct {
	PartnerID  int64
	DirectOnly bool
	Search     string
	AfterID    int64 // the companies after this one, in the list's order
	Limit      int
}

// UserFilter selects users, by ID ascending. Zero fields do not filter.
type UserFilter struct {
	CompanyID      int64
	PartnerID      int64
	Roles          []Role
	Search         string // in the e-mail or the names
	NeverLoggedIn  bool
	InactiveSince  time.Time // last login before this instant, or never
	IncludeRemoved bool
	AfterID        int64
	Limit          int
}

// DefaultLimit and MaxLimit bound every list.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// clampLimit returns n within [1, MaxLimit], DefaultLimit for n <= 0.
func clampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
