package api_test

import (
	"net/http"
	"testing"
	"time"
)

// TestRenewal lets solo's pool expire, lists its expired learners and
// renews them from new pools: chosen ones, then all.
func TestRenewal(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a second learner", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/users", body: `{"email":"two@solo.test"}`},
				status: 201, keep: map[string]string{"two": "id"}},
			{name: "a third learner", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/users", body: `{"email":"three@solo.test"}`},
				status: 201, keep: map[string]string{"three": "id"}},
			{name: "no one has expired yet", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, want: []string{`"items":[]`}},
		})

		// The pool ends on 2027-03-02 at 09:00: a day before, it is expiring.
		e.clock.Set(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		e.run(t, []scenario{
			{name: "the members' licences are expiring", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/users?status=expiring"},
				status: 200, want: []string{`"status":"expiring"`}, check: e.wantIDs("solo.learner", "two", "three")},
			{name: "an expiring learner still has access", request: request{who: "admin", method: "GET", path: "/v1/check?user=two@solo.test&product=premium"},
				status: 200, want: []string{`"allowed":true`, `"status":"expiring"`, `"until":"2027-03-02T09:00:00Z"`}},
			{name: "and is not expired", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, want: []string{`"items":[]`}},
		})
		e.clock.Set(time.Date(2027, 3, 3, 9, 0, 0, 0, time.UTC))
		e.run(t, []scenario{
			{name: "the expired learners", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("solo.learner", "two", "three")},
			{name: "the vendor sees them", request: request{who: "am", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("solo.learner", "two", "three")},
			{name: "the expired members", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/users?status=expired"},
				status: 200, want: []string{`"status":"expired"`}, check: e.wantIDs("solo.learner", "two", "three")},
			{name: "the pool has expired", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/pools"},
				status: 200, want: []string{`"id":{solo.pool},`, `"status":"expired"`}},
			{name: "an expired learner has no access", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@solo.test&product=premium"},
				status: 200, want: []string{`"allowed":false`, `"status":"expired"`, `"reason":"expired"`, `"until":"2027-03-02T09:00:00Z"`,
					`"message":"access to Premium expired on 2027-03-02"`, `"contact":{"name":"cm@solo.test","email":"cm@solo.test"}`}},
			{name: "a partner sees no direct customer", request: request{who: "pm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner sees no list", request: request{who: "solo-learner", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the product is required", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "the product must exist", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=nope"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "an expired pool gives no seat", request: request{who: "solo-cm", method: "POST", path: "/v1/seats",
				body: `{"user_id":{two},"product":"premium","pool_id":{solo.pool}}`},
				status: 409, want: []string{`"code":"conflict"`, `expired`}},
			{name: "no renewal without a live pool", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","user_ids":[{two}]}`},
				status: 409, want: []string{`"code":"conflict"`, `only 0 free seats`}},

			{name: "a renewal order of two", request: request{who: "solo-cm", method: "POST", path: "/v1/orders", body: `{"company_id":{solo},"product":"premium","quantity":2}`},
				status: 201, keep: map[string]string{"renewal": "id"}},
			{name: "assigned by the account manager", request: request{who: "am", method: "POST", path: "/v1/orders/{renewal}/assign"},
				status: 200, want: []string{`"ends_at":"2028-03-03T09:00:00Z"`}, keep: map[string]string{"renewal.pool": "pool.id"}},
			{name: "the vendor renews only in manage-company mode", request: request{who: "am", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a partner renews no direct customer", request: request{who: "pm2", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "another company's manager renews nothing here", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a renewal of a missing company", request: request{who: "admin", method: "POST", path: "/v1/companies/999999/renewals",
				body: `{"product":"premium","all":true}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "choose someone", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals", body: `{"product":"premium","user_ids":[]}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.user_ids"`}},
			{name: "only expired learners are renewed", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","user_ids":[{two},{solo.cm}]}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.user_ids[1]"`}},
			{name: "a renewal of an unknown product", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"nope","all":true}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.product"`}},
			{name: "a renewal from another company's pool", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true,"pool_id":{globex.pool}}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "all three do not fit in two seats: nobody is renewed", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true}`},
				status: 409, want: []string{`"code":"conflict"`, `3 learners to renew but only 2 free seats`}},
			{name: "still three expired", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("solo.learner", "two", "three")},
			{name: "two chosen learners are renewed, a repeated one once", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","user_ids":[{solo.learner},{two},{solo.learner}]}`},
				status: 201, want: []string{`"user_id":{solo.learner},`, `"user_id":{two},`, `"pool_id":{renewal.pool},`,
					`"starts_at":"2027-03-03T09:00:00Z","ends_at":"2028-03-03T09:00:00Z","status":"active"`},
				notWant: []string{`"user_id":{three},`},
				check: func(t *testing.T, _ *http.Response, body string) {
					if n := len(itemIDs(t, body)); n != 2 {
						t.Errorf("%d seats, want 2", n)
					}
				}},
			{name: "one expired learner left", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("three")},
			{name: "a renewed learner is not renewed again", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","user_ids":[{two}]}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.user_ids[0]"`}},
			{name: "the renewal pool is full", request: request{who: "solo-cm", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true}`},
				status: 409, want: []string{`"code":"conflict"`, `1 learners to renew but only 0 free seats`}},
			{name: "a renewed learner has access", request: request{who: "admin", method: "GET", path: "/v1/check?user=two@solo.test&product=premium"},
				status: 200, want: []string{`"allowed":true`, `"until":"2028-03-03T09:00:00Z"`}},

			{name: "another order", request: request{who: "solo-cm", method: "POST", path: "/v1/orders", body: `{"company_id":{solo},"product":"premium","quantity":5}`},
				status: 201, keep: map[string]string{"more": "id"}},
			{name: "assigned", request: request{who: "admin", method: "POST", path: "/v1/orders/{more}/assign"},
				status: 200, keep: map[string]string{"more.pool": "pool.id"}},
			{name: "in manage-company mode the vendor renews all from a chosen pool", request: request{who: "am", method: "POST", path: "/v1/companies/{solo}/renewals",
				body: `{"product":"premium","all":true,"pool_id":{more.pool}}`, headers: map[string]string{"Allot-Company": "{solo}"}},
				status: 201, want: []string{`"user_id":{three},`, `"pool_id":{more.pool},`}, notWant: []string{`"user_id":{two},`}},
			{name: "no one is left expired", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the pools count the renewed seats", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/pools"},
				status: 200, want: []string{`"id":{renewal.pool},"order_id":{renewal},"company_id":{solo},"product_id":{premium},"bought":2,"allocated":2,"free":0`,
					`"id":{more.pool},"order_id":{more},"company_id":{solo},"product_id":{premium},"bought":5,"allocated":1,"free":4`}},
		})
	})
}
