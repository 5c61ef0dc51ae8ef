package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/directory"
	"allot/programme"
	"allot/storetest"
	"allot/support"
	"allot/webhook"
)

// Tenant isolation: an id of another tenant is answered
// exactly like an id that does not exist, on every endpoint, for every
// role. The matrix is isolationCases × isolationActors × each actor's
// foreign companies; every cell is compared with the same request naming a
// missing id.

// isoEnv is an env with what the isolation tests need besides: in every
// company a learner whose seat expired and who holds none now (C.old), an
// import (C.import), single sign-on in every company and partner, a spare
// API token of every person to try to revoke (tok.NAME), a session cookie
// per person, and in every company an LDAP directory with a group mapping
// (C.mapping) and a run (C.run), and a support request of its learner
// (C.request) with a file (C.attachment). Beta is Channel One's second
// customer.
type isoEnv struct {
	*env
	cookies map[string]string
	uniq    int
}

// partnerOf names the partner of each customer company; solo is direct.
var partnerOf = map[string]string{"acme": "partner1", "beta": "partner1", "globex": "partner2", "solo": ""}

// managerOf names the partner manager of each partner.
var managerOf = map[string]string{"partner1": "pm", "partner2": "pm2"}

// customersOf names the customer companies of each partner.
var customersOf = map[string][]string{"partner1": {"acme", "beta"}, "partner2": {"globex"}}

func newIsoEnv(t *testing.T, b storetest.Backend) *isoEnv {
	t.Helper()
	e := &isoEnv{env: newEnv(t, b), cookies: map[string]string{}}
	sys := allot.WithPrincipal(context.Background(), allot.System)

	// A one-day pool, which a new learner draws from first (it expires
	// first), then two days later: that learner's seat expired.
	for _, c := range []string{"acme", "beta", "globex", "solo"} {
		o := must(e.svc.RequestOrder(sys, allot.NewOrder{CompanyID: e.ids[c], ProductCode: "premium", Quantity: 1, TermDays: 1}))(t)
		_, p := must2(e.svc.AssignOrder(sys, o.ID))(t)
		u := must(e.svc.AddUser(actingIn(e.ids[c]), allot.NewUser{Email: "old@" + c + ".test", CompanyID: e.ids[c]}))(t)
		if s := must(e.svc.Seats(sys, allot.SeatFilter{UserID: u.ID}))(t); len(s) != 1 || s[0].PoolID != p.ID {
			t.Fatalf("old@%s.test got seats %+v, want one of pool %d", c, s, p.ID)
		}
		e.ids[c+".old"] = u.ID
	}
	e.clock.Advance(48 * time.Hour)

	// An import uploaded in every company, of a file with a bad row.
	for _, c := range []string{"acme", "beta", "globex", "solo"} {
		imp := must(e.dir.UploadImport(actingIn(e.ids[c]), directory.NewImport{CompanyID: e.ids[c], Kind: directory.ImportUsers,
			Data: []byte("email\nnew@" + c + ".test\nnot an e-mail\n")}))(t)
		e.ids[c+".import"] = imp.ID
	}

	// Single sign-on in every company and partner, for a foreign one to
	// be told from none.
	accounts := &account.Service{Ledger: e.svc, Store: e.db.Account()}
	for _, name := range []string{"acme", "beta", "globex", "solo", "partner1", "partner2"} {
		o := account.Owner{CompanyID: e.ids[name]}
		if strings.HasPrefix(name, "partner") {
			o = account.Owner{PartnerID: e.ids[name]}
		}
		must(accounts.Connect(sys, o, account.ConnectionInput{Issuer: "https://login." + name + ".example", ClientID: name,
			ClientSecret: "secret of " + name, Domains: []string{"sso." + name + ".test"}}))(t)
	}

	// An LDAP directory in every company, with a group mapping and a run.
	e.connectDirectories(t, "acme", "beta", "globex", "solo")

	// A programme in every company, with a scheduled invitation.
	for _, c := range []string{"acme", "beta", "globex", "solo"} {
		pg := must(e.programs.Create(sys, programme.NewProgramme{CompanyID: e.ids[c], Name: "Onboarding", Products: []string{"premium"}}))(t)
		e.ids[c+".programme"] = pg.ID
		inv := must(e.programs.Confirm(sys, programme.Invite{ProgrammeID: pg.ID, PoolID: e.ids[c+".pool"], Emails: "invited@" + c + ".test",
			At: programme.Wall{Year: 2026, Month: time.June, Day: 1, Hour: 9}, Zone: "Europe/Paris"}))(t)
		e.ids[c+".invitation"] = inv.IDs[0]
	}

	// A support request of every company's learner, with a file.
	for _, c := range []string{"acme", "beta", "globex", "solo"} {
		learner := must(e.svc.User(sys, e.ids[c+".learner"]))(t).Principal()
		r := must(e.support.Open(allot.WithPrincipal(context.Background(), learner), support.NewRequest{Subject: "Locked out of " + c,
			Body: "The page says no seat.", Category: "member_access", Attachments: []support.Upload{{Name: "steps.txt", Data: []byte("1. sign in")}}}))(t)
		e.ids[c+".request"] = r.ID
		e.ids[c+".attachment"] = must(e.support.Get(sys, r.ID))(t).Messages[0].Attachments[0].ID
	}

	// A webhook endpoint of the vendor and of each partner, receiving
	// seats given, with a delivery of each.
	for _, owner := range []string{"vendor", "partner1", "partner2"} {
		hook := must(e.webhooks.CreateEndpoint(sys, webhook.NewEndpoint{PartnerID: e.ids[owner], URL: "https://203.0.113.10/" + owner,
			Types: []string{"seat.given"}}))(t)
		e.ids["endpoint."+owner] = hook.ID
	}
	deliverAll(t, e.svc, e.webhooks, false)
	for _, owner := range []string{"vendor", "partner1", "partner2"} {
		ds := must(e.webhooks.Deliveries(sys, webhook.DeliveryFilter{EndpointID: e.ids["endpoint."+owner], Limit: 1}))(t)
		if len(ds) != 1 {
			t.Fatalf("no delivery to the %s's endpoint", owner)
		}
		e.ids["delivery."+owner] = ds[0].ID
	}

	for name := range e.tokens {
		tok, _ := e.token(must(e.svc.User(sys, e.ids[name]))(t), "spare")
		e.ids["tok."+name] = tok.ID
	}
	return e
}

