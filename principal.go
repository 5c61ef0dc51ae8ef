package allot

import (
	"context"
	"slices"
)

// Role is what a person is in allot. It decides what they may do.
type Role string

// The roles. The vendor's staff: its admin, who may do everything; account
// managers, who own partners and direct customers and assign their orders;
// support agents and success managers, who work the support desk. A partner
// manager acts for one partner and its customers, a company manager for one
// company; a learner uses the product while they hold a seat of it.
const (
	RoleVendorAdmin    Role = "vendor_admin"
	RoleAccountManager Role = "account_manager"
	RoleSupportAgent   Role = "support_agent"
	RoleSuccessManager Role = "success_manager"
	RolePartnerManager Role = "partner_manager"
	RoleCompanyManager Role = "company_manager"
	RoleLearner        Role = "learner"
)

// Roles lists every role, vendor first.
var Roles = []Role{RoleVendorAdmin, RoleAccountManager, RoleSupportAgent, RoleSuccessManager,
	RolePartnerManager, RoleCompanyManager, RoleLearner}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Vendor reports whether r belongs to the vendor's staff.
func (r Role) Vendor() bool {
	switch r {
	case RoleVendorAdmin, RoleAccountManager, RoleSupportAgent, RoleSuccessManager:
		return true
	}
	return false
}

// Principal is the person acting, as far as authorization and audit need to
// know. ActingCompanyID is set in manage-company mode: the principal then has
// a company manager's rights in that company.
type Principal struct {
	UserID          int64
	Email           string
	Role            Role
	PartnerID       int64 // partner managers
	CompanyID       int64 // company managers and learners
	ActingCompanyID int64 // manage-company mode; 0 outside it
}

// System is the principal of allot's own background work and of the demo
// loader: it may do everything and is recorded as "system".
var System = Principal{Role: RoleVendorAdmin, Email: "system"}

type principalKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns the principal carried by ctx, or an EUNAUTHORIZED
// error when there is none.
func PrincipalFrom(ctx context.Context) (Principal, error) {
	p, ok := ctx.Value(principalKey{}).(Principal)
	if !ok {
		return Principal{}, Errorf(EUNAUTHORIZED, "sign in first")
	}
	return p, nil
}

// canAssignAll reports whether p may assign and reject any company's orders.
func (p Principal) canAssignAll() bool {
	return p.Role == RoleVendorAdmin || p.Role == RoleAccountManager
}

// canSee reports whether p may read company c's data.
func (p Principal) canSee(c Company) bool {
	switch {
	case p.Role.Vendor():
		return true
	case p.Role == RolePartnerManager:
		return c.PartnerID != 0 && c.PartnerID == p.PartnerID
	case p.Role == RoleCompanyManager:
		return c.ID == p.CompanyID
	}
	return false
}

// canManage reports whether p has a company manager's rights in c: as one of
// its managers, or in manage-company mode entered in c.
func (p Principal) canManage(c Company) bool {
	if p.Role == RoleCompanyManager {
		return c.ID == p.CompanyID
	}
	return p.ActingCompanyID == c.ID && p.mayEnter(c)
}

// mayEnter reports whether p may enter manage-company mode in c.
func (p Principal) mayEnter(c Company) bool {
	return p.Role.Vendor() || (p.Role == RolePartnerManager && c.PartnerID != 0 && c.PartnerID == p.PartnerID)
}

// canRequest reports whether p may request licences for c: vendor staff for
// anyone, the company's managers and its partner's managers.
func (p Principal) canRequest(c Company) bool {
	return p.Role.Vendor() || p.canManage(c) ||
		(p.Role == RolePartnerManager && c.PartnerID == p.PartnerID && c.PartnerID != 0)
}

// canAssign reports whether p may assign and reject c's orders.
func (p Principal) canAssign(c Company) bool {
	return p.canAssignAll() || (p.Role == RolePartnerManager && c.PartnerID != 0 && c.PartnerID == p.PartnerID)
}
