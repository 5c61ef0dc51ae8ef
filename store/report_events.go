package store

import (
	"time"

	"allot/report"
)

// ReportRenewals finds each seat that ended unreleased and was closed when
// its learner was given a new seat of the product, and the first such new
// seat: a renewal. A partial index keeps the closed seats apart.
func (t *tx) ReportRenewals(p report.PeriodParams) ([]time.Time, error) {
	w := reportWhere(p.Where, "o.company_id", "o.product_id", "o.pool_id") // of the closed seats o
	w.add("o.released_at = 0 AND NOT o.held")
	from, to := w.arg(micros(p.From)), w.arg(micros(p.To))
	closed := "seats o"
	if t.d.name == "sqlite" {
		closed += " INDEXED BY seats_closed" // the planner would scan the seats of another partial index
	}
	return times(t, `SELECT r.at FROM (
			SELECT (SELECT MIN(s.created_at) FROM seats s
				WHERE s.user_id = o.user_id AND s.product_id = o.product_id AND s.id > o.id) AS at
			FROM `+closed+` JOIN companies c ON c.id = o.company_id`+w.sql()+`) r
		WHERE r.at >= `+from+` AND r.at < `+to, w.args...)
}

// times runs a query for one column of instants.
func times(t *tx, query string, args ...any) ([]time.Time, error) {
	us, err := column[int64](t, query, args...)
	out := make([]time.Time, len(us))
	for i, u := range us {
		out[i] = fromMicros(u)
	}
	return out, err
}

func (t *tx) ReportInvitations(p report.PeriodParams) ([]report.InvitationFact, error) {
	var w where
	if p.CompanyID != 0 {
		w.add("i.company_id = ?", p.CompanyID)
	}
	if p.PartnerID != 0 {
		w.add("c.partner_id = ?", p.PartnerID)
	}
	if p.ProductID != 0 || p.PoolID != 0 {
		w.add(`EXISTS (SELECT 1 FROM invitation_seats x JOIN seats s ON s.id = x.seat_id
			WHERE x.invitation_id = i.id AND (s.product_id = ? OR ? = 0) AND (s.pool_id = ? OR ? = 0))`,
			p.ProductID, p.ProductID, p.PoolID, p.PoolID)
	}
	w.add("i.created_at >= ? AND i.created_at < ?", micros(p.From), micros(p.To))
	var out []report.InvitationFact
	err := t.list(func(s scanner) error {
		var created, sent, cancelled, login, signedIn int64
		err := s.Scan(&created, &sent, &cancelled, &login, &signedIn)
		out = append(out, report.InvitationFact{CreatedAt: fromMicros(created), SentAt: fromMicros(sent),
			CancelledAt: fromMicros(cancelled), SeenAt: fromMicros(max(login, signedIn))})
		return err
	}, `SELECT i.created_at, i.sent_at, i.cancelled_at, u.last_login_at, u.signed_in_at
		FROM invitations i JOIN companies c ON c.id = i.company_id JOIN users u ON u.id = i.user_id`+w.sql(), w.args...)
	return out, err
}
