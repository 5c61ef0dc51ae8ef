package allot

import (
	"context"
	"time"
)

// Member is a company's user with their licence of one product: their
// newest seat of it (nil when none) and its status now.
type Member struct {
	User
	Seat    *Seat
	Waiting bool
	Status  Status // "" when the user has no seat and does not wait for one
}

// MemberFilter selects a company's members and their licence of a product.
type MemberFilter struct {
	UserFilter
	ProductCode string // the company's default product when empty
	Status      Status // only members whose licence has this status
}

// SeatBounds narrows members by their newest seat of a product. The store
// applies the bounds; which bounds make a status is decided by StatusBounds.
type SeatBounds struct {
	ProductID  int64
	Released   int       // 1: released seats only; -1: unreleased seats only; 0: any seat or none
	StartsFrom time.Time // the seat starts at or after this instant
	StartsBy   time.Time // the seat starts at or before this instant
	EndsAfter  time.Time // the seat ends after this instant
	EndsBy     time.Time // the seat ends at or before this instant
	Waiting    bool      // the member waits for a seat of the product
}

// statusBounds returns the seat bounds of the members whose licence of the
// product has status st at now: the same rule as Seat.Status.
func statusBounds(productID int64, st Status, now time.Time) (SeatBounds, error) {
	b := SeatBounds{ProductID: productID}
	soon := now.Add(ExpiringWindow)
	switch st {
	case "":
	case StatusScheduled:
		b.Released, b.StartsFrom = -1, now.Add(time.Microsecond)
	case StatusActive:
		b.Released, b.StartsBy, b.EndsAfter = -1, now, soon
	case StatusExpiring:
		b.Released, b.StartsBy, b.EndsAfter, b.EndsBy = -1, now, now, soon
	case StatusExpired:
		b.Released, b.EndsBy = -1, now
	case StatusReleased:
		b.Released = 1
	case StatusUnlicensed:
		b.Waiting = true
	default:
		return b, Invalid("status", "the status is one of scheduled, active, expiring, expired, released, unlicensed")
	}
	return b, nil
}

// Members lists a company's users with their licence of a product, narrowed
// by f. Those who may see the company may.
func (s *Service) Members(ctx context.Context, companyID int64, f MemberFilter) ([]Member, error) {
	var out []Member
	err := s.read(ctx, func(tx Tx, p Principal) error {
		c, err := VisibleCompany(tx, p, companyID)
		if err != nil {
			return err
		}
		productID := c.DefaultProductID
		if f.ProductCode != "" {
			pr, err := tx.ProductByCode(f.ProductCode)
			if err != nil {
				return Invalid("product", "no product %q", f.ProductCode)
			}
			productID = pr.ID
		}
		now := s.Clock.Now()
		bounds, err := statusBounds(productID, f.Status, now)
		if err != nil {
			return err
		}
		f.CompanyID, f.PartnerID = c.ID, 0
		f.Limit = ClampLimit(f.Limit)
		if out, err = tx.Members(f.UserFilter, bounds); err != nil {
			return err
		}
		for i, m := range out {
			switch {
			case m.Seat != nil:
				out[i].Status = m.Seat.Status(now)
			case m.Waiting:
				out[i].Status = StatusUnlicensed
			}
		}
		return nil
	})
	return out, err
}
