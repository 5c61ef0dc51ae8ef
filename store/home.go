package store

import (
	"fmt"

	"allot/report"
)

// The home pages' reads: each part one query, whose window functions count
// every row it selects beside the first few it returns.

// homeScope adds to w the condition of q's scope, over the company c and
// the column that names a company in the table read.
func homeScope(w *where, q report.HomeQuery, companyColumn string) {
	switch {
	case q.CompanyID != 0:
		w.add(companyColumn+" = ?", q.CompanyID)
	case q.PartnerID != 0:
		w.add("c.partner_id = ?", q.PartnerID)
	case q.Direct:
		w.add("c.partner_id = 0")
	}
}

func (t *tx) HomeExpiring(q report.HomeQuery) (report.Expiring, error) {
	var w where
	now := micros(q.Now)
	w.add("p.starts_at <= ? AND p.ends_at > ?", now, now)
	w.add("p.ends_at <= ?", micros(q.Now.Add(report.ExpiringLater)))
	homeScope(&w, q, "p.company_id")
	soon := w.arg(micros(q.Now.Add(report.ExpiringSoon)))
	var (
		out report.Expiring
		l   report.PoolLine
	)
	err := t.list(func(s scanner) error {
		err := scanPool(&l.Pool)(poolLine{s, &l, &out})
		out.Pools = append(out.Pools, l)
		return err
	}, `SELECT p.id, p.order_id, p.company_id, p.product_id, p.quantity, p.used, p.starts_at, p.ends_at, p.expired_at, p.reminded_due,
			c.name, pr.name, pr.code, COUNT(*) OVER (), COUNT(CASE WHEN p.ends_at <= `+soon+` THEN 1 END) OVER ()
		FROM pools p JOIN companies c ON c.id = p.company_id JOIN products pr ON pr.id = p.product_id`+w.sql()+`
		ORDER BY p.ends_at, p.id LIMIT `+w.arg(limit(q.Limit)), w.args...)
	return out, err
}

// poolLine scans a pool's columns, then its line's names and the counts.
type poolLine struct {
	s   scanner
	l   *report.PoolLine
	out *report.Expiring
}

func (p poolLine) Scan(dest ...any) error {
	return p.s.Scan(append(dest, &p.l.Company, &p.l.Product, &p.l.ProductCode, &p.out.In30, &p.out.In7)...)
}

func (t *tx) HomeOrders(q report.OrdersQuery) (report.Orders, error) {
	var w where
	switch {
	case q.CompanyID != 0:
		w.add("o.company_id = ?", q.CompanyID)
	case q.PartnerID != 0:
		w.add("o.partner_id = ?", q.PartnerID)
	case q.Direct:
		w.add("o.partner_id = 0")
	}
	if q.RejectedSince.IsZero() {
		w.add("o.status = 'requested'")
	} else {
		w.add("(o.status = 'requested' OR o.status = 'rejected' AND o.decided_at >= ?)", micros(q.RejectedSince))
	}
	var (
		out report.Orders
		l   report.OrderLine
	)
	err := t.list(func(s scanner) error {
		err := scanOrder(&l.Order)(extra{s, []any{&l.Company, &l.Product, &out.Requested, &out.Rejected}})
		out.Lines = append(out.Lines, l)
		return err
	}, `SELECT `+orderColumns+`, c.name, pr.name,
			COUNT(CASE WHEN o.status = 'requested' THEN 1 END) OVER (), COUNT(CASE WHEN o.status = 'rejected' THEN 1 END) OVER ()
		FROM orders o JOIN companies c ON c.id = o.company_id JOIN products pr ON pr.id = o.product_id`+w.sql()+`
		ORDER BY o.requested_at, o.id LIMIT `+w.arg(limit(q.Limit)), w.args...)
	return out, err
}

// extra scans a row's usual columns, then more.
type extra struct {
	s    scanner
	more []any
}

func (e extra) Scan(dest ...any) error { return e.s.Scan(append(dest, e.more...)...) }

