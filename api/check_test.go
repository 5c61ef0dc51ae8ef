package api_test

import (
	"net/http"
	"testing"
)

// TestCheck asks the entitlement question by e-mail and by ID, of users who
// may and may not use a product, and why not.
func TestCheck(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "by e-mail, allowed", request: request{who: "admin", method: "GET", path: "/v1/check?user=Learner@ACME.test&product=premium"},
				status: 200, want: []string{`"allowed":true`, `"user_id":{acme.learner},`, `"email":"learner@acme.test"`, `"product":"premium"`,
					`"status":"active"`, `"until":"2027-03-02T09:00:00Z"`},
				notWant: []string{`"reason"`, `"contact"`}},
			{name: "by ID, allowed", request: request{who: "admin", method: "GET", path: "/v1/check?user={acme.learner}&product=premium"},
				status: 200, want: []string{`"allowed":true`, `"email":"learner@acme.test"`}},
			{name: "a learner asks about themself", request: request{who: "acme-learner", method: "GET", path: "/v1/check?user={acme.learner}&product=premium"},
				status: 200, want: []string{`"allowed":true`}},
			{name: "a learner asks about nobody else", request: request{who: "acme-learner", method: "GET", path: "/v1/check?user=cm@acme.test&product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager asks about their learner", request: request{who: "acme-cm", method: "GET", path: "/v1/check?user=learner@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":true`}},
			{name: "a company manager asks about no other company's learner", request: request{who: "acme-cm", method: "GET", path: "/v1/check?user=learner@globex.test&product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a partner manager asks about a customer's learner", request: request{who: "pm", method: "GET", path: "/v1/check?user={acme.learner}&product=premium"},
				status: 200, want: []string{`"allowed":true`}},
			{name: "a partner manager asks about no other partner's learner", request: request{who: "pm", method: "GET", path: "/v1/check?user={globex.learner}&product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager without a seat may use the product while a pool lives", request: request{who: "acme-cm", method: "GET",
				path: "/v1/check?user=cm@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":true`, `"until":"2027-03-02T09:00:00Z"`}},
			{name: "a product without a seat", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=coaching"},
				status: 200, want: []string{`"allowed":false`, `"reason":"no_seat"`, `"message":"no seat of Coaching"`,
					`"contact":{"name":"cm@acme.test","email":"cm@acme.test"}`},
				notWant: []string{`"until"`}},
			{name: "an unknown e-mail", request: request{who: "admin", method: "GET", path: "/v1/check?user=nobody@acme.test&product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "an unknown ID", request: request{who: "admin", method: "GET", path: "/v1/check?user=999999&product=premium"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "an unknown product", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=nope"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the user is required", request: request{who: "admin", method: "GET", path: "/v1/check?product=premium"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.user"`}},
			{name: "the product is required", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "a user with a NUL, which nothing stored holds", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner%00@acme.test&product=premium"},
				status: 422, want: []string{`"code":"invalid"`, `user`}},
			{name: "a product not UTF-8", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=prem%FFium"},
				status: 422, want: []string{`"code":"invalid"`, `product`}},

			{name: "the seat is released", request: request{who: "acme-cm", method: "POST", path: "/v1/seats/{acme.seat}/release", body: `{"reason":"left_company"}`},
				status: 200},
			{name: "a released seat gives no access, and says whom to ask", request: request{who: "admin", method: "GET", path: "/v1/check?user=learner@acme.test&product=premium"},
				status: 200, want: []string{`"allowed":false`, `"status":"released"`, `"reason":"released"`, `"until":"2026-03-02T09:00:00Z"`,
					`"message":"the seat of Premium was released on 2026-03-02"`, `"contact":{"name":"cm@acme.test","email":"cm@acme.test"}`}},
			{name: "the member's licence is released", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?status=released"},
				status: 200, want: []string{`"status":"released"`, `"release_reason":"left_company"`}, check: e.wantIDs("acme.learner")},
			{name: "a manager refused is sent to the partner", request: request{who: "admin", method: "GET", path: "/v1/check?user=cm@beta.test&product=coaching"},
				status: 200, want: []string{`"allowed":false`, `"reason":"no_seat"`, `"contact":{"name":"pm@channel.test","email":"pm@channel.test"}`}},
			{name: "a direct customer's manager refused is sent to the vendor", request: request{who: "admin", method: "GET", path: "/v1/check?user=cm@solo.test&product=coaching"},
				status: 200, want: []string{`"allowed":false`, `"contact":{"name":"admin@vendor.test","email":"admin@vendor.test"}`}},
		})
	})
}

// TestLogins records logins to the product, which the members' filters
// then see.
func TestLogins(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "no one has logged in", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?never_logged_in=true"},
				status: 200, check: e.wantIDs("acme.cm", "acme.learner")},
			{name: "a login of an e-mail with a NUL is refused, on every database", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":"learner\u0000@acme.test"}`},
				status: 422, want: []string{`"code":"invalid"`}},
			{name: "the product records a login by e-mail", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":"LEARNER@acme.test"}`},
				status: 204, check: noBody},
			{name: "the login is the user's last", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{acme.learner}"},
				status: 200, want: []string{`"last_login_at":"2026-03-02T09:00:00Z"`}},
			{name: "the learner has logged in", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?never_logged_in=true"},
				status: 200, check: e.wantIDs("acme.cm")},
			{name: "a user records their own login by ID", request: request{who: "acme-cm", method: "POST", path: "/v1/logins", body: `{"user":"{acme.cm}"}`},
				status: 204},
			{name: "everyone has logged in", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?never_logged_in=true"},
				status: 200, want: []string{`"items":[]`}},
			{name: "a manager records no login of another", request: request{who: "acme-cm", method: "POST", path: "/v1/logins", body: `{"user":"learner@acme.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner records no login of another", request: request{who: "acme-learner", method: "POST", path: "/v1/logins", body: `{"user":"learner@globex.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "an unknown user", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":"nobody@acme.test"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "an unknown ID", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":"999999"}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the user is required", request: request{who: "admin", method: "POST", path: "/v1/logins", body: `{"user":""}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.user"`}},
			{name: "globex's learner never logged in", request: request{who: "globex-cm", method: "GET", path: "/v1/companies/{globex}/users?never_logged_in=true"},
				status: 200, check: e.wantIDs("globex.cm", "globex.learner")},
		})
	})
}

// noBody checks that an answer has no body.
func noBody(t *testing.T, res *http.Response, body string) {
	t.Helper()
	if body != "" {
		t.Errorf("body %q, want none", body)
	}
}
