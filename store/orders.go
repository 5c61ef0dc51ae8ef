package store

import (
	"allot"
)

func (t *tx) CreateOrder(o *allot.Order) error {
	return t.insert(&o.ID, `INSERT INTO orders (company_id, partner_id, product_id, quantity, po_ref, note, term_months, term_days,
			status, requested_by, requested_at, decided_by, decided_at, reason, search)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
		o.CompanyID, o.PartnerID, o.ProductID, o.Quantity, o.PORef, o.Note, o.TermMonths, o.TermDays,
		string(o.Status), o.RequestedBy, micros(o.RequestedAt), o.DecidedBy, micros(o.DecidedAt), o.Reason,
		searchText(o.PORef, o.Note))
}

func (t *tx) DecideOrder(o allot.Order) error {
	return t.execOne(allot.Errorf(allot.ECONFLICT, "order %d is no longer requested", o.ID),
		`UPDATE orders SET status = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE id = $1 AND status = 'requested'`,
		o.ID, string(o.Status), o.DecidedBy, micros(o.DecidedAt), o.Reason)
}

const orderColumns = `o.id, o.company_id, o.partner_id, o.product_id, o.quantity, o.po_ref, o.note, o.term_months, o.term_days,
	o.status, o.requested_by, o.requested_at, o.decided_by, o.decided_at, o.reason`

func scanOrder(o *allot.Order) func(scanner) error {
	return func(s scanner) error {
		var requested, decided int64
		err := s.Scan(&o.ID, &o.CompanyID, &o.PartnerID, &o.ProductID, &o.Quantity, &o.PORef, &o.Note, &o.TermMonths, &o.TermDays,
			&o.Status, &o.RequestedBy, &requested, &o.DecidedBy, &decided, &o.Reason)
		o.RequestedAt, o.DecidedAt = fromMicros(requested), fromMicros(decided)
		return err
	}
}

func (t *tx) Order(id int64) (allot.Order, error) {
	var o allot.Order
	err := t.get("order", scanOrder(&o), `SELECT `+orderColumns+` FROM orders o WHERE o.id = $1`, id)
	return o, err
}

func (t *tx) Orders(f allot.OrderFilter) ([]allot.Order, error) {
	w := orderWhere(f)
	if len(f.Statuses) > 0 {
		whereIn(&w, "o.status", f.Statuses)
	}
	order := " ORDER BY o.id DESC"
	if f.Oldest {
		order = " ORDER BY o.id"
	}
	if f.AfterID != 0 && f.Oldest {
		w.add("o.id > ?", f.AfterID)
	} else if f.AfterID != 0 {
		w.add("o.id < ?", f.AfterID)
	}
	var (
		out []allot.Order
		o   allot.Order
	)
	err := t.list(func(s scanner) error {
		err := scanOrder(&o)(s)
		out = append(out, o)
		return err
	}, `SELECT `+orderColumns+` FROM orders o`+w.sql()+order+` LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

// orderWhere returns the conditions of f but its statuses and paging.
func orderWhere(f allot.OrderFilter) where {
	var w where
	if f.CompanyID != 0 {
		w.add("o.company_id = ?", f.CompanyID)
	}
	if f.PartnerID != 0 {
		w.add("o.partner_id = ?", f.PartnerID)
	}
	if f.ProductID != 0 {
		w.add("o.product_id = ?", f.ProductID)
	}
	if f.PORef != "" {
		w.add("o.po_ref = ?", f.PORef)
	}
	if f.RequestedBy != 0 {
		w.add("o.requested_by = ?", f.RequestedBy)
	}
	if !f.From.IsZero() {
		w.add("o.requested_at >= ?", micros(f.From))
	}
	if !f.To.IsZero() {
		w.add("o.requested_at < ?", micros(f.To))
	}
	if f.Text != "" {
		p := likePattern(f.Text)
		w.add(`(o.search LIKE ? ESCAPE '\'
			OR EXISTS (SELECT 1 FROM companies c WHERE c.id = o.company_id AND c.search LIKE ? ESCAPE '\'))`, p, p)
	}
	return w
}
