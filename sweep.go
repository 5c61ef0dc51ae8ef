package allot

import (
	"context"
	"fmt"
	"time"
)

// SweepResult says what a sweep recorded.
type SweepResult struct {
	SeatsClosed int64
	PoolsEnded  int
	Reminders   int // reminder mails queued
}

// Sweep records what time has ended and queues the mail that is due: seats
// past their end are closed, pools past their end are marked expired (with
// a mail to the managers, and an event when a company has no live pool
// left), and reminders whose time has come are queued, once each. Access
// never waits for it: it is computed from the time. It runs as the system.
func (s *Service) Sweep(ctx context.Context) (SweepResult, error) {
	var res SweepResult
	now := s.Clock.Now()
	err := s.Store.Write(ctx, func(tx Tx) error {
		r := newSweepReads()
		var err error
		if res.SeatsClosed, err = tx.CloseAllEndedSeats(now); err != nil {
			return err
		}
		ended, err := tx.Pools(PoolFilter{EndedUnrecorded: now})
		if err != nil {
			return err
		}
		for _, p := range ended {
			if err := s.poolEnded(tx, r, p, now); err != nil {
				return fmt.Errorf("sweep pool %d: %w", p.ID, err)
			}
		}
		res.PoolsEnded = len(ended)
		res.Reminders, err = s.queueReminders(tx, r, now)
		return err
	})
	return res, err
}

// poolEnded records that pool p ended and tells the company's managers.
func (s *Service) poolEnded(tx Tx, r sweepReads, p Pool, now time.Time) error {
	if err := tx.MarkPoolExpired(p.ID, now); err != nil {
		return err
	}
	c, err := tx.Company(p.CompanyID)
	if err != nil {
		return err
	}
	to, err := r.managers(tx, c)
	if err != nil {
		return err
	}
	pr, err := r.product(tx, p.ProductID)
	if err != nil {
		return err
	}
	if err := queueMails(tx, MailExpired, c, p, pr, to, 0, p.EndsAt, now); err != nil {
		return err
	}
	if err := s.Record(tx, System, c, "pool.expire", "pool", p.ID, nil, p); err != nil {
		return err
	}
	live, err := tx.Pools(PoolFilter{CompanyID: c.ID, LiveAt: now})
	if err != nil || len(live) > 0 {
		return err
	}
	return s.Record(tx, System, c, "company.lapse", "company", c.ID, nil, nil)
}

// queueReminders queues, for each live pool, the reminder of its company's
// latest offset whose time has come. After a pause of the sweep, earlier
// offsets that were missed are not sent late.
func (s *Service) queueReminders(tx Tx, r sweepReads, now time.Time) (int, error) {
	pools, err := tx.Pools(PoolFilter{LiveAt: now, EndsBy: now.Add(365 * 24 * time.Hour)})
	if err != nil {
		return 0, err
	}
	n := 0
	companies := map[int64]Company{}
	for _, p := range pools {
		c, ok := companies[p.CompanyID]
		if !ok {
			if c, err = tx.Company(p.CompanyID); err != nil {
				return n, err
			}
			companies[c.ID] = c
		}
		var due Reminder // the last one due
		for _, rm := range Reminders(p, c.Offsets()) {
			if !rm.DueAt.After(now) {
				due = rm
			}
		}
		if due.DueAt.IsZero() || !due.DueAt.After(p.RemindedDue) {
			continue
		}
		if err := tx.MarkPoolReminded(p.ID, due.DueAt); err != nil {
			return n, err
		}
		to, err := r.managers(tx, c)
		if err != nil {
			return n, err
		}
		pr, err := r.product(tx, p.ProductID)
		if err != nil {
			return n, err
		}
		if err := queueMails(tx, MailReminder, c, p, pr, to, due.Offset, due.DueAt, now); err != nil {
			return n, err
		}
		if c.Tells(MailReminder) {
			n += len(to)
		}
	}
	return n, nil
}

// sweepReads is what one sweep reads once for all the pools it tells
// about, which share few products and partners: each product, and each
// partner's managers.
type sweepReads struct {
	products map[int64]Product
	partners map[int64][]User // partner managers, by partner
}

// newSweepReads returns a sweepReads that has read nothing yet.
func newSweepReads() sweepReads {
	return sweepReads{products: map[int64]Product{}, partners: map[int64][]User{}}
}

// product returns product id, read at its first use.
func (r sweepReads) product(tx Tx, id int64) (Product, error) {
	pr, ok := r.products[id]
	if ok {
		return pr, nil
	}
	pr, err := tx.Product(id)
	if err == nil {
		r.products[id] = pr
	}
	return pr, err
}

// managers returns who hears about company c's licences: its managers, and
// its partner's managers (read at their first use) for a partner's customer.
func (r sweepReads) managers(tx Tx, c Company) ([]User, error) {
	out, err := tx.Users(UserFilter{CompanyID: c.ID, Roles: []Role{RoleCompanyManager}, Limit: MaxLimit})
	if err != nil || c.PartnerID == 0 {
		return out, err
	}
	pms, ok := r.partners[c.PartnerID]
	if !ok {
		if pms, err = tx.Users(UserFilter{PartnerID: c.PartnerID, Roles: []Role{RolePartnerManager}, Limit: MaxLimit}); err != nil {
			return nil, err
		}
		r.partners[c.PartnerID] = pms
	}
	return append(out, pms...), nil
}
