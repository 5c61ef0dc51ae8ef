package store

import (
	"context"
	"fmt"
	"time"

	"allot"
)

// entitlementQuery finds, in one round trip, what the decision reads of the
// user (found by the condition where on u, with $1 their ID or e-mail),
// their company, the product ($2), the user's newest seat of it, whether
// they wait for one, and for company managers the end of the company's
// latest pool of it live at $3. Each look-up is one index search; users is
// the users table as the dialect names it, so that a search by e-mail reads
// an index that covers every column read here.
func entitlementQuery(users, where string) string {
	return `
SELECT u.id, u.email, u.role, u.company_id, u.removed_at,
	COALESCE(c.name, ''), COALESCE(c.partner_id, 0), COALESCE(c.suspended, false),
	COALESCE(p.id, 0), COALESCE(p.code, ''), COALESCE(p.name, ''),
	COALESCE(s.id, 0), COALESCE(s.starts_at, 0), COALESCE(s.ends_at, 0), COALESCE(s.released_at, 0),
	EXISTS (SELECT 1 FROM waiting w WHERE w.user_id = u.id AND w.product_id = p.id),
	CASE WHEN u.role = 'company_manager' THEN COALESCE((SELECT MAX(ends_at) FROM pools
		WHERE company_id = u.company_id AND product_id = p.id AND starts_at <= $3 AND ends_at > $3), 0) ELSE 0 END
FROM ` + users + `
LEFT JOIN companies c ON c.id = u.company_id
LEFT JOIN products p ON p.code = $2
LEFT JOIN seats s ON s.id = (SELECT MAX(id) FROM seats WHERE user_id = u.id AND product_id = p.id)
WHERE ` + where
}

// entitlementColumns is how many columns the entitlement query returns.
const entitlementColumns = 17

// checker runs the entitlement query on the check's own connections: on
// SQLite through its C interface (checkConns), on PostgreSQL through pgx
// (pgChecks). Both read the one row they expect directly into the facts.
type checker interface {
	// entitlement runs the query by user ID or by e-mail, args being the
	// values of $1, $2 and $3. An unknown user is no row: facts whose
	// UserFound is false.
	entitlement(byID bool, args []any) (allot.EntitlementFacts, error)
	Close() error
}

// Entitlement answers the entitlement query in one prepared statement, on
// the check's own connections. The look-ups run to their end even when the
// caller goes away: they are short, and not watching a context spares the
// drivers a little work on every check.
func (db *DB) Entitlement(ctx context.Context, q allot.EntitlementQuery) (allot.EntitlementFacts, error) {
	byID, key := q.UserID != 0, any(q.Email)
	if byID {
		key = q.UserID
	}
	f, err := db.checks.entitlement(byID, []any{key, q.ProductCode, micros(q.Now)})
	if err != nil {
		return allot.EntitlementFacts{}, fmt.Errorf("entitlement: %w", db.dialect.translate(err))
	}
	return f, nil
}

// row is a row of the entitlement query, read by column.
type row interface {
	integer(i int) int64 // a boolean reads as 1 or 0
	text(i int) string
}

// entitlementFacts reads the facts from a row of the entitlement query.
func entitlementFacts(r row) allot.EntitlementFacts {
	var (
		f       allot.EntitlementFacts
		u       = &f.User
		next    = -1
		integer = func() int64 { next++; return r.integer(next) }
		text    = func() string { next++; return r.text(next) }
		instant = func() time.Time { return fromMicros(integer()) }
	)
	u.ID, u.Email, u.Role, u.CompanyID, u.RemovedAt = integer(), text(), allot.Role(text()), integer(), instant()
	f.Company = allot.Company{ID: u.CompanyID, Name: text(), PartnerID: integer(), Suspended: integer() != 0}
	f.Product = allot.Product{ID: integer(), Code: text(), Name: text()}
	seat := allot.Seat{ID: integer(), UserID: u.ID, CompanyID: u.CompanyID, ProductID: f.Product.ID,
		StartsAt: instant(), EndsAt: instant(), ReleasedAt: instant()}
	f.Waiting, f.PoolEnds = integer() != 0, instant()
	f.UserFound, f.ProductFound = true, f.Product.ID != 0
	if seat.ID != 0 {
		f.Seat = &seat
	}
	return f
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
func (db *DB) Contacts(ctx context.Context, p allot.ContactsParams) ([]allot.User, error) {
	rows, err := db.contacts.QueryContext(context.WithoutCancel(ctx), p.CompanyID, p.PartnerID)
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
