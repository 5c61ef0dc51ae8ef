package store

import (
	"allot"
	"allot/report"
)

// ReportCandidates reads the seats company by company, in the order of the
// seats_company index, and stops at the limit: no sort of every candidate.
func (t *tx) ReportCandidates(p report.CandidateParams) ([]report.Candidate, error) {
	w := reportWhere(p.Where, "c.id", "s.product_id", "s.pool_id") // of the seats s
	now := micros(p.Now)
	w.add("p.starts_at <= ? AND p.ends_at > ?", now, now)
	w.add("s.released_at = 0 AND u.last_login_at < ?", micros(p.Before))
	var out []report.Candidate
	err := t.list(func(s scanner) error {
		var (
			c                 report.Candidate
			first, last       string
			ends, since, seen int64
		)
		err := s.Scan(&c.SeatID, &c.UserID, &c.Email, &first, &last, &c.CompanyID, &c.CompanyName, &c.ProductName,
			&c.PoolID, &ends, &since, &seen)
		c.Name = allot.User{Email: c.Email, FirstName: first, LastName: last}.Name()
		c.PoolEndsAt, c.SeatSince, c.LastLoginAt = fromMicros(ends), fromMicros(since), fromMicros(seen)
		out = append(out, c)
		return err
	}, `SELECT s.id, u.id, u.email, u.first_name, u.last_name, c.id, c.name, pr.name, p.id, p.ends_at, s.starts_at,
			u.last_login_at
		FROM companies c CROSS JOIN seats s CROSS JOIN pools p CROSS JOIN users u CROSS JOIN products pr`+w.sql()+`
			AND s.company_id = c.id AND p.id = s.pool_id AND u.id = s.user_id AND pr.id = s.product_id
		ORDER BY c.id, s.id LIMIT `+w.arg(allot.ClampLimit(p.Limit)), w.args...)
	return out, err
}