// acting is the principal of allot itself in manage-company mode in a
// company, which adds learners (and so allocates their seats).
func actingIn(companyID int64) context.Context {
	return allot.WithPrincipal(context.Background(), allot.Principal{Role: allot.RoleVendorAdmin, Email: "system", ActingCompanyID: companyID})
}

// session signs who in with a password and returns the session cookie.
func (e *isoEnv) session(t *testing.T, who string) string {
	t.Helper()
	if c, ok := e.cookies[who]; ok {
		return c
	}
	res, body := e.do(request{method: "POST", path: "/v1/auth/login",
		body: fmt.Sprintf(`{"email":%q,"password":%q}`, e.emails[who], Password)})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("sign in as %s: %d %s", who, res.StatusCode, body)
	}
	for _, c := range res.Cookies() {
		if c.Name == "allot_session" {
			e.cookies[who] = c.Name + "=" + c.Value
			return e.cookies[who]
		}
	}
	t.Fatalf("sign in as %s: no session cookie", who)
	return ""
}

// isolationActor is someone who calls the API: a person of the env, maybe
// in manage-company mode in their home company.
type isolationActor struct {
	name    string
	who     string
	class   string // partner, acting (a partner manager in manage-company mode), company, learner
	home    string // the company they belong to or act in
	foreign []string
}

var isolationActors = []isolationActor{
	{"pm", "pm", "partner", "acme", []string{"globex", "solo"}},
	{"pm2", "pm2", "partner", "globex", []string{"acme", "beta", "solo"}},
	{"pm@acme", "pm", "acting", "acme", []string{"globex", "solo"}},
	{"pm2@globex", "pm2", "acting", "globex", []string{"acme", "beta", "solo"}},
	{"acme-cm", "acme-cm", "company", "acme", []string{"beta", "globex", "solo"}},
	{"acme-learner", "acme-learner", "learner", "acme", []string{"beta", "globex", "solo"}},
	{"globex-cm", "globex-cm", "company", "globex", []string{"acme", "beta", "solo"}},
	{"globex-learner", "globex-learner", "learner", "globex", []string{"acme", "beta", "solo"}},
	{"solo-cm", "solo-cm", "company", "solo", []string{"acme", "beta", "globex"}},
	{"solo-learner", "solo-learner", "learner", "solo", []string{"acme", "beta", "globex"}},
}

// vendorStaff see every tenant: for them no id is foreign.
var vendorStaff = []string{"admin", "am", "agent", "success"}

// isolationCase is an endpoint called with the id of something of another
// tenant. In method, path, body and company, {X} stands for that id (or a
// missing one), {home} and {home.NAME} for the caller's own company and
// its named ids, {uniq} for a fresh number.
type isolationCase struct {
	name    string
	kind    string // what {X} is of the foreign company: company, pool, seat, order, learner, cm, old (an expired learner), import, programme, invitation (scheduled), mapping (a directory group's), run (a directory's), request (a support request), attachment (its file), partner, pm (its partner's manager), token (its manager's), email (its learner's)
	method  string
	path    string
	body    string
	file    bool   // the body is a CSV file, not JSON
	company string // the Allot-Company header, when set
	session bool   // sign in with a session instead of the token
	status  int    // what a foreign (and a missing) id gets: 404 when 0
	by      map[string]int
	vendor  int // what vendor staff get for any company's id; 0: not asked
}

// want is the status the case answers an actor of class with.
func (c isolationCase) want(class string) int {
	if s, ok := c.by[class]; ok {
		return s
	}
	if c.status != 0 {
		return c.status
	}
	return http.StatusNotFound
}

const (
	isoForbidden = http.StatusForbidden
	isoOK        = http.StatusOK
	isoInvalid   = http.StatusUnprocessableEntity
)

