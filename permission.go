package allot

import (
	"fmt"
	"strings"
)

// An Act is something a principal may do in a company, or for a partner's
// customers, or in the deployment as a whole.
type Act string

// The acts of the permission table.
const (
	ActSeeCompany        Act = "see company"   // read a company: its people, pools, seats, orders, imports and mail
	ActSeePartners       Act = "see partners"  // read partners: all of them, or a partner manager's own
	ActSeeAudit          Act = "see audit log" // read the audit log of a company, a partner or the deployment
	ActEnterCompany      Act = "enter company" // enter manage-company mode in it
	ActRequestOrder      Act = "request order"
	ActAssignOrder       Act = "assign order"
	ActRejectOrder       Act = "reject order"
	ActCancelOrder       Act = "cancel order" // an order of another: whoever requested an order may cancel it
	ActAllocate          Act = "allocate"     // give a seat, or move one to another learner
	ActRelease           Act = "release"
	ActTransferSeats     Act = "transfer seats"    // move free seats of a live pool to another customer of the same partner
	ActRenew             Act = "renew"             // expired learners, chosen or from a file
	ActManageUsers       Act = "manage users"      // add learners, remove people, import them from a file
	ActAddManager        Act = "add manager"       // add a company manager
	ActManageProgrammes  Act = "manage programmes" // make a company's programmes and invite members to them
	ActSetReminders      Act = "set reminders"
	ActSetReclaim        Act = "set reclaim" // a company's reclaim rules, which release idle learners' seats
	ActSetSignIn         Act = "set sign-in" // how a company's people sign in: whether its managers need a second factor
	ActSuspendCompany    Act = "suspend company"
	ActCreateCompany     Act = "create company" // a customer of the partner it names, or a direct one
	ActCreatePartner     Act = "create partner"
	ActAddPartnerManager Act = "add partner manager"
	ActCreateProduct     Act = "create product"
	ActSeeStaff          Act = "see staff"    // the vendor's staff and who owns which partner
	ActCreateStaff       Act = "create staff" // vendor staff
	ActSeeOutbox         Act = "see outbox"   // every mail allot sent or kept, and the jobs that are stuck
	ActRecordLogin       Act = "record login" // tell allot someone logged in to the product: anyone may of themself
	ActMakeToken         Act = "make token"   // a personal API token, for oneself: asked at the principal's Home

	// Single sign-on: connecting an identity provider, whose people then sign in there.
	ActConnectSSO        Act = "connect sso"         // a company's, for its people
	ActConnectPartnerSSO Act = "connect partner sso" // a partner's, for its managers

	// Directory sync: the connection a company's directory provisions its people through.
	ActConnectDirectory Act = "connect directory" // a company's: its SCIM token, its LDAP connection

	// The support desk and the help centre.
	ActAskSupport  Act = "ask support"  // open a support request, and follow one's own or one's company's
	ActWorkSupport Act = "work support" // answer, assign, escalate and close requests: the vendor's support desk
	ActSetSupport  Act = "set support"  // the routing table, the service levels and the success contacts
	ActEditHelp    Act = "edit help"    // write and publish the help centre's articles

	// Webhooks: the endpoints that the vendor's product and partners' systems are told of changes at.
	ActManageWebhooks Act = "manage webhooks" // the vendor's endpoints and every partner's, or a partner's own

	// Offline entitlement tokens: the keys that sign them.
	ActManageKeys Act = "manage keys" // see the signing keys and rotate them
)

// A Relation is how a principal stands to a company. A principal may stand
// in several at once: a partner's manager in manage-company mode in one of
// the partner's customers stands there as RelPartner and RelActing.
type Relation uint8

// The relations.
const (
	RelVendor  Relation = 1 << iota // vendor staff, to every company
	RelPartner                      // a manager of the company's partner
	RelOwn                          // one of the company's own people
	RelActing                       // in manage-company mode in the company
)

// A Permission says who may do an act: for each role, the relations to the
// company in which it may.
type Permission struct {
	By map[Role]Relation
	// Refusal is the message of a refusal, with %s for the company's name
	// where it has one: what to do instead, when there is something.
	Refusal string
}

