package allot

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

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

// NewOrder is what requesting licences takes. Leave both terms zero for the
// product's default term.
type NewOrder struct {
	CompanyID   int64
	ProductCode string
	Quantity    int
	PORef       string
	Note        string
	TermMonths  int
	TermDays    int
}

// RequestOrder asks for licences for a company (ActRequestOrder).
func (s *Service) RequestOrder(ctx context.Context, in NewOrder) (Order, error) {
	var o Order
	err := s.write(ctx, func(tx Tx, p Principal) error {
		var err error
		o, err = s.requestOrder(tx, p, in)
		return err
	})
	return o, err
}

func (s *Service) requestOrder(tx Tx, p Principal, in NewOrder) (Order, error) {
	c, err := CompanyFor(tx, p, in.CompanyID, ActRequestOrder)
	if err != nil {
		return Order{}, err
	}
	pr, err := tx.ProductByCode(strings.ToLower(strings.TrimSpace(in.ProductCode)))
	if err != nil {
		return Order{}, Invalid("product", "no product %q", in.ProductCode)
	}
	o := Order{
		CompanyID: c.ID, PartnerID: c.PartnerID, ProductID: pr.ID, Quantity: in.Quantity,
		PORef: strings.TrimSpace(in.PORef), Note: strings.TrimSpace(in.Note),
		TermMonths: in.TermMonths, TermDays: in.TermDays,
		Status: OrderRequested, RequestedBy: p.UserID, RequestedAt: s.Clock.Now(),
	}
	if o.TermMonths == 0 && o.TermDays == 0 {
		o.TermMonths = pr.TermMonths
	}
	switch {
	case o.Quantity < 1 || o.Quantity > MaxQuantity:
		return Order{}, Invalid("quantity", "the quantity is 1 to %d licences", MaxQuantity)
	case o.TermMonths != 0 && o.TermDays != 0:
		return Order{}, Invalid("term_days", "give the term in months or in days, not both")
	case o.TermMonths < 0 || o.TermMonths > MaxTermMonths:
		return Order{}, Invalid("term_months", "the term is 1 to %d months", MaxTermMonths)
	case o.TermDays < 0 || o.TermDays > MaxTermDays:
		return Order{}, Invalid("term_days", "the term is 1 to %d days", MaxTermDays)
	case len(o.PORef) > 100:
		return Order{}, Invalid("po_ref", "a purchase-order reference is at most 100 characters")
	case len(o.Note) > 2000:
		return Order{}, Invalid("note", "a note is at most 2000 characters")
	}
	if err := tx.CreateOrder(&o); err != nil {
		return Order{}, fmt.Errorf("request order: %w", err)
	}
	if err := s.Record(tx, p, c, "order.request", "order", o.ID, nil, o); err != nil {
		return Order{}, err
	}
	to, err := assigners(tx, c, p)
	if err != nil {
		return Order{}, fmt.Errorf("request order: %w", err)
	}
	return o, queueOrderMail(tx, MailRequested, c, o, pr, nameOf(tx, p), to, o.RequestedAt)
}

// assigners returns who hears that an order of company c waits, requested
// by p: those who may assign it (ActAssignOrder) and answer for the
// company, its partner's managers or, for a direct customer, its account
// manager, or the vendor's admins when it has none; p aside.
func assigners(tx Tx, c Company, p Principal) ([]User, error) {
	var f UserFilter
	switch {
	case c.PartnerID != 0:
		f = UserFilter{PartnerID: c.PartnerID, Roles: []Role{RolePartnerManager}, Limit: MaxLimit}
	case c.AccountManagerID != 0:
		am, err := tx.User(c.AccountManagerID)
		if err != nil {
			return nil, err
		}
		return mayAssign([]User{am}, c, p), nil
	default:
		f = UserFilter{Roles: []Role{RoleVendorAdmin}, Limit: MaxLimit}
	}
	users, err := tx.Users(f)
	return mayAssign(users, c, p), err
}

// mayAssign returns the people of users, p aside, who may assign company
// c's orders and have not been removed.
func mayAssign(users []User, c Company, p Principal) []User {
	var out []User
	for _, u := range users {
		if u.ID != p.UserID && u.RemovedAt.IsZero() && u.Principal().May(ActAssignOrder, c) {
			out = append(out, u)
		}
	}
	return out
}

// tellRequester queues a mail of kind about order o, decided by p, to its
// requester, unless they decided it themself or are gone.
func tellRequester(tx Tx, kind string, c Company, o Order, p Principal, now time.Time) error {
	if o.RequestedBy == p.UserID {
		return nil
	}
	u, err := tx.User(o.RequestedBy)
	if ErrorCode(err) == ENOTFOUND || (err == nil && !u.RemovedAt.IsZero()) {
		return nil
	} else if err != nil {
		return err
	}
	pr, err := tx.Product(o.ProductID)
	if err != nil {
		return err
	}
	return queueOrderMail(tx, kind, c, o, pr, nameOf(tx, p), []User{u}, now)
}

// Order returns order id when p may see its company.
func (s *Service) Order(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		o, _, err = visibleOrder(tx, p, id)
		return err
	})
	return o, err
}

