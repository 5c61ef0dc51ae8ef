package store

import (
	"allot"
	"context"
	"fmt"

	"allot/reclaim"
)

// Reclaim returns the store of package reclaim: its transactions are the ledger's
// with the reclaim package's tables and reads beside it, over the same database.
func (db *DB) Reclaim() reclaim.Store { return reclaimStore{db} }

// reclaimStore is a DB as package reclaim's Store.
type reclaimStore struct{ db *DB }

var _ reclaim.Store = reclaimStore{}

func (s reclaimStore) Write(ctx context.Context, fn func(reclaim.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s reclaimStore) Read(ctx context.Context, fn func(reclaim.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

// ruleColumns are a reclaim rule's columns, as r, with its product as p.
const ruleColumns = `r.id, r.company_id, r.product_id, COALESCE(p.code, ''), COALESCE(p.name, ''), r.days, r.warn_days,
	r.enabled, r.changed_by, r.changed_at, r.created_at`

func scanRule(s scanner) (reclaim.Rule, error) {
	var r reclaim.Rule
	var changed, created int64
	err := s.Scan(&r.ID, &r.CompanyID, &r.ProductID, &r.ProductCode, &r.Product, &r.Days, &r.WarnDays,
		&r.Enabled, &r.ChangedBy, &changed, &created)
	r.ChangedAt, r.CreatedAt = fromMicros(changed), fromMicros(created)
	return r, err
}

func (t *tx) rules(query string, args ...any) ([]reclaim.Rule, error) {
	var out []reclaim.Rule
	err := t.list(func(s scanner) error {
		r, err := scanRule(s)
		out = append(out, r)
		return err
	}, `SELECT `+ruleColumns+` FROM reclaim_rules r LEFT JOIN products p ON p.id = r.product_id `+query, args...)
	return out, err
}

func (t *tx) ReclaimRules(companyID int64) ([]reclaim.Rule, error) {
	return t.rules(`WHERE r.company_id = $1 ORDER BY r.product_id <> 0, COALESCE(p.name, ''), r.id`, companyID)
}

func (t *tx) EnabledReclaimRules(afterID int64, limit int) ([]reclaim.Rule, error) {
	return t.rules(fmt.Sprintf(`WHERE r.enabled AND r.id > $1 ORDER BY r.id LIMIT %d`, limit), afterID)
}

func (t *tx) PutReclaimRule(r *reclaim.Rule) error {
	var created int64
	err := t.tx.QueryRowContext(t.ctx, `INSERT INTO reclaim_rules
		(company_id, product_id, days, warn_days, enabled, changed_by, changed_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
		ON CONFLICT (company_id, product_id) DO UPDATE SET days = excluded.days, warn_days = excluded.warn_days,
			enabled = excluded.enabled, changed_by = excluded.changed_by, changed_at = excluded.changed_at
		RETURNING id, created_at`,
		r.CompanyID, r.ProductID, r.Days, r.WarnDays, r.Enabled, r.ChangedBy, micros(r.ChangedAt)).Scan(&r.ID, &created)
	r.CreatedAt = fromMicros(created)
	return t.d.translate(err)
}

func (t *tx) DeleteReclaimRule(companyID, id int64) error {
	if err := t.execOne(allot.NotFound("reclaim rule"), `DELETE FROM reclaim_rules WHERE id = $1 AND company_id = $2`, id, companyID); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM reclaim_warnings WHERE rule_id = $1`, id)
	return err
}

// Candidates reads the rule's live seats of idle learners. An idle period
// starts at the latest of three instants, so a seat is idle since
// IdleBefore when each of them is at or before it; the rule's warning is
// of the current period when it is at or after each (a period's start only
// moves on).
func (t *tx) Candidates(q reclaim.CandidateQuery) ([]reclaim.Candidate, error) {
	var w where
	rule := w.arg(q.Rule.ID)
	w.add("s.company_id = ?", q.Rule.CompanyID)
	w.add("s.held AND s.released_at = 0 AND s.ends_at > ?", micros(q.Now))
	cut := micros(q.IdleBefore)
	w.add("u.last_login_at <= ? AND s.starts_at <= ? AND s.created_at <= ?", cut, cut, cut)
	w.add("s.id > ?", q.AfterID)
	if q.Rule.ProductID != 0 {
		w.add("s.product_id = ?", q.Rule.ProductID)
	} else {
		w.add("s.product_id NOT IN (SELECT product_id FROM reclaim_rules WHERE company_id = ? AND product_id <> 0)", q.Rule.CompanyID)
	}
	var out []reclaim.Candidate
	err := t.list(func(s scanner) error {
		var c reclaim.Candidate
		var first, last string
		var login, starts, ends, created, warned, reclaimAt int64
		err := s.Scan(&c.SeatID, &c.PoolID, &c.ProductID, &c.Product, &c.UserID, &c.Email, &first, &last, &login,
			&starts, &ends, &created, &warned, &reclaimAt)
		c.Name = allot.User{Email: c.Email, FirstName: first, LastName: last}.Name()
		c.LastLoginAt, c.StartsAt, c.EndsAt, c.CreatedAt = fromMicros(login), fromMicros(starts), fromMicros(ends), fromMicros(created)
		c.WarnedAt, c.ReclaimAt = fromMicros(warned), fromMicros(reclaimAt)
		out = append(out, c)
		return err
	}, `SELECT s.id, s.pool_id, s.product_id, p.name, u.id, u.email, u.first_name, u.last_name, u.last_login_at,
		s.starts_at, s.ends_at, s.created_at, COALESCE(w.warned_at, 0), COALESCE(w.reclaim_at, 0)
		FROM seats s JOIN users u ON u.id = s.user_id AND u.role = 'learner' AND u.removed_at = 0 AND NOT u.pending
		JOIN products p ON p.id = s.product_id
		LEFT JOIN reclaim_warnings w ON w.seat_id = s.id AND w.rule_id = `+rule+`
			AND w.since >= u.last_login_at AND w.since >= s.starts_at AND w.since >= s.created_at`+
		w.sql()+fmt.Sprintf(` ORDER BY s.id LIMIT %d`, q.Limit), w.args...)
	return out, err
}

func (t *tx) AddWarning(w reclaim.Warning) (bool, error) {
	err := t.execOne(errNone, `INSERT INTO reclaim_warnings (rule_id, seat_id, since, company_id, user_id, warned_at, reclaim_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (rule_id, seat_id, since) DO NOTHING`,
		w.RuleID, w.SeatID, micros(w.Since), w.CompanyID, w.UserID, micros(w.WarnedAt), micros(w.ReclaimAt))
	if err == errNone {
		return false, nil
	}
	return err == nil, err
}

func (t *tx) AddReclaimed(r reclaim.Reclaimed) error {
	_, err := t.exec(`INSERT INTO reclaim_history (seat_id, rule_id, company_id, user_id, product_id, days, idle_since, reclaimed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		r.SeatID, r.RuleID, r.CompanyID, r.UserID, r.ProductID, r.Days, micros(r.IdleSince), micros(r.ReclaimedAt))
	return err
}

func (t *tx) Reclaimed(companyID int64, limit int) ([]reclaim.Reclaimed, error) {
	var out []reclaim.Reclaimed
	err := t.list(func(s scanner) error {
		var r reclaim.Reclaimed
		var idle, at int64
		err := s.Scan(&r.SeatID, &r.RuleID, &r.CompanyID, &r.UserID, &r.Email, &r.ProductID, &r.Product, &r.Days, &idle, &at)
		r.IdleSince, r.ReclaimedAt = fromMicros(idle), fromMicros(at)
		out = append(out, r)
		return err
	}, `SELECT h.seat_id, h.rule_id, h.company_id, h.user_id, COALESCE(u.email, ''), h.product_id, COALESCE(p.name, ''),
		h.days, h.idle_since, h.reclaimed_at
		FROM reclaim_history h LEFT JOIN users u ON u.id = h.user_id LEFT JOIN products p ON p.id = h.product_id
		WHERE h.company_id = $1 ORDER BY h.reclaimed_at DESC, h.seat_id DESC`+fmt.Sprintf(` LIMIT %d`, limit), companyID)
	return out, err
}
