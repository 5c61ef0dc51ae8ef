package api_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
)

// route is one operation of the API with a request to it that passes
// validation, so that only the credentials decide the answer.
type route struct {
	op   string // METHOD and path template, as in the OpenAPI document
	path string
	body string
}

var everyRoute = []route{
	{"POST /v1/auth/login", "/v1/auth/login", `{"email":"nobody@acme.test","password":"` + Password + `"}`},
	{"POST /v1/auth/logout", "/v1/auth/logout", ""},
	{"POST /v1/auth/forgot", "/v1/auth/forgot", `{"email":"cm@acme.test"}`},
	{"GET /v1/me", "/v1/me", ""},
	{"POST /v1/me/password", "/v1/me/password", `{"current_password":"` + Password + `","new_password":"another long password"}`},
	{"GET /v1/me/tokens", "/v1/me/tokens", ""},
	{"POST /v1/me/tokens", "/v1/me/tokens", `{"name":"script"}`},
	{"DELETE /v1/me/tokens/{id}", "/v1/me/tokens/1", ""},
	{"POST /v1/manage", "/v1/manage", `{"company_id":{acme}}`},
	{"DELETE /v1/manage", "/v1/manage", ""},
	{"GET /v1/partners", "/v1/partners", ""},
	{"POST /v1/partners", "/v1/partners", `{"name":"Northwind"}`},
	{"GET /v1/partners/{id}", "/v1/partners/{partner1}", ""},
	{"GET /v1/companies", "/v1/companies", ""},
	{"POST /v1/companies", "/v1/companies", `{"name":"Initech"}`},
	{"GET /v1/companies/{id}", "/v1/companies/{acme}", ""},
	{"PATCH /v1/companies/{id}", "/v1/companies/{acme}", `{"suspended":true}`},
	{"GET /v1/products", "/v1/products", ""},
	{"POST /v1/products", "/v1/products", `{"code":"ai-coach","name":"AI coach"}`},
	{"POST /v1/staff", "/v1/staff", `{"email":"new@vendor.test","role":"support_agent"}`},
	{"GET /v1/companies/{id}/users", "/v1/companies/{acme}/users", ""},
	{"POST /v1/companies/{id}/users", "/v1/companies/{acme}/users", `{"email":"new@acme.test"}`},
	{"GET /v1/users/{id}", "/v1/users/{acme.learner}", ""},
	{"GET /v1/companies/{id}/programmes", "/v1/companies/{acme}/programmes", ""},
	{"POST /v1/companies/{id}/programmes", "/v1/companies/{acme}/programmes", `{"name":"Onboarding","products":["premium"]}`},
	{"GET /v1/programmes/{id}", "/v1/programmes/1", ""},
	{"POST /v1/programmes/{id}/invitations/plan", "/v1/programmes/1/invitations/plan", `{"pool_id":{acme.pool},"emails":"new@acme.test"}`},
	{"POST /v1/programmes/{id}/invitations/preview", "/v1/programmes/1/invitations/preview", `{"pool_id":{acme.pool},"emails":"new@acme.test"}`},
	{"POST /v1/programmes/{id}/invitations", "/v1/programmes/1/invitations", `{"pool_id":{acme.pool},"emails":"new@acme.test"}`},
	{"GET /v1/companies/{id}/invitations", "/v1/companies/{acme}/invitations", ""},
	{"GET /v1/programmes/{id}/members", "/v1/programmes/1/members", ""},
	{"PATCH /v1/invitations/{id}", "/v1/invitations/1", `{"send_date":"2027-01-08","send_time":"09:30","zone":"Europe/Paris"}`},
	{"POST /v1/invitations/{id}/cancel", "/v1/invitations/1/cancel", ""},
	{"POST /v1/invitations/{id}/send-now", "/v1/invitations/1/send-now", ""},
	{"POST /v1/invitations/{id}/resend", "/v1/invitations/1/resend", ""},
	{"POST /v1/users/{id}/welcome", "/v1/users/{acme.learner}/welcome", ""},
	{"PATCH /v1/users/{id}", "/v1/users/{acme.learner}", `{"department":"Sales"}`},
	{"DELETE /v1/users/{id}", "/v1/users/{acme.learner}", ""},
	{"GET /v1/companies/{id}/users.csv", "/v1/companies/{acme}/users.csv", ""},
	{"POST /v1/companies/{id}/imports", "/v1/companies/{acme}/imports?kind=users", "email\nnew@acme.test\n"},
	{"GET /v1/companies/{id}/imports", "/v1/companies/{acme}/imports", ""},
	{"GET /v1/imports/{id}", "/v1/imports/1", ""},
	{"POST /v1/imports/{id}/preview", "/v1/imports/1/preview", `{"mapping":{"email":"email"}}`},
	{"POST /v1/imports/{id}/confirm", "/v1/imports/1/confirm", ""},
	{"GET /v1/imports/{id}/rows", "/v1/imports/1/rows", ""},
	{"GET /v1/imports/{id}/errors.csv", "/v1/imports/1/errors.csv", ""},
	{"GET /v1/orders", "/v1/orders", ""},
	{"POST /v1/orders", "/v1/orders", `{"company_id":{acme},"product":"premium","quantity":1}`},
	{"GET /v1/orders/{id}", "/v1/orders/{acme.order}", ""},
	{"POST /v1/orders/{id}/assign", "/v1/orders/{acme.order}/assign", ""},
	{"POST /v1/orders/{id}/cancel", "/v1/orders/{acme.order}/cancel", ""},
	{"POST /v1/orders/{id}/reject", "/v1/orders/{acme.order}/reject", `{"reason":"no"}`},
	{"GET /v1/companies/{id}/pools", "/v1/companies/{acme}/pools", ""},
	{"GET /v1/seats", "/v1/seats", ""},
	{"POST /v1/seats", "/v1/seats", `{"user_id":{acme.cm},"product":"premium"}`},
	{"POST /v1/seats/{id}/release", "/v1/seats/{acme.seat}/release", `{"reason":"other"}`},
	{"POST /v1/seats/{id}/reallocate", "/v1/seats/{acme.seat}/reallocate", `{"user_id":{acme.cm}}`},
	{"GET /v1/companies/{id}/expired", "/v1/companies/{acme}/expired?product=premium", ""},
	{"POST /v1/companies/{id}/renewals", "/v1/companies/{acme}/renewals", `{"product":"premium","all":true}`},
	{"POST /v1/pools/{id}/transfer", "/v1/pools/{acme.pool}/transfer", `{"to_company_id":{beta},"count":1}`},
	{"POST /v1/companies/{id}/fill-waiting", "/v1/companies/{acme}/fill-waiting", ""},
	{"PUT /v1/companies/{id}/settings/fill-waiting", "/v1/companies/{acme}/settings/fill-waiting", `{"on":false}`},
	{"GET /v1/companies/{id}/scim", "/v1/companies/{acme}/scim", ""},
	{"POST /v1/companies/{id}/scim/token", "/v1/companies/{acme}/scim/token", ""},
	{"DELETE /v1/companies/{id}/scim/token", "/v1/companies/{acme}/scim/token", ""},
	{"GET /v1/companies/{id}/sso", "/v1/companies/{acme}/sso", ""},
	{"PUT /v1/companies/{id}/sso", "/v1/companies/{acme}/sso", `{"issuer":"https://login.acme.example","client_id":"allot","client_secret":"s","domains":["acme.test"]}`},
	{"DELETE /v1/companies/{id}/sso", "/v1/companies/{acme}/sso", ""},
	{"GET /v1/partners/{id}/sso", "/v1/partners/{partner1}/sso", ""},
	{"PUT /v1/partners/{id}/sso", "/v1/partners/{partner1}/sso", `{"issuer":"https://login.channel.example","client_id":"allot","client_secret":"s","domains":["channel.test"]}`},
	{"DELETE /v1/partners/{id}/sso", "/v1/partners/{partner1}/sso", ""},
	{"GET /v1/companies/{id}/directory/groups", "/v1/companies/{acme}/directory/groups", ""},
	{"POST /v1/companies/{id}/directory/groups", "/v1/companies/{acme}/directory/groups", `{"group":"cn=all","product":"premium"}`},
	{"DELETE /v1/companies/{id}/directory/groups/{mapping}", "/v1/companies/{acme}/directory/groups/1", ""},
	{"GET /v1/companies/{id}/directory/ldap", "/v1/companies/{acme}/directory/ldap", ""},
	{"PUT /v1/companies/{id}/directory/ldap", "/v1/companies/{acme}/directory/ldap", `{"preset":"openldap","url":"ldap://ldap.acme.test","bind_dn":"cn=allot,dc=acme","password":"s3cret","base_dn":"dc=acme"}`},
	{"POST /v1/companies/{id}/directory/ldap/sync", "/v1/companies/{acme}/directory/ldap/sync", `{"full":true}`},
	{"DELETE /v1/companies/{id}/directory/ldap", "/v1/companies/{acme}/directory/ldap", ""},
	{"GET /v1/companies/{id}/directory/owned", "/v1/companies/{acme}/directory/owned", ""},
	{"PUT /v1/companies/{id}/directory/owned", "/v1/companies/{acme}/directory/owned", `{"fields":["email"]}`},
	{"GET /v1/companies/{id}/directory/runs", "/v1/companies/{acme}/directory/runs", ""},
	{"POST /v1/directory/runs/{id}/confirm", "/v1/directory/runs/1/confirm", ""},
	{"GET /v1/home", "/v1/home", ""},
	{"GET /v1/renewals", "/v1/renewals", ""},
	{"GET /v1/support/requests", "/v1/support/requests", ""},
	{"POST /v1/support/requests", "/v1/support/requests", `{"subject":"Help","body":"Please","category":"technical"}`},
	{"GET /v1/support/requests/{id}", "/v1/support/requests/1", ""},
	{"PATCH /v1/support/requests/{id}", "/v1/support/requests/1", `{"status":"closed"}`},
	{"POST /v1/support/requests/{id}/messages", "/v1/support/requests/1/messages", `{"body":"More"}`},
	{"POST /v1/support/requests/{id}/replies", "/v1/support/requests/1/replies", `{"body":"Done"}`},
	{"POST /v1/support/requests/{id}/notes", "/v1/support/requests/1/notes", `{"body":"Note"}`},
	{"POST /v1/support/requests/{id}/escalate", "/v1/support/requests/1/escalate", `{"reason":"Growth"}`},
	{"POST /v1/support/requests/{id}/copy-success", "/v1/support/requests/1/copy-success", ""},
	{"GET /v1/support/requests/{id}/licences", "/v1/support/requests/1/licences", ""},
	{"GET /v1/support/attachments/{id}", "/v1/support/attachments/1", ""},
	{"GET /v1/support/routes", "/v1/support/routes", ""},
	{"PUT /v1/support/routes", "/v1/support/routes", `{"routes":[{"category":"technical","label":"Technical","team":"support"}]}`},
	{"GET /v1/support/policies", "/v1/support/policies", ""},
	{"POST /v1/support/policies", "/v1/support/policies", standardPolicy},
	{"PUT /v1/support/policies/{id}", "/v1/support/policies/1", standardPolicy},
	{"GET /v1/companies/{id}/reclaim-rules", "/v1/companies/{acme}/reclaim-rules", ""},
	{"PUT /v1/companies/{id}/reclaim-rules", "/v1/companies/{acme}/reclaim-rules", `{"rules":[{"days":90}]}`},
	{"GET /v1/companies/{id}/reclaim-rules/preview", "/v1/companies/{acme}/reclaim-rules/preview", ""},
	{"GET /v1/companies/{id}/support-account", "/v1/companies/{acme}/support-account", ""},
	{"PUT /v1/companies/{id}/support-account", "/v1/companies/{acme}/support-account", `{"success_id":{success}}`},
	{"GET /v1/partners/{id}/support-account", "/v1/partners/{partner1}/support-account", ""},
	{"PUT /v1/partners/{id}/support-account", "/v1/partners/{partner1}/support-account", `{}`},
	{"GET /v1/help/articles", "/v1/help/articles", ""},
	{"POST /v1/help/articles", "/v1/help/articles", `{"title":"Mine","body":"x","audiences":["members"]}`},
	{"GET /v1/help/articles/{slug}", "/v1/help/articles/ordering-licences", ""},
	{"PATCH /v1/help/articles/{slug}", "/v1/help/articles/ordering-licences", `{"published":false}`},
	{"DELETE /v1/help/articles/{slug}", "/v1/help/articles/ordering-licences", ""},
	{"GET /v1/help/search", "/v1/help/search?q=seat", ""},
	{"GET /v1/webhooks", "/v1/webhooks", ""},
	{"POST /v1/webhooks", "/v1/webhooks", `{"url":"https://203.0.113.10/allot","types":["seat.given"]}`},
	{"GET /v1/webhooks/{id}", "/v1/webhooks/1", ""},
	{"PATCH /v1/webhooks/{id}", "/v1/webhooks/1", `{"enabled":false}`},
	{"DELETE /v1/webhooks/{id}", "/v1/webhooks/1", ""},
	{"POST /v1/webhooks/{id}/rotate-secret", "/v1/webhooks/1/rotate-secret", ""},
	{"GET /v1/webhooks/{id}/deliveries", "/v1/webhooks/1/deliveries", ""},
	{"GET /v1/webhook-deliveries/{id}", "/v1/webhook-deliveries/1", ""},
	{"POST /v1/webhook-deliveries/{id}/replay", "/v1/webhook-deliveries/1/replay", ""},
	{"GET /v1/webhook-types", "/v1/webhook-types", ""},
	{"GET /v1/reports", "/v1/reports", ""},
	{"GET /v1/reports/{slug}", "/v1/reports/seats", ""},
	{"GET /v1/audit", "/v1/audit", ""},
	{"GET /v1/check", "/v1/check?user=learner@acme.test&product=premium", ""},
	{"GET /v1/signing-keys", "/v1/signing-keys", ""},
	{"POST /v1/signing-keys/rotate", "/v1/signing-keys/rotate", ""},
	{"POST /v1/logins", "/v1/logins", `{"user":"learner@acme.test"}`},
}

