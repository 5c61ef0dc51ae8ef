package allot

import (
	"context"
	"time"
)

// Pool is an assigned order: Quantity seats of a product for a company,
// valid from StartsAt until EndsAt. Used counts the seats given out and not
// released; the store never lets it pass Quantity.
type Pool struct {
	ID        int64
	OrderID   int64
	CompanyID int64
	ProductID int64
	Quantity  int
	Used      int
	StartsAt  time.Time
	EndsAt    time.Time
	ExpiredAt time.Time // when the sweep recorded its end; zero before
	// RemindedDue is the due time of the last reminder queued for it.
	RemindedDue time.Time
}

// Free returns the number of seats left to give.
func (p Pool) Free() int { return p.Quantity - p.Used }

// Status returns the pool's licence status at now: active, expiring
// (within ExpiringWindow of its end) or expired.
func (p Pool) Status(now time.Time) Status {
	return windowStatus(p.StartsAt, p.EndsAt, now)
}

// Of reports whether the pool is company companyID's pool of product
// productID.
func (p Pool) Of(companyID, productID int64) bool {
	return p.CompanyID == companyID && p.ProductID == productID
}

// Live reports whether the pool can give seats at now.
func (p Pool) Live(now time.Time) bool {
	return !now.Before(p.StartsAt) && now.Before(p.EndsAt)
}

// PoolFilter selects pools. Zero fields do not filter.
type PoolFilter struct {
	CompanyID  int64
	CompanyIDs []int64 // any of these companies
	ProductID  int64
	LiveAt     time.Time // only pools live at this instant
	FreeOnly   bool      // only pools with a free seat
	EndsBy     time.Time // only pools that end at or before this instant
	// EndedUnrecorded selects the pools ended at this instant whose end the
	// sweep has not recorded yet.
	EndedUnrecorded time.Time
}

// Pools lists a company's pools, soonest end first.
func (s *Service) Pools(ctx context.Context, companyID int64) ([]Pool, error) {
	var out []Pool
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if _, err := VisibleCompany(tx, p, companyID); err != nil {
			return err
		}
		var err error
		out, err = tx.Pools(PoolFilter{CompanyID: companyID})
		return err
	})
	return out, err
}

// FreeSeats counts the free seats of the company's live pools of the
// product, or of pool poolID alone when it is not 0.
func FreeSeats(tx Tx, companyID, productID, poolID int64, now time.Time) (int, error) {
	pools, err := tx.Pools(PoolFilter{CompanyID: companyID, ProductID: productID, LiveAt: now, FreeOnly: true})
	free := 0
	for _, pool := range pools {
		if poolID == 0 || pool.ID == poolID {
			free += pool.Free()
		}
	}
	return free, err
}
