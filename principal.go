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

// Roles lists every role, the vendor's staff first.
var Roles = []Role{RoleVendorAdmin, RoleAccountManager, RoleSupportAgent, RoleSuccessManager,
	RolePartnerManager, RoleCompanyManager, RoleLearner}

// VendorRoles are the roles of the vendor's staff.
var VendorRoles = Roles[:4:4]

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Vendor reports whether r belongs to the vendor's staff.
func (r Role) Vendor() bool { return slices.Contains(VendorRoles, r) }

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

// Home is where p belongs, as a company for the permission table: their
// company for its people, their partner's customers as a whole for a
// partner manager, and for the vendor's staff the deployment (no company).
// An act p does for themself, not in a company, is asked there.
func (p Principal) Home() Company {
	return Company{ID: p.CompanyID, PartnerID: p.PartnerID}
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
