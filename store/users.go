package store

import (
	"time"

	"allot"
)

func (t *tx) CreateUser(u *allot.User) error {
	return t.insert(&u.ID, `INSERT INTO users (email, first_name, last_name, department, role, partner_id, company_id,
			password_hash, last_login_at, created_at, removed_at, search, lang, zone, manager, external_id, pending)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING id`,
		u.Email, u.FirstName, u.LastName, u.Department, string(u.Role), u.PartnerID, u.CompanyID,
		u.PasswordHash, micros(u.LastLoginAt), micros(u.CreatedAt), micros(u.RemovedAt), userSearch(*u),
		u.Lang, u.Zone, u.Manager, u.ExternalID, u.Pending)
}

func (t *tx) UpdateUser(u allot.User) error {
	return t.execOne(allot.NotFound("user"), `UPDATE users SET email = $2, first_name = $3, last_name = $4, department = $5, role = $6,
			partner_id = $7, company_id = $8, password_hash = $9, removed_at = $10, search = $11, lang = $12, zone = $13,
			manager = $14, external_id = $15, session_epoch = $16, pending = $17
		WHERE id = $1`,
		u.ID, u.Email, u.FirstName, u.LastName, u.Department, string(u.Role), u.PartnerID, u.CompanyID,
		u.PasswordHash, micros(u.RemovedAt), userSearch(u), u.Lang, u.Zone, u.Manager, u.ExternalID, u.SessionEpoch, u.Pending)
}

func userSearch(u allot.User) string {
	return searchText(u.Email, u.FirstName+" "+u.LastName)
}

// UsersByEmail looks the e-mails up emailChunk at a time: SQLite finds a
// numbered parameter's name by a scan, so one statement with thousands of
// parameters costs the square of their number.
func (t *tx) UsersByEmail(emails []string) ([]allot.User, error) {
	var out []allot.User
	for len(emails) > 0 {
		var w where
		n := min(len(emails), emailChunk)
		whereIn(&w, "email", emails[:n])
		emails = emails[n:]
		us, err := t.users(`SELECT `+userColumns+` FROM users`+w.sql(), w.args...)
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
	}
	return out, nil
}

const emailChunk = 500

func (t *tx) TouchLogin(id int64, at time.Time) error {
	return t.execOne(allot.NotFound("user"), `UPDATE users SET last_login_at = $2 WHERE id = $1`, id, micros(at))
}

func (t *tx) TouchSignIn(id int64, at time.Time) error {
	return t.execOne(allot.NotFound("user"), `UPDATE users SET signed_in_at = $2 WHERE id = $1`, id, micros(at))
}

const userColumns = `id, email, first_name, last_name, department, role, partner_id, company_id,
	password_hash, last_login_at, created_at, removed_at, lang, zone, manager, external_id, session_epoch, pending, signed_in_at`

func scanUser(u *allot.User) func(scanner) error {
	return func(s scanner) error {
		var lastLogin, created, removed, signedIn int64
		err := s.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Department, &u.Role, &u.PartnerID, &u.CompanyID,
			&u.PasswordHash, &lastLogin, &created, &removed, &u.Lang, &u.Zone, &u.Manager, &u.ExternalID, &u.SessionEpoch, &u.Pending,
			&signedIn)
		u.LastLoginAt, u.CreatedAt, u.RemovedAt, u.SignedInAt = fromMicros(lastLogin), fromMicros(created), fromMicros(removed), fromMicros(signedIn)
		return err
	}
}

