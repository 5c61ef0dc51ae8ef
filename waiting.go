package allot

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// FillResult is what giving free seats to the learners who wait did.
type FillResult struct {
	Given   int // seats given to learners who waited
	Waiting int // learners who still wait, once for each product they wait for
}

// FillsWaiting reports whether a seat freed in the company goes at once to
// the learner who has waited longest for its product: the default.
func (c Company) FillsWaiting() bool { return !c.FillWaitingOff }

// FillWaiting gives the free seats of a company's live pools to its
// learners who wait for one, product by product, those who waited longest
// first, as many as the free seats allow (ActAllocate). It gives them
// whatever the company's setting of freed seats.
func (s *Service) FillWaiting(ctx context.Context, companyID int64) (FillResult, error) {
	var out FillResult
	err := s.write(ctx, func(tx Tx, p Principal) error {
		c, err := CompanyFor(tx, p, companyID, ActAllocate)
		if err != nil {
			return err
		}
		products, err := tx.Products()
		if err != nil {
			return err
		}
		for _, pr := range products {
			n, err := s.fillWaiting(tx, p, c, pr.ID, 0)
			if err != nil {
				return fmt.Errorf("fill the waiting list of %s: %w", pr.Code, err)
			}
			out.Given += n
		}
		out.Waiting, err = tx.CountWaiting(c.ID)
		return err
	})
	return out, err
}

// SetFillWaiting says whether a seat freed in a company goes at once to the
// learner who has waited longest for one (ActAllocate).
func (s *Service) SetFillWaiting(ctx context.Context, companyID int64, on bool) (Company, error) {
	var c Company
	err := s.write(ctx, func(tx Tx, p Principal) error {
		before, err := CompanyFor(tx, p, companyID, ActAllocate)
		if err != nil {
			return err
		}
		c = before
		c.FillWaitingOff = !on
		if err := tx.UpdateCompany(c); err != nil {
			return fmt.Errorf("set fill waiting of company %d: %w", companyID, err)
		}
		return s.Record(tx, p, c, "company.fill_waiting", "company", c.ID, before, c)
	})
	return c, err
}

// fillWaiting is the one place a waiting list is filled: the free seats of
// company c's live pools of the product (of pool poolID alone, when it is
// not 0) go to the learners who wait for one, those who waited longest
// first, each with the event and the mail of a seat given. The learners
// taken are claimed, so that transactions filling the list at once give
// their seats to different learners. It returns how many seats it gave.
func (s *Service) fillWaiting(tx Tx, p Principal, c Company, productID, poolID int64) (int, error) {
	now := s.Clock.Now()
	free, err := FreeSeats(tx, c.ID, productID, poolID, now)
	if err != nil || free == 0 {
		return 0, err
	}
	waiting, err := tx.WaitingList(WaitingListParams{CompanyID: c.ID, ProductID: productID, Limit: free, Claim: true})
	if err != nil || len(waiting) == 0 {
		return 0, err
	}
	ids := make([]int64, len(waiting))
	for i, w := range waiting {
		ids[i] = w.UserID
	}
	if ids, err = stillWaiting(tx, ids, productID, now); err != nil || len(ids) == 0 {
		return 0, err
	}
	given, err := s.GrantSeats(tx, p, SeatGrant{Company: c, ProductID: productID, PoolID: poolID, UserIDs: ids, Partial: true})
	return given.Given(), err
}

// stillWaiting returns the learners of ids who hold no live seat of the
// product, and takes the others off its waiting list: a seat given them
// by another way left them there.
func stillWaiting(tx Tx, ids []int64, productID int64, now time.Time) ([]int64, error) {
	held, err := tx.Seats(SeatFilter{UserIDs: ids, ProductID: productID, LiveAt: now})
	if err != nil || len(held) == 0 {
		return ids, err
	}
	holders := make([]int64, len(held))
	for i, seat := range held {
		holders[i] = seat.UserID
	}
	if err := tx.RemoveWaiting(RemoveWaitingParams{UserIDs: holders, ProductID: productID}); err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ids, func(id int64) bool { return slices.Contains(holders, id) }), nil
}

// refill gives the seat just freed in company c, and any other free seat of
// the product, to those who wait for one, unless the company keeps its
// freed seats free or the seat is moving to a learner chosen already.
func (s *Service) refill(tx Tx, p Principal, c Company, seat Seat, reason string) error {
	if !c.FillsWaiting() || reason == ReasonReallocated {
		return nil
	}
	_, err := s.fillWaiting(tx, p, c, seat.ProductID, 0)
	return err
}
