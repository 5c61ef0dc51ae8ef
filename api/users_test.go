package api_test

import (
	"testing"
	"time"
)

// TestUsers adds a user, who gets a seat at once, and removes them, which
// releases the seat.
func TestUsers(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a company manager adds a learner", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":" Ada@Acme.test ","first_name":"Ada","last_name":"Costa","department":"Sales"}`},
				status: 201, want: []string{`"email":"ada@acme.test"`, `"first_name":"Ada"`, `"department":"Sales"`, `"role":"learner"`, `"company_id":{acme}`},
				notWant: []string{`"removed_at"`, `"last_login_at"`}, keep: map[string]string{"ada": "id"}},
			{name: "the learner has a seat at once", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=costa"},
				status: 200, want: []string{`"status":"active"`, `"user_id":{ada},`, `"pool_id":{acme.pool},`, `"ends_at":"2027-03-02T09:00:00Z"`},
				check: e.wantIDs("ada"), keep: map[string]string{"ada.seat": "items.0.seat.id"}},
			{name: "the pool counts it", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/pools"},
				status: 200, want: []string{`"bought":500,"allocated":2,"free":498`}},
			{name: "a company manager is added without a seat", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"deputy@acme.test","role":"company_manager"}`},
				status: 201, want: []string{`"role":"company_manager"`}, keep: map[string]string{"deputy": "id"}},
			{name: "the deputy holds no seat", request: request{who: "acme-cm", method: "GET", path: "/v1/seats?company_id={acme}&user_id={deputy}"},
				status: 200, want: []string{`"items":[]`}},
			{name: "an e-mail is used once", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users", body: `{"email":"ADA@acme.test"}`},
				status: 409, want: []string{`"code":"conflict"`, `"location":"body.email"`}},
			{name: "a manager who reads French in Paris", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/users",
				body: `{"email":"claire@acme.test","role":"company_manager","lang":"fr","zone":"Europe/Paris"}`},
				status: 201, want: []string{`"lang":"fr"`, `"zone":"Europe/Paris"`}},
			{name: "a time zone must be one", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"zed@acme.test","zone":"Mars/Olympus"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.zone"`}},
			{name: "an e-mail must be one", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users", body: `{"email":"ada at acme"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.email"`}},
			{name: "a company's user is a learner or a manager", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"boss@acme.test","role":"vendor_admin"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.role"`}},
			{name: "a learner may not add users", request: request{who: "acme-learner", method: "POST", path: "/v1/companies/{acme}/users", body: `{"email":"x@acme.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a partner manager adds learners only in manage-company mode", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"x@acme.test"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "another company's manager sees no such company", request: request{who: "globex-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"x@acme.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "users of a missing company", request: request{who: "admin", method: "POST", path: "/v1/companies/999999/users", body: `{"email":"x@acme.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},

			{name: "a company manager reads a learner", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{ada}"},
				status: 200, want: []string{`"id":{ada},`, `"email":"ada@acme.test"`}},
			{name: "a learner reads themself", request: request{who: "acme-learner", method: "GET", path: "/v1/users/{acme.learner}"},
				status: 200, want: []string{`"email":"learner@acme.test"`}},
			{name: "a learner reads nobody else", request: request{who: "acme-learner", method: "GET", path: "/v1/users/{ada}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager does not read vendor staff", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{pm}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "another company's learner reads as not found", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{globex.learner}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing user", request: request{who: "admin", method: "GET", path: "/v1/users/999999"},
				status: 404, want: []string{`"code":"not_found"`}},

			{name: "a partner manager removes users only in manage-company mode", request: request{who: "pm", method: "DELETE", path: "/v1/users/{ada}"},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a learner may not remove users", request: request{who: "acme-learner", method: "DELETE", path: "/v1/users/{ada}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a manager does not remove themself", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{acme.cm}"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "a company manager removes a learner", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{ada}"},
				status: 200, want: []string{`"id":{ada},`, `"removed_at":"2026-03-02T09:00:00Z"`}},
			{name: "the seat is released", request: request{who: "acme-cm", method: "GET", path: "/v1/seats?company_id={acme}&user_id={ada}"},
				status: 200, want: []string{`"id":{ada.seat},`, `"status":"released"`, `"release_reason":"removed"`}},
			{name: "the seat is back in its pool", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/pools"},
				status: 200, want: []string{`"bought":500,"allocated":1,"free":499`}},
			{name: "a removed user is no longer a member", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users"},
				status: 200, check: e.wantIDs("acme.cm", "acme.learner", "deputy")},
			{name: "a removed user is removed once", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{ada}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a removed user has no access", request: request{who: "admin", method: "GET", path: "/v1/check?user={ada}&product=premium"},
				status: 200, want: []string{`"allowed":false`, `"reason":"removed"`}},
			{name: "in manage-company mode a partner manager removes a learner", request: request{who: "pm", method: "DELETE", path: "/v1/users/{acme.learner}",
				headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 200, want: []string{`"removed_at"`}},
			{name: "a removed learner's token stops working", request: request{who: "acme-learner", method: "GET", path: "/v1/me"},
				status: 401, want: []string{`"code":"unauthorized"`}},
			{name: "a missing user is not removed", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/999999"},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}

// TestMembersFilters lists a company's members by licence status, by login
// and by text.
func TestMembersFilters(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		// tiny has one seat: its second learner waits, unlicensed.
		e.run(t, []scenario{
			{name: "a company of one seat", request: request{who: "admin", method: "POST", path: "/v1/companies",
				body: `{"name":"Tiny","default_product":"premium","first_order":{"product":"premium","quantity":1}}`},
				status: 201, keep: map[string]string{"tiny": "company.id", "tiny.order": "order.id"}},
			{name: "its order is assigned", request: request{who: "am", method: "POST", path: "/v1/orders/{tiny.order}/assign"}, status: 200},
			{name: "its manager", request: request{who: "admin", method: "POST", path: "/v1/companies/{tiny}/users",
				body: `{"email":"cm@tiny.test","first_name":"Tina","last_name":"Boss","role":"company_manager"}`},
				status: 201, keep: map[string]string{"tiny.cm": "id"}},
			{name: "its first learner gets the seat", request: request{who: "admin", method: "POST", path: "/v1/companies/{tiny}/users",
				body: `{"email":"first@tiny.test","first_name":"Fay"}`, headers: map[string]string{"Allot-Company": "{tiny}"}},
				status: 201, keep: map[string]string{"tiny.first": "id"}},
			{name: "its second learner is added all the same", request: request{who: "admin", method: "POST", path: "/v1/companies/{tiny}/users",
				body: `{"email":"second@tiny.test","first_name":"Sam"}`, headers: map[string]string{"Allot-Company": "{tiny}"}},
				status: 201, keep: map[string]string{"tiny.second": "id"}},
			{name: "the first learner logs in to the product", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":"first@tiny.test"}`},
				status: 204},

			{name: "every member", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users"},
				status: 200, check: e.wantIDs("tiny.cm", "tiny.first", "tiny.second")},
			{name: "active", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=active"},
				status: 200, want: []string{`"status":"active"`}, check: e.wantIDs("tiny.first")},
			{name: "unlicensed", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=unlicensed"},
				status: 200, want: []string{`"status":"unlicensed"`}, notWant: []string{`"seat"`}, check: e.wantIDs("tiny.second")},
			{name: "expired: none yet", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=expired"},
				status: 200, want: []string{`"items":[]`}},
			{name: "released: none yet", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=released"},
				status: 200, want: []string{`"items":[]`}},
			{name: "managers", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?role=company_manager"},
				status: 200, check: e.wantIDs("tiny.cm")},
			{name: "never logged in", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?never_logged_in=true"},
				status: 200, check: e.wantIDs("tiny.cm", "tiny.second")},
			{name: "inactive for 30 days: only those who never logged in yet", request: request{who: "admin", method: "GET",
				path: "/v1/companies/{tiny}/users?inactive_days=30"},
				status: 200, check: e.wantIDs("tiny.cm", "tiny.second")},
			{name: "text in the e-mail", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?q=SECOND@"},
				status: 200, check: e.wantIDs("tiny.second")},
			{name: "text in the name", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?q=tina%20boss"},
				status: 200, check: e.wantIDs("tiny.cm")},
			{name: "text matching nobody", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?q=%25"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the statuses of another product", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?product=coaching&status=unlicensed"},
				status: 200, want: []string{`"items":[]`}},
			{name: "an unknown status", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "an unknown product", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?product=nope"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "an unknown role", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?role=vendor_admin"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.role"`}},
			{name: "a bad cursor", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?cursor=abc"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.cursor"`}},
			{name: "another partner's manager sees no such company", request: request{who: "pm", method: "GET", path: "/v1/companies/{tiny}/users"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner lists no members", request: request{who: "acme-learner", method: "GET", path: "/v1/companies/{acme}/users"},
				status: 404, want: []string{`"code":"not_found"`}},
		})

		e.clock.Advance(31 * 24 * time.Hour)
		e.run(t, []scenario{
			{name: "a month later everyone is inactive for 30 days", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?inactive_days=30"},
				status: 200, check: e.wantIDs("tiny.cm", "tiny.first", "tiny.second")},
			{name: "but not for 40", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?inactive_days=40"},
				status: 200, check: e.wantIDs("tiny.cm", "tiny.second")},
			{name: "a new order for tiny", request: request{who: "admin", method: "POST", path: "/v1/orders",
				body: `{"company_id":{tiny},"product":"premium","quantity":1}`},
				status: 201, keep: map[string]string{"tiny.order2": "id"}},
			{name: "assigning it seats the waiting learner", request: request{who: "am", method: "POST", path: "/v1/orders/{tiny.order2}/assign"},
				status: 200, want: []string{`"bought":1,"allocated":1,"free":0`}},
			{name: "no one is unlicensed any more", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=unlicensed"},
				status: 200, want: []string{`"items":[]`}},
			{name: "both learners are active", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=active"},
				status: 200, check: e.wantIDs("tiny.first", "tiny.second")},
		})

		e.clock.Advance(366 * 24 * time.Hour)
		e.run(t, []scenario{
			{name: "a year later the seats have expired", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=expired"},
				status: 200, want: []string{`"status":"expired"`}, check: e.wantIDs("tiny.first", "tiny.second")},
			{name: "and none is active", request: request{who: "admin", method: "GET", path: "/v1/companies/{tiny}/users?status=active"},
				status: 200, want: []string{`"items":[]`}},
		})
	})
}
