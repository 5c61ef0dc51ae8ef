package store

import (
	"time"

	"allot"
)

func (t *tx) CreatePool(p *allot.Pool) error {
	return t.insert(&p.ID, `INSERT INTO pools (order_id, company_id, product_id, quantity, used, starts_at, ends_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
		p.OrderID, p.CompanyID, p.ProductID, p.Quantity, p.Used, micros(p.StartsAt), micros(p.EndsAt))
}

const poolColumns = `id, order_id, company_id, product_id, quantity, used, starts_at, ends_at, expired_at, reminded_due`

func scanPool(p *allot.Pool) func(scanner) error {
	return func(s scanner) error {
		var starts, ends, expired, reminded int64
		err := s.Scan(&p.ID, &p.OrderID, &p.CompanyID, &p.ProductID, &p.Quantity, &p.Used, &starts, &ends, &expired, &reminded)
		p.StartsAt, p.EndsAt, p.ExpiredAt, p.RemindedDue = fromMicros(starts), fromMicros(ends), fromMicros(expired), fromMicros(reminded)
		return err
	}
}

func (t *tx) Pool(id int64) (allot.Pool, error) {
	var p allot.Pool
	err := t.get("pool", scanPool(&p), `SELECT `+poolColumns+` FROM pools WHERE id = $1`, id)
	return p, err
}

func (t *tx) Pools(f allot.PoolFilter) ([]allot.Pool, error) {
	var w where
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	if len(f.CompanyIDs) > 0 {
		w.inIDs(t.d, "company_id", f.CompanyIDs)
	}
	if f.ProductID != 0 {
		w.add("product_id = ?", f.ProductID)
	}
	if !f.LiveAt.IsZero() {
		at := micros(f.LiveAt)
		w.add("starts_at <= ? AND ends_at > ?", at, at)
	}
	if f.FreeOnly {
		w.add("used < quantity")
	}
	if !f.EndsBy.IsZero() {
		w.add("ends_at <= ?", micros(f.EndsBy))
	}
	if !f.EndedUnrecorded.IsZero() {
		w.add("ends_at <= ? AND expired_at = 0", micros(f.EndedUnrecorded))
	}
	var (
		out []allot.Pool
		p   allot.Pool
	)
	err := t.list(func(s scanner) error {
		err := scanPool(&p)(s)
		out = append(out, p)
		return err
	}, `SELECT `+poolColumns+` FROM pools`+w.sql()+` ORDER BY ends_at, id`, w.args...)
	return out, err
}

// TakeSeats is the guarded statement behind the seat invariant: the row
// changes only while n seats are free, and the CHECK constraint backs it.
func (t *tx) TakeSeats(poolID int64, n int, now time.Time) error {
	res, err := t.exec(`UPDATE pools SET used = used + $3
		WHERE id = $1 AND used + $3 <= quantity AND starts_at <= $2 AND ends_at > $2`, poolID, micros(now), n)
	if err != nil {
		return err
	}
	if changed, err := res.RowsAffected(); err != nil {
		return err
	} else if changed == 0 {
		return allot.Errorf(allot.ECONFLICT, "fewer than %d free seats in pool %d", n, poolID)
	}
	return nil
}

// ShrinkPool is TakeSeats' twin for seats that leave the pool: the row
// changes only while n seats are free, and the CHECK constraint backs it.
func (t *tx) ShrinkPool(poolID int64, n int, now time.Time) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "fewer than %d free seats in pool %d", n, poolID),
		`UPDATE pools SET quantity = quantity - $3
		WHERE id = $1 AND quantity - used >= $3 AND starts_at <= $2 AND ends_at > $2`, poolID, micros(now), n)
}

func (t *tx) ReturnSeat(poolID int64) error {
	return t.execOne(allot.NotFound("pool"), `UPDATE pools SET used = used - 1 WHERE id = $1`, poolID)
}

func (t *tx) MarkPoolExpired(id int64, at time.Time) error {
	return t.execOne(allot.NotFound("pool"), `UPDATE pools SET expired_at = $2 WHERE id = $1`, id, micros(at))
}

func (t *tx) MarkPoolReminded(id int64, due time.Time) error {
	return t.execOne(allot.NotFound("pool"), `UPDATE pools SET reminded_due = $2 WHERE id = $1`, id, micros(due))
}

func (t *tx) CloseAllEndedSeats(now time.Time) (int64, error) {
	res, err := t.exec(`UPDATE seats SET held = false WHERE held AND ends_at <= $1`, micros(now))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t *tx) CloseEndedSeats(p allot.CloseEndedSeatsParams) error {
	users, arg := t.d.ids("$1", p.UserIDs)
	_, err := t.exec(`UPDATE seats SET held = false
		WHERE held AND product_id = $2 AND ends_at <= $3 AND user_id IN (SELECT id FROM `+users+` l)`,
		arg, p.ProductID, micros(p.Now))
	return err
}

// GiveSeats gives the seats in one INSERT … SELECT from the list of users
// and records their events in another: a set of any size costs two
// statements.
func (t *tx) GiveSeats(p allot.GiveSeatsParams) ([]int64, error) {
	users, arg := t.d.ids("$1", p.UserIDs)
	s := p.Seat
	ids, err := t.insertAll("seats", `INSERT INTO seats (pool_id, company_id, product_id, user_id, starts_at, ends_at, created_at)
		SELECT $2, $3, $4, u.id, $5, $6, $7 FROM `+users+` l CROSS JOIN users u
		WHERE u.id = l.id AND u.company_id = $3 AND u.removed_at = 0 ORDER BY l.n`,
		arg, s.PoolID, s.CompanyID, s.ProductID, micros(s.StartsAt), micros(s.EndsAt), micros(s.CreatedAt))
	if allot.ErrorCode(err) == allot.ECONFLICT {
		return nil, allot.Errorf(allot.ECONFLICT, "a user already holds a seat of this product")
	} else if err != nil {
		return nil, err
	}
	// The seats are the users' held seats of the product, of the pool and
	// made now: one each.
	_, err = t.exec(eventColumns+`SELECT `+eventValues+`, $8, 'seat', s.id, '',
			'{"ID":' || s.id || ',"UserID":' || s.user_id || $9
		FROM `+users+` l CROSS JOIN seats s
		WHERE s.user_id = l.id AND s.product_id = $10 AND s.held AND s.pool_id = $11 AND s.created_at = $12
		ORDER BY l.n`,
		append(append([]any{arg}, eventArgs(p.Event)...), p.Event.Action, moreMembers(p.Event.After),
			s.ProductID, s.PoolID, micros(s.CreatedAt))...)
	return ids, err
}

const seatColumns = `id, pool_id, company_id, product_id, user_id, starts_at, ends_at, created_at, released_at, release_reason`

func scanSeat(st *allot.Seat) func(scanner) error {
	return func(s scanner) error {
		var starts, ends, created, released int64
		err := s.Scan(&st.ID, &st.PoolID, &st.CompanyID, &st.ProductID, &st.UserID, &starts, &ends, &created, &released, &st.ReleaseReason)
		st.StartsAt, st.EndsAt, st.CreatedAt, st.ReleasedAt = fromMicros(starts), fromMicros(ends), fromMicros(created), fromMicros(released)
		return err
	}
}

func (t *tx) Seat(id int64) (allot.Seat, error) {
	var s allot.Seat
	err := t.get("seat", scanSeat(&s), `SELECT `+seatColumns+` FROM seats WHERE id = $1`, id)
	return s, err
}

func (t *tx) Seats(f allot.SeatFilter) ([]allot.Seat, error) {
	var w where
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	if f.PoolID != 0 {
		w.add("pool_id = ?", f.PoolID)
	}
	if f.UserID != 0 {
		w.add("user_id = ?", f.UserID)
	}
	if len(f.UserIDs) > 0 {
		w.inIDs(t.d, "user_id", f.UserIDs)
	}
	if f.ProductID != 0 {
		w.add("product_id = ?", f.ProductID)
	}
	if f.HeldOnly {
		w.add("released_at = 0")
	}
	if !f.LiveAt.IsZero() {
		// A live seat is held, as only released and ended seats are not:
		// the partial index of held seats finds it among the user's many.
		w.add("held AND ends_at > ?", micros(f.LiveAt))
	}
	if f.AfterID != 0 {
		w.add("id > ?", f.AfterID)
	}
	var (
		out []allot.Seat
		s   allot.Seat
	)
	err := t.list(func(sc scanner) error {
		err := scanSeat(&s)(sc)
		out = append(out, s)
		return err
	}, `SELECT `+seatColumns+` FROM seats`+w.sql()+` ORDER BY id LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

func (t *tx) ReleaseSeat(id int64, at time.Time, reason string) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "seat %d is not held", id),
		`UPDATE seats SET released_at = $2, release_reason = $3, held = false WHERE id = $1 AND held`, id, micros(at), reason)
}

