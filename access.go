package allot

import (
	"context"
	"time"
)

// Access is a person's access to one product, as My access shows it.
type Access struct {
	Product  Product
	Decision Decision
	// DaysLeft is the whole days until access ends, while it is allowed.
	DaysLeft int
	// Ask is whom to ask for more, once access ends within
	// ExpiringWindow or has ended; nil before.
	Ask []Contact
}

// MyAccess returns the signed-in person's access to each product they
// hold, held or wait for a seat of, by product code: until when and the
// days left, or why not. Once access ends soon or has ended, it names whom
// to ask: the managers of their company (the others, for a manager), or
// when it has none whom Check names.
func (s *Service) MyAccess(ctx context.Context) ([]Access, error) {
	p, err := PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	products, err := s.Products(ctx)
	if err != nil {
		return nil, err
	}
	var (
		out      []Access
		managers []Contact
		asked    bool
	)
	for _, pr := range products {
		d, err := s.Check(ctx, EntitlementQuery{UserID: p.UserID, ProductCode: pr.Code})
		if err != nil {
			return nil, err
		}
		if !d.Allowed && d.Reason == DenyNoSeat {
			continue
		}
		a := Access{Product: pr, Decision: d}
		if d.Allowed {
			a.DaysLeft = int(d.Until.Sub(s.Clock.Now()) / (24 * time.Hour))
		}
		if !d.Allowed || d.Status == StatusExpiring {
			if !asked {
				if managers, err = s.companyManagers(ctx, p); err != nil {
					return nil, err
				}
				asked = true
			}
			a.Ask = managers
			if len(a.Ask) == 0 && d.Contact != nil {
				a.Ask = []Contact{*d.Contact}
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// companyManagers returns the managers of p's company other than p, by
// ID: whom its people ask about their access.
func (s *Service) companyManagers(ctx context.Context, p Principal) ([]Contact, error) {
	if p.CompanyID == 0 {
		return nil, nil
	}
	var out []Contact
	err := s.Store.Read(ctx, func(tx Tx) error {
		users, err := tx.Users(UserFilter{CompanyID: p.CompanyID, Roles: []Role{RoleCompanyManager}, Limit: MaxLimit})
		for _, u := range users {
			if u.ID != p.UserID {
				out = append(out, Contact{Name: u.Name(), Email: u.Email})
			}
		}
		return err
	})
	return out, err
}
