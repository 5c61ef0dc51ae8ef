package allot

import (
	"cmp"
	"time"
)

// SeatGrant asks for seats of one product in one company, for some of its
// people.
type SeatGrant struct {
	Company   Company
	ProductID int64
	PoolID    int64   // the pool to draw from; 0 for the company's live pools, those that end first first
	UserIDs   []int64 // the learners, in the order seats go to them
	StartsAt  time.Time
	Until     time.Time // the seats end with their pool, or at Until when it comes first
	Action    string    // of each seat's audit event; seat.allocate when empty
	// Wait puts the learners beyond the free seats on the waiting list;
	// without it, too few free seats is ECONFLICT and nothing is given.
	Wait bool
	// Partial gives as many seats as are free and leaves the learners
	// beyond them as they were: too few free seats is no error.
	Partial bool
	// Fresh says that the learners were made in the caller's transaction:
	// none holds a seat or waits for one yet, so none is looked up for it.
	Fresh bool
	// Renewal says that the seats renew expired ones: their learners hear
	// of a renewal rather than of a new seat.
	Renewal bool
	// Invited says that the learners hear of their seats in an invitation,
	// sent by its own rule, rather than in a mail of each seat now.
	Invited bool
}

// Granted is what GrantSeats gave: the seats, pool by pool, and how many
// learners now wait for one.
type Granted struct {
	batches []seatBatch
	Waiting int
}

// seatBatch is the seats given from one pool: one like seat for each user,
// of the ID at the same place.
type seatBatch struct {
	seat    Seat
	userIDs []int64
	seatIDs []int64
}

// Given returns how many seats were given.
func (g Granted) Given() int {
	n := 0
	for _, b := range g.batches {
		n += len(b.seatIDs)
	}
	return n
}

// Seats returns the seats given, in the order of the grant's learners.
func (g Granted) Seats() []Seat {
	out := make([]Seat, 0, g.Given())
	for _, b := range g.batches {
		for i, id := range b.seatIDs {
			s := b.seat
			s.ID, s.UserID = id, b.userIDs[i]
			out = append(out, s)
		}
	}
	return out
}

// GrantSeats is the one door through which every seat is given, in the
// caller's transaction. Each learner of g gets a seat of g's product from
// the company's live pool with a free seat that ends first (or from g's
// pool), its window [start, min(pool end, Until)). Each pool is taken with
// one guarded statement for as many seats as it has free, and read again
// when another process took them meanwhile: a pool never gives more seats
// than it has. A learner who holds a live seat of the product already is
// refused (ECONFLICT); one who is not a member of the company is not found.
// Each seat has its audit event and, unless its learner is new, a mail to
// them; a learner given one stops waiting.
func (s *Service) GrantSeats(tx Tx, p Principal, g SeatGrant) (Granted, error) {
	var out Granted
	if len(g.UserIDs) == 0 {
		return out, nil
	}
	now := s.Clock.Now()
	if !g.Fresh {
		// Not limited to one: a planner that reads the seats in order to
		// stop at the first would look each up in the list of learners.
		if held, err := tx.Seats(SeatFilter{UserIDs: g.UserIDs, ProductID: g.ProductID, LiveAt: now}); err != nil {
			return out, err
		} else if len(held) > 0 {
			return out, holdsASeat(tx, held[0])
		}
		if err := tx.CloseEndedSeats(CloseEndedSeatsParams{UserIDs: g.UserIDs, ProductID: g.ProductID, Now: now}); err != nil {
			return out, err
		}
	}
	e := s.AuditEvent(p, g.Company, cmp.Or(g.Action, "seat.allocate"))
	e.SubjectType = "seat"
	rest := g.UserIDs
	for len(rest) > 0 {
		pool, ok, err := freePool(tx, g, now)
		if err != nil {
			return out, err
		} else if !ok {
			break
		}
		n := min(pool.Free(), len(rest))
		switch err := tx.TakeSeats(pool.ID, n, now); ErrorCode(err) {
		case "":
		case ECONFLICT:
			continue // taken meanwhile by another process: read the pools again
		default:
			return out, err
		}
		b := seatBatch{seat: Seat{PoolID: pool.ID, CompanyID: pool.CompanyID, ProductID: pool.ProductID,
			StartsAt: cmp.Or(g.StartsAt, now), EndsAt: pool.EndsAt, CreatedAt: now}, userIDs: rest[:n]}
		if !g.Until.IsZero() && g.Until.Before(b.seat.EndsAt) {
			b.seat.EndsAt = g.Until
		}
		e.After = AuditJSON(seatTerms{b.seat.PoolID, b.seat.CompanyID, b.seat.ProductID,
			b.seat.StartsAt, b.seat.EndsAt, b.seat.CreatedAt, b.seat.ReleasedAt, b.seat.ReleaseReason})
		if b.seatIDs, err = tx.GiveSeats(GiveSeatsParams{Seat: b.seat, UserIDs: b.userIDs, Event: e}); err != nil {
			return out, err
		} else if len(b.seatIDs) != n {
			return out, NotFound("user")
		}
		out.batches, rest = append(out.batches, b), rest[n:]
	}
	if err := g.tell(tx, out, now); err != nil {
		return out, err
	}
	if given := g.UserIDs[:len(g.UserIDs)-len(rest)]; len(given) > 0 && !g.Fresh {
		if err := tx.RemoveWaiting(RemoveWaitingParams{UserIDs: given, ProductID: g.ProductID}); err != nil {
			return out, err
		}
	}
	if len(rest) == 0 || g.Partial {
		return out, nil
	}
	if !g.Wait {
		return Granted{}, noFreeSeat(g.Company)
	}
	out.Waiting = len(rest)
	return out, s.wait(tx, p, g.Company, Waiting{CompanyID: g.Company.ID, ProductID: g.ProductID,
		Reason: ErrorMessage(noFreeSeat(g.Company)), Since: now}, rest)
}

