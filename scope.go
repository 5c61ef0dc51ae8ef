package allot

import "cmp"

// VisibleCompany returns company id when p may see it, and ENOTFOUND, as
// for a company that does not exist, when p may not: another tenant's
// company is never told apart from no company.
func VisibleCompany(tx Tx, p Principal, id int64) (Company, error) {
	c, err := tx.Company(id)
	if err != nil {
		return Company{}, err
	}
	if !p.May(ActSeeCompany, c) {
		return Company{}, NotFound("company")
	}
	return c, nil
}

// CompanyFor returns company id when p may do act in it: ENOTFOUND when p
// may not even see it, EFORBIDDEN when p may see it but not do act.
func CompanyFor(tx Tx, p Principal, id int64, act Act) (Company, error) {
	c, err := VisibleCompany(tx, p, id)
	if err != nil {
		return Company{}, err
	}
	return c, p.Must(act, c)
}

// Scope is the part of the deployment a list shows: one company (and its
// partner, 0 when direct), a partner's customers (PartnerID alone), or
// everything (the zero Scope).
type Scope struct {
	CompanyID int64
	PartnerID int64
}

// ListScope returns what p's list of act shows (act is ActSeeCompany, or
// ActSeePartners or ActSeeAudit): company companyID when it is not 0, which
// p must see (ENOTFOUND otherwise); without it, to a company manager their
// company, to a partner manager its customers and to vendor staff
// everything. EFORBIDDEN when p may not do act there: a learner lists
// nothing but their own. The lists of a company's records (orders, seats,
// the audit log) name the company acted in, in manage-company mode.
func ListScope(tx Tx, p Principal, companyID int64, act Act) (Scope, error) {
	var c Company // what the list shows, for the permission check
	switch {
	case companyID != 0 || p.Role == RoleCompanyManager:
		var err error
		if c, err = VisibleCompany(tx, p, cmp.Or(companyID, p.CompanyID)); err != nil {
			return Scope{}, err
		}
	case p.Role == RolePartnerManager:
		c.PartnerID = p.PartnerID
	case p.Role == RoleLearner:
		c.ID = p.CompanyID
	}
	if err := p.Must(act, c); err != nil {
		return Scope{}, err
	}
	return Scope{CompanyID: c.ID, PartnerID: c.PartnerID}, nil
}

// narrow narrows a filter's company and partner to the scope, and reports
// false when the filter names a company outside it.
func (sc Scope) narrow(companyID, partnerID *int64) bool {
	switch {
	case sc.CompanyID != 0:
		if *companyID != 0 && *companyID != sc.CompanyID {
			return false
		}
		*companyID = sc.CompanyID
	case sc.PartnerID != 0:
		*partnerID = sc.PartnerID
	}
	return true
}

// DefaultLimit and MaxLimit bound every list.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// ClampLimit returns n within [1, MaxLimit], DefaultLimit for n <= 0.
func ClampLimit(n int) int {
	switch {
	case n <= 0:
		return DefaultLimit
	case n > MaxLimit:
		return MaxLimit
	}
	return n
}