// isolationCases are every endpoint of routes.go that takes an id, with each
// id it takes. An endpoint a role may never call answers 403 (by); a list
// filtered by a foreign id answers like one filtered by a missing id.
var isolationCases = []isolationCase{
	{name: "revoke-token", kind: "token", method: "DELETE", path: "/v1/me/tokens/{X}", vendor: http.StatusNotFound},
	{name: "enter-company", kind: "company", method: "POST", path: "/v1/manage", body: `{"company_id":{X}}`, session: true, vendor: isoOK},
	{name: "Allot-Company header", kind: "company", method: "GET", path: "/v1/me", company: "{X}", vendor: isoOK},

	{name: "get-partner", kind: "partner", method: "GET", path: "/v1/partners/{X}", vendor: isoOK},
	{name: "list-companies by partner", kind: "partner", method: "GET", path: "/v1/companies?partner_id={X}",
		status: isoOK, by: map[string]int{"learner": isoForbidden}, vendor: isoOK},
	{name: "create-company for partner", kind: "partner", method: "POST", path: "/v1/companies", body: `{"name":"new {uniq}","partner_id":{X}}`,
		status: isoInvalid, by: map[string]int{"company": isoForbidden, "learner": isoForbidden}},
	{name: "create-staff for partner", kind: "partner", method: "POST", path: "/v1/staff",
		body:   `{"email":"staff{uniq}@new.test","role":"partner_manager","partner_id":{X}}`,
		status: isoInvalid, by: map[string]int{"company": isoForbidden, "learner": isoForbidden}},
	{name: "list-companies after a company", kind: "company", method: "GET", path: "/v1/companies?cursor={X}",
		status: isoInvalid, by: map[string]int{"company": isoOK, "learner": isoForbidden}, vendor: isoOK},
	{name: "get-company", kind: "company", method: "GET", path: "/v1/companies/{X}", vendor: isoOK},
	{name: "update-company", kind: "company", method: "PATCH", path: "/v1/companies/{X}", body: `{"suspended":false}`},

	{name: "list-members", kind: "company", method: "GET", path: "/v1/companies/{X}/users", vendor: isoOK},
	{name: "add-user", kind: "company", method: "POST", path: "/v1/companies/{X}/users", body: `{"email":"user{uniq}@new.test"}`},
	{name: "add-user manager", kind: "company", method: "POST", path: "/v1/companies/{X}/users", body: `{"email":"user{uniq}@new.test","role":"company_manager"}`},
	{name: "get-user learner", kind: "learner", method: "GET", path: "/v1/users/{X}", vendor: isoOK},
	{name: "get-user manager", kind: "cm", method: "GET", path: "/v1/users/{X}", vendor: isoOK},
	{name: "get-user partner manager", kind: "pm", method: "GET", path: "/v1/users/{X}", vendor: isoOK},
	{name: "update-user learner", kind: "learner", method: "PATCH", path: "/v1/users/{X}", body: `{"department":"Sales"}`},
	{name: "update-user manager", kind: "cm", method: "PATCH", path: "/v1/users/{X}", body: `{"first_name":"Cam"}`},
	{name: "remove-user", kind: "learner", method: "DELETE", path: "/v1/users/{X}"},
	{name: "send-welcome learner", kind: "learner", method: "POST", path: "/v1/users/{X}/welcome"},
	{name: "send-welcome manager", kind: "cm", method: "POST", path: "/v1/users/{X}/welcome"},
	{name: "send-welcome partner manager", kind: "pm", method: "POST", path: "/v1/users/{X}/welcome"},

	{name: "list-orders by company", kind: "company", method: "GET", path: "/v1/orders?company_id={X}",
		status: isoOK, by: map[string]int{"learner": isoForbidden}, vendor: isoOK},
	{name: "list-orders by requester", kind: "cm", method: "GET", path: "/v1/orders?requested_by={X}",
		status: isoOK, by: map[string]int{"learner": isoForbidden}, vendor: isoOK},
	{name: "request-order", kind: "company", method: "POST", path: "/v1/orders", body: `{"company_id":{X},"product":"premium","quantity":1}`},
	{name: "get-order", kind: "order", method: "GET", path: "/v1/orders/{X}", vendor: isoOK},
	{name: "assign-order", kind: "order", method: "POST", path: "/v1/orders/{X}/assign"},
	{name: "cancel-order", kind: "order", method: "POST", path: "/v1/orders/{X}/cancel"},
	{name: "reject-order", kind: "order", method: "POST", path: "/v1/orders/{X}/reject", body: `{"reason":"no"}`},

	{name: "list-pools", kind: "company", method: "GET", path: "/v1/companies/{X}/pools", vendor: isoOK},
	{name: "list-seats by company", kind: "company", method: "GET", path: "/v1/seats?company_id={X}",
		by: map[string]int{"learner": isoOK}, vendor: isoOK},
	{name: "list-seats by user", kind: "learner", method: "GET", path: "/v1/seats?company_id={home}&user_id={X}", status: isoOK, vendor: isoOK},
	{name: "list-seats by pool", kind: "pool", method: "GET", path: "/v1/seats?company_id={home}&pool_id={X}", status: isoOK, vendor: isoOK},
	{name: "allocate-seat to user", kind: "old", method: "POST", path: "/v1/seats", body: `{"user_id":{X},"product":"premium"}`},
	{name: "allocate-seat from pool", kind: "pool", method: "POST", path: "/v1/seats", body: `{"user_id":{home.cm},"product":"premium","pool_id":{X}}`,
		by: map[string]int{"partner": isoForbidden}},
	{name: "release-seat", kind: "seat", method: "POST", path: "/v1/seats/{X}/release", body: `{"reason":"other"}`},
	{name: "reallocate-seat", kind: "seat", method: "POST", path: "/v1/seats/{X}/reallocate", body: `{"user_id":{home.old}}`},
	{name: "reallocate-seat to user", kind: "old", method: "POST", path: "/v1/seats/{home.seat}/reallocate", body: `{"user_id":{X}}`,
		by: map[string]int{"partner": isoForbidden}},
	{name: "list-expired", kind: "company", method: "GET", path: "/v1/companies/{X}/expired?product=premium", vendor: isoOK},
	{name: "renew", kind: "company", method: "POST", path: "/v1/companies/{X}/renewals", body: `{"product":"premium","all":true}`},
	{name: "transfer-seats", kind: "pool", method: "POST", path: "/v1/pools/{X}/transfer", body: `{"to_company_id":{home},"count":1}`},
	{name: "transfer-seats to company", kind: "company", method: "POST", path: "/v1/pools/{home.pool}/transfer", body: `{"to_company_id":{X},"count":1}`,
		by: map[string]int{"company": isoForbidden}},
	{name: "fill-waiting", kind: "company", method: "POST", path: "/v1/companies/{X}/fill-waiting"},
	{name: "set-fill-waiting", kind: "company", method: "PUT", path: "/v1/companies/{X}/settings/fill-waiting", body: `{"on":true}`},
	{name: "renew from pool", kind: "pool", method: "POST", path: "/v1/companies/{home}/renewals", body: `{"product":"premium","all":true,"pool_id":{X}}`,
		by: map[string]int{"partner": isoForbidden}},
	// Naming a learner who is not expired in the company is a mistake in
	// the list (422), for a foreign learner as for a missing one.
	{name: "renew users", kind: "old", method: "POST", path: "/v1/companies/{home}/renewals", body: `{"product":"premium","user_ids":[{X}]}`,
		status: isoInvalid, by: map[string]int{"partner": isoForbidden, "learner": http.StatusNotFound}},

	// A learner may not read the audit log (403), but naming a company they
	// may not see is a 404 first, as for anyone.
	// Imports: a learner sees none, even of their own company.
	{name: "upload-import", kind: "company", method: "POST", path: "/v1/companies/{X}/imports?kind=users", body: "email\nnew{uniq}@new.test\n", file: true},
	{name: "upload-import renewals from pool", kind: "pool", method: "POST", path: "/v1/companies/{home}/imports?kind=renewals&product=premium&pool_id={X}",
		body: "email\nold@new.test\n", file: true, by: map[string]int{"partner": isoForbidden}},
	{name: "list-imports", kind: "company", method: "GET", path: "/v1/companies/{X}/imports", vendor: isoOK},
	{name: "get-import", kind: "import", method: "GET", path: "/v1/imports/{X}", vendor: isoOK},
	{name: "preview-import", kind: "import", method: "POST", path: "/v1/imports/{X}/preview", body: `{"mapping":{"email":"email"}}`},
	{name: "confirm-import", kind: "import", method: "POST", path: "/v1/imports/{X}/confirm"},
	{name: "list-import-rows", kind: "import", method: "GET", path: "/v1/imports/{X}/rows?action=error", vendor: isoOK},
	{name: "get-import-errors", kind: "import", method: "GET", path: "/v1/imports/{X}/errors.csv", vendor: isoOK},
	{name: "export-members", kind: "company", method: "GET", path: "/v1/companies/{X}/users.csv", vendor: isoOK},

	{name: "list-programmes", kind: "company", method: "GET", path: "/v1/companies/{X}/programmes", vendor: isoOK},
	{name: "create-programme", kind: "company", method: "POST", path: "/v1/companies/{X}/programmes",
		body: `{"name":"Programme {uniq}","products":["premium"]}`},
	{name: "get-programme", kind: "programme", method: "GET", path: "/v1/programmes/{X}", vendor: isoOK},
	{name: "plan-invitations", kind: "programme", method: "POST", path: "/v1/programmes/{X}/invitations/plan",
		body: `{"experiences":[{"product":"premium","months":3}],"emails":"new{uniq}@new.test"}`, vendor: isoOK},
	// A subscription of another company is a mistake in the plan (422), for
	// a foreign pool as for a missing one.
	{name: "plan-invitations from pool", kind: "pool", method: "POST", path: "/v1/programmes/{home.programme}/invitations/plan",
		body: `{"pool_id":{X},"emails":"new{uniq}@new.test"}`, status: isoInvalid, by: map[string]int{"partner": isoForbidden, "learner": http.StatusNotFound}},
	{name: "preview-invitation", kind: "programme", method: "POST", path: "/v1/programmes/{X}/invitations/preview",
		body: `{"experiences":[{"product":"premium","months":3}],"emails":"new{uniq}@new.test"}`, vendor: isoOK},
	{name: "create-invitations", kind: "programme", method: "POST", path: "/v1/programmes/{X}/invitations",
		body: `{"experiences":[{"product":"premium","months":3}],"emails":"new{uniq}@new.test","send_date":"2026-06-01","send_time":"09:00"}`},
	{name: "create-invitations from pool", kind: "pool", method: "POST", path: "/v1/programmes/{home.programme}/invitations",
		body: `{"pool_id":{X},"emails":"new{uniq}@new.test"}`, status: isoInvalid, by: map[string]int{"partner": isoForbidden, "learner": http.StatusNotFound}},
	{name: "list-invitations", kind: "company", method: "GET", path: "/v1/companies/{X}/invitations?scheduled=true", vendor: isoOK},
	{name: "list-programme-members", kind: "programme", method: "GET", path: "/v1/programmes/{X}/members", vendor: isoOK},
	{name: "reschedule-invitation", kind: "invitation", method: "PATCH", path: "/v1/invitations/{X}",
		body: `{"send_date":"2026-06-02","send_time":"10:00","lang":"fr"}`},
	{name: "cancel-invitation", kind: "invitation", method: "POST", path: "/v1/invitations/{X}/cancel"},
	{name: "send-invitation-now", kind: "invitation", method: "POST", path: "/v1/invitations/{X}/send-now"},
	{name: "resend-invitation", kind: "invitation", method: "POST", path: "/v1/invitations/{X}/resend"},
	{name: "get-company-scim", kind: "company", method: "GET", path: "/v1/companies/{X}/scim"},
	{name: "new-company-scim-token", kind: "company", method: "POST", path: "/v1/companies/{X}/scim/token"},
	{name: "revoke-company-scim-token", kind: "company", method: "DELETE", path: "/v1/companies/{X}/scim/token"},
	{name: "get-company-sso", kind: "company", method: "GET", path: "/v1/companies/{X}/sso"},
	{name: "put-company-sso", kind: "company", method: "PUT", path: "/v1/companies/{X}/sso",
		body: `{"issuer":"https://login.example.test","client_id":"x","client_secret":"y","domains":["iso{uniq}.test"]}`},
	{name: "delete-company-sso", kind: "company", method: "DELETE", path: "/v1/companies/{X}/sso"},
	{name: "get-partner-sso", kind: "partner", method: "GET", path: "/v1/partners/{X}/sso"},
	{name: "put-partner-sso", kind: "partner", method: "PUT", path: "/v1/partners/{X}/sso",
		body: `{"issuer":"https://login.example.test","client_id":"x","client_secret":"y","domains":["iso{uniq}.test"]}`},
	{name: "delete-partner-sso", kind: "partner", method: "DELETE", path: "/v1/partners/{X}/sso"},

	{name: "list-directory-groups", kind: "company", method: "GET", path: "/v1/companies/{X}/directory/groups", vendor: isoOK},
	{name: "map-directory-group", kind: "company", method: "POST", path: "/v1/companies/{X}/directory/groups",
		body: `{"group":"cn=iso{uniq}","product":"premium"}`},
	{name: "unmap-directory-group", kind: "company", method: "DELETE", path: "/v1/companies/{X}/directory/groups/{home.mapping}"},
	{name: "unmap-directory-group of another", kind: "mapping", method: "DELETE", path: "/v1/companies/{home}/directory/groups/{X}",
		by: map[string]int{"partner": isoForbidden}},
	{name: "get-directory-ldap", kind: "company", method: "GET", path: "/v1/companies/{X}/directory/ldap", vendor: isoOK},
	{name: "put-directory-ldap", kind: "company", method: "PUT", path: "/v1/companies/{X}/directory/ldap",
		body: `{"preset":"openldap","url":"ldap://ldap.acme.test","bind_dn":"cn=allot,dc=acme","password":"s3cret","base_dn":"dc=acme"}`},
	{name: "sync-directory-ldap", kind: "company", method: "POST", path: "/v1/companies/{X}/directory/ldap/sync", body: `{"preview":true}`},
	{name: "list-directory-runs", kind: "company", method: "GET", path: "/v1/companies/{X}/directory/runs", vendor: isoOK},
	{name: "confirm-directory-run", kind: "run", method: "POST", path: "/v1/directory/runs/{X}/confirm"},
	{name: "delete-directory-ldap", kind: "company", method: "DELETE", path: "/v1/companies/{X}/directory/ldap"},
	{name: "get-directory-owned", kind: "company", method: "GET", path: "/v1/companies/{X}/directory/owned", vendor: isoOK},
	{name: "put-directory-owned", kind: "company", method: "PUT", path: "/v1/companies/{X}/directory/owned", body: `{"fields":["email"]}`},

	// The renewal pipeline is a partner's or the vendor's: another
	// partner's reads as a missing one, and nobody else has one.
	{name: "list-renewals by partner", kind: "partner", method: "GET", path: "/v1/renewals?partner_id={X}",
		by: map[string]int{"acting": isoForbidden, "company": isoForbidden, "learner": isoForbidden}, vendor: isoOK},

	// The support desk: a request of another tenant is not found, whoever
	// asks, even where only the desk may act on requests; the vendor admin
	// alone sets a company's or a partner's account, whichever it is.
	{name: "list-support-requests by company", kind: "company", method: "GET", path: "/v1/support/requests?company_id={X}",
		by: map[string]int{"learner": isoOK}, vendor: isoOK},
	{name: "list-support-requests by partner", kind: "partner", method: "GET", path: "/v1/support/requests?partner_id={X}",
		status: isoOK, vendor: isoOK},
	{name: "open-support-request for company", kind: "company", method: "POST", path: "/v1/support/requests",
		body: `{"company_id":{X},"subject":"Help {uniq}","body":"Please","category":"technical"}`},
	{name: "get-support-request", kind: "request", method: "GET", path: "/v1/support/requests/{X}", vendor: isoOK},
	{name: "update-support-request", kind: "request", method: "PATCH", path: "/v1/support/requests/{X}", body: `{"priority":"high"}`},
	{name: "write-support-message", kind: "request", method: "POST", path: "/v1/support/requests/{X}/messages", body: `{"body":"More {uniq}"}`},
	{name: "reply-support-request", kind: "request", method: "POST", path: "/v1/support/requests/{X}/replies", body: `{"body":"Done {uniq}"}`},
	{name: "note-support-request", kind: "request", method: "POST", path: "/v1/support/requests/{X}/notes", body: `{"body":"Note {uniq}"}`},
	{name: "escalate-support-request", kind: "request", method: "POST", path: "/v1/support/requests/{X}/escalate", body: `{"reason":"Growth"}`},
	{name: "copy-support-success", kind: "request", method: "POST", path: "/v1/support/requests/{X}/copy-success"},
	{name: "get-support-licences", kind: "request", method: "GET", path: "/v1/support/requests/{X}/licences"},
	{name: "get-support-attachment", kind: "attachment", method: "GET", path: "/v1/support/attachments/{X}", vendor: isoOK},
	{name: "get-company-support-account", kind: "company", method: "GET", path: "/v1/companies/{X}/support-account", vendor: isoOK},
	{name: "put-company-support-account", kind: "company", method: "PUT", path: "/v1/companies/{X}/support-account", body: `{}`,
		status: isoForbidden},
	{name: "get-partner-support-account", kind: "partner", method: "GET", path: "/v1/partners/{X}/support-account", vendor: isoOK},
	{name: "put-partner-support-account", kind: "partner", method: "PUT", path: "/v1/partners/{X}/support-account", body: `{}`,
		status: isoForbidden},

	{name: "get-report by company", kind: "company", method: "GET", path: "/v1/reports/seats?company_id={X}", vendor: isoOK},
	{name: "get-report by partner", kind: "partner", method: "GET", path: "/v1/reports/activity?partner_id={X}", vendor: isoOK},
	{name: "get-report by pool", kind: "pool", method: "GET", path: "/v1/reports/expiries.csv?pool_id={X}", vendor: isoOK},

	{name: "get-reclaim-rules", kind: "company", method: "GET", path: "/v1/companies/{X}/reclaim-rules", vendor: isoOK},
	{name: "put-reclaim-rules", kind: "company", method: "PUT", path: "/v1/companies/{X}/reclaim-rules", body: `{"rules":[{"days":90}]}`},
	{name: "preview-reclaim-rules", kind: "company", method: "GET", path: "/v1/companies/{X}/reclaim-rules/preview", vendor: isoOK},

	// Webhooks: an endpoint or delivery of another owner (the vendor's
	// being a direct customer's) reads as a missing one to a partner's
	// manager, in manage-company mode or not; nobody of a company manages
	// any.
	{name: "get-webhook", kind: "endpoint", method: "GET", path: "/v1/webhooks/{X}", by: noWebhooks},
	{name: "update-webhook", kind: "endpoint", method: "PATCH", path: "/v1/webhooks/{X}", body: `{"enabled":false}`, by: noWebhooks},
	{name: "delete-webhook", kind: "endpoint", method: "DELETE", path: "/v1/webhooks/{X}", by: noWebhooks},
	{name: "rotate-webhook-secret", kind: "endpoint", method: "POST", path: "/v1/webhooks/{X}/rotate-secret", by: noWebhooks},
	{name: "list-webhook-deliveries", kind: "endpoint", method: "GET", path: "/v1/webhooks/{X}/deliveries", by: noWebhooks},
	{name: "get-webhook-delivery", kind: "delivery", method: "GET", path: "/v1/webhook-deliveries/{X}", by: noWebhooks},
	{name: "replay-webhook-delivery", kind: "delivery", method: "POST", path: "/v1/webhook-deliveries/{X}/replay", by: noWebhooks},

	{name: "list-events by company", kind: "company", method: "GET", path: "/v1/audit?company_id={X}", vendor: isoOK},
	{name: "list-events by actor", kind: "cm", method: "GET", path: "/v1/audit?actor_id={X}",
		status: isoOK, by: map[string]int{"learner": isoForbidden}, vendor: isoOK},

	{name: "check by id", kind: "learner", method: "GET", path: "/v1/check?user={X}&product=premium", vendor: isoOK},
	{name: "check by e-mail", kind: "email", method: "GET", path: "/v1/check?user={X}&product=premium", vendor: isoOK},
	{name: "check by id with a token", kind: "learner", method: "GET", path: "/v1/check?user={X}&product=premium&token=true", vendor: isoOK},
	{name: "check by e-mail with a token", kind: "email", method: "GET", path: "/v1/check?user={X}&product=premium&token=true", vendor: isoOK},
	{name: "record-login by id", kind: "learner", method: "POST", path: "/v1/logins", body: `{"user":"{X}"}`},
	{name: "record-login by e-mail", kind: "email", method: "POST", path: "/v1/logins", body: `{"user":"{X}"}`},
}

