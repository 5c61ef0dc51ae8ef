package allot

import (
	"context"
	"fmt"
)

// ExpiredLearners returns the learners of a company whose seat of the
// product expired and who hold no live seat of it now.
func (s *Service) ExpiredLearners(ctx context.Context, companyID int64, productCode string) ([]User, error) {
	var out []User
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := visibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		pr, err := tx.ProductByCode(productCode)
		if err != nil {
			return Invalid("product", "no product %q", productCode)
		}
		out, err = tx.ExpiredLearners(c.ID, pr.ID, s.Clock.Now())
		return err
	})
	return out, err
}

// Renewal says which learners to renew: UserIDs, or every expired learner
// when All is set; seats come from PoolID, or when it is 0 from the pools
// that expire first.
type Renewal struct {
	CompanyID   int64
	ProductCode string
	UserIDs     []int64
	All         bool
	PoolID      int64
}

// Renew gives new seats to learners whose seats of the product expired. It
// renews all of them or none: a learner who is not expired is EINVALID, and
// too few free seats is ECONFLICT saying how many are free.
func (s *Service) Renew(ctx context.Context, r Renewal) ([]Seat, error) {
	var seats []Seat
	err := s.write(ctx, func(tx Tx, p Principal) error {
		c, err := managedCompany(tx, p, r.CompanyID)
		if err != nil {
			return err
		}
		pr, err := tx.ProductByCode(r.ProductCode)
		if err != nil {
			return Invalid("product", "no product %q", r.ProductCode)
		}
		if r.PoolID != 0 {
			if pool, err := tx.Pool(r.PoolID); err != nil || pool.CompanyID != c.ID || pool.ProductID != pr.ID {
				return NotFound("pool")
			}
		}
		now := s.Clock.Now()
		expired, err := tx.ExpiredLearners(c.ID, pr.ID, now)
		if err != nil {
			return err
		}
		chosen, err := choose(expired, r)
		if err != nil {
			return err
		}
		if len(chosen) == 0 {
			return Invalid("user_ids", "choose at least one expired learner")
		}
		pools, err := tx.Pools(PoolFilter{CompanyID: c.ID, ProductID: pr.ID, LiveAt: now, FreeOnly: true})
		if err != nil {
			return err
		}
		free := 0
		for _, pool := range pools {
			if r.PoolID == 0 || pool.ID == r.PoolID {
				free += pool.Free()
			}
		}
		if free < len(chosen) {
			return Errorf(ECONFLICT, "%d learners to renew but only %d free seats of %s", len(chosen), free, pr.Name)
		}
		for _, u := range chosen {
			seat, err := s.allocate(tx, p, c, u, pr.ID, r.PoolID, now)
			if err != nil {
				return fmt.Errorf("renew %s: %w", u.Email, err)
			}
			seats = append(seats, seat)
		}
		return nil
	})
	return seats, err
}

// choose returns the expired learners r names, or all of them.
func choose(expired []User, r Renewal) ([]User, error) {
	if r.All {
		return expired, nil
	}
	byID := make(map[int64]User, len(expired))
	for _, u := range expired {
		byID[u.ID] = u
	}
	var out []User
	seen := make(map[int64]bool, len(r.UserIDs))
	for i, id := range r.UserIDs {
		u, ok := byID[id]
		if !ok {
			return nil, Invalid(fmt.Sprintf("user_ids[%d]", i), "user %d has no expired seat to renew", id)
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, u)
		}
	}
	return out, nil
}