func (t *tx) User(id int64) (allot.User, error) {
	var u allot.User
	err := t.get("user", scanUser(&u), `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	return u, err
}

func (t *tx) UserByEmail(email string) (allot.User, error) {
	var u allot.User
	err := t.get("user", scanUser(&u), `SELECT `+userColumns+` FROM users WHERE email = $1`, email)
	return u, err
}

func (t *tx) Users(f allot.UserFilter) ([]allot.User, error) {
	w := userWhere(t.d, f)
	return t.users(`SELECT `+userColumns+` FROM users u`+w.sql()+` ORDER BY id LIMIT `+w.arg(limit(f.Limit)), w.args...)
}

// users runs a query for userColumns and returns the users it finds.
func (t *tx) users(query string, args ...any) ([]allot.User, error) {
	var (
		out []allot.User
		u   allot.User
	)
	err := t.list(func(s scanner) error {
		err := scanUser(&u)(s)
		out = append(out, u)
		return err
	}, query, args...)
	return out, err
}

// userWhere returns the conditions of f on users u.
func userWhere(d dialect, f allot.UserFilter) *where {
	var w where
	if len(f.IDs) > 0 {
		w.inIDs(d, "u.id", f.IDs)
	}
	if f.CompanyID != 0 {
		w.add("u.company_id = ?", f.CompanyID)
	}
	if f.PartnerID != 0 {
		w.add("u.partner_id = ?", f.PartnerID)
	}
	if len(f.Roles) > 0 {
		whereIn(&w, "u.role", f.Roles)
	}
	if f.Search != "" {
		w.add("u.search LIKE ? ESCAPE '\\'", likePattern(f.Search))
	}
	if f.NeverLoggedIn {
		w.add("u.last_login_at = 0")
	}
	if !f.InactiveSince.IsZero() {
		w.add("u.last_login_at < ?", micros(f.InactiveSince))
	}
	if !f.IncludeRemoved {
		w.add("u.removed_at = 0")
	}
	if !f.IncludePending {
		w.add("NOT u.pending")
	}
	if f.AfterID != 0 {
		w.add("u.id > ?", f.AfterID)
	}
	return &w
}

// limit returns n, or a large bound when n is 0 (the service always sets it).
func limit(n int) int {
	if n <= 0 {
		return 1 << 30
	}
	return n
}

// memberWhere returns the conditions of f and b on users u joined with
// their newest seat s of b's product (the join's condition), and the
// condition that u waits for one.
func memberWhere(d dialect, f allot.UserFilter, b allot.SeatBounds) (w *where, seat, waiting string) {
	w = userWhere(d, f)
	product := w.arg(b.ProductID)
	seat = `s.id = (SELECT MAX(id) FROM seats WHERE user_id = u.id AND product_id = ` + product + `)`
	switch b.Released {
	case 1:
		w.add("s.released_at <> 0")
	case -1:
		w.add("s.id IS NOT NULL AND s.released_at = 0")
	}
	for _, bound := range []struct {
		cond string
		at   time.Time
	}{{"s.starts_at >= ?", b.StartsFrom}, {"s.starts_at <= ?", b.StartsBy}, {"s.ends_at > ?", b.EndsAfter}, {"s.ends_at <= ?", b.EndsBy}} {
		if !bound.at.IsZero() {
			w.add(bound.cond, micros(bound.at))
		}
	}
	waiting = `EXISTS (SELECT 1 FROM waiting wt WHERE wt.user_id = u.id AND wt.product_id = ` + product + `)`
	if b.Waiting {
		w.add(waiting)
	}
	if !b.NoLiveAt.IsZero() {
		w.add("(s.id IS NULL OR s.released_at <> 0 OR s.ends_at <= ?)", micros(b.NoLiveAt))
	}
	return w, seat, waiting
}

func (t *tx) CountMembers(f allot.UserFilter, b allot.SeatBounds) (int, error) {
	w, seat, _ := memberWhere(t.d, f, b)
	return t.count(`SELECT COUNT(*) FROM users u LEFT JOIN seats s ON `+seat+w.sql(), w.args...)
}

// memberOrder returns the ORDER BY and paging of o over users u and their
// seat s, whose waiting is the condition that u waits: by ID after
// f.AfterID, or by o.By then ID, o.Offset rows in.
func memberOrder(w *where, f allot.UserFilter, o allot.MemberOrder, waiting string) string {
	if o.By == "" {
		return ` ORDER BY u.id LIMIT ` + w.arg(limit(f.Limit))
	}
	dir := " ASC"
	if o.Desc {
		dir = " DESC"
	}
	var key string
	switch o.By {
	case "name":
		key = `LOWER(CASE WHEN TRIM(u.first_name || ' ' || u.last_name) = '' THEN u.email
			ELSE TRIM(u.first_name || ' ' || u.last_name) END)`
	case "email":
		key = "u.email"
	case "last_login":
		key = "u.last_login_at"
	case "ends":
		key = "CASE WHEN s.released_at <> 0 THEN s.released_at ELSE COALESCE(s.ends_at, 0) END"
	case "status":
		// Seat.Status's rule at o.At, and then whether the member waits:
		// active, expiring, scheduled, expired, released, unlicensed, none.
		now, soon := w.arg(micros(o.At)), w.arg(micros(o.At.Add(allot.ExpiringWindow)))
		key = `CASE WHEN s.id IS NULL THEN (CASE WHEN ` + waiting + ` THEN 5 ELSE 6 END)
			WHEN s.released_at <> 0 THEN 4
			WHEN s.starts_at > ` + now + ` THEN 2
			WHEN s.ends_at <= ` + now + ` THEN 3
			WHEN s.ends_at <= ` + soon + ` THEN 1
			ELSE 0 END`
	}
	return ` ORDER BY ` + key + dir + `, u.id` + dir + ` LIMIT ` + w.arg(limit(f.Limit)) + ` OFFSET ` + w.arg(o.Offset)
}

func (t *tx) Members(f allot.UserFilter, b allot.SeatBounds, o allot.MemberOrder) ([]allot.Member, error) {
	if o.By != "" {
		f.AfterID = 0
	}
	w, seat, waiting := memberWhere(t.d, f, b)
	var (
		out []allot.Member
		m   allot.Member
	)
	err := t.list(func(sc scanner) error {
		var (
			st                                  allot.Seat
			lastLogin, created, removed         int64
			starts, ends, seatCreated, released int64
		)
		err := sc.Scan(&m.ID, &m.Email, &m.FirstName, &m.LastName, &m.Department, &m.Role, &m.PartnerID, &m.CompanyID,
			&m.PasswordHash, &lastLogin, &created, &removed, &m.Lang, &m.Zone, &m.Manager, &m.ExternalID, &m.SessionEpoch,
			&st.ID, &st.PoolID, &st.ProductID, &starts, &ends, &seatCreated, &released, &st.ReleaseReason, &m.Waiting)
		m.LastLoginAt, m.CreatedAt, m.RemovedAt = fromMicros(lastLogin), fromMicros(created), fromMicros(removed)
		m.Seat = nil
		if st.ID != 0 {
			st.UserID, st.CompanyID = m.ID, m.CompanyID
			st.StartsAt, st.EndsAt, st.CreatedAt, st.ReleasedAt = fromMicros(starts), fromMicros(ends), fromMicros(seatCreated), fromMicros(released)
			m.Seat = &st
		}
		out = append(out, m)
		return err
	}, `SELECT u.id, u.email, u.first_name, u.last_name, u.department, u.role, u.partner_id, u.company_id,
			u.password_hash, u.last_login_at, u.created_at, u.removed_at, u.lang, u.zone, u.manager, u.external_id, u.session_epoch,
			COALESCE(s.id, 0), COALESCE(s.pool_id, 0), COALESCE(s.product_id, 0), COALESCE(s.starts_at, 0), COALESCE(s.ends_at, 0),
			COALESCE(s.created_at, 0), COALESCE(s.released_at, 0), COALESCE(s.release_reason, ''), `+waiting+`
		FROM users u LEFT JOIN seats s ON `+seat+w.sql()+memberOrder(w, f, o, waiting), w.args...)
	return out, err
}
