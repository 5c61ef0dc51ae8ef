package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"allot"
)

// entitlementQuery finds, in one round trip, what the decision reads of the
// user ($1 is their ID or e-mail, as the WHERE clause appended says), their
// company, the product ($2), the user's newest seat of it, whether they wait
// for one, and for company managers the end of the company's latest pool of
// it live at $3. Each look-up is one index search: users by e-mail through
// an index that covers every column read here.
const entitlementQuery = `
SELECT u.id, u.email, u.role, u.company_id, u.removed_at,
	COALESCE(c.name, ''), COALESCE(c.partner_id, 0), COALESCE(c.suspended, false),
	COALESCE(p.id, 0), COALESCE(p.code, ''), COALESCE(p.name, ''),
	COALESCE(s.id, 0), COALESCE(s.pool_id, 0), COALESCE(s.starts_at, 0), COALESCE(s.ends_at, 0),
	COALESCE(s.released_at, 0), COALESCE(s.release_reason, ''),
	EXISTS (SELECT 1 FROM waiting w WHERE w.user_id = u.id AND w.product_id = p.id),
	CASE WHEN u.role = 'company_manager' THEN COALESCE((SELECT MAX(ends_at) FROM pools
		WHERE company_id = u.company_id AND product_id = p.id AND starts_at <= $3 AND ends_at > $3), 0) ELSE 0 END
FROM users u
LEFT JOIN companies c ON c.id = u.company_id
LEFT JOIN products p ON p.code = $2
LEFT JOIN seats s ON s.id = (SELECT MAX(id) FROM seats WHERE user_id = u.id AND product_id = p.id)
WHERE `

// Entitlement answers the entitlement query in one prepared statement. The
// hot-path look-ups run to their end even when the caller goes away: they
// are short, and a context that cannot be cancelled spares database/sql and
// the driver a goroutine each.
func (db *DB) Entitlement(ctx context.Context, q allot.EntitlementQuery) (allot.EntitlementFacts, error) {
	var (
		f                                         allot.EntitlementFacts
		u                                         = &f.User
		seat                                      allot.Seat
		removed, starts, ends, released, poolEnds int64
	)
	stmt, key := db.checkByEmail, any(q.Email)
	if q.UserID != 0 {
		stmt, key = db.checkByID, q.UserID
	}
	err := stmt.QueryRowContext(context.WithoutCancel(ctx), key, q.ProductCode, micros(q.Now)).Scan(
		&u.ID, &u.Email, &u.Role, &u.CompanyID, &removed,
		&f.Company.Name, &f.Company.PartnerID, &f.Company.Suspended,
		&f.Product.ID, &f.Product.Code, &f.Product.Name,
		&seat.ID, &seat.PoolID, &starts, &ends, &released, &seat.ReleaseReason,
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
		seat.UserID, seat.CompanyID, seat.ProductID = u.ID, u.CompanyID, f.Product.ID
		seat.StartsAt, seat.EndsAt, seat.ReleasedAt = fromMicros(starts), fromMicros(ends), fromMicros(released)
		f.Seat = &seat
	}
	return f, nil
}

const contactsQuery = `
SELECT * FROM (SELECT id, email, first_name, last_name, role FROM users
	WHERE company_id = $1 AND $1 <> 0 AND role = 'company_manager' AND removed_at = 0 ORDER BY id LIMIT 2) AS c
UNION ALL
SELECT * FROM (SELECT id, email, first_name, last_name, role FROM users
	WHERE partner_id = $2 AND $2 <> 0 AND role = 'partner_manager' AND removed_at = 0 ORDER BY id LIMIT 2) AS p
UNION ALL
SELECT * FROM (SELECT id, email, first_name, last_name, role FROM users
	WHERE company_id = 0 AND role = 'vendor_admin' AND removed_at = 0 ORDER BY id LIMIT 2) AS v`

// Contacts returns whom a refused user may ask, in one prepared statement.
func (db *DB) Contacts(ctx context.Context, companyID, partnerID int64) ([]allot.User, error) {
	rows, err := db.contacts.QueryContext(context.WithoutCancel(ctx), companyID, partnerID)
	if err != nil {
		return nil, fmt.Errorf("contacts: %w", db.dialect.translate(err))
	}
	defer rows.Close()
	var out []allot.User
	for rows.Next() {
		var u allot.User
		if err := rows.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Role); err != nil {
			return nil, fmt.Errorf("contacts: %w", err)
		}
		out = append(out, u)
	}
	return out, db.dialect.translate(rows.Err())
}
