package store

import (
	"context"
	"database/sql"
	"errors"

	"allot"
	"allot/scim"
)

// SCIM returns the store of package scim: its transactions are the
// ledger's with the SCIM tokens and resources beside them, over the same
// database.
func (db *DB) SCIM() scim.Store { return scimStore{db} }

// scimStore is a DB as package scim's Store.
type scimStore struct{ db *DB }

var _ scim.Store = scimStore{}

func (s scimStore) Write(ctx context.Context, fn func(scim.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s scimStore) Read(ctx context.Context, fn func(scim.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

// SCIMTokenCompany reads without a transaction: one indexed row.
func (s scimStore) SCIMTokenCompany(ctx context.Context, hash string) (int64, error) {
	var id int64
	err := s.db.read.QueryRowContext(ctx, `SELECT company_id FROM scim_tokens WHERE hash = $1`, hash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, allot.NotFound("scim token")
	}
	return id, s.db.dialect.translate(err)
}

// PutSCIMToken replaces the company's token in one statement, so that the
// old one stops working as the new one starts.
func (t *tx) PutSCIMToken(tk scim.Token) error {
	_, err := t.exec(`INSERT INTO scim_tokens (company_id, hash, prefix, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (company_id) DO UPDATE SET hash = excluded.hash, prefix = excluded.prefix, created_at = excluded.created_at`,
		tk.CompanyID, tk.Hash, tk.Prefix, micros(tk.CreatedAt))
	return err
}

func (t *tx) SCIMToken(companyID int64) (scim.Token, error) {
	var (
		tk      scim.Token
		created int64
	)
	err := t.get("scim token", func(s scanner) error {
		err := s.Scan(&tk.CompanyID, &tk.Hash, &tk.Prefix, &created)
		tk.CreatedAt = fromMicros(created)
		return err
	}, `SELECT company_id, hash, prefix, created_at FROM scim_tokens WHERE company_id = $1`, companyID)
	return tk, err
}

func (t *tx) DeleteSCIMToken(companyID int64) error {
	return t.execOne(allot.NotFound("scim token"), `DELETE FROM scim_tokens WHERE company_id = $1`, companyID)
}

// scimColumns are the columns of scim_resources scanResource reads.
const scimColumns = `company_id, type, id, external_id, user_name, display_name, document, user_id, created_at, modified_at, version`

func scanResource(r *scim.Resource) func(scanner) error {
	return func(s scanner) error {
		var (
			created, modified int64
			doc               string
		)
		err := s.Scan(&r.CompanyID, &r.Type, &r.ID, &r.ExternalID, &r.UserName, &r.DisplayName, &doc, &r.UserID,
			&created, &modified, &r.Version)
		r.Document, r.Created, r.Modified = []byte(doc), fromMicros(created), fromMicros(modified)
		return err
	}
}

// CreateSCIMResource inserts the resource; a userName taken violates the
// unique index of a company's user names: ECONFLICT.
func (t *tx) CreateSCIMResource(r scim.Resource) error {
	_, err := t.exec(`INSERT INTO scim_resources (`+scimColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		r.CompanyID, r.Type, r.ID, r.ExternalID, r.UserName, r.DisplayName, string(r.Document), r.UserID,
		micros(r.Created), micros(r.Modified), r.Version)
	return err
}

func (t *tx) SCIMResource(companyID int64, typ, id string) (scim.Resource, error) {
	var r scim.Resource
	err := t.get("scim resource", scanResource(&r), `SELECT `+scimColumns+` FROM scim_resources
		WHERE company_id = $1 AND type = $2 AND id = $3`, companyID, typ, id)
	return r, err
}

// scimWhere returns the conditions of the resources q selects.
func scimWhere(q scim.ResourceQuery) *where {
	w := &where{}
	w.add("company_id = ?", q.CompanyID)
	w.add("type = ?", q.Type)
	switch q.Field {
	case scim.FieldUserName, scim.FieldExternalID, scim.FieldID, scim.FieldDisplayName:
		w.add(q.Field+" = ?", q.Value)
	}
	if q.UserID != 0 {
		w.add("user_id = ?", q.UserID)
	}
	return w
}

func (t *tx) SCIMResources(q scim.ResourceQuery) ([]scim.Resource, error) {
	w := scimWhere(q)
	query := `SELECT ` + scimColumns + ` FROM scim_resources` + w.sql() + ` ORDER BY seq`
	if q.Limit > 0 {
		query += ` LIMIT ` + w.arg(q.Limit) + ` OFFSET ` + w.arg(q.Offset)
	}
	var out []scim.Resource
	err := t.list(func(s scanner) error {
		var r scim.Resource
		err := scanResource(&r)(s)
		out = append(out, r)
		return err
	}, query, w.args...)
	return out, err
}

func (t *tx) CountSCIMResources(q scim.ResourceQuery) (int, error) {
	w := scimWhere(q)
	var n int
	err := t.get("scim resources", func(s scanner) error { return s.Scan(&n) }, `SELECT COUNT(*) FROM scim_resources`+w.sql(), w.args...)
	return n, err
}

// UpdateSCIMResource is guarded by the version the change read.
func (t *tx) UpdateSCIMResource(r scim.Resource) error {
	return t.execOne(scim.ErrStale, `UPDATE scim_resources
		SET external_id = $4, user_name = $5, display_name = $6, document = $7, user_id = $8, modified_at = $9, version = $10
		WHERE company_id = $1 AND type = $2 AND id = $3 AND version = $11`,
		r.CompanyID, r.Type, r.ID, r.ExternalID, r.UserName, r.DisplayName, string(r.Document), r.UserID,
		micros(r.Modified), r.Version, r.Version-1)
}

func (t *tx) DeleteSCIMResource(companyID int64, typ, id string) error {
	return t.execOne(allot.NotFound("scim resource"), `DELETE FROM scim_resources WHERE company_id = $1 AND type = $2 AND id = $3`,
		companyID, typ, id)
}