// noWebhooks are the classes of actors who manage no webhook endpoint.
var noWebhooks = map[string]int{"company": isoForbidden, "learner": isoForbidden}

// missingID stands for an id that exists in no tenant.
const missingID = "999999999"

// target returns the id of kind of company c, or false when c has none.
func (e *isoEnv) target(kind, c string) (string, bool) {
	var id int64
	switch kind {
	case "company":
		id = e.ids[c]
	case "pool", "seat", "order", "learner", "cm", "old", "import", "programme", "invitation", "mapping", "run", "request", "attachment":
		id = e.ids[c+"."+kind]
	case "partner", "pm":
		p := partnerOf[c]
		if p == "" {
			return "", false
		}
		id = e.ids[p]
		if kind == "pm" {
			id = e.ids[managerOf[p]]
		}
	case "endpoint", "delivery": // the owner's of c: its partner, or the vendor for a direct customer
		owner := partnerOf[c]
		if owner == "" {
			owner = "vendor"
		}
		id = e.ids[kind+"."+owner]
	case "token":
		id = e.ids["tok."+c+"-cm"]
	case "email":
		return "learner@" + c + ".test", true
	default:
		e.t.Fatalf("no kind %s", kind)
	}
	if id == 0 {
		e.t.Fatalf("no %s of %s", kind, c)
	}
	return strconv.FormatInt(id, 10), true
}

