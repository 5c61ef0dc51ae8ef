package allot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Company is a customer: a partner's customer, or direct when PartnerID is 0.
type Company struct {
	ID               int64
	PartnerID        int64
	Name             string
	AccountManagerID int64 // for direct customers; 0 when none
	DefaultProductID int64 // the product whose seat a new learner gets at once; 0 when none
	Suspended        bool
	CreatedAt        time.Time
	ReminderOffsets  string // when its managers hear of an expiry, as ParseOffsets reads it; "" for the default
	MailsOff         string // the kinds of mail about it that nobody gets, comma-separated (Tells); "" for none
	// FillWaitingOff keeps a seat freed in the company free, rather than
	// giving it at once to the learner who has waited longest for one.
	FillWaitingOff bool
}

// Direct reports whether the company is the vendor's own customer.
func (c Company) Direct() bool { return c.PartnerID == 0 }

// CompanyFilter selects companies. Zero fields do not filter.
type CompanyFilter struct {
	PartnerID  int64
	DirectOnly bool
	Search     string
	AfterID    int64 // the companies after this one, in the list's order
	Limit      int
	// ByCreation orders the companies as they were created (by ID)
	// instead of by name then ID.
	ByCreation bool
	// Desc reverses the order: names from Z, or the newest first.
	Desc bool
}

// NewCompany is what creating a company takes. FirstOrder, when set, is
// requested for the new company in the same step (a partner creating a
// customer from its purchase order).
type NewCompany struct {
	Name               string
	PartnerID          int64
	AccountManagerID   int64
	DefaultProductCode string
	FirstOrder         *NewOrder
	// Manager, when set, is the company's first manager: added with it and
	// welcomed at once. Errors about them name their fields manager_….
	Manager *NewUser
}

// CreateCompany adds a customer company: the vendor's for any partner or
// direct, a partner manager's for their own partner only.
func (s *Service) CreateCompany(ctx context.Context, in NewCompany) (Company, *Order, error) {
	var (
		c     Company
		order *Order
	)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		// A partner's manager makes customers of their own partner, with no
		// account manager; the vendor makes them for any partner, or direct.
		if err := p.Must(ActCreateCompany, Company{PartnerID: p.PartnerID}); err != nil {
			return err
		}
		if p.Role == RolePartnerManager {
			in.PartnerID, in.AccountManagerID = cmp.Or(in.PartnerID, p.PartnerID), 0
		}
		if in.PartnerID != 0 {
			if _, err := tx.Partner(in.PartnerID); err != nil || !p.May(ActCreateCompany, Company{PartnerID: in.PartnerID}) {
				return Invalid("partner_id", "no partner %d", in.PartnerID)
			}
		}
		c = Company{Name: strings.TrimSpace(in.Name), PartnerID: in.PartnerID, AccountManagerID: in.AccountManagerID}
		if err := CheckName("name", c.Name); err != nil {
			return err
		}
		if err := checkStaff(tx, "account_manager_id", c.AccountManagerID); err != nil {
			return err
		}
		if in.DefaultProductCode != "" {
			pr, err := tx.ProductByCode(in.DefaultProductCode)
			if err != nil {
				return Invalid("default_product", "no product %q", in.DefaultProductCode)
			}
			c.DefaultProductID = pr.ID
		}
		c.CreatedAt = s.Clock.Now()
		if err := tx.CreateCompany(&c); err != nil {
			return fmt.Errorf("create company: %w", err)
		}
		if err := s.Record(tx, p, c, "company.create", "company", c.ID, nil, c); err != nil {
			return err
		}
		if in.FirstOrder != nil {
			in.FirstOrder.CompanyID = c.ID
			o, err := s.requestOrder(tx, p, *in.FirstOrder)
			if err != nil {
				return err
			}
			order = &o
		}
		if in.Manager != nil {
			m := *in.Manager
			m.Role, m.CompanyID, m.PartnerID, m.Welcome = RoleCompanyManager, c.ID, 0, true
			if _, err := s.addUser(tx, p, c, m); err != nil {
				var e *Error
				if errors.As(err, &e) && e.Field != "" {
					e.Field = "manager_" + e.Field
				}
				return err
			}
		}
		return nil
	})
	return c, order, err
}

