package store

import (
	"allot/report"
)

// renewing is the condition on orders o that renew pool p, as
// report.PipelineLine states the rule: another order of the pool's company
// and product, requested after the pool started.
const renewing = `o.company_id = p.company_id AND o.product_id = p.product_id AND o.id <> p.order_id AND o.requested_at > p.starts_at`

// RenewalPipeline reads the pools ending within the pipeline's reach with
// the seats of the orders that renew each, summed by correlated subqueries
// over orders_company.
func (t *tx) RenewalPipeline(q report.PipelineQuery) ([]report.PipelineLine, int, error) {
	var w where
	now := micros(q.Now)
	w.add("p.starts_at <= ? AND p.ends_at > ? AND p.ends_at <= ?", now, now, micros(q.Until))
	switch {
	case q.PartnerID != 0:
		w.add("c.partner_id = ?", q.PartnerID)
	case q.Direct:
		w.add("c.partner_id = 0")
	}
	var (
		out   []report.PipelineLine
		l     report.PipelineLine
		total int
	)
	err := t.list(func(s scanner) error {
		err := scanPool(&l.Pool)(extra{s, []any{&l.Company, &l.Product, &l.ProductCode, &l.PartnerID, &l.Partner,
			&l.Requested, &l.Assigned, &l.OrderID, &total}})
		out = append(out, l)
		return err
	}, `SELECT p.id, p.order_id, p.company_id, p.product_id, p.quantity, p.used, p.starts_at, p.ends_at, p.expired_at, p.reminded_due,
			c.name, pr.name, pr.code, c.partner_id, COALESCE(pt.name, ''),
			(SELECT COALESCE(SUM(o.quantity), 0) FROM orders o WHERE `+renewing+` AND o.status = 'requested'),
			(SELECT COALESCE(SUM(o.quantity), 0) FROM orders o WHERE `+renewing+` AND o.status = 'assigned'),
			(SELECT COALESCE(MIN(o.id), 0) FROM orders o WHERE `+renewing+` AND o.status = 'requested'),
			COUNT(*) OVER ()
		FROM pools p JOIN companies c ON c.id = p.company_id JOIN products pr ON pr.id = p.product_id
			LEFT JOIN partners pt ON pt.id = c.partner_id`+w.sql()+`
		ORDER BY p.ends_at, p.id LIMIT `+w.arg(limit(q.Limit))+` OFFSET `+w.arg(q.Offset), w.args...)
	return out, total, err
}