// missingTarget is an id of kind that nothing has.
func missingTarget(kind string) string {
	if kind == "email" {
		return "nobody@missing.test"
	}
	return missingID
}

// call sends case c as who (in manage-company mode in home when acting)
// with x for {X}.
func (e *isoEnv) call(t *testing.T, c isolationCase, who, home string, acting bool, x string) (*http.Response, string) {
	t.Helper()
	fill := func(s string) string {
		s = strings.ReplaceAll(s, "{X}", x)
		s = strings.ReplaceAll(s, "{home", "{"+home)
		if strings.Contains(s, "{uniq}") {
			e.uniq++
			s = strings.ReplaceAll(s, "{uniq}", strconv.Itoa(e.uniq))
		}
		return s
	}
	r := request{who: who, method: c.method, path: fill(c.path), body: fill(c.body), headers: map[string]string{}}
	if acting {
		r.headers["Allot-Company"] = "{" + home + "}"
	}
	if c.company != "" {
		r.headers["Allot-Company"] = fill(c.company)
	}
	if c.file {
		r.headers["Content-Type"] = "text/csv"
	}
	if c.session {
		r.headers["Cookie"] = e.session(t, who)
		r.who = ""
	}
	return e.do(r)
}

// normal returns the body of a problem with every whole occurrence of id
// replaced by {X}, so that "no partner 2" and "no partner 999999999" read
// the same. Other bodies are left as they are.
func normalProblem(res *http.Response, body, id string) string {
	if res.StatusCode < 400 {
		return body
	}
	return regexp.MustCompile(`\b`+regexp.QuoteMeta(id)+`\b`).ReplaceAllString(body, "{X}")
}

