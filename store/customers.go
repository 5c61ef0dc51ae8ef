package store

import "allot"

// companyOrder adds to w the paging of f and returns its ORDER BY: by name
// then ID, or by ID, either way up or down.
func companyOrder(w *where, f allot.CompanyFilter) string {
	dir, after := "", ">"
	if f.Desc {
		dir, after = " DESC", "<"
	}
	if f.ByCreation {
		if f.AfterID != 0 {
			w.add("id "+after+" ?", f.AfterID)
		}
		return " ORDER BY id" + dir
	}
	if f.AfterID != 0 {
		w.add("(name, id) "+after+" ((SELECT name FROM companies WHERE id = ?), ?)", f.AfterID, f.AfterID)
	}
	return " ORDER BY name" + dir + ", id" + dir
}

func (t *tx) CountCompanies(f allot.CompanyFilter) (int, error) {
	w := companyWhere(f)
	return t.count(`SELECT COUNT(*) FROM companies`+w.sql(), w.args...)
}

func (t *tx) CountOrders(f allot.OrderFilter) ([]allot.OrderCount, error) {
	w := orderWhere(f)
	if len(f.Statuses) > 0 {
		whereIn(&w, "o.status", f.Statuses)
	}
	var (
		out []allot.OrderCount
		n   allot.OrderCount
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&n.Status, &n.ProductID, &n.Orders, &n.Seats)
		out = append(out, n)
		return err
	}, `SELECT o.status, o.product_id, COUNT(*), CAST(SUM(o.quantity) AS BIGINT) FROM orders o`+w.sql()+`
		GROUP BY o.status, o.product_id ORDER BY o.status, o.product_id`, w.args...)
	return out, err
}

// CustomerCounts counts, for the companies in one statement, their requested
// orders, their learners whose newest seat of a product ended unreleased
// (as ExpiredLearners finds them) and their waiting learners, each by
// company and product.
func (t *tx) CustomerCounts(p allot.CustomerCountsParams) ([]allot.CustomerCount, error) {
	companies, arg := t.d.ids("$1", p.CompanyIDs)
	var (
		out []allot.CustomerCount
		n   allot.CustomerCount
	)
	err := t.list(func(s scanner) error {
		err := s.Scan(&n.CompanyID, &n.ProductID, &n.Pending, &n.PendingSeats, &n.Expired, &n.Waiting)
		out = append(out, n)
		return err
	}, `SELECT company_id, product_id, CAST(SUM(pending) AS BIGINT), CAST(SUM(pending_seats) AS BIGINT),
			CAST(SUM(expired) AS BIGINT), CAST(SUM(waiting) AS BIGINT)
		FROM (
			SELECT o.company_id, o.product_id, 1 AS pending, o.quantity AS pending_seats, 0 AS expired, 0 AS waiting
			FROM orders o WHERE o.status = 'requested' AND o.company_id IN (SELECT id FROM `+companies+` l)
			UNION ALL
			SELECT u.company_id, s.product_id, 0, 0, 1, 0
			FROM seats s JOIN users u ON u.id = s.user_id
			WHERE s.company_id IN (SELECT id FROM `+companies+` l) AND u.company_id = s.company_id
				AND u.role = 'learner' AND u.removed_at = 0 AND s.released_at = 0 AND s.ends_at <= $2
				AND s.id = (SELECT MAX(id) FROM seats WHERE user_id = s.user_id AND product_id = s.product_id)
			UNION ALL
			SELECT w.company_id, w.product_id, 0, 0, 0, 1
			FROM waiting w JOIN users u ON u.id = w.user_id
			WHERE w.company_id IN (SELECT id FROM `+companies+` l) AND u.removed_at = 0
		) counts
		GROUP BY company_id, product_id ORDER BY company_id, product_id`, arg, micros(p.Now))
	return out, err
}

// count runs a query for one number.
func (t *tx) count(query string, args ...any) (int, error) {
	var n int
	err := t.get("count", func(s scanner) error { return s.Scan(&n) }, query, args...)
	return n, err
}
