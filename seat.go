package allot

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"
)

// Seat binds one learner to one pool, giving access from StartsAt until
// EndsAt unless released earlier.
type Seat struct {
	ID            int64
	PoolID        int64
	CompanyID     int64
	ProductID     int64
	UserID        int64
	StartsAt      time.Time
	EndsAt        time.Time
	CreatedAt     time.Time
	ReleasedAt    time.Time // zero unless released
	ReleaseReason string
}

// Status returns the seat's licence status at now.
func (s Seat) Status(now time.Time) Status {
	if !s.ReleasedAt.IsZero() {
		return StatusReleased
	}
	return windowStatus(s.StartsAt, s.EndsAt, now)
}

// Live reports whether the seat still counts as the learner's seat at now:
// not released and not ended (it may not have started yet).
func (s Seat) Live(now time.Time) bool {
	return s.ReleasedAt.IsZero() && now.Before(s.EndsAt)
}

// SeatFilter selects seats. Zero fields do not filter.
type SeatFilter struct {
	CompanyID int64
	PoolID    int64
	UserID    int64
	UserIDs   []int64 // when not empty: the seats of any of these users
	ProductID int64
	HeldOnly  bool      // only seats not released (live, scheduled or expired)
	LiveAt    time.Time // only seats live at this instant: neither released nor ended
	AfterID   int64     // paging: seats with an ID greater than this
	Limit     int
}

// Release reasons.
const (
	ReasonLeft          = "left_company"
	ReasonNeverLoggedIn = "never_logged_in"
	ReasonOther         = "other"
	ReasonReallocated   = "reallocated"
	ReasonRemoved       = "removed"
	ReasonCancelled     = "invitation_cancelled" // reserved for an invitation cancelled before it was sent
	ReasonDeprovisioned = "deprovisioned"        // the company's directory deactivated or deleted its learner
)

// ReleaseReasons are the reasons a manager may give when releasing a seat.
var ReleaseReasons = []string{ReasonLeft, ReasonNeverLoggedIn, ReasonOther}

// Allocate gives learner userID a seat of the product, from pool poolID or,
// when it is 0, from the pool that expires first.
func (s *Service) Allocate(ctx context.Context, userID int64, productCode string, poolID int64) (Seat, error) {
	var seat Seat
	err := s.write(ctx, func(tx Tx, p Principal) error {
		u, c, err := managedUser(tx, p, userID, ActAllocate)
		if err != nil {
			return err
		}
		pr, err := tx.ProductByCode(productCode)
		if err != nil {
			return Invalid("product", "no product %q", productCode)
		}
		seat, err = s.GrantSeat(tx, p, SeatGrant{Company: c, ProductID: pr.ID, PoolID: poolID}, u.ID)
		return err
	})
	return seat, err
}

// Release gives a learner's seat back to its pool, for the pool's remaining
// validity. reason is one of ReleaseReasons.
func (s *Service) Release(ctx context.Context, seatID int64, reason string) (Seat, error) {
	var seat Seat
	err := s.write(ctx, func(tx Tx, p Principal) error {
		if !slices.Contains(ReleaseReasons, reason) {
			return Invalid("reason", "the reason is one of %v", ReleaseReasons)
		}
		before, c, err := managedSeat(tx, p, seatID, ActRelease)
		if err != nil {
			return err
		}
		seat, err = s.ReleaseSeat(tx, p, c, before, reason)
		return err
	})
	return seat, err
}

// ReleaseSeat gives seat back to its pool in the caller's transaction, with
// its audit event and, unless its learner is removed or never heard of it
// (ReasonRemoved, ReasonCancelled), a mail to them. Unless the company keeps
// its freed seats free, the seat goes at once to the learner who has waited
// longest for one (but for a reallocation, whose learner is chosen).
func (s *Service) ReleaseSeat(tx Tx, p Principal, c Company, seat Seat, reason string) (Seat, error) {
	now := s.Clock.Now()
	if st := seat.Status(now); st == StatusReleased || st == StatusExpired {
		return Seat{}, Errorf(ECONFLICT, "seat %d is already %s", seat.ID, st)
	}
	before := seat
	if err := tx.ReleaseSeat(seat.ID, now, reason); err != nil {
		return Seat{}, fmt.Errorf("release seat %d: %w", seat.ID, err)
	}
	if err := tx.ReturnSeat(seat.PoolID); err != nil {
		return Seat{}, fmt.Errorf("release seat %d: %w", seat.ID, err)
	}
	seat.ReleasedAt, seat.ReleaseReason = now, reason
	if err := s.Record(tx, p, c, "seat.release", "seat", seat.ID, before, seat); err != nil {
		return Seat{}, err
	}
	if err := s.refill(tx, p, c, seat, reason); err != nil {
		return Seat{}, fmt.Errorf("release seat %d: %w", seat.ID, err)
	}
	if reason == ReasonRemoved || reason == ReasonCancelled || reason == ReasonDeprovisioned {
		return seat, nil // its learner left, or was never told of it
	}
	return seat, queueSeatMails(tx, MailSeatReleased, c, []Seat{seat}, now)
}

// Reallocate moves a live seat to another learner of the same company in one
// step: its seat goes back to the pool, and the learner gets a seat of the
// same pool, valid for what remains of it.
func (s *Service) Reallocate(ctx context.Context, seatID, toUserID int64) (Seat, error) {
	var seat Seat
	err := s.write(ctx, func(tx Tx, p Principal) error {
		from, c, err := managedSeat(tx, p, seatID, ActAllocate)
		if err != nil {
			return err
		}
		to, err := tx.User(toUserID)
		if err != nil || !to.MemberOf(c) {
			return NotFound("user")
		}
		if to.ID == from.UserID {
			return Invalid("user_id", "the seat already belongs to %s", to.Email)
		}
		if _, err := s.ReleaseSeat(tx, p, c, from, ReasonReallocated); err != nil {
			return err
		}
		seat, err = s.GrantSeat(tx, p, SeatGrant{Company: c, ProductID: from.ProductID, PoolID: from.PoolID,
			StartsAt: later(s.Clock.Now(), from.StartsAt), Until: from.EndsAt, Action: "seat.reallocate"}, to.ID)
		return err
	})
	return seat, err
}

// Seats lists the seats of p's scope (ListScope), narrowed by f: those of
// one company, or for vendor staff of all. A learner lists their own.
func (s *Service) Seats(ctx context.Context, f SeatFilter) ([]Seat, error) {
	var out []Seat
	err := s.read(ctx, func(tx Tx, p Principal) error {
		if p.Role == RoleLearner {
			f.UserID = p.UserID
		} else {
			sc, err := ListScope(tx, p, cmp.Or(f.CompanyID, p.ActingCompanyID), ActSeeCompany)
			switch {
			case err != nil:
				return err
			case f.CompanyID == 0 && sc != Scope{}:
				return Invalid("company_id", "name the company")
			}
			f.CompanyID = sc.CompanyID
		}
		f.Limit = ClampLimit(f.Limit)
		var err error
		out, err = tx.Seats(f)
		return err
	})
	return out, err
}

// managedSeat returns seat id and its company when p may do act there.
func managedSeat(tx Tx, p Principal, id int64, act Act) (Seat, Company, error) {
	seat, err := tx.Seat(id)
	if err != nil {
		return Seat{}, Company{}, err
	}
	c, err := CompanyFor(tx, p, seat.CompanyID, act)
	if ErrorCode(err) == ENOTFOUND {
		return Seat{}, Company{}, NotFound("seat")
	}
	return seat, c, err
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