// GrantSeat is GrantSeats for one learner, who gets a seat or an error.
func (s *Service) GrantSeat(tx Tx, p Principal, g SeatGrant, userID int64) (Seat, error) {
	g.UserIDs, g.Wait = []int64{userID}, false
	given, err := s.GrantSeats(tx, p, g)
	if err != nil {
		return Seat{}, err
	}
	return given.Seats()[0], nil
}

// seatTerms is a seat as its audit event keeps it, but for its ID and
// UserID, which the store writes into the event of each seat it gives.
type seatTerms struct {
	PoolID, CompanyID, ProductID            int64
	StartsAt, EndsAt, CreatedAt, ReleasedAt time.Time
	ReleaseReason                           string
}

// freePool returns the pool g draws its next seats from: g's own, or the
// company's live pool of the product with a free seat that ends first;
// false when it has no free seat.
func freePool(tx Tx, g SeatGrant, now time.Time) (Pool, bool, error) {
	if g.PoolID == 0 {
		pools, err := tx.Pools(PoolFilter{CompanyID: g.Company.ID, ProductID: g.ProductID, LiveAt: now, FreeOnly: true})
		if err != nil || len(pools) == 0 {
			return Pool{}, false, err
		}
		return pools[0], true, nil
	}
	pool, err := tx.Pool(g.PoolID)
	switch {
	case err != nil || !pool.Of(g.Company.ID, g.ProductID):
		return Pool{}, false, NotFound("pool")
	case !pool.Live(now):
		return Pool{}, false, Errorf(ECONFLICT, "pool %d is %s", pool.ID, pool.Status(now))
	}
	return pool, pool.Free() > 0, nil
}

// holdsASeat is the error of a seat asked for a learner who holds seat, a
// live one of the same product: a learner holds one at most.
func holdsASeat(tx Tx, seat Seat) error {
	u, err := tx.User(seat.UserID)
	if err != nil {
		return err
	}
	return Errorf(ECONFLICT, "%s already holds a seat of this product until %s", u.Email, seat.EndsAt.Format(time.DateOnly))
}

// noFreeSeat is the error of a seat asked of company c when none is free;
// its message is also why a learner waits.
func noFreeSeat(c Company) error {
	return Errorf(ECONFLICT, "no free seat of this product in %s", c.Name)
}

// Waiting is a learner added without a seat, waiting for one.
type Waiting struct {
	UserID    int64
	CompanyID int64
	ProductID int64
	Reason    string
	Since     time.Time
}

// wait puts the users on the waiting list w describes, each with the audit
// event of a learner left unlicensed.
func (s *Service) wait(tx Tx, p Principal, c Company, w Waiting, userIDs []int64) error {
	e := s.AuditEvent(p, c, "user.unlicensed")
	e.SubjectType = "user"
	e.After = AuditJSON(waitingTerms{w.CompanyID, w.ProductID, w.Reason, w.Since})
	return tx.AddWaiting(AddWaitingParams{Waiting: w, UserIDs: userIDs, Event: e})
}

// waitingTerms is a Waiting as its audit event keeps it, but for its
// UserID, which the store writes into the event of each user it adds.
type waitingTerms struct {
	CompanyID, ProductID int64
	Reason               string
	Since                time.Time
}

// tell queues a mail to each learner given a seat: of a renewal, or of a
// new seat. Learners made in the same transaction (Fresh) are told by the
// welcome mail they may get, not by one more: an import of thousands queues
// no mail besides.
func (g SeatGrant) tell(tx Tx, out Granted, now time.Time) error {
	if g.Fresh || g.Invited {
		return nil
	}
	kind := MailSeatGiven
	if g.Renewal {
		kind = MailSeatRenewed
	}
	return queueSeatMails(tx, kind, g.Company, out.Seats(), now)
}
