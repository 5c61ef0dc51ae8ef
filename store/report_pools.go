package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"allot/report"
)

// reportWhere returns the conditions of w on companies c and on the table
// whose columns of company, product and pool are named so.
func reportWhere(w report.Where, company, product, pool string) *where {
	var out where
	if w.CompanyID != 0 {
		out.add(company+" = ?", w.CompanyID)
	}
	if w.PartnerID != 0 {
		out.add("c.partner_id = ?", w.PartnerID)
	}
	if w.ProductID != 0 {
		out.add(product+" = ?", w.ProductID)
	}
	if w.PoolID != 0 {
		out.add(pool+" = ?", w.PoolID)
	}
	return &out
}

// poolWhere returns the conditions of p on pools p and companies c.
func poolWhere(p report.PoolParams) *where {
	w := reportWhere(p.Where, "p.company_id", "p.product_id", "p.id")
	if !p.LiveAt.IsZero() {
		at := micros(p.LiveAt)
		w.add("p.starts_at <= ? AND p.ends_at > ?", at, at)
	}
	if !p.EndsFrom.IsZero() {
		w.add("p.ends_at >= ?", micros(p.EndsFrom))
	}
	if !p.EndsBefore.IsZero() {
		w.add("p.ends_at < ?", micros(p.EndsBefore))
	}
	return w
}

func (t *tx) ReportPools(p report.PoolParams) ([]report.PoolUse, error) {
	if len(p.Since) > 4 {
		return nil, fmt.Errorf("report pools: %d instants to count logins from, at most 4", len(p.Since))
	}
	var out []report.PoolUse
	w := poolWhere(p)
	err := t.list(func(s scanner) error {
		var (
			u            report.PoolUse
			starts, ends int64
		)
		err := s.Scan(&u.PoolID, &u.CompanyID, &u.CompanyName, &u.PartnerID, &u.PartnerName, &u.ProductName,
			&u.Quantity, &u.Used, &starts, &ends)
		u.StartsAt, u.EndsAt, u.Since = fromMicros(starts), fromMicros(ends), make([]int, len(p.Since))
		out = append(out, u)
		return err
	}, `SELECT p.id, p.company_id, c.name, c.partner_id, COALESCE(pt.name, ''), pr.name, p.quantity, p.used,
			p.starts_at, p.ends_at
		FROM pools p JOIN companies c ON c.id = p.company_id JOIN products pr ON pr.id = p.product_id
			LEFT JOIN partners pt ON pt.id = c.partner_id`+w.sql()+`
		ORDER BY COALESCE(pt.name, ''), c.partner_id, c.name, c.id, p.ends_at, p.id`, w.args...)
	if err != nil || len(out) == 0 || p.LiveAt.IsZero() {
		return out, err
	}
	return out, t.reportLogins(p, out)
}

// reportLogins counts into pools how many of their held seats have a
// learner who logged in since each of p.Since, and ever when p.Ever is
// set: without it, only the logins since the earliest are read. For a partner's
// customers, one company or one pool it reads their seats; for everyone,
// the learners who ever logged in, which the index on the last login
// finds, and their seats, which seats_login finds without reading them.
func (t *tx) reportLogins(p report.PoolParams, pools []report.PoolUse) error {
	w := poolWhere(p)
	w.add("s.released_at = 0")
	if !p.Ever && len(p.Since) > 0 {
		w.add("u.last_login_at >= ?", micros(slices.MinFunc(p.Since, time.Time.Compare)))
	} else {
		w.add("u.last_login_at > 0")
	}
	cols := make([]string, len(p.Since))
	for i, at := range p.Since {
		cols[i] = ", SUM(CASE WHEN u.last_login_at >= " + w.arg(micros(at)) + " THEN 1 ELSE 0 END)"
	}
	from, join := `users u CROSS JOIN seats s CROSS JOIN pools p`, ""
	if p.CompanyID != 0 || p.PoolID != 0 || p.PartnerID != 0 {
		from, join = `companies c CROSS JOIN pools p CROSS JOIN seats s CROSS JOIN users u`, ` AND c.id = p.company_id`
	}
	at := make(map[int64]int, len(pools))
	for i, u := range pools {
		at[u.PoolID] = i
	}
	return t.list(func(s scanner) error {
		var id int64
		var logged int
		since := make([]int, len(p.Since))
		dest := []any{&id, &logged}
		for i := range since {
			dest = append(dest, &since[i])
		}
		if err := s.Scan(dest...); err != nil {
			return err
		}
		if i, ok := at[id]; ok {
			pools[i].Since = since
			if p.Ever {
				pools[i].LoggedIn = logged
			}
		}
		return nil
	}, `SELECT s.pool_id, COUNT(*)`+strings.Join(cols, "")+` FROM `+from+w.sql()+
		` AND s.user_id = u.id AND p.id = s.pool_id`+join+` GROUP BY s.pool_id`, w.args...)
}
