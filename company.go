package allot

import (
	"cmp"
	"context"
	"errors"
	"fmt"
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

// Customer is a company with the totals of its live pools.
type Customer struct {
	Company
	Bought     int
	Allocated  int
	NextExpiry time.Time // the soonest end of a live pool; zero when none
}

// Free returns the seats left to give in the customer's live pools.
func (c Customer) Free() int { return c.Bought - c.Allocated }

// Customers lists the companies p may see, as Companies does, each with the
// seats of its live pools: bought, allocated, free, and the next expiry.
func (s *Service) Customers(ctx context.Context, f CompanyFilter) ([]Customer, error) {
	companies, err := s.Companies(ctx, f)
	if err != nil || len(companies) == 0 {
		return nil, err
	}
	return s.withSeats(ctx, companies)
}

// Customer returns company id, as Company does, with the seats of its live
// pools.
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

// withSeats returns the companies with the seats of their live pools.
func (s *Service) withSeats(ctx context.Context, companies []Company) ([]Customer, error) {
	out := make([]Customer, len(companies))
	ids := make([]int64, len(companies))
	index := make(map[int64]int, len(companies))
	for i, c := range companies {
		out[i].Company, ids[i], index[c.ID] = c, c.ID, i
	}
	err := s.Store.Read(ctx, func(tx Tx) error {
		pools, err := tx.Pools(PoolFilter{CompanyIDs: ids, LiveAt: s.Clock.Now()})
		for _, p := range pools {
			c := &out[index[p.CompanyID]]
			c.Bought += p.Quantity
			c.Allocated += p.Used
			if c.NextExpiry.IsZero() || p.EndsAt.Before(c.NextExpiry) {
				c.NextExpiry = p.EndsAt
			}
		}
		return err
	})
	return out, err
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