func (t *tx) ExpiredLearners(p allot.ExpiredLearnersParams) ([]allot.User, error) {
	return t.users(`SELECT `+userColumns+` FROM users u
		WHERE u.company_id = $1 AND u.role = 'learner' AND u.removed_at = 0
		AND EXISTS (SELECT 1 FROM seats s WHERE s.id = (SELECT MAX(id) FROM seats WHERE user_id = u.id AND product_id = $2)
			AND s.released_at = 0 AND s.ends_at <= $3)
		ORDER BY u.id`, p.CompanyID, p.ProductID, micros(p.Now))
}

// AddWaiting adds the users to the list in one INSERT … SELECT from the
// list of users, and records their events in another.
func (t *tx) AddWaiting(p allot.AddWaitingParams) error {
	users, arg := t.d.ids("$1", p.UserIDs)
	wt := p.Waiting
	// WHERE true tells SQLite that ON CONFLICT is the INSERT's, not a join's.
	if _, err := t.exec(`INSERT INTO waiting (user_id, product_id, company_id, reason, since)
		SELECT l.id, $2, $3, $4, $5 FROM `+users+` l WHERE true
		ON CONFLICT (user_id, product_id) DO NOTHING`,
		arg, wt.ProductID, wt.CompanyID, wt.Reason, micros(wt.Since)); err != nil {
		return err
	}
	_, err := t.exec(eventColumns+`SELECT `+eventValues+`, $8, 'user', l.id, '', '{"UserID":' || l.id || $9
		FROM `+users+` l ORDER BY l.n`,
		append(append([]any{arg}, eventArgs(p.Event)...), p.Event.Action, moreMembers(p.Event.After))...)
	return err
}

