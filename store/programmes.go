package store

import (
	"context"

	"allot"

	"allot/programme"
)

// Programme returns the store of package programme: its transactions are
// the ledger's with the programmes beside it, over the same database.
func (db *DB) Programme() programme.Store { return programmeStore{db} }

// programmeStore is a DB as package programme's Store.
type programmeStore struct{ db *DB }

func (s programmeStore) Write(ctx context.Context, fn func(programme.Tx) error) error {
	return s.db.writeTx(ctx, func(t *tx) error { return fn(t) })
}

func (s programmeStore) Read(ctx context.Context, fn func(programme.Tx) error) error {
	return s.db.readTx(ctx, func(t *tx) error { return fn(t) })
}

func (t *tx) CreateProgramme(p *programme.Programme) error {
	if err := t.insert(&p.ID, `INSERT INTO programmes (company_id, name, lang, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		p.CompanyID, p.Name, p.Lang, micros(p.CreatedAt)); err != nil {
		return err
	}
	for _, code := range p.Products {
		if _, err := t.exec(`INSERT INTO programme_products (programme_id, product_code) VALUES ($1, $2)`, p.ID, code); err != nil {
			return err
		}
	}
	return nil
}

func (t *tx) Programme(id int64) (programme.Programme, error) {
	ps, err := t.programmes(`WHERE p.id = $1`, id)
	if err == nil && len(ps) == 0 {
		return programme.Programme{}, allot.NotFound("programme")
	}
	if err != nil {
		return programme.Programme{}, err
	}
	return ps[0], nil
}

func (t *tx) Programmes(companyID int64) ([]programme.Programme, error) {
	return t.programmes(`WHERE p.company_id = $1`, companyID)
}

// programmes returns the programmes where holds, by name, each with its
// products in code order.
func (t *tx) programmes(where string, args ...any) ([]programme.Programme, error) {
	var out []programme.Programme
	err := t.list(func(s scanner) error {
		var (
			p       programme.Programme
			code    string
			created int64
		)
		if err := s.Scan(&p.ID, &p.CompanyID, &p.Name, &p.Lang, &created, &code); err != nil {
			return err
		}
		if n := len(out); n > 0 && out[n-1].ID == p.ID {
			out[n-1].Products = append(out[n-1].Products, code)
			return nil
		}
		p.CreatedAt, p.Products = fromMicros(created), []string{code}
		out = append(out, p)
		return nil
	}, `SELECT p.id, p.company_id, p.name, p.lang, p.created_at, pp.product_code
		FROM programmes p JOIN programme_products pp ON pp.programme_id = p.id `+where+`
		ORDER BY p.name, p.id, pp.product_code`, args...)
	return out, err
}
