package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"allot"
)

// entitlementQuery finds, in one round trip, the user (by ID, or by e-mail
// when $1 is 0), their company, the product, the user's newest seat of it,
// whether they wait for one, and for company managers the end of the
// company's latest live pool of it.
const entitlementQuery = `
SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.partner_id, u.company_id, u.removed_at,
	COALESCE(c.name, ''), COALESCE(c.partner_id, 0), COALESCE(c.suspended, false),
	COALESCE(p.id, 0), COALESCE(p.code, ''), COALESCE(p.name, ''),
	COALESCE(s.id, 0), COALESCE(s.pool_id, 0), COALESCE(s.company_id, 0), COALESCE(s.starts_at, 0), COALESCE(s.ends_at, 0),
	COALESCE(s.created_at, 0), COALESCE(s.released_at, 0), COALESCE(s.release_reason, ''),
	EXISTS (SELECT 1 FROM waiting w WHERE w.user_id = u.id AND w.product_id = p.id),
	CASE WHEN u.role = 'company_manager' THEN COALESCE((SELECT MAX(ends_at) FROM pools
		WHERE company_id = u.company_id AND product_id = p.id AND starts_at <= $4 AND ends_at > $4), 0) ELSE 0 END
FROM users u
LEFT JOIN companies c ON c.id = u.company_id
LEFT JOIN products p ON p.code = $3
LEFT JOIN seats s ON s.id = (SELECT MAX(id) FROM seats WHERE user_id = u.id AND product_id = p.id)
WHERE u.id = $1 OR ($1 = 0 AND u.email = $2)`

// Entitlement answers the entitlement query in one prepared statement.
func (db *DB) Entitlement(ctx context.Context, q allot.EntitlementQuery) (allot.EntitlementFacts, error) {
	var (
		f                                                  allot.EntitlementFacts
		u                                                  = &f.User
		seat                                               allot.Seat
		removed, starts, ends, created, released, poolEnds int64
	)
	err := db.check.QueryRowContext(ctx, q.UserID, q.Email, q.ProductCode, micros(q.Now)).Scan(
		&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Role, &u.PartnerID, &u.CompanyID, &removed,
		&f.Company.Name, &f.Company.PartnerID, &f.Company.Suspended,
		&f.Product.ID, &f.Product.Code, &f.Product.Name,
		&seat.ID, &seat.PoolID, &seat.CompanyID, &starts, &ends, &created, &released, &seat.ReleaseReason,
		&f.Waiting, &poolEnds)
	if errors.Is(err, sql.ErrNoRows) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("entitlement: %w", db.dialect.translate(err))
	}
	f.UserFound, f.ProductFound = true, f.Product.ID != 0
	u.RemovedAt, f.PoolEnds = fromMicros(removed), fromMicros(poolEnds)
	f.Company.ID = u.CompanyID
	if seat.ID != 0 {
		seat.UserID, seat.ProductID = u.ID, f.Product.ID
		seat.StartsAt, seat.EndsAt, seat.CreatedAt = fromMicros(starts), fromMicros(ends), fromMicros(created)
		seat.ReleasedAt = fromMicros(released)
		f.Seat = &seat
	}
	return f, nil
}