// Permissions is the permission table: who may do what, and in which
// relation to the company. Every rule of who may do what is here; the
// service asks it before each act, and the surfaces ask it what to offer.
// A principal that does not even see a company (ActSeeCompany) is told
// that it does not exist, like an id of nothing. The columns are the roles
// in the order of Roles: vendor admin, account manager, support agent,
// success manager, partner manager, company manager, learner.
var Permissions = map[Act]Permission{
	ActSeeCompany:        row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, RelOwn, 0}, "companies are listed for managers only"),
	ActSeePartners:       row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, 0, 0}, "partners are listed for the vendor and partners only"),
	ActSeeAudit:          row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, RelOwn, 0}, "the audit log is for managers"),
	ActEnterCompany:      row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, 0, 0}, "you may not manage this company"),
	ActRequestOrder:      row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, RelOwn, 0}, "you may not order licences for %s"),
	ActAssignOrder:       row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "you may not assign %s's orders"),
	ActRejectOrder:       row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "you may not reject %s's orders"),
	ActCancelOrder:       row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "you may not cancel this order"),
	ActAllocate:          row(byRole{RelActing, RelActing, RelActing, RelActing, RelActing, RelOwn, 0}, "enter manage-company mode to change %s's users and seats"),
	ActRelease:           row(byRole{RelActing, RelActing, RelActing, RelActing, RelActing, RelOwn, 0}, "enter manage-company mode to change %s's users and seats"),
	ActTransferSeats:     row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "only %s's partner and the vendor move its seats to another customer"),
	ActRenew:             row(byRole{RelActing, RelActing, RelActing, RelActing, RelActing, RelOwn, 0}, "enter manage-company mode to change %s's users and seats"),
	ActManageUsers:       row(byRole{RelActing, RelActing, RelActing, RelActing, RelActing, RelOwn, 0}, "enter manage-company mode to add users to %s"),
	ActManageProgrammes:  row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelActing, RelOwn, 0}, "you may not change %s's programmes"),
	ActAddManager:        row(byRole{RelVendor, RelVendor, RelActing, RelActing, RelPartner, RelOwn, 0}, "enter manage-company mode to add users to %s"),
	ActSetReminders:      row(byRole{RelVendor, RelVendor, RelActing, RelActing, RelPartner, RelOwn, 0}, "you may not change %s's reminders"),
	ActSetReclaim:        row(byRole{RelActing, RelActing, RelActing, RelActing, RelActing, RelOwn, 0}, "enter manage-company mode to change %s's reclaim rules"),
	ActSetSignIn:         row(byRole{RelVendor, RelVendor, RelActing, RelActing, RelPartner, RelOwn, 0}, "you may not change how %s's people sign in"),
	ActSuspendCompany:    row(byRole{RelVendor, RelVendor, 0, 0, 0, 0, 0}, "only the vendor suspends companies"),
	ActCreateCompany:     row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "companies are created by the vendor and partners"),
	ActCreatePartner:     row(byRole{RelVendor, RelVendor, 0, 0, 0, 0, 0}, "only the vendor creates partners"),
	ActAddPartnerManager: row(byRole{RelVendor, RelVendor, 0, 0, RelPartner, 0, 0}, "you may not add a partner manager"),
	ActCreateProduct:     row(byRole{RelVendor, 0, 0, 0, 0, 0, 0}, "only the vendor admin creates products"),
	ActSeeStaff:          row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, 0, 0, 0}, "the vendor's staff is listed for the vendor only"),
	ActCreateStaff:       row(byRole{RelVendor, 0, 0, 0, 0, 0, 0}, "only the vendor admin adds vendor staff"),
	ActSeeOutbox:         row(byRole{RelVendor, 0, 0, 0, 0, 0, 0}, "the outbox is for the vendor admin"),
	ActRecordLogin:       row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, 0, 0, 0}, "only the product's integration records logins"),
	ActMakeToken:         row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, RelOwn, 0}, "API tokens are for managers and the vendor's staff: a learner needs none"),
	ActConnectSSO:        row(byRole{RelVendor, 0, 0, 0, RelActing, RelOwn, 0}, "only %s's managers, its partner's in manage-company mode and the vendor admin connect its single sign-on"),
	ActConnectPartnerSSO: row(byRole{RelVendor, 0, 0, 0, RelPartner, 0, 0}, "only the partner's managers and the vendor admin connect its single sign-on"),
	ActConnectDirectory:  row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelActing, RelOwn, 0}, "only %s's managers, its partner's in manage-company mode and the vendor's staff connect its directory"),
	ActAskSupport:        row(byRole{RelVendor, RelVendor, RelVendor, RelVendor, RelPartner, RelOwn, RelOwn}, "you may not ask for help on behalf of %s"),
	ActWorkSupport:       row(byRole{RelVendor, 0, RelVendor, RelVendor, 0, 0, 0}, "the support desk is the vendor's support and customer success teams'"),
	ActSetSupport:        row(byRole{RelVendor, 0, 0, 0, 0, 0, 0}, "only the vendor admin sets how support requests are routed and answered"),
	ActEditHelp:          row(byRole{RelVendor, 0, RelVendor, RelVendor, 0, 0, 0}, "the help centre is written by the vendor's support and customer success teams"),
	ActManageKeys:        row(byRole{RelVendor, 0, 0, 0, 0, 0, 0}, "only the vendor admin manages the keys that sign offline tokens"),
	ActManageWebhooks:    row(byRole{RelVendor, 0, 0, 0, RelPartner, 0, 0}, "webhooks are set by the vendor admin and partners' managers"),
}

// byRole is one relation per role, in the order of Roles.
type byRole [7]Relation

// row is a Permission of each role's relations and a refusal.
func row(rels byRole, refusal string) Permission {
	by := make(map[Role]Relation, len(Roles))
	for i, r := range Roles {
		by[r] = rels[i]
	}
	return Permission{By: by, Refusal: refusal}
}

// Relation returns how p stands to company c. c may also be a company yet
// to be made, or a partner's customers as a whole (only its PartnerID set).
func (p Principal) Relation(c Company) Relation {
	var r Relation
	switch {
	case p.Role.Vendor():
		r = RelVendor
	case p.Role == RolePartnerManager && c.PartnerID != 0 && c.PartnerID == p.PartnerID:
		r = RelPartner
	case c.ID != 0 && c.ID == p.CompanyID:
		r = RelOwn
	}
	if c.ID != 0 && c.ID == p.ActingCompanyID && Permissions[ActEnterCompany].By[p.Role]&r != 0 {
		r |= RelActing
	}
	return r
}

// May reports whether p may do act in company c.
func (p Principal) May(act Act, c Company) bool {
	return Permissions[act].By[p.Role]&p.Relation(c) != 0
}

// Must returns nil when p may do act in company c, and EFORBIDDEN saying
// why not otherwise.
func (p Principal) Must(act Act, c Company) error {
	if p.May(act, c) {
		return nil
	}
	msg := Permissions[act].Refusal
	if strings.Contains(msg, "%s") {
		msg = fmt.Sprintf(msg, c.Name)
	}
	return &Error{Code: EFORBIDDEN, Message: msg}
}
