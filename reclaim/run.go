package reclaim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"allot"
)

// JobRun is the kind of the periodic job that runs every company's
// switched-on rules.
const JobRun = "reclaim.run"

// Reason is the release reason of a seat a rule reclaimed.
const Reason = "reclaimed"

// runBatch is how many candidate seats one transaction of a run reads.
const runBatch = 200

// RunResult is what a run did: the seats it reclaimed and the seats whose
// learners it warned.
type RunResult struct {
	Reclaimed []int64
	Warned    []int64
}

// Handle runs the rules as a job of the worker.
func (s *Service) Handle(ctx context.Context, _ allot.Job) error {
	_, err := s.Run(allot.WithPrincipal(ctx, allot.System))
	return err
}

// Run does now what every switched-on rule of every company decides, as
// its preview shows it: it warns the learners due a warning, once each
// however many processes run at once, and releases the seats due to go
// back through the kernel's one door, naming the rule in the audit log.
// Each company's managers get one mail saying how many seats went back.
// Only allot's own background work runs the rules.
func (s *Service) Run(ctx context.Context) (RunResult, error) {
	var res RunResult
	p, err := allot.PrincipalFrom(ctx)
	if err != nil {
		return res, err
	}
	if p != allot.System {
		return res, allot.Errorf(allot.EFORBIDDEN, "reclaim rules run on their own")
	}
	var after int64
	for {
		var rules []Rule
		err := s.Store.Read(ctx, func(tx Tx) error {
			rules, err = tx.EnabledReclaimRules(after, runBatch)
			return err
		})
		if err != nil {
			return res, fmt.Errorf("reclaim: %w", err)
		}
		for _, r := range rules {
			if err := s.runRule(ctx, r, &res); err != nil {
				return res, fmt.Errorf("reclaim rule %d: %w", r.ID, err)
			}
			after = r.ID
			if err := allot.RenewLease(ctx); err != nil {
				return res, err
			}
		}
		if len(rules) < runBatch {
			return res, nil
		}
	}
}

// runRule runs rule r, a batch of seats a transaction, and tells the
// company's managers what went back.
func (s *Service) runRule(ctx context.Context, r Rule, res *RunResult) error {
	now := s.Ledger.Clock.Now()
	var (
		after     int64
		reclaimed []Entry
	)
	for {
		err := s.Store.Write(ctx, func(tx Tx) error {
			pl, last, err := s.current(tx, r, now, after)
			if err != nil {
				return err
			}
			done, warned, err := s.act(tx, pl, now)
			reclaimed = append(reclaimed, done...)
			res.Warned = append(res.Warned, warned...)
			after = last
			return err
		})
		if err != nil {
			return err
		}
		if after == 0 {
			break
		}
	}
	for _, e := range reclaimed {
		res.Reclaimed = append(res.Reclaimed, e.SeatID)
	}
	if len(reclaimed) == 0 {
		return nil
	}
	return s.Store.Write(ctx, func(tx Tx) error { return tellManagers(tx, r, reclaimed, now) })
}

// current plans rule r as stored now, when it is still switched on; an
// empty plan otherwise.
func (s *Service) current(tx Tx, r Rule, now time.Time, after int64) (Plan, int64, error) {
	r, err := ruleOf(tx, r.CompanyID, r.ID)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return Plan{}, 0, nil
	case err != nil:
		return Plan{}, 0, err
	case !r.Enabled:
		return Plan{}, 0, nil
	}
	return plan(tx, r, now, after, runBatch)
}

// act does plan pl in tx, and returns the seats it reclaimed and warned
// of: those another run had done meanwhile are left out.
func (s *Service) act(tx Tx, pl Plan, now time.Time) ([]Entry, []int64, error) {
	if len(pl.Reclaim) == 0 && len(pl.Warn) == 0 {
		return nil, nil, nil
	}
	c, err := tx.Company(pl.Rule.CompanyID)
	if err != nil {
		return nil, nil, err
	}
	var warned []int64
	for _, e := range pl.Warn {
		ok, err := s.warn(tx, c, pl.Rule, e, now)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			warned = append(warned, e.SeatID)
		}
	}
	var done []Entry
	for _, e := range pl.Reclaim {
		ok, err := s.reclaim(tx, c, pl.Rule, e, now)
		if err != nil {
			return nil, nil, err
		}
		if ok {
			done = append(done, e)
		}
	}
	return done, warned, nil
}

