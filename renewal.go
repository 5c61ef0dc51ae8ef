package allot

import (
	"context"
	"fmt"
	"time"
)

// ExpiredLearners returns the learners of a company whose seat of the
// product expired and who hold no live seat of it now.
func (s *Service) ExpiredLearners(ctx context.Context, companyID int64, productCode string) ([]User, error) {
	var out []User
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		pr, err := tx.ProductByCode(productCode)
		if err != nil {
			return Invalid("product", "no product %q", productCode)
		}
		out, err = tx.ExpiredLearners(ExpiredLearnersParams{CompanyID: c.ID, ProductID: pr.ID, Now: s.Clock.Now()})
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
		var err error
		seats, err = s.RenewLearners(tx, p, r, s.Clock.Now())
		return err
	})
	return seats, err
}

// RenewalProduct returns the product a renewal in company c renews, by its
// code, having checked that pool poolID, when not 0, is the company's pool
// of it.
func RenewalProduct(tx Tx, c Company, code string, poolID int64) (Product, error) {
	pr, err := tx.ProductByCode(code)
	if err != nil {
		return Product{}, Invalid("product", "no product %q", code)
	}
	if poolID != 0 {
		if pool, err := tx.Pool(poolID); err != nil || !pool.Of(c.ID, pr.ID) {
			return Product{}, NotFound("pool")
		}
	}
	return pr, nil
}

// RenewLearners is Renew in the caller's transaction, as p at now.
func (s *Service) RenewLearners(tx Tx, p Principal, r Renewal, now time.Time) ([]Seat, error) {
	c, err := CompanyFor(tx, p, r.CompanyID, ActRenew)
	if err != nil {
		return nil, err
	}
	pr, err := RenewalProduct(tx, c, r.ProductCode, r.PoolID)
	if err != nil {
		return nil, err
	}
	expired, err := tx.ExpiredLearners(ExpiredLearnersParams{CompanyID: c.ID, ProductID: pr.ID, Now: now})
	if err != nil {
		return nil, err
	}
	chosen, err := choose(expired, r)
	if err != nil {
		return nil, err
	}
	if len(chosen) == 0 {
		return nil, Invalid("user_ids", "choose at least one expired learner")
	}
	free, err := FreeSeats(tx, c.ID, pr.ID, r.PoolID, now)
	if err != nil {
		return nil, err
	}
	if free < len(chosen) {
		return nil, Errorf(ECONFLICT, "%d learners to renew but only %d free seats of %s", len(chosen), free, pr.Name)
	}
	g := SeatGrant{Company: c, ProductID: pr.ID, PoolID: r.PoolID, Renewal: true}
	for _, u := range chosen {
		g.UserIDs = append(g.UserIDs, u.ID)
	}
	given, err := s.GrantSeats(tx, p, g)
	return given.Seats(), err
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