func visibleOrder(tx Tx, p Principal, id int64) (Order, Company, error) {
	o, err := tx.Order(id)
	if err != nil {
		return Order{}, Company{}, err
	}
	c, err := VisibleCompany(tx, p, o.CompanyID)
	if err != nil {
		return Order{}, Company{}, NotFound("order")
	}
	return o, c, nil
}

// Orders lists the orders of p's scope (ListScope; in manage-company mode,
// the company acted in), newest first, narrowed by f: a company f names
// outside the scope has none.
func (s *Service) Orders(ctx context.Context, f OrderFilter) ([]Order, error) {
	var out []Order
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, p.ActingCompanyID, ActSeeCompany)
		if err != nil || !sc.narrow(&f.CompanyID, &f.PartnerID) {
			return err
		}
		f.Limit = ClampLimit(f.Limit)
		out, err = tx.Orders(f)
		return err
	})
	return out, err
}

// AssignOrder assigns a requested order (ActAssignOrder), which starts its clock: it becomes
// a pool valid from now for the order's term. Learners of the company
// waiting for the product are given seats from it at once, oldest first.
func (s *Service) AssignOrder(ctx context.Context, id int64) (Order, Pool, error) {
	var (
		o    Order
		pool Pool
	)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, c, err := visibleOrder(tx, p, id)
		if err != nil {
			return err
		}
		if err := p.Must(ActAssignOrder, c); err != nil {
			return err
		}
		now := s.Clock.Now()
		o = before
		o.Status, o.DecidedBy, o.DecidedAt = OrderAssigned, p.UserID, now
		if err := decide(tx, before, o); err != nil {
			return err
		}
		pool = Pool{OrderID: o.ID, CompanyID: o.CompanyID, ProductID: o.ProductID,
			Quantity: o.Quantity, StartsAt: now, EndsAt: o.End(now)}
		if err := tx.CreatePool(&pool); err != nil {
			return fmt.Errorf("assign order %d: %w", id, err)
		}
		if err := s.Record(tx, p, c, "order.assign", "order", o.ID, before, pool); err != nil {
			return err
		}
		given, err := s.fillWaiting(tx, p, c, o.ProductID, pool.ID)
		if err != nil {
			return fmt.Errorf("assign order %d: seats for who waits: %w", id, err)
		}
		pool.Used += given
		// Every manager of the company, and the requester, hear that the
		// licences are ready.
		to, err := tx.Users(UserFilter{CompanyID: c.ID, Roles: []Role{RoleCompanyManager}, Limit: MaxLimit})
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(to, func(u User) bool { return u.ID == o.RequestedBy }) {
			if requester, err := tx.User(o.RequestedBy); err == nil && requester.RemovedAt.IsZero() {
				to = append(to, requester)
			}
		}
		pr, err := tx.Product(o.ProductID)
		if err != nil {
			return err
		}
		return queueMails(tx, MailAssigned, c, pool, pr, to, 0, now, now)
	})
	return o, pool, err
}

// CancelOrder cancels a requested order: its requester may, and those who
// may ActCancelOrder in its company.
func (s *Service) CancelOrder(ctx context.Context, id int64) (Order, error) {
	var o Order
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, c, err := visibleOrder(tx, p, id)
		if err != nil {
			return err
		}
		if before.RequestedBy != p.UserID {
			if err := p.Must(ActCancelOrder, c); err != nil {
				return err
			}
		}
		o = before
		o.Status, o.DecidedBy, o.DecidedAt = OrderCancelled, p.UserID, s.Clock.Now()
		if err := decide(tx, before, o); err != nil {
			return err
		}
		if err := s.Record(tx, p, c, "order.cancel", "order", o.ID, before, o); err != nil {
			return err
		}
		return tellRequester(tx, MailCancelled, c, o, p, o.DecidedAt)
	})
	return o, err
}

// RejectOrder rejects a requested order with a reason (ActRejectOrder).
func (s *Service) RejectOrder(ctx context.Context, id int64, reason string) (Order, error) {
	var o Order
	reason = strings.TrimSpace(reason)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, c, err := visibleOrder(tx, p, id)
		if err != nil {
			return err
		}
		if err := p.Must(ActRejectOrder, c); err != nil {
			return err
		}
		switch {
		case reason == "":
			return Invalid("reason", "say why the order is rejected")
		case len(reason) > 2000:
			return Invalid("reason", "a reason is at most 2000 characters")
		}
		o = before
		o.Status, o.DecidedBy, o.DecidedAt, o.Reason = OrderRejected, p.UserID, s.Clock.Now(), reason
		if err := decide(tx, before, o); err != nil {
			return err
		}
		if err := s.Record(tx, p, c, "order.reject", "order", o.ID, before, o); err != nil {
			return err
		}
		return tellRequester(tx, MailRejected, c, o, p, o.DecidedAt)
	})
	return o, err
}

// decide saves the decision on an order that must still be requested.
func decide(tx Tx, before, after Order) error {
	if before.Status != OrderRequested {
		return Errorf(ECONFLICT, "order %d is %s, not requested", before.ID, before.Status)
	}
	if err := tx.DecideOrder(after); err != nil {
		return fmt.Errorf("%s order %d: %w", after.Status, after.ID, err)
	}
	return nil
}
