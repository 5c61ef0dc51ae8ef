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
	HeldOnly  bool  // only seats not released (live, scheduled or expired)
	AfterID   int64 // paging: seats with an ID greater than this
	Limit     int
}

// Release reasons.
const (
	ReasonLeft          = "left_company"
	ReasonNeverLoggedIn = "never_logged_in"
	ReasonOther         = "other"
	ReasonReallocated   = "reallocated"
	ReasonRemoved       = "removed"
)

// ReleaseReasons are the reasons a manager may give when releasing a seat.
var ReleaseReasons = []string{ReasonLeft, ReasonNeverLoggedIn, ReasonOther}

// Waiting is a learner added without a seat, waiting for one.
type Waiting struct {
	UserID    int64
	CompanyID int64
	ProductID int64
	Reason    string
	Since     time.Time
}

// allocate gives learner u a seat of the product in company c: from pool
// poolID, or when it is 0 from the company's live pool with a free seat that
// expires first. It returns ECONFLICT when u already holds a live seat of
// the product or no seat is free. The seat starts now.
func (s *Service) allocate(tx Tx, p Principal, c Company, u User, productID, poolID int64, now time.Time) (Seat, error) {
	if !u.MemberOf(c) {
		return Seat{}, NotFound("user")
	}
	held, err := tx.Seats(SeatFilter{UserID: u.ID, ProductID: productID, HeldOnly: true})
	if err != nil {
		return Seat{}, err
	}
	for _, h := range held {
		if h.Live(now) {
			return Seat{}, Errorf(ECONFLICT, "%s already holds a seat of this product until %s", u.Email, h.EndsAt.Format(time.DateOnly))
		}
	}
	pool, err := s.takeSeat(tx, c, productID, poolID, now)
	if err != nil {
		return Seat{}, err
	}
	if err := tx.CloseEndedSeats(u.ID, productID, now); err != nil {
		return Seat{}, err
	}
	seat := Seat{PoolID: pool.ID, CompanyID: c.ID, ProductID: productID, UserID: u.ID,
		StartsAt: now, EndsAt: pool.EndsAt, CreatedAt: now}
	if err := tx.CreateSeat(&seat); err != nil {
		return Seat{}, err
	}
	if err := tx.RemoveWaiting(u.ID, productID); err != nil {
		return Seat{}, err
	}
	return seat, s.record(tx, p, c, "seat.allocate", "seat", seat.ID, nil, seat)
}

// takeSeat counts a seat used in pool poolID, or in the company's live pool
// of the product that expires first and has a free seat.
func (s *Service) takeSeat(tx Tx, c Company, productID, poolID int64, now time.Time) (Pool, error) {
	if poolID != 0 {
		pool, err := tx.Pool(poolID)
		if err != nil || !pool.Of(c.ID, productID) {
			return Pool{}, NotFound("pool")
		}
		if !pool.Live(now) {
			return Pool{}, Errorf(ECONFLICT, "pool %d is %s", pool.ID, pool.Status(now))
		}
		return pool, tx.TakeSeats(pool.ID, 1, now)
	}
	pools, err := tx.Pools(PoolFilter{CompanyID: c.ID, ProductID: productID, LiveAt: now, FreeOnly: true})
	if err != nil {
		return Pool{}, err
	}
	for _, pool := range pools {
		switch err := tx.TakeSeats(pool.ID, 1, now); ErrorCode(err) {
		case "":
			return pool, nil
		case ECONFLICT: // taken meanwhile by another process: try the next
		default:
			return Pool{}, err
		}
	}
	return Pool{}, noFreeSeat(c)
}

// noFreeSeat is the error of a seat asked of company c when none is free;
// its message is also why a learner waits.
func noFreeSeat(c Company) error {
	return Errorf(ECONFLICT, "no free seat of this product in %s", c.Name)
}

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
		seat, err = s.allocate(tx, p, c, u, pr.ID, poolID, s.Clock.Now())
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
		seat, err = s.release(tx, p, c, before, reason)
		return err
	})
	return seat, err
}

func (s *Service) release(tx Tx, p Principal, c Company, seat Seat, reason string) (Seat, error) {
	now := s.Clock.Now()
	if st := seat.Status(now); st == StatusReleased || st == StatusExpired {
		return Seat{}, Errorf(ECONFLICT, "seat %d is already %s", seat.ID, st)
	}
	before := seat
	if err := tx.ReleaseSeat(seat.ID, now, reason); err != nil {
		return Seat{}, fmt.Errorf("release seat %d: %w", seat.ID, err)
	}
	if reason != ReasonReallocated {
		if err := tx.ReturnSeat(seat.PoolID); err != nil {
			return Seat{}, fmt.Errorf("release seat %d: %w", seat.ID, err)
		}
	}
	seat.ReleasedAt, seat.ReleaseReason = now, reason
	return seat, s.record(tx, p, c, "seat.release", "seat", seat.ID, before, seat)
}

// Reallocate moves a live seat to another learner of the same company in one
// step: the learner gets a seat of the same pool, valid for what remains of
// it, and the pool's count does not change.
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
		now := s.Clock.Now()
		held, err := tx.Seats(SeatFilter{UserID: to.ID, ProductID: from.ProductID, HeldOnly: true})
		if err != nil {
			return err
		}
		for _, h := range held {
			if h.Live(now) {
				return Errorf(ECONFLICT, "%s already holds a seat of this product", to.Email)
			}
		}
		if _, err := s.release(tx, p, c, from, ReasonReallocated); err != nil {
			return err
		}
		if err := tx.CloseEndedSeats(to.ID, from.ProductID, now); err != nil {
			return err
		}
		seat = Seat{PoolID: from.PoolID, CompanyID: c.ID, ProductID: from.ProductID, UserID: to.ID,
			StartsAt: later(now, from.StartsAt), EndsAt: from.EndsAt, CreatedAt: now}
		if err := tx.CreateSeat(&seat); err != nil {
			return fmt.Errorf("reallocate seat %d: %w", seatID, err)
		}
		if err := tx.RemoveWaiting(to.ID, from.ProductID); err != nil {
			return err
		}
		return s.record(tx, p, c, "seat.reallocate", "seat", seat.ID, from, seat)
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
		f.Limit = clampLimit(f.Limit)
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