func (t *tx) RemoveWaiting(p allot.RemoveWaitingParams) error {
	users, arg := t.d.ids("$1", p.UserIDs)
	_, err := t.exec(`DELETE FROM waiting WHERE user_id IN (SELECT id FROM `+users+` l) AND ($2 = 0 OR product_id = $2)`,
		arg, p.ProductID)
	return err
}

func (t *tx) WaitingList(p allot.WaitingListParams) ([]allot.Waiting, error) {
	var (
		out   []allot.Waiting
		wt    allot.Waiting
		claim string
	)
	if p.Claim {
		claim = t.d.skipLocked // SQLite's write transaction holds the database already
	}
	err := t.list(func(s scanner) error {
		var since int64
		err := s.Scan(&wt.UserID, &wt.CompanyID, &wt.ProductID, &wt.Reason, &since)
		wt.Since = fromMicros(since)
		out = append(out, wt)
		return err
	}, `SELECT user_id, company_id, product_id, reason, since FROM waiting
		WHERE company_id = $1 AND product_id = $2 ORDER BY since, user_id LIMIT $3`+claim, p.CompanyID, p.ProductID, limit(p.Limit))
	return out, err
}

func (t *tx) CountWaiting(companyID int64) (int, error) {
	return t.count(`SELECT COUNT(*) FROM waiting WHERE company_id = $1`, companyID)
}