func TestTenantIsolation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newIsoEnv(t, b)
		for _, c := range isolationCases {
			t.Run(c.name, func(t *testing.T) {
				for _, a := range isolationActors {
					t.Run(a.name, func(t *testing.T) { e.checkForeign(t, c, a) })
				}
				if c.vendor != 0 {
					for _, who := range vendorStaff {
						t.Run(who, func(t *testing.T) { e.checkVendor(t, c, who) })
					}
				}
			})
		}
	})
}

// checkForeign calls c as a with the ids of each of a's foreign companies,
// and with a missing id: every answer has c's status for a, and they are
// the same answer.
func (e *isoEnv) checkForeign(t *testing.T, c isolationCase, a isolationActor) {
	want := c.want(a.class)
	mres, mbody := e.call(t, c, a.who, a.home, a.class == "acting", missingTarget(c.kind))
	if mres.StatusCode != want {
		t.Errorf("%s %s with a missing id: %d, want %d\n%s", c.method, c.path, mres.StatusCode, want, mbody)
	}
	mbody = normalProblem(mres, mbody, missingTarget(c.kind))
	asked := 0
	for _, f := range a.foreign {
		x, has := e.target(c.kind, f)
		if !has {
			continue
		}
		asked++
		res, body := e.call(t, c, a.who, a.home, a.class == "acting", x)
		if res.StatusCode != want {
			t.Errorf("%s %s with %s's %s %s: %d, want %d\n%s", c.method, c.path, f, c.kind, x, res.StatusCode, want, body)
		}
		if res.StatusCode != mres.StatusCode || normalProblem(res, body, x) != mbody ||
			res.Header.Get("Content-Type") != mres.Header.Get("Content-Type") {
			t.Errorf("%s %s: %s's %s %s is told from a missing one:\n%d %s\n%d %s",
				c.method, c.path, f, c.kind, x, res.StatusCode, normalProblem(res, body, x), mres.StatusCode, mbody)
		}
	}
	if asked == 0 {
		t.Errorf("no foreign %s asked", c.kind)
	}
}

// checkVendor calls c as vendor staff with each company's id: they see
// every tenant.
func (e *isoEnv) checkVendor(t *testing.T, c isolationCase, who string) {
	for _, f := range []string{"acme", "globex", "solo"} {
		x, has := e.target(c.kind, f)
		if !has {
			continue
		}
		if res, body := e.call(t, c, who, "acme", false, x); res.StatusCode != c.vendor {
			t.Errorf("%s %s with %s's %s %s: %d, want %d\n%s", c.method, c.path, f, c.kind, x, res.StatusCode, c.vendor, body)
		}
	}
}