// Company returns company id when p may see it.
func (s *Service) Company(ctx context.Context, id int64) (Company, error) {
	var out Company
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		out, err = VisibleCompany(tx, p, id)
		return err
	})
	return out, err
}

// Companies lists the companies of p's scope (ListScope), by name.
func (s *Service) Companies(ctx context.Context, f CompanyFilter) ([]Company, error) {
	var out []Company
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, 0, ActSeeCompany)
		switch {
		case err != nil:
			return err
		case sc.CompanyID != 0:
			if f.AfterID != 0 {
				return nil // the company was on the first page
			}
			c, err := tx.Company(sc.CompanyID)
			out = []Company{c}
			return err
		case sc.PartnerID != 0:
			f.PartnerID, f.DirectOnly = sc.PartnerID, false
		}
		if f.AfterID != 0 {
			// A cursor is one of the companies listed: another's would
			// tell where its name sorts.
			if _, err := VisibleCompany(tx, p, f.AfterID); ErrorCode(err) == ENOTFOUND {
				return Invalid("cursor", "the cursor is the next value of a previous page")
			} else if err != nil {
				return err
			}
		}
		out, err = tx.Companies(f)
		return err
	})
	return out, err
}

// SetCompanySuspended suspends or reinstates a company: its learners lose
// (or regain) access at once.
func (s *Service) SetCompanySuspended(ctx context.Context, id int64, suspended bool) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := CompanyFor(tx, p, id, ActSuspendCompany)
		if err != nil {
			return err
		}
		c = before
		c.Suspended = suspended
		if err := tx.UpdateCompany(c); err != nil {
			return fmt.Errorf("suspend company %d: %w", id, err)
		}
		return s.Record(tx, p, c, "company.suspend", "company", c.ID, before, c)
	})
	return c, err
}

// Customer is a company with the seats of its live pools, product by
// product, and what waits on it: requested orders, learners whose seats
// expired, learners waiting for a seat.
type Customer struct {
	Company
	Bought     int       // in the live pools of every product
	Allocated  int       // of those
	NextExpiry time.Time // the soonest end of a live pool; zero when none
	Products   []CustomerProduct
	Pending    int // requested orders, not assigned yet
	Expired    int // learners whose seat expired and who hold no live seat of its product
	Waiting    int // learners waiting for a seat
}

// Free returns the seats left to give in the customer's live pools.
func (c Customer) Free() int { return c.Bought - c.Allocated }

// ExpiresWithin returns the whole days left before the customer's soonest
// live pool ends, counting a part of a day as a day, when it ends within d
// of now; false when it does not.
func (c Customer) ExpiresWithin(now time.Time, d time.Duration) (int, bool) {
	left := c.NextExpiry.Sub(now)
	if c.NextExpiry.IsZero() || left > d {
		return 0, false
	}
	return int((left + 24*time.Hour - 1) / (24 * time.Hour)), true
}

// CustomerProduct is one product of a customer: the seats of its live pools
// and what waits for it. A customer has one for each product it has a live
// pool, a requested order, an expired learner or a waiting learner of.
type CustomerProduct struct {
	ProductID    int64
	Bought       int
	Allocated    int
	NextExpiry   time.Time // the soonest end of a live pool of it; zero when none
	Pending      int       // requested orders of it
	PendingSeats int       // the licences those orders ask for
	Expired      int
	Waiting      int
}

// Free returns the seats of the product left to give.
func (c CustomerProduct) Free() int { return c.Bought - c.Allocated }

// CustomerCount is what waits on one product of a company: its requested
// orders and the licences they ask for, its learners whose seats expired
// without a live one since, and those waiting for a seat.
type CustomerCount struct {
	CompanyID    int64
	ProductID    int64
	Pending      int
	PendingSeats int
	Expired      int
	Waiting      int
}

// CustomerCountsParams name the companies CustomerCounts counts for, at Now.
type CustomerCountsParams struct {
	CompanyIDs []int64
	Now        time.Time
}

