package report

import (
	"fmt"

	"allot"
)

// Filter says what a report covers. Zero fields take their defaults: the
// principal's whole scope, every product, and the report's own period.
type Filter struct {
	CompanyID int64
	PartnerID int64
	Product   string // a product's code
	PoolID    int64
	Days      int // the window of activity, or how long without a login makes a candidate
	Months    int // how many months a monthly report shows
}

// Bounds of a filter's period.
const (
	MaxDays   = 3650
	MaxMonths = 24
)

// check returns EINVALID naming the field when f's period is out of bounds.
func (f Filter) check() error {
	if f.Days < 0 || f.Days > MaxDays {
		return allot.Invalid("days", "days must be from 1 to %d", MaxDays)
	}
	if f.Months < 0 || f.Months > MaxMonths {
		return allot.Invalid("months", "months must be from 1 to %d", MaxMonths)
	}
	return nil
}

// level is how a report's rows group the pools: by partner for the whole
// deployment, by company for a partner's customers, by pool for a company.
type level int

const (
	byPartner level = iota
	byCompany
	byPool
)

// scope is a filter checked against the principal: what the report reads,
// how its rows group, and what it covers in words.
type scope struct {
	Where
	level level
	words string
}

// resolve checks f against p and returns what the report may read. A
// company, partner or pool that p may not see is ENOTFOUND, as one that
// does not exist; a product that does not exist is EINVALID.
func resolve(tx Tx, p allot.Principal, f Filter) (scope, error) {
	var sc scope
	if f.PoolID != 0 {
		pool, err := tx.Pool(f.PoolID)
		if err != nil || (f.CompanyID != 0 && pool.CompanyID != f.CompanyID) {
			return sc, allot.NotFound("pool")
		}
		if _, err := allot.VisibleCompany(tx, p, pool.CompanyID); err != nil {
			return sc, allot.NotFound("pool")
		}
		f.CompanyID, sc.PoolID = pool.CompanyID, pool.ID
	}
	if err := narrow(tx, p, f, &sc); err != nil {
		return sc, err
	}
	if f.Product != "" {
		pr, err := tx.ProductByCode(f.Product)
		if err != nil {
			return sc, allot.Invalid("product", "no product %q", f.Product)
		}
		sc.ProductID = pr.ID
	}
	return sc, nil
}

// narrow sets sc to the company or partner f names, or to p's own scope
// when it names neither.
func narrow(tx Tx, p allot.Principal, f Filter, sc *scope) error {
	if f.PartnerID != 0 && f.CompanyID == 0 {
		if !p.May(allot.ActSeePartners, allot.Company{PartnerID: f.PartnerID}) {
			return allot.NotFound("partner")
		}
		pt, err := tx.Partner(f.PartnerID)
		if err != nil {
			return err
		}
		sc.PartnerID, sc.level, sc.words = pt.ID, byCompany, pt.Name+"'s customers"
		return nil
	}
	ls, err := allot.ListScope(tx, p, f.CompanyID, allot.ActSeeCompany)
	if err != nil {
		return err
	}
	switch {
	case ls.CompanyID != 0:
		c, err := tx.Company(ls.CompanyID)
		if err != nil {
			return err
		}
		if f.PartnerID != 0 && c.PartnerID != f.PartnerID {
			return allot.NotFound("company")
		}
		sc.CompanyID, sc.level, sc.words = c.ID, byPool, c.Name
		if sc.PoolID != 0 {
			sc.words = fmt.Sprintf("pool %d of %s", sc.PoolID, c.Name)
		}
	case ls.PartnerID != 0:
		pt, err := tx.Partner(ls.PartnerID)
		if err != nil {
			return err
		}
		sc.PartnerID, sc.level, sc.words = pt.ID, byCompany, pt.Name+"'s customers"
	default:
		sc.level, sc.words = byPartner, "every customer"
	}
	return nil
}