// An Idempotency-Key belongs to the person who sent it: another person,
// of another tenant or not, sending the same key and request gets their own
// answer, never a replay of the first person's.
func TestIdempotencyKeysAreNotShared(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newEnv(t, b)
		post := func(who string) (*http.Response, string) {
			return e.do(request{who: who, method: "POST", path: "/v1/orders", headers: map[string]string{"Idempotency-Key": "same-key"},
				body: `{"company_id":{acme},"product":"premium","quantity":1}`})
		}
		first, body := post("acme-cm")
		if first.StatusCode != http.StatusCreated {
			t.Fatalf("first request: %d %s", first.StatusCode, body)
		}
		var order struct{ ID int64 }
		decode(t, body, &order)
		if res, again := post("acme-cm"); res.Header.Get("Idempotent-Replayed") != "true" || again != body {
			t.Fatalf("the same person's retry is not replayed: %d %s", res.StatusCode, again)
		}
		res, other := post("globex-cm")
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Idempotent-Replayed") != "" || strings.Contains(other, `"id"`) {
			t.Errorf("another tenant's manager with the same key: %d %v %s", res.StatusCode, res.Header, other)
		}
		res, pm := post("pm")
		var second struct{ ID int64 }
		decode(t, pm, &second)
		if res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "" || second.ID == order.ID {
			t.Errorf("another person of the tenant with the same key: %d %v %s", res.StatusCode, res.Header, pm)
		}
	})
}

// fataler is a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// items decodes a list's items.
func listItems(t fataler, body string) []map[string]any {
	t.Helper()
	var l struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &l); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return l.Items
}

// num returns the number at a dotted path of a JSON object, 0 when absent.
func jsonAt(item map[string]any, path string) int64 {
	var v any = item
	for _, k := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return 0
		}
		v = m[k]
	}
	f, _ := v.(float64)
	return int64(f)
}

// list gets a list as a, checks its status, and returns its items.
func (e *isoEnv) list(t *testing.T, a isolationActor, path string, want int) []map[string]any {
	t.Helper()
	r := request{who: a.who, method: "GET", path: path, headers: map[string]string{}}
	if a.class == "acting" {
		r.headers["Allot-Company"] = "{" + a.home + "}"
	}
	res, body := e.do(r)
	if res.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d\n%s", path, res.StatusCode, want, body)
	}
	if want != isoOK {
		return nil
	}
	l := listItems(t, body)
	if len(l) == 0 {
		t.Fatalf("GET %s lists nothing: the check below would assert nothing", path)
	}
	return l
}

// idsOf returns the ids of the named things of the env.
func (e *isoEnv) idsOf(names ...string) []int64 {
	out := make([]int64, len(names))
	for i, n := range names {
		out[i] = e.ids[n]
	}
	return out
}

func TestListsHoldOnlyTheCallersTenant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		e := newIsoEnv(t, b)
		for _, a := range isolationActors {
			t.Run(a.name, func(t *testing.T) { e.checkLists(t, a) })
		}
		for _, who := range append([]string{}, vendorStaff...) {
			t.Run(who, func(t *testing.T) { e.checkTokens(t, who, isolationActor{who: who}) })
		}
	})
}

