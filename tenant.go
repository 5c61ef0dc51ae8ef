package allot

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// CreatePartner adds a partner. Only the vendor admin and account managers
// may.
func (s *Service) CreatePartner(ctx context.Context, in Partner) (Partner, error) {
	in.Name = strings.TrimSpace(in.Name)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if !p.canAssignAll() {
			return Errorf(EFORBIDDEN, "only the vendor creates partners")
		}
		if err := checkName("name", in.Name); err != nil {
			return err
		}
		if err := checkStaff(tx, "account_manager_id", in.AccountManagerID); err != nil {
			return err
		}
		in.CreatedAt = s.Clock.Now()
		if err := tx.CreatePartner(&in); err != nil {
			return fmt.Errorf("create partner: %w", err)
		}
		return s.record(tx, p, Company{PartnerID: in.ID}, "partner.create", "partner", in.ID, nil, in)
	})
	return in, err
}

// Partner returns partner id as p may see it: vendor staff see all, a
// partner manager their own.
func (s *Service) Partner(ctx context.Context, id int64) (Partner, error) {
	var out Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if !p.Role.Vendor() && !(p.Role == RolePartnerManager && p.PartnerID == id) {
			return NotFound("partner")
		}
		var err error
		out, err = tx.Partner(id)
		return err
	})
	return out, err
}

// Partners lists the partners p may see.
func (s *Service) Partners(ctx context.Context, f PartnerFilter) ([]Partner, error) {
	var out []Partner
	err := s.read(ctx, func(tx Tx, p Principal) error {
		switch {
		case p.Role.Vendor():
			var err error
			out, err = tx.Partners(f)
			return err
		case p.Role == RolePartnerManager:
			if f.AfterID != 0 {
				return nil // their partner was on the first page
			}
			pt, err := tx.Partner(p.PartnerID)
			out = []Partner{pt}
			return err
		}
		return Errorf(EFORBIDDEN, "partners are listed for the vendor and partners only")
	})
	return out, err
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
}

// CreateCompany adds a customer company: the vendor's (admin or account
// manager) for any partner or direct, a partner manager's for their own
// partner only.
func (s *Service) CreateCompany(ctx context.Context, in NewCompany) (Company, *Order, error) {
	var (
		c     Company
		order *Order
	)
	err := s.write(ctx, func(tx Tx, p Principal) error {
		switch {
		case p.canAssignAll():
			if in.PartnerID != 0 {
				if _, err := tx.Partner(in.PartnerID); err != nil {
					return Invalid("partner_id", "no partner %d", in.PartnerID)
				}
			}
		case p.Role == RolePartnerManager:
			if in.PartnerID != 0 && in.PartnerID != p.PartnerID {
				return Invalid("partner_id", "no partner %d", in.PartnerID)
			}
			in.PartnerID = p.PartnerID
			in.AccountManagerID = 0
		default:
			return Errorf(EFORBIDDEN, "companies are created by the vendor and partners")
		}
		c = Company{Name: strings.TrimSpace(in.Name), PartnerID: in.PartnerID, AccountManagerID: in.AccountManagerID}
		if err := checkName("name", c.Name); err != nil {
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
		if err := s.record(tx, p, c, "company.create", "company", c.ID, nil, c); err != nil {
			return err
		}
		if in.FirstOrder == nil {
			return nil
		}
		in.FirstOrder.CompanyID = c.ID
		o, err := s.requestOrder(tx, p, *in.FirstOrder)
		order = &o
		return err
	})
	return c, order, err
}

// Company returns company id when p may see it.
func (s *Service) Company(ctx context.Context, id int64) (Company, error) {
	var out Company
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		out, err = visibleCompany(tx, p, id)
		return err
	})
	return out, err
}

// Companies lists the companies p may see, by name: all for vendor staff,
// a partner's customers for its managers, their own for company managers.
func (s *Service) Companies(ctx context.Context, f CompanyFilter) ([]Company, error) {
	var out []Company
	err := s.read(ctx, func(tx Tx, p Principal) error {
		switch {
		case p.Role.Vendor():
		case p.Role == RolePartnerManager:
			f.PartnerID, f.DirectOnly = p.PartnerID, false
		case p.Role == RoleCompanyManager:
			if f.AfterID != 0 {
				return nil // their company was on the first page
			}
			c, err := tx.Company(p.CompanyID)
			out = []Company{c}
			return err
		default:
			return Errorf(EFORBIDDEN, "companies are listed for managers only")
		}
		if f.AfterID != 0 {
			// A cursor is one of the companies listed: another's would
			// tell where its name sorts.
			if _, err := visibleCompany(tx, p, f.AfterID); ErrorCode(err) == ENOTFOUND {
				return Invalid("cursor", "the cursor is the next value of a previous page")
			} else if err != nil {
				return err
			}
		}
		var err error
		out, err = tx.Companies(f)
		return err
	})
	return out, err
}

// SetCompanySuspended suspends or reinstates a company: its learners lose
// (or regain) access at once. Only the vendor admin and account managers may.
func (s *Service) SetCompanySuspended(ctx context.Context, id int64, suspended bool) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := visibleCompany(tx, p, id)
		if err != nil {
			return err
		}
		if !p.canAssignAll() {
			return Errorf(EFORBIDDEN, "only the vendor suspends companies")
		}
		c = before
		c.Suspended = suspended
		if err := tx.UpdateCompany(c); err != nil {
			return fmt.Errorf("suspend company %d: %w", id, err)
		}
		return s.record(tx, p, c, "company.suspend", "company", c.ID, before, c)
	})
	return c, err
}

// CreateProduct adds a product. Only the vendor admin may. A zero term
// defaults to 12 months.
func (s *Service) CreateProduct(ctx context.Context, in Product) (Product, error) {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.Name = strings.TrimSpace(in.Name)
	if in.TermMonths == 0 {
		in.TermMonths = 12
	}
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if p.Role != RoleVendorAdmin {
			return Errorf(EFORBIDDEN, "only the vendor admin creates products")
		}
		switch {
		case !validCode(in.Code):
			return Invalid("code", "a product code is 1 to 40 lower-case letters, digits and dashes")
		case in.TermMonths < 1 || in.TermMonths > MaxTermMonths:
			return Invalid("term_months", "the term is 1 to %d months", MaxTermMonths)
		}
		if err := checkName("name", in.Name); err != nil {
			return err
		}
		in.CreatedAt = s.Clock.Now()
		if err := tx.CreateProduct(&in); err != nil {
			return fmt.Errorf("create product: %w", err)
		}
		return s.record(tx, p, Company{}, "product.create", "product", in.ID, nil, in)
	})
	return in, err
}

// Products lists every product; anyone signed in may.
func (s *Service) Products(ctx context.Context) ([]Product, error) {
	var out []Product
	err := s.read(ctx, func(tx Tx, p Principal) error {
		var err error
		out, err = tx.Products()
		return err
	})
	return out, err
}

func validCode(s string) bool {
	if len(s) == 0 || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

func checkName(field, s string) error {
	switch {
	case s == "":
		return Invalid(field, "a name is required")
	case len(s) > 200:
		return Invalid(field, "a name is at most 200 characters")
	}
	return nil
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
	out := make([]Customer, len(companies))
	ids := make([]int64, len(companies))
	index := make(map[int64]int, len(companies))
	for i, c := range companies {
		out[i].Company, ids[i], index[c.ID] = c, c.ID, i
	}
	err = s.Store.Read(ctx, func(tx Tx) error {
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
