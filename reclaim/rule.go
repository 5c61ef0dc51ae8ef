package reclaim

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// Rule is a company's reclaim rule: the seats of learners idle for Days
// days go back to their pools, after a warning WarnDays days before when
// WarnDays is not 0. A rule of a product acts on that product's seats; the
// company-wide rule (ProductID 0) on the seats of the products without a
// rule of their own, switched on or not.
type Rule struct {
	ID          int64
	CompanyID   int64
	ProductID   int64  // 0: the company-wide rule
	ProductCode string // read back with the rule; "" for the company-wide one
	Product     string // the product's name, likewise
	Days        int    // from 1 to MaxDays
	WarnDays    int    // from 0 (no warning) to Days-1
	Enabled     bool
	ChangedBy   string // the e-mail of who changed the rule last
	ChangedAt   time.Time
	CreatedAt   time.Time
}

// MaxDays is the longest idle time a rule may wait for: ten years.
const MaxDays = 3650

// RuleInput is a rule as a manager sets it.
type RuleInput struct {
	ProductCode string // "" for the company-wide rule
	Days        int
	WarnDays    int
	Enabled     bool
}

// check returns the field at fault in in, as EINVALID.
func (in RuleInput) check() error {
	switch {
	case in.Days < 1 || in.Days > MaxDays:
		return allot.Invalid("days", "the days without a login are from 1 to %d, not %d", MaxDays, in.Days)
	case in.WarnDays < 0 || in.WarnDays >= in.Days:
		return allot.Invalid("warn_days", "the warning comes from 0 (none) to %d days before, less than the %d days of the rule, not %d",
			in.Days-1, in.Days, in.WarnDays)
	}
	return nil
}

// Rules returns company companyID's rules, for whoever sees the company.
func (s *Service) Rules(ctx context.Context, companyID int64) ([]Rule, error) {
	var out []Rule
	err := allot.Read(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		out, err = tx.ReclaimRules(c.ID)
		return err
	})
	return out, err
}

// SetRule adds or changes company companyID's rule of in's product
// (ActSetReclaim), and records it in the audit log.
func (s *Service) SetRule(ctx context.Context, companyID int64, in RuleInput) (Rule, error) {
	var r Rule
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActSetReclaim)
		if err != nil {
			return err
		}
		r, err = s.put(tx, p, c, in)
		return err
	})
	return r, err
}

// SetRules makes company companyID's rules those of ins, at most one per
// product: the others are deleted (ActSetReclaim).
func (s *Service) SetRules(ctx context.Context, companyID int64, ins []RuleInput) ([]Rule, error) {
	var out []Rule
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActSetReclaim)
		if err != nil {
			return err
		}
		kept := map[int64]bool{}
		for i, in := range ins {
			r, err := s.put(tx, p, c, in)
			if err != nil {
				return allot.Renamed(err, map[string]string{"days": fmt.Sprintf("rules[%d].days", i),
					"warn_days": fmt.Sprintf("rules[%d].warn_days", i), "product": fmt.Sprintf("rules[%d].product", i)})
			}
			if kept[r.ID] {
				return allot.Invalid(fmt.Sprintf("rules[%d].product", i), "a product has one rule: %s is named twice", productName(r))
			}
			kept[r.ID] = true
		}
		old, err := tx.ReclaimRules(c.ID)
		if err != nil {
			return err
		}
		for _, r := range old {
			if !kept[r.ID] {
				if err := s.delete(tx, p, c, r); err != nil {
					return err
				}
			}
		}
		out, err = tx.ReclaimRules(c.ID)
		return err
	})
	return out, err
}

// DeleteRule deletes rule id of company companyID (ActSetReclaim).
func (s *Service) DeleteRule(ctx context.Context, companyID, id int64) error {
	return allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActSetReclaim)
		if err != nil {
			return err
		}
		r, err := ruleOf(tx, c.ID, id)
		if err != nil {
			return err
		}
		return s.delete(tx, p, c, r)
	})
}

// put stores in as company c's rule of its product, changed by p.
func (s *Service) put(tx Tx, p allot.Principal, c allot.Company, in RuleInput) (Rule, error) {
	if err := in.check(); err != nil {
		return Rule{}, err
	}
	r := Rule{CompanyID: c.ID, Days: in.Days, WarnDays: in.WarnDays, Enabled: in.Enabled, ChangedBy: p.Email,
		ChangedAt: s.Ledger.Clock.Now()}
	if in.ProductCode != "" {
		pr, err := tx.ProductByCode(in.ProductCode)
		if err != nil {
			return Rule{}, allot.Invalid("product", "no product %q", in.ProductCode)
		}
		r.ProductID, r.ProductCode, r.Product = pr.ID, pr.Code, pr.Name
	}
	var before *Rule
	if old, err := tx.ReclaimRules(c.ID); err != nil {
		return Rule{}, err
	} else {
		for _, o := range old {
			if o.ProductID == r.ProductID {
				before = &o
			}
		}
	}
	if err := tx.PutReclaimRule(&r); err != nil {
		return Rule{}, fmt.Errorf("set the reclaim rule of company %d: %w", c.ID, err)
	}
	return r, s.Ledger.Record(tx, p, c, "reclaim.rule", "reclaim_rule", r.ID, before, r)
}

// delete deletes company c's rule r.
func (s *Service) delete(tx Tx, p allot.Principal, c allot.Company, r Rule) error {
	if err := tx.DeleteReclaimRule(c.ID, r.ID); err != nil {
		return fmt.Errorf("delete reclaim rule %d: %w", r.ID, err)
	}
	return s.Ledger.Record(tx, p, c, "reclaim.rule_delete", "reclaim_rule", r.ID, r, nil)
}

// ruleOf returns rule id of company companyID: ENOTFOUND when the company
// has none of that ID, another company's among them.
func ruleOf(tx Tx, companyID, id int64) (Rule, error) {
	rules, err := tx.ReclaimRules(companyID)
	if err != nil {
		return Rule{}, err
	}
	for _, r := range rules {
		if r.ID == id {
			return r, nil
		}
	}
	return Rule{}, allot.NotFound("reclaim rule")
}

// productName names the products a rule acts on.
func productName(r Rule) string {
	if r.ProductID == 0 {
		return "every product"
	}
	return r.Product
}

// Switch turns rule id of company companyID on or off (ActSetReclaim).
func (s *Service) Switch(ctx context.Context, companyID, id int64, on bool) (Rule, error) {
	var r Rule
	err := allot.Write(ctx, s.Store, func(tx Tx, p allot.Principal) error {
		c, err := allot.CompanyFor(tx, p, companyID, allot.ActSetReclaim)
		if err != nil {
			return err
		}
		if r, err = ruleOf(tx, c.ID, id); err != nil {
			return err
		}
		r, err = s.put(tx, p, c, RuleInput{ProductCode: r.ProductCode, Days: r.Days, WarnDays: r.WarnDays, Enabled: on})
		return err
	})
	return r, err
}