// TestEveryRouteAsksForCredentials sends a valid request to every operation
// of the API without credentials, and with bad ones: each is 401 (signing in
// and out excepted) and changes nothing. The table must name every
// operation of the OpenAPI document.
func TestEveryRouteAsksForCredentials(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		t.Run("the table names every operation", func(t *testing.T) {
			res, body := e.do(request{method: "GET", path: "/openapi.json"})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("openapi.json: %d", res.StatusCode)
			}
			var doc struct {
				Paths map[string]map[string]any `json:"paths"`
			}
			decode(t, body, &doc)
			tested := map[string]bool{}
			for _, r := range everyRoute {
				tested[r.op] = true
			}
			var missing []string
			n := 0
			for path, ops := range doc.Paths {
				for method := range ops {
					n++
					if op := strings.ToUpper(method) + " " + path; !tested[op] {
						missing = append(missing, op)
					}
				}
			}
			sort.Strings(missing)
			if len(missing) > 0 || n != len(everyRoute) {
				t.Errorf("%d operations, %d tested; untested: %v", n, len(everyRoute), missing)
			}
		})

		var scenarios []scenario
		for _, r := range everyRoute {
			sc := scenario{name: r.op + " without credentials", request: request{method: strings.Fields(r.op)[0], path: r.path, body: r.body},
				status: 401, want: []string{`"code":"unauthorized"`}}
			switch r.op {
			case "POST /v1/auth/login": // wrong credentials: the same 401
				sc.want = append(sc.want, `"detail":"wrong e-mail or password"`)
			case "POST /v1/auth/logout": // no session to end
				sc.status, sc.want = 204, nil
			case "POST /v1/auth/forgot": // for people who cannot sign in
				sc.status, sc.want = 200, []string{`"status":"if this e-mail has an account`}
			}
			scenarios = append(scenarios, sc)
			if sc.status != 401 || r.op == "POST /v1/auth/login" {
				continue
			}
			for _, bad := range []struct{ name, value string }{
				{"an unknown token", "Bearer allot_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
				{"a secret that is not a token", "Bearer " + Password},
				{"a password as Basic credentials", "Basic Y21AYWNtZS50ZXN0OmNvcnJlY3QgaG9yc2UgYmF0dGVyeQ=="},
			} {
				scenarios = append(scenarios, scenario{name: r.op + " with " + bad.name,
					request: request{method: sc.method, path: r.path, body: r.body, headers: map[string]string{"Authorization": bad.value}},
					status:  401, want: []string{`"code":"unauthorized"`},
					check: func(t *testing.T, res *http.Response, body string) {
						if got := res.Header.Get("WWW-Authenticate"); got != `Bearer realm="allot"` {
							t.Errorf("WWW-Authenticate %q", got)
						}
					}})
			}
		}
		e.run(t, scenarios)

		e.run(t, []scenario{
			{name: "the order is still requested", request: request{who: "admin", method: "GET", path: "/v1/orders/{acme.order}"},
				status: 200, want: []string{`"status":"requested"`}},
			{name: "the seat is still held", request: request{who: "admin", method: "GET", path: "/v1/seats?user_id={acme.learner}"},
				status: 200, want: []string{`"id":{acme.seat},`, `"status":"active"`}, notWant: []string{`"released_at"`}},
			{name: "no user was added", request: request{who: "admin", method: "GET", path: "/v1/companies/{acme}/users?q=new"},
				status: 200, want: []string{`"items":[]`}},
			{name: "no company was made", request: request{who: "admin", method: "GET", path: "/v1/companies?q=initech"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the company is not suspended", request: request{who: "admin", method: "GET", path: "/v1/companies/{acme}"},
				status: 200, want: []string{`"suspended":false`}},
			{name: "no login was recorded", request: request{who: "admin", method: "GET", path: "/v1/users/{acme.learner}"},
				status: 200, notWant: []string{`"last_login_at"`}},
		})
	})
}
