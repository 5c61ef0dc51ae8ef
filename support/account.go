package support

import (
	"context"
	"fmt"

	"allot"
)

// Account is how the desk serves a company or a partner's customers: its
// customer success contact and its service-level policy.
type Account struct {
	CompanyID int64 // the company's; 0 for a partner's
	PartnerID int64 // the partner's, for all its customers without one of their own; 0 for a company's
	SuccessID int64 // the success manager copied and escalated to; 0 for none
	Success   string
	PolicyID  int64 // 0: the default policy
}

// account returns the account that serves company c: its own, else its
// partner's, else none (zero).
func account(tx Tx, c allot.Company) (Account, error) {
	for _, key := range [][2]int64{{c.ID, 0}, {0, c.PartnerID}} {
		if key[0] == 0 && key[1] == 0 {
			continue
		}
		a, err := tx.Account(key[0], key[1])
		if err == nil {
			return a, nil
		}
		if allot.ErrorCode(err) != allot.ENOTFOUND {
			return Account{}, fmt.Errorf("support account: %w", err)
		}
	}
	return Account{}, nil
}

// AccountOf returns the account that serves company id, as vendor staff
// and the company's managers see it: its contact and policy.
func (s *Service) AccountOf(ctx context.Context, companyID int64) (Account, error) {
	var a Account
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActSeeCompany)
		if err != nil {
			return err
		}
		a, err = account(tx, c)
		return err
	})
	return a, err
}

// PartnerAccount returns the account of partner id's customers without
// one of their own, to the vendor's staff and the partner's managers; a
// zero contact and policy when it has none.
func (s *Service) PartnerAccount(ctx context.Context, partnerID int64) (Account, error) {
	a := Account{PartnerID: partnerID}
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if !p.May(allot.ActSeePartners, allot.Company{PartnerID: partnerID}) {
			return allot.NotFound("partner")
		}
		if _, err := tx.Partner(partnerID); err != nil {
			return err
		}
		got, err := tx.Account(0, partnerID)
		if err == nil {
			a = got
		} else if allot.ErrorCode(err) != allot.ENOTFOUND {
			return err
		}
		return nil
	})
	return a, err
}

// SetAccount sets the success contact and policy of a company or of a
// partner (ActSetSupport). The contact is a success manager; the policy
// one of Policies, or 0 for the default.
func (s *Service) SetAccount(ctx context.Context, a Account) (Account, error) {
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActSetSupport, p.Home()); err != nil {
			return err
		}
		c, err := accountHolder(tx, a)
		if err != nil {
			return err
		}
		if a.SuccessID != 0 {
			u, err := tx.User(a.SuccessID)
			if err != nil || (u.Role != allot.RoleSuccessManager && u.Role != allot.RoleVendorAdmin) || !u.RemovedAt.IsZero() {
				return allot.Invalid("success_id", "the contact is one of the vendor's customer success managers")
			}
			a.Success = u.Email
		}
		if a.PolicyID != 0 {
			if _, err := tx.Policy(a.PolicyID); err != nil {
				return allot.Invalid("policy_id", "no policy %d", a.PolicyID)
			}
		}
		if err := tx.SetAccount(a); err != nil {
			return fmt.Errorf("set support account: %w", err)
		}
		return s.Ledger.Record(tx, p, c, "support.account", "company", c.ID, nil, a)
	})
	return a, err
}

// accountHolder returns the company, or the partner's customers as a
// whole, that a names: exactly one of them.
func accountHolder(tx Tx, a Account) (allot.Company, error) {
	switch {
	case (a.CompanyID == 0) == (a.PartnerID == 0):
		return allot.Company{}, allot.Invalid("company_id", "name a company or a partner, not both")
	case a.CompanyID != 0:
		c, err := tx.Company(a.CompanyID)
		if err != nil {
			return allot.Company{}, allot.NotFound("company")
		}
		return c, nil
	}
	if _, err := tx.Partner(a.PartnerID); err != nil {
		return allot.Company{}, allot.NotFound("partner")
	}
	return allot.Company{PartnerID: a.PartnerID}, nil
}

// policyFor returns the policy that serves company c: its account's, else
// the default one, stored on first need.
func policyFor(tx Tx, c allot.Company) (Policy, error) {
	a, err := account(tx, c)
	if err != nil {
		return Policy{}, err
	}
	if a.PolicyID != 0 {
		return tx.Policy(a.PolicyID)
	}
	return defaultPolicy(tx)
}

// defaultPolicy returns the default policy, storing DefaultPolicy when
// there is none yet.
func defaultPolicy(tx Tx) (Policy, error) {
	ps, err := tx.Policies()
	if err != nil {
		return Policy{}, fmt.Errorf("policies: %w", err)
	}
	if len(ps) > 0 && ps[0].Default {
		return ps[0], nil
	}
	p := DefaultPolicy()
	if err := tx.SavePolicy(&p); err != nil {
		return Policy{}, fmt.Errorf("store the default policy: %w", err)
	}
	return p, nil
}

// Policies returns the service-level policies, the default first, to the
// desk and the vendor admin.
func (s *Service) Policies(ctx context.Context) ([]Policy, error) {
	var ps []Policy
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActWorkSupport, p.Home()); err != nil {
			return err
		}
		if _, err := defaultPolicy(tx); err != nil {
			return err
		}
		var err error
		ps, err = tx.Policies()
		return err
	})
	return ps, err
}

// SavePolicy stores a policy, new when its ID is 0 (ActSetSupport).
// Requests keep the due times they have; new ones, and the targets started
// from then on, follow it.
func (s *Service) SavePolicy(ctx context.Context, pol Policy) (Policy, error) {
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		if err := p.Must(allot.ActSetSupport, p.Home()); err != nil {
			return err
		}
		if err := pol.Check(); err != nil {
			return err
		}
		var before any
		if pol.ID != 0 {
			old, err := tx.Policy(pol.ID)
			if err != nil {
				return err
			}
			before = old
		}
		pol.UpdatedAt = s.Ledger.Clock.Now()
		if err := tx.SavePolicy(&pol); err != nil {
			if allot.ErrorCode(err) == allot.ECONFLICT {
				return &allot.Error{Code: allot.ECONFLICT, Field: "name", Message: "a policy named " + pol.Name + " exists already"}
			}
			return fmt.Errorf("save policy: %w", err)
		}
		return s.Ledger.Record(tx, p, allot.Company{}, "support.policy", "policy", pol.ID, before, pol)
	})
	return pol, err
}
