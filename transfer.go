package allot

import (
	"context"
	"fmt"
	"time"
)

// SeatTransfer moves Count free seats of pool PoolID to company
// ToCompanyID, a customer of the same partner (or, like the pool's, a
// direct customer of the vendor).
type SeatTransfer struct {
	PoolID      int64
	ToCompanyID int64
	Count       int
}

// Transferred is a transfer as its audit events keep it.
type Transferred struct {
	FromPoolID, ToPoolID       int64
	FromCompanyID, ToCompanyID int64
	ProductID                  int64
	Count                      int
	StartsAt, EndsAt           time.Time
}

// TransferSeats moves free seats of a live pool to another customer of the
// same partner (ActTransferSeats in both): the pool counts them no more,
// and the other customer gets a pool of them with the same start and end,
// as an order assigned at once whose note says where they came from. Its
// learners waiting for the product get them first. The move is recorded in
// both companies' audit logs. It returns the new pool.
func (s *Service) TransferSeats(ctx context.Context, in SeatTransfer) (Pool, error) {
	var out Pool
	err := s.write(ctx, func(tx Tx, p Principal) error {
		from, src, dst, err := s.transferEnds(tx, p, in)
		if err != nil {
			return err
		}
		now := s.Clock.Now()
		switch err := tx.ShrinkPool(from.ID, in.Count, now); ErrorCode(err) {
		case "":
		case ECONFLICT: // another took its seats meanwhile
			if from, err = tx.Pool(from.ID); err != nil {
				return err
			}
			return tooFewFree(from)
		default:
			return fmt.Errorf("transfer seats of pool %d: %w", from.ID, err)
		}
		if out, err = s.transferredPool(tx, p, from, src, dst, in.Count, now); err != nil {
			return err
		}
		// Each company's log keeps the move whole, both pools and companies.
		terms := Transferred{from.ID, out.ID, src.ID, dst.ID, from.ProductID, in.Count, from.StartsAt, from.EndsAt}
		if err := s.Record(tx, p, src, "pool.transfer_out", "pool", from.ID, nil, terms); err != nil {
			return err
		}
		if err := s.Record(tx, p, dst, "pool.transfer_in", "pool", out.ID, nil, terms); err != nil {
			return err
		}
		given, err := s.fillWaiting(tx, p, dst, out.ProductID, out.ID)
		out.Used += given
		return err
	})
	return out, err
}

// TransferPlan is what a transfer would do: move Count seats of Pool, of
// Product, from company From to company To.
type TransferPlan struct {
	Pool     Pool
	Product  Product
	From, To Company
	Count    int
}

// PlanTransfer checks a transfer as TransferSeats would, without making it,
// and says what it would do.
func (s *Service) PlanTransfer(ctx context.Context, in SeatTransfer) (TransferPlan, error) {
	var out TransferPlan
	err := s.read(ctx, func(tx Tx, p Principal) error {
		from, src, dst, err := s.transferEnds(tx, p, in)
		if err != nil {
			return err
		}
		pr, err := tx.Product(from.ProductID)
		out = TransferPlan{Pool: from, Product: pr, From: src, To: dst, Count: in.Count}
		return err
	})
	return out, err
}

// transferSource returns pool id and its company when p may move its seats.
func transferSource(tx Tx, p Principal, id int64) (Pool, Company, error) {
	pool, err := tx.Pool(id)
	if err != nil {
		return Pool{}, Company{}, err
	}
	c, err := CompanyFor(tx, p, pool.CompanyID, ActTransferSeats)
	if ErrorCode(err) == ENOTFOUND {
		return Pool{}, Company{}, NotFound("pool")
	}
	return pool, c, err
}

// transferEnds returns the pool in names with its company, and the company
// its seats may move to as in asks, or why they may not.
func (s *Service) transferEnds(tx Tx, p Principal, in SeatTransfer) (from Pool, src, dst Company, err error) {
	if from, src, err = transferSource(tx, p, in.PoolID); err != nil {
		return Pool{}, Company{}, Company{}, err
	}
	dst, err = s.transferTarget(tx, p, from, src, in)
	return from, src, dst, err
}

// transferTarget returns the company seats of pool from, of company src,
// may move to as in asks, or why they may not.
func (s *Service) transferTarget(tx Tx, p Principal, from Pool, src Company, in SeatTransfer) (Company, error) {
	dst, err := CompanyFor(tx, p, in.ToCompanyID, ActTransferSeats)
	if err != nil {
		return Company{}, err
	}
	now := s.Clock.Now()
	switch {
	case dst.ID == src.ID:
		return Company{}, Invalid("to_company_id", "the seats are %s's already: choose another customer", src.Name)
	case dst.PartnerID != src.PartnerID && src.Direct():
		return Company{}, Invalid("to_company_id", "%s is a direct customer and %s is not: seats move between customers of the same partner", src.Name, dst.Name)
	case dst.PartnerID != src.PartnerID:
		return Company{}, Invalid("to_company_id", "%s is not a customer of %s's partner: seats move between customers of the same partner", dst.Name, src.Name)
	case !from.Live(now):
		return Company{}, Invalid("pool_id", "the pool is %s: only a live pool's seats move", from.Status(now))
	case in.Count < 1:
		return Company{}, Invalid("count", "move at least one seat")
	case in.Count > from.Free():
		return Company{}, tooFewFree(from)
	}
	return dst, nil
}

// tooFewFree is the error of a transfer of more seats than pool has free.
func tooFewFree(pool Pool) error {
	switch free := pool.Free(); free {
	case 0:
		return Invalid("count", "the pool has no free seat: every seat is given")
	case 1:
		return Invalid("count", "the pool has 1 free seat: move at most 1")
	default:
		return Invalid("count", "the pool has %d free seats: move at most %d", free, free)
	}
}

// transferredPool makes company dst's pool of n seats moved from pool from
// of company src, with the order it comes of: assigned at once, of the
// same term as from's.
func (s *Service) transferredPool(tx Tx, p Principal, from Pool, src, dst Company, n int, now time.Time) (Pool, error) {
	o, err := tx.Order(from.OrderID)
	if err != nil {
		return Pool{}, fmt.Errorf("transfer seats of pool %d: %w", from.ID, err)
	}
	o = Order{CompanyID: dst.ID, PartnerID: dst.PartnerID, ProductID: from.ProductID, Quantity: n,
		Note:       fmt.Sprintf("%d seats moved from %s (pool %d)", n, src.Name, from.ID),
		TermMonths: o.TermMonths, TermDays: o.TermDays, Status: OrderAssigned,
		RequestedBy: p.UserID, RequestedAt: now, DecidedBy: p.UserID, DecidedAt: now}
	if err := tx.CreateOrder(&o); err != nil {
		return Pool{}, fmt.Errorf("transfer seats of pool %d: %w", from.ID, err)
	}
	pool := Pool{OrderID: o.ID, CompanyID: dst.ID, ProductID: from.ProductID, Quantity: n,
		StartsAt: from.StartsAt, EndsAt: from.EndsAt}
	if err := tx.CreatePool(&pool); err != nil {
		return Pool{}, fmt.Errorf("transfer seats of pool %d: %w", from.ID, err)
	}
	return pool, nil
}