// warn records rule r's warning of e's seat and mails its learner, unless
// another run warned them first.
func (s *Service) warn(tx Tx, c allot.Company, r Rule, e Entry, now time.Time) (bool, error) {
	ok, err := tx.AddWarning(Warning{RuleID: r.ID, SeatID: e.SeatID, Since: e.IdleSince, CompanyID: c.ID, UserID: e.UserID,
		WarnedAt: now, ReclaimAt: e.ReclaimAt})
	if err != nil || !ok {
		return false, err
	}
	after := map[string]any{"rule_id": r.ID, "days": r.Days, "warn_days": r.WarnDays, "idle_since": e.IdleSince, "reclaim_at": e.ReclaimAt}
	if err := s.Ledger.Record(tx, allot.System, c, "seat.reclaim_warning", "seat", e.SeatID, nil, after); err != nil {
		return false, err
	}
	u, err := tx.User(e.UserID)
	if err != nil {
		return false, err
	}
	m := allot.Mail{Kind: allot.MailReclaimWarning, RuleID: r.ID, SeatID: e.SeatID, PoolID: e.PoolID, CompanyID: c.ID,
		Company: c.Name, Product: e.Product, EndsAt: e.ReclaimAt, DueAt: now}
	return true, allot.QueueMail(tx, m.To(u), now)
}

// reclaim releases e's seat through the kernel, naming rule r in the audit
// log, unless it went meanwhile: released, or reclaimed by another run.
func (s *Service) reclaim(tx Tx, c allot.Company, r Rule, e Entry, now time.Time) (bool, error) {
	seat, err := s.Ledger.ReleaseSeat(tx, allot.System, c, e.seat(c.ID), Reason)
	if allot.ErrorCode(err) == allot.ECONFLICT {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	after := map[string]any{"rule_id": r.ID, "days": r.Days, "warn_days": r.WarnDays, "idle_since": e.IdleSince,
		"last_login_at": e.LastLoginAt, "user_id": e.UserID, "released_at": seat.ReleasedAt}
	if err := s.Ledger.Record(tx, allot.System, c, "seat.reclaim", "seat", e.SeatID, nil, after); err != nil {
		return false, err
	}
	return true, tx.AddReclaimed(Reclaimed{SeatID: e.SeatID, RuleID: r.ID, CompanyID: c.ID, UserID: e.UserID, ProductID: e.ProductID,
		Days: r.Days, IdleSince: e.IdleSince, ReclaimedAt: now})
}

// tellManagers mails company managers of rule r's company, once for the
// run, how many seats the rule released and of which products.
func tellManagers(tx Tx, r Rule, done []Entry, now time.Time) error {
	c, err := tx.Company(r.CompanyID)
	if err != nil || !c.Tells(allot.MailReclaimed) {
		return err
	}
	var products []string
	for _, e := range done {
		if !slices.Contains(products, e.Product) {
			products = append(products, e.Product)
		}
	}
	slices.Sort(products)
	if len(products) > 3 {
		products = append(products[:3], "…") // a mail names a product in at most 200 bytes
	}
	managers, err := tx.Users(allot.UserFilter{CompanyID: c.ID, Roles: []allot.Role{allot.RoleCompanyManager}, Limit: allot.MaxLimit})
	if err != nil {
		return err
	}
	m := allot.Mail{Kind: allot.MailReclaimed, RuleID: r.ID, CompanyID: c.ID, Company: c.Name, Product: strings.Join(products, ", "),
		Seats: len(done), EndsAt: now, DueAt: now}
	for _, u := range managers {
		if err := allot.QueueMail(tx, m.To(u), now); err != nil {
			return err
		}
	}
	return nil
}