// checkLists gets every list as a and checks that each row belongs to a's
// scope: a partner's customers for its managers (their home company alone
// in manage-company mode, for what manage-company mode narrows), their own
// company for its managers, themself for a learner.
func (e *isoEnv) checkLists(t *testing.T, a isolationActor) {
	home := e.ids[a.home]
	partner := partnerOf[a.home]
	partnerID := e.ids[partner]
	scope := []int64{home}                           // companies whose rows a sees in company lists
	if a.class == "partner" || a.class == "acting" { // the same principal: a partner manager
		scope = e.idsOf(customersOf[partner]...)
	}
	narrow := scope // companies of orders and audit events: manage-company mode narrows them
	if a.class == "acting" {
		narrow = []int64{home}
	}
	isManager := a.class != "learner"
	status := func(okFor bool, otherwise int) int {
		if okFor {
			return isoOK
		}
		return otherwise
	}
	isPartner := a.class == "partner" || a.class == "acting"

	t.Run("partners", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/partners", status(isPartner, isoForbidden)) {
			if jsonAt(it, "id") != partnerID {
				t.Errorf("partner %v listed to %s", it, a.name)
			}
		}
	})
	t.Run("companies", func(t *testing.T) {
		var got []int64
		for _, it := range e.list(t, a, "/v1/companies", status(isManager, isoForbidden)) {
			got = append(got, jsonAt(it, "id"))
			if jsonAt(it, "partner_id") != partnerID {
				t.Errorf("company %v of partner %d listed to %s", it, jsonAt(it, "partner_id"), a.name)
			}
		}
		if isManager && !sameSet(got, scope) {
			t.Errorf("companies %v listed to %s, want %v", got, a.name, scope)
		}
	})
	t.Run("members", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/users?limit=500", status(isManager, http.StatusNotFound)) {
			if jsonAt(it, "user.company_id") != home {
				t.Errorf("member %v listed in %s", it, a.home)
			}
			if _, held := it["seat"]; held && (jsonAt(it, "seat.company_id") != home || jsonAt(it, "seat.user_id") != jsonAt(it, "user.id")) {
				t.Errorf("member %v has a seat of another", it)
			}
		}
	})
	t.Run("members export", func(t *testing.T) {
		r := request{who: a.who, method: "GET", path: "/v1/companies/{" + a.home + "}/users.csv", headers: map[string]string{}}
		if a.class == "acting" {
			r.headers["Allot-Company"] = "{" + a.home + "}"
		}
		res, body := e.do(r)
		if want := status(isManager, http.StatusNotFound); res.StatusCode != want {
			t.Fatalf("GET %s: %d, want %d\n%s", r.path, res.StatusCode, want, body)
		}
		if !isManager {
			return
		}
		// The file holds exactly the members the list holds, which are
		// checked above.
		var got, want []string
		for _, row := range readCSV(t, body)[1:] {
			got = append(got, row[0])
		}
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/users?limit=500", isoOK) {
			u, _ := it["user"].(map[string]any)
			email, _ := u["email"].(string)
			want = append(want, email)
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("users exported to %s: %v, want %v", a.name, got, want)
		}
	})
	t.Run("imports", func(t *testing.T) {
		var got []int64
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/imports?limit=100", status(isManager, http.StatusNotFound)) {
			got = append(got, jsonAt(it, "id"))
			if jsonAt(it, "company_id") != home {
				t.Errorf("import %v listed in %s", it, a.home)
			}
		}
		if want := e.idsOf(a.home + ".import"); isManager && !sameSet(got, want) {
			t.Errorf("imports %v listed in %s, want %v", got, a.home, want)
		}
	})
	for _, l := range []struct{ name, path, id string }{
		{"directory groups", "/directory/groups", ".mapping"},
		{"directory runs", "/directory/runs?limit=100", ".run"},
	} {
		t.Run(l.name, func(t *testing.T) {
			var got []int64
			for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}"+l.path, status(isManager, http.StatusNotFound)) {
				got = append(got, jsonAt(it, "id"))
				if jsonAt(it, "company_id") != home {
					t.Errorf("%v listed in %s", it, a.home)
				}
			}
			if want := e.idsOf(a.home + l.id); isManager && !sameSet(got, want) {
				t.Errorf("%s %v listed in %s, want %v", l.name, got, a.home, want)
			}
		})
	}
	t.Run("orders", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/orders?limit=500", status(isManager, isoForbidden)) {
			if !slices.Contains(narrow, jsonAt(it, "company_id")) || jsonAt(it, "partner_id") != partnerID {
				t.Errorf("order %v listed to %s", it, a.name)
			}
		}
	})
	t.Run("pools", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/pools", status(isManager, http.StatusNotFound)) {
			if jsonAt(it, "company_id") != home {
				t.Errorf("pool %v listed in %s", it, a.home)
			}
		}
	})
	t.Run("seats", func(t *testing.T) {
		path := "/v1/seats?limit=500&company_id={" + a.home + "}"
		if !isManager {
			path = "/v1/seats?limit=500"
		}
		for _, it := range e.list(t, a, path, isoOK) {
			if jsonAt(it, "company_id") != home || !isManager && jsonAt(it, "user_id") != e.ids[a.who] {
				t.Errorf("seat %v listed to %s", it, a.name)
			}
		}
	})
	if !isManager {
		// A learner naming another company still sees only their own seats.
		t.Run("seats of another company", func(t *testing.T) {
			for _, f := range a.foreign {
				res, body := e.do(request{who: a.who, method: "GET", path: "/v1/seats?limit=500&company_id={" + f + "}"})
				if res.StatusCode != isoOK {
					t.Fatalf("seats of %s: %d\n%s", f, res.StatusCode, body)
				}
				if l := listItems(t, body); len(l) != 0 {
					t.Errorf("seats of %s listed to %s: %v", f, a.name, l)
				}
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/expired?product=premium", status(isManager, http.StatusNotFound)) {
			if jsonAt(it, "company_id") != home || jsonAt(it, "id") != e.ids[a.home+".old"] {
				t.Errorf("expired learner %v listed in %s", it, a.home)
			}
		}
	})
	t.Run("invitations", func(t *testing.T) {
		var got []int64
		for _, it := range e.list(t, a, "/v1/companies/{"+a.home+"}/invitations", status(isManager, http.StatusNotFound)) {
			got = append(got, jsonAt(it, "id"))
			if jsonAt(it, "company_id") != home {
				t.Errorf("invitation %v listed in %s", it, a.home)
			}
		}
		if want := e.idsOf(a.home + ".invitation"); isManager && !sameSet(got, want) {
			t.Errorf("invitations %v listed in %s, want %v", got, a.home, want)
		}
	})
	t.Run("programme members", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/programmes/{"+a.home+".programme}/members", status(isManager, http.StatusNotFound)) {
			if jsonAt(it, "company_id") != home || jsonAt(it, "programme_id") != e.ids[a.home+".programme"] {
				t.Errorf("member %v listed in %s's programme", it, a.home)
			}
		}
	})
	t.Run("support requests", func(t *testing.T) {
		// A learner lists their own; a company's manager the company's; a
		// partner's manager its customers', manage-company mode or not.
		var got []int64
		for _, it := range e.list(t, a, "/v1/support/requests?limit=500", isoOK) {
			got = append(got, jsonAt(it, "id"))
			if !slices.Contains(scope, jsonAt(it, "company_id")) || jsonAt(it, "partner_id") != partnerID ||
				!isManager && jsonAt(it, "requester_id") != e.ids[a.who] {
				t.Errorf("request %v listed to %s", it, a.name)
			}
		}
		var want []int64
		for _, c := range scope {
			for _, name := range []string{"acme", "beta", "globex", "solo"} {
				if e.ids[name] == c {
					want = append(want, e.ids[name+".request"])
				}
			}
		}
		if !sameSet(got, want) {
			t.Errorf("requests %v listed to %s, want %v", got, a.name, want)
		}
	})
	t.Run("audit", func(t *testing.T) {
		for _, it := range e.list(t, a, "/v1/audit?limit=500", status(isManager, isoForbidden)) {
			c := jsonAt(it, "company_id")
			if c == 0 && (a.class != "partner" || jsonAt(it, "partner_id") != partnerID) || c != 0 && !slices.Contains(narrow, c) {
				t.Errorf("event %v listed to %s", it, a.name)
			}
			for _, k := range []string{"before", "after"} {
				if s, _ := it[k].(string); strings.Contains(s, "PasswordHash") || strings.Contains(s, "$argon2") {
					t.Errorf("event %v holds a password hash", it)
				}
			}
		}
	})
	t.Run("tokens", func(t *testing.T) { e.checkTokens(t, a.who, a) })
}

// checkTokens checks that who's token list is exactly their tokens, as the
// store holds them.
func (e *isoEnv) checkTokens(t *testing.T, who string, a isolationActor) {
	var want []int64
	err := e.db.Read(context.Background(), func(tx allot.Tx) error {
		ts, err := tx.Tokens(e.ids[who])
		for _, tok := range ts {
			want = append(want, tok.ID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, it := range e.list(t, a, "/v1/me/tokens", isoOK) {
		got = append(got, jsonAt(it, "id"))
	}
	if len(want) < 2 || !sameSet(got, want) {
		t.Errorf("tokens %v listed to %s, want %v", got, who, want)
	}
}

// sameSet reports whether a and b hold the same numbers, as often.
func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
