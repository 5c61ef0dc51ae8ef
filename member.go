package allot

import (
	"context"
	"slices"
	"strings"
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
	// Seatless keeps the members who hold no live seat of the product:
	// those who may be given one.
	Seatless bool
	Order    MemberOrder
}

// MemberOrder is the order of a list of members and where its page
// starts: by ID, paged by UserFilter.AfterID, when By is empty; otherwise
// by By (one of MemberSorts) and then ID, Offset members in.
type MemberOrder struct {
	By     string
	Desc   bool
	Offset int
	// At is the instant statuses are read at when sorting by status; the
	// service sets it.
	At time.Time
}

// MemberSorts are what a list of members may be sorted by: the name as it
// reads (Name), the e-mail, the licence status (active, expiring,
// scheduled, expired, released, unlicensed, none), the last login (never
// first) and when the licence ends or was released.
var MemberSorts = []string{"name", "email", "status", "last_login", "ends"}

// MaxMemberOffset is the deepest a sorted list of members pages.
const MaxMemberOffset = 1_000_000

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
	// NoLiveAt keeps the members whose newest seat of the product, if any,
	// is released or ended at this instant.
	NoLiveAt time.Time
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
		now := s.Clock.Now()
		bounds, err := memberBounds(tx, p, companyID, &f, now)
		if err != nil {
			return err
		}
		if f.Order.By != "" && !slices.Contains(MemberSorts, f.Order.By) {
			return Invalid("sort", "the list is sorted by one of %s", strings.Join(MemberSorts, ", "))
		}
		if f.Order.Offset < 0 || f.Order.Offset > MaxMemberOffset {
			return Invalid("offset", "the offset is 0 to %d", MaxMemberOffset)
		}
		f.Order.At = now
		f.Limit = ClampLimit(f.Limit)
		if out, err = tx.Members(f.UserFilter, bounds, f.Order); err != nil {
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

// CountMembers returns how many of a company's people f selects, paging
// aside. Those who may see the company may.
func (s *Service) CountMembers(ctx context.Context, companyID int64, f MemberFilter) (int, error) {
	var n int
	err := s.read(ctx, func(tx Tx, p Principal) error {
		bounds, err := memberBounds(tx, p, companyID, &f, s.Clock.Now())
		if err != nil {
			return err
		}
		f.AfterID, f.Limit = 0, 0
		n, err = tx.CountMembers(f.UserFilter, bounds)
		return err
	})
	return n, err
}

// memberBounds narrows f to company companyID, which p must see, and
// returns the seat bounds of its product, status and Seatless at now.
func memberBounds(tx Tx, p Principal, companyID int64, f *MemberFilter, now time.Time) (SeatBounds, error) {
	c, err := VisibleCompany(tx, p, companyID)
	if err != nil {
		return SeatBounds{}, err
	}
	productID := c.DefaultProductID
	if f.ProductCode != "" {
		pr, err := tx.ProductByCode(f.ProductCode)
		if err != nil {
			return SeatBounds{}, Invalid("product", "no product %q", f.ProductCode)
		}
		productID = pr.ID
	}
	bounds, err := statusBounds(productID, f.Status, now)
	if f.Seatless {
		bounds.NoLiveAt = now
	}
	f.CompanyID, f.PartnerID = c.ID, 0
	return bounds, err
}
