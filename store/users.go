package store

import (
	"time"

	"allot"
)

func (t *tx) CreateUser(u *allot.User) error {
	return t.insert(&u.ID, `INSERT INTO users (email, first_name, last_name, department, role, partner_id, company_id,
			password_hash, last_login_at, created_at, removed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		u.Email, u.FirstName, u.LastName, u.Department, string(u.Role), u.PartnerID, u.CompanyID,
		u.PasswordHash, micros(u.LastLoginAt), micros(u.CreatedAt), micros(u.RemovedAt))
}

func (t *tx) UpdateUser(u allot.User) error {
	return t.execOne("user", `UPDATE users SET email = $2, first_name = $3, last_name = $4, department = $5, role = $6,
			partner_id = $7, company_id = $8, password_hash = $9, removed_at = $10
		WHERE id = $1`,
		u.ID, u.Email, u.FirstName, u.LastName, u.Department, string(u.Role), u.PartnerID, u.CompanyID,
		u.PasswordHash, micros(u.RemovedAt))
}

func (t *tx) TouchLogin(id int64, at time.Time) error {
	return t.execOne("user", `UPDATE users SET last_login_at = $2 WHERE id = $1`, id, micros(at))
}

const userColumns = `id, email, first_name, last_name, department, role, partner_id, company_id,
	password_hash, last_login_at, created_at, removed_at`

func scanUser(u *allot.User) func(scanner) error {
	return func(s scanner) error {
		var lastLogin, created, removed int64
		err := s.Scan(&u.ID, &u.Email, &u.FirstName, &u.LastName, &u.Department, &u.Role, &u.PartnerID, &u.CompanyID,
			&u.PasswordHash, &lastLogin, &created, &removed)
		u.LastLoginAt, u.CreatedAt, u.RemovedAt = fromMicros(lastLogin), fromMicros(created), fromMicros(removed)
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
	var w where
	if f.CompanyID != 0 {
		w.add("company_id = ?", f.CompanyID)
	}
	if f.PartnerID != 0 {
		w.add("partner_id = ?", f.PartnerID)
	}
	if len(f.Roles) > 0 {
		in := ""
		for i, r := range f.Roles {
			if i > 0 {
				in += ", "
			}
			in += w.arg(string(r))
		}
		w.add("role IN (" + in + ")")
	}
	if f.Search != "" {
		p := likePattern(f.Search)
		w.add("(email LIKE ? ESCAPE '\\' OR LOWER(first_name || ' ' || last_name) LIKE ? ESCAPE '\\')", p, p)
	}
	if f.NeverLoggedIn {
		w.add("last_login_at = 0")
	}
	if !f.InactiveSince.IsZero() {
		w.add("last_login_at < ?", micros(f.InactiveSince))
	}
	if !f.IncludeRemoved {
		w.add("removed_at = 0")
	}
	if f.AfterID != 0 {
		w.add("id > ?", f.AfterID)
	}
	var (
		out []allot.User
		u   allot.User
	)
	err := t.list(func(s scanner) error {
		err := scanUser(&u)(s)
		out = append(out, u)
		return err
	}, `SELECT `+userColumns+` FROM users`+w.sql()+` ORDER BY id LIMIT `+w.arg(limit(f.Limit)), w.args...)
	return out, err
}

// limit returns n, or a large bound when n is 0 (the service always sets it).
func limit(n int) int {
	if n <= 0 {
		return 1 << 30
	}
	return n
}
