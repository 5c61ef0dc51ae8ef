package store

import (
	"allot"
	"allot/account"
)

// connectionColumns are the columns of sso_connections c that scanConnection
// reads.
const connectionColumns = `c.id, c.company_id, c.partner_id, c.issuer, c.client_id, c.client_secret, c.required,
	c.created_at, c.updated_at`

func scanConnection(c *account.Connection) func(scanner) error {
	return func(s scanner) error {
		var created, updated int64
		err := s.Scan(&c.ID, &c.CompanyID, &c.PartnerID, &c.Issuer, &c.ClientID, &c.ClientSecret, &c.Required, &created, &updated)
		c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
		return err
	}
}

// PutConnection inserts or updates the connection, then replaces its
// domains. A domain of another connection violates the domains' primary
// key: ECONFLICT.
func (t *tx) PutConnection(c *account.Connection) error {
	var err error
	if c.ID == 0 {
		err = t.insert(&c.ID, `INSERT INTO sso_connections (company_id, partner_id, issuer, client_id, client_secret, required,
			created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			c.CompanyID, c.PartnerID, c.Issuer, c.ClientID, c.ClientSecret, c.Required, micros(c.CreatedAt), micros(c.UpdatedAt))
	} else {
		err = t.execOne(allot.NotFound("single sign-on connection"), `UPDATE sso_connections
			SET issuer = $2, client_id = $3, client_secret = $4, required = $5, updated_at = $6 WHERE id = $1`,
			c.ID, c.Issuer, c.ClientID, c.ClientSecret, c.Required, micros(c.UpdatedAt))
	}
	if err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM sso_domains WHERE connection_id = $1`, c.ID); err != nil {
		return err
	}
	for _, d := range c.Domains {
		if _, err := t.exec(`INSERT INTO sso_domains (domain, connection_id) VALUES ($1, $2)`, d, c.ID); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) ConnectionOf(o account.Owner) (account.Connection, error) {
	return t.connection(`c.company_id = $1 AND c.partner_id = $2`, o.CompanyID, o.PartnerID)
}

func (t *tx) ConnectionByID(id int64) (account.Connection, error) {
	return t.connection(`c.id = $1`, id)
}

func (t *tx) ConnectionByDomain(domain string) (account.Connection, error) {
	return t.connection(`c.id = (SELECT connection_id FROM sso_domains WHERE domain = $1)`, domain)
}

// connection reads the connection cond selects, and its domains in order.
func (t *tx) connection(cond string, args ...any) (account.Connection, error) {
	var c account.Connection
	err := t.get("single sign-on connection", scanConnection(&c), `SELECT `+connectionColumns+` FROM sso_connections c WHERE `+cond, args...)
	if err != nil {
		return account.Connection{}, err
	}
	err = t.list(func(s scanner) error {
		var d string
		err := s.Scan(&d)
		c.Domains = append(c.Domains, d)
		return err
	}, `SELECT domain FROM sso_domains WHERE connection_id = $1 ORDER BY domain`, c.ID)
	return c, err
}

func (t *tx) DeleteConnection(id int64) error {
	if _, err := t.exec(`DELETE FROM sso_domains WHERE connection_id = $1`, id); err != nil {
		return err
	}
	return t.execOne(allot.NotFound("single sign-on connection"), `DELETE FROM sso_connections WHERE id = $1`, id)
}