// Customers lists the companies p may see, as Companies does, each with the
// seats of its live pools product by product and what waits on it.
func (s *Service) Customers(ctx context.Context, f CompanyFilter) ([]Customer, error) {
	companies, err := s.Companies(ctx, f)
	if err != nil || len(companies) == 0 {
		return nil, err
	}
	return s.withSeats(ctx, companies)
}

// Customer returns company id, as Company does, with the seats of its live
// pools and what waits on it.
func (s *Service) Customer(ctx context.Context, id int64) (Customer, error) {
	c, err := s.Company(ctx, id)
	if err != nil {
		return Customer{}, err
	}
	out, err := s.withSeats(ctx, []Company{c})
	if err != nil {
		return Customer{}, err
	}
	return out[0], nil
}

// withSeats returns the companies with the seats of their live pools and
// the counts of what waits on them, product by product (by product ID).
// Pools that ended count nowhere: their seats are neither bought nor free.
func (s *Service) withSeats(ctx context.Context, companies []Company) ([]Customer, error) {
	out := make([]Customer, len(companies))
	ids := make([]int64, len(companies))
	index := make(map[int64]int, len(companies))
	for i, c := range companies {
		out[i].Company, ids[i], index[c.ID] = c, c.ID, i
	}
	now := s.Clock.Now()
	err := s.Store.Read(ctx, func(tx Tx) error {
		pools, err := tx.Pools(PoolFilter{CompanyIDs: ids, LiveAt: now})
		if err != nil {
			return err
		}
		counts, err := tx.CustomerCounts(CustomerCountsParams{CompanyIDs: ids, Now: now})
		if err != nil {
			return err
		}
		for _, p := range pools {
			c := &out[index[p.CompanyID]]
			c.Bought += p.Quantity
			c.Allocated += p.Used
			c.NextExpiry = soonest(c.NextExpiry, p.EndsAt)
			cp := c.product(p.ProductID)
			cp.Bought += p.Quantity
			cp.Allocated += p.Used
			cp.NextExpiry = soonest(cp.NextExpiry, p.EndsAt)
		}
		for _, n := range counts {
			c := &out[index[n.CompanyID]]
			c.Pending += n.Pending
			c.Expired += n.Expired
			c.Waiting += n.Waiting
			cp := c.product(n.ProductID)
			cp.Pending, cp.PendingSeats, cp.Expired, cp.Waiting = n.Pending, n.PendingSeats, n.Expired, n.Waiting
		}
		return nil
	})
	for i := range out {
		slices.SortFunc(out[i].Products, func(a, b CustomerProduct) int { return cmp.Compare(a.ProductID, b.ProductID) })
	}
	return out, err
}

// product returns the customer's line of product id, adding it when new.
func (c *Customer) product(id int64) *CustomerProduct {
	for i := range c.Products {
		if c.Products[i].ProductID == id {
			return &c.Products[i]
		}
	}
	c.Products = append(c.Products, CustomerProduct{ProductID: id})
	return &c.Products[len(c.Products)-1]
}

// soonest returns the sooner of a and b, zero meaning none.
func soonest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// CompanyCount returns how many companies of p's scope f selects, paging
// aside: the total a list shows above its pages.
func (s *Service) CompanyCount(ctx context.Context, f CompanyFilter) (int, error) {
	var n int
	err := s.read(ctx, func(tx Tx, p Principal) error {
		sc, err := ListScope(tx, p, 0, ActSeeCompany)
		switch {
		case err != nil:
			return err
		case sc.CompanyID != 0:
			n = 1
			return nil
		case sc.PartnerID != 0:
			f.PartnerID, f.DirectOnly = sc.PartnerID, false
		}
		f.AfterID = 0
		n, err = tx.CountCompanies(f)
		return err
	})
	return n, err
}

// checkStaff checks that id, when set, is one of the vendor's account
// managers (or its admin).
func checkStaff(tx Tx, field string, id int64) error {
	if id == 0 {
		return nil
	}
	u, err := tx.User(id)
	if err != nil || (u.Role != RoleAccountManager && u.Role != RoleVendorAdmin) {
		return Invalid(field, "no account manager %d", id)
	}
	return nil
}