// HomeUse sums the live pools by company and product once (u), then
// takes the first lines of each band with a count of the band: a window
// over every group would sort them all.
func (t *tx) HomeUse(q report.HomeQuery) (report.Use, error) {
	var w where
	now := micros(q.Now)
	w.add("p.starts_at <= ? AND p.ends_at > ?", now, now)
	homeScope(&w, q, "p.company_id")
	lim := w.arg(limit(q.Limit))
	band := func(name, cond, ord string) string {
		return `SELECT * FROM (SELECT '` + name + `' AS band, (SELECT COUNT(*) FROM u WHERE ` + cond + `) AS n, u.*, ` + ord + ` AS ord
			FROM u WHERE ` + cond + ` ORDER BY ord, u.company_id, u.product_id LIMIT ` + lim + `) AS ` + name
	}
	var (
		out report.Use
		l   report.UseLine
		b   string
		n   int
		ord float64
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&b, &n, &l.CompanyID, &l.Company, &l.ProductID, &l.Product, &l.ProductCode, &l.Quantity, &l.Used, &ord)
		if b == "high" {
			out.High, out.HighLines = n, append(out.HighLines, l)
		} else {
			out.Low, out.LowLines = n, append(out.LowLines, l)
		}
		return err
	}, `WITH u AS MATERIALIZED (
			SELECT p.company_id, p.product_id, SUM(p.quantity) AS quantity, SUM(p.used) AS used
			FROM pools p JOIN companies c ON c.id = p.company_id`+w.sql()+`
			GROUP BY p.company_id, p.product_id
		), r AS (
			`+band("high", fmt.Sprintf("u.used * 100 >= u.quantity * %d", report.HighUse), "(u.quantity - u.used) * 1.0 / u.quantity")+`
			UNION ALL
			`+band("low", fmt.Sprintf("u.used * 100 <= u.quantity * %d", report.LowUse), "u.used * 1.0 / u.quantity")+`
		)
		SELECT r.band, r.n, r.company_id, c.name, r.product_id, pr.name, pr.code, r.quantity, r.used, r.ord
		FROM r JOIN companies c ON c.id = r.company_id JOIN products pr ON pr.id = r.product_id
		ORDER BY r.band, r.ord, r.company_id, r.product_id`, w.args...)
	return out, err
}

func (t *tx) HomeWaiting(q report.HomeQuery) (report.Tally, error) {
	var w where
	homeScope(&w, q, "wt.company_id")
	return t.tally(`SELECT x.company_id, c.name, x.product_id, pr.name, pr.code, x.n, x.total
		FROM (SELECT wt.company_id, wt.product_id, COUNT(*) AS n, CAST(SUM(COUNT(*)) OVER () AS BIGINT) AS total
			FROM waiting wt JOIN companies c ON c.id = wt.company_id`+w.sql()+`
			GROUP BY wt.company_id, wt.product_id
			ORDER BY n DESC, wt.company_id, wt.product_id LIMIT `+w.arg(limit(q.Limit))+`) AS x
		JOIN companies c ON c.id = x.company_id JOIN products pr ON pr.id = x.product_id
		ORDER BY x.n DESC, x.company_id, x.product_id`, w.args...)
}

// HomeExpired counts, for each company and product, the learners whose
// newest seat of it ended unreleased: seats_expired finds the seats that
// ended by company, seats_user tells
// whether a newer one was given; the names are joined to the first lines
// alone.
func (t *tx) HomeExpired(q report.HomeQuery) (report.Tally, error) {
	var w where
	w.add("s.released_at = 0 AND s.ends_at <= ?", micros(q.Now))
	switch {
	case q.CompanyID != 0:
		w.add("s.company_id = ?", q.CompanyID)
	case q.PartnerID != 0:
		w.add("s.company_id IN (SELECT id FROM companies WHERE partner_id = ?)", q.PartnerID)
	case q.Direct:
		w.add("s.company_id IN (SELECT id FROM companies WHERE partner_id = 0)")
	}
	w.add(`NOT EXISTS (SELECT 1 FROM seats n WHERE n.user_id = s.user_id AND n.product_id = s.product_id AND n.id > s.id)
		AND EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id AND u.company_id = s.company_id AND u.role = 'learner' AND u.removed_at = 0)`)
	return t.tally(`SELECT x.company_id, c.name, x.product_id, pr.name, pr.code, x.n, x.total
		FROM (SELECT s.company_id, s.product_id, COUNT(*) AS n, CAST(SUM(COUNT(*)) OVER () AS BIGINT) AS total
			FROM seats s`+w.sql()+`
			GROUP BY s.company_id, s.product_id
			ORDER BY n DESC, s.company_id, s.product_id LIMIT `+w.arg(limit(q.Limit))+`) AS x
		JOIN companies c ON c.id = x.company_id JOIN products pr ON pr.id = x.product_id
		ORDER BY x.n DESC, x.company_id, x.product_id`, w.args...)
}

// tally reads the lines of a count of learners by company and product,
// each row ending with the count of all.
func (t *tx) tally(query string, args ...any) (report.Tally, error) {
	var (
		out report.Tally
		l   report.TallyLine
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&l.CompanyID, &l.Company, &l.ProductID, &l.Product, &l.ProductCode, &l.Learners, &out.Learners)
		out.Lines = append(out.Lines, l)
		return err
	}, query, args...)
	return out, err
}
