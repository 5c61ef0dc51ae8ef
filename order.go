package allot

import "time"

// OrderStatus is where an order is in its life: requested, then assigned,
// cancelled or rejected.
type OrderStatus string

// Order statuses.
const (
	OrderRequested OrderStatus = "requested"
	OrderAssigned  OrderStatus = "assigned"
	OrderCancelled OrderStatus = "cancelled"
	OrderRejected  OrderStatus = "rejected"
)

// Order asks for Quantity licences of one product for one company. Exactly
// one of TermMonths and TermDays is set; assignment turns it into a Pool.
type Order struct {
	ID          int64
	CompanyID   int64
	PartnerID   int64 // the company's partner, copied for scoping; 0 for direct customers
	ProductID   int64
	Quantity    int
	PORef       string
	Note        string
	TermMonths  int
	TermDays    int
	Status      OrderStatus
	RequestedBy int64
	RequestedAt time.Time
	DecidedBy   int64 // who assigned, cancelled or rejected it
	DecidedAt   time.Time
	Reason      string // why it was rejected
}

// End returns when a pool of this order assigned at start expires.
func (o Order) End(start time.Time) time.Time {
	if o.TermDays > 0 {
		return start.AddDate(0, 0, o.TermDays)
	}
	return AddMonths(start, o.TermMonths)
}

// OrderFilter selects orders. Zero fields do not filter.
type OrderFilter struct {
	Statuses    []OrderStatus
	CompanyID   int64
	PartnerID   int64
	ProductID   int64
	PORef       string
	RequestedBy int64
	From, To    time.Time // requested in [From, To)
	Text        string    // in the PO reference, the note or the company's name
	Oldest      bool      // oldest first; newest first by default
	AfterID     int64     // paging: the orders after this one in the chosen order
	Limit       int
}

// Limits of an order's fields.
const (
	MaxQuantity   = 1_000_000
	MaxTermMonths = 60
	MaxTermDays   = 1830
)
