package api_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"allot/server"
	"allot/storetest"
)

// TestSignIn signs in with a password: the session cookie is HttpOnly and
// SameSite, works for the API, and signing out ends it.
func TestSignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		for _, insecure := range []bool{false, true} {
			t.Run(map[bool]string{false: "secure cookies", true: "plain-HTTP cookies"}[insecure], func(t *testing.T) {
				e := newEnvWith(t, b, server.Config{InsecureCookies: insecure})
				res, body := e.do(request{method: "POST", path: "/v1/auth/login", body: `{"email":" CM@Acme.test ","password":"` + Password + `"}`})
				if res.StatusCode != http.StatusOK || !strings.Contains(body, `"email":"cm@acme.test"`) {
					t.Fatalf("sign in: %d\n%s", res.StatusCode, body)
				}
				c := sessionCookie(res)
				switch {
				case c == nil:
					t.Fatalf("no session cookie: %v", res.Header["Set-Cookie"])
				case c.Value == "":
					t.Errorf("an empty session cookie")
				case !c.HttpOnly:
					t.Errorf("the session cookie is not HttpOnly: %s", res.Header.Get("Set-Cookie"))
				case c.SameSite != http.SameSiteLaxMode && c.SameSite != http.SameSiteStrictMode:
					t.Errorf("the session cookie is not SameSite: %s", res.Header.Get("Set-Cookie"))
				case c.Path != "/":
					t.Errorf("the session cookie's path is %q", c.Path)
				case c.Secure == insecure:
					t.Errorf("the session cookie's Secure is %v with InsecureCookies %v", c.Secure, insecure)
				}
				e.run(t, []scenario{
					{name: "the session works", request: request{method: "GET", path: "/v1/me", headers: withSession(c.Value)},
						status: 200, want: []string{`"id":{acme-cm},`, `"email":"cm@acme.test"`, `"role":"company_manager"`}, notWant: []string{`"acting_company"`}},
					{name: "the session acts", request: request{method: "POST", path: "/v1/orders", headers: withSession(c.Value),
						body: `{"company_id":{acme},"product":"premium","quantity":1}`},
						status: 201, want: []string{`"requested_by":{acme-cm}`}},
					{name: "signing out", request: request{method: "POST", path: "/v1/auth/logout", headers: withSession(c.Value)},
						status: 204, check: func(t *testing.T, res *http.Response, body string) {
							if c := sessionCookie(res); c == nil || c.MaxAge >= 0 {
								t.Errorf("signing out does not delete the cookie: %v", res.Header["Set-Cookie"])
							}
						}},
					{name: "the session no longer works", request: request{method: "GET", path: "/v1/me", headers: withSession(c.Value)},
						status: 401, want: []string{`"code":"unauthorized"`}},
				})
			})
		}
	})
}

// TestSessionLife checks that signing in again gives a new session token
// and ends the old one, and that a removed user's session ends.
func TestSessionLife(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		old := e.signIn(t, "learner@acme.test")
		var renewed string
		e.run(t, []scenario{
			{name: "signing in over a session", request: request{method: "POST", path: "/v1/auth/login", headers: withSession(old),
				body: `{"email":"learner@acme.test","password":"` + Password + `"}`},
				status: 200, check: func(t *testing.T, res *http.Response, body string) {
					c := sessionCookie(res)
					if c == nil || c.Value == "" || c.Value == old {
						t.Fatalf("the session token is not renewed: %v", res.Header["Set-Cookie"])
					}
					renewed = c.Value
				}},
			{name: "the old token no longer works", request: request{method: "GET", path: "/v1/me", headers: withSession(old)},
				status: 401, want: []string{`"code":"unauthorized"`}},
		})
		e.run(t, []scenario{
			{name: "the new one does", request: request{method: "GET", path: "/v1/me", headers: withSession(renewed)},
				status: 200, want: []string{`"email":"learner@acme.test"`}},
			{name: "the learner is removed", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{acme.learner}"}, status: 200},
			{name: "a removed user's session ends", request: request{method: "GET", path: "/v1/me", headers: withSession(renewed)},
				status: 401, want: []string{`"code":"unauthorized"`}},
		})
	})
}

// TestWrongCredentials checks that a wrong password, an unknown e-mail and
// a removed user read exactly the same.
func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{{name: "remove a learner", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{acme.learner}"}, status: 200}})
		login := func(email, password string) (int, string) {
			res, body := e.do(request{method: "POST", path: "/v1/auth/login", body: `{"email":"` + email + `","password":"` + password + `"}`})
			if c := sessionCookie(res); c != nil && c.MaxAge >= 0 {
				t.Errorf("sign-in as %s with %q set a session", email, password)
			}
			return res.StatusCode, body
		}
		wantStatus, wantBody := login("cm@acme.test", "not the password")
		if wantStatus != http.StatusUnauthorized || !strings.Contains(wantBody, `"code":"unauthorized"`) {
			t.Fatalf("a wrong password: %d\n%s", wantStatus, wantBody)
		}
		for _, c := range []struct{ name, email, password string }{
			{"an unknown e-mail", "nobody@acme.test", Password},
			{"a removed user", "learner@acme.test", Password},
			{"an empty password", "cm@acme.test", ""},
		} {
			if c.password == "" {
				// An empty password is refused by validation, before any
				// account is looked at.
				status, body := login(c.email, c.password)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"location":"body.password"`) {
					t.Errorf("%s: %d\n%s", c.name, status, body)
				}
				continue
			}
			if status, body := login(c.email, c.password); status != wantStatus || body != wantBody {
				t.Errorf("%s: %d\n%s\nwant as for a wrong password: %d\n%s", c.name, status, body, wantStatus, wantBody)
			}
		}
		e.run(t, []scenario{
			{name: "an e-mail that is not one", request: request{method: "POST", path: "/v1/auth/login", body: `{"email":"cm","password":"` + Password + `"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.email"`}},
		})
	})
}

// TestLoginRateLimit makes more sign-in attempts than allowed, per account
// and per address.
func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		login := func(email, password string) request {
			return request{method: "POST", path: "/v1/auth/login", body: `{"email":"` + email + `","password":"` + password + `"}`}
		}
		retryAfter := func(secs string) func(t *testing.T, res *http.Response, body string) {
			return func(t *testing.T, res *http.Response, body string) {
				if got := res.Header.Get("Retry-After"); got != secs {
					t.Errorf("Retry-After %q, want %q", got, secs)
				}
			}
		}
		t.Run("per account", func(t *testing.T) {
			e := newEnvWith(t, b, server.Config{InsecureCookies: true, LoginLimit: 3, LoginWindow: 15 * time.Minute})
			e.run(t, []scenario{
				{name: "a first wrong password", request: login("cm@acme.test", "wrong password 1"), status: 401},
				{name: "a right one resets the count", request: login("cm@acme.test", Password), status: 200},
				{name: "wrong 1", request: login("cm@acme.test", "wrong password 1"), status: 401},
				{name: "wrong 2", request: login("CM@acme.test", "wrong password 2"), status: 401},
				{name: "wrong 3", request: login("cm@acme.test ", "wrong password 3"), status: 401},
				{name: "a fourth attempt is refused", request: login("cm@acme.test", "wrong password 4"),
					status: 429, want: []string{`"code":"rate_limited"`}, check: retryAfter("900")},
				{name: "even with the right password", request: login("cm@acme.test", Password),
					status: 429, want: []string{`"code":"rate_limited"`}, check: retryAfter("900")},
				{name: "another account is not limited", request: login("cm@globex.test", Password), status: 200},
			})
			e.clock.Advance(10 * time.Minute)
			e.run(t, []scenario{
				{name: "ten minutes later, still refused", request: login("cm@acme.test", Password),
					status: 429, check: retryAfter("300")},
			})
			e.clock.Advance(5 * time.Minute)
			e.run(t, []scenario{
				{name: "after the window the account signs in", request: login("cm@acme.test", Password), status: 200},
			})
		})
		t.Run("per address", func(t *testing.T) {
			// One attempt per account; ten per address.
			e := newEnvWith(t, b, server.Config{InsecureCookies: true, LoginLimit: 1})
			var scenarios []scenario
			for i := range 10 {
				scenarios = append(scenarios, scenario{name: "an account tried once", request: login("nobody"+string(rune('a'+i))+"@acme.test", Password), status: 401})
			}
			scenarios = append(scenarios,
				scenario{name: "the eleventh account from the address is refused", request: login("cm@acme.test", Password),
					status: 429, want: []string{`"code":"rate_limited"`}, check: retryAfter("900")})
			e.run(t, scenarios)
		})
	})
}

// TestTokens makes, lists and revokes personal API tokens.
func TestTokens(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		var secret string
		e.run(t, []scenario{
			{name: "a token is made", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"HR sync"}`},
				status: 201, want: []string{`"name":"HR sync"`, `"secret":"allot_`, `"prefix":"allot_`, `"created_at":"2026-03-02T09:00:00Z"`},
				notWant: []string{`"expires_at"`, `"revoked_at"`, `"hash"`},
				keep:    map[string]string{"hr": "token.id"},
				check: func(t *testing.T, res *http.Response, body string) {
					var out struct {
						Token  struct{ Prefix string }
						Secret string
					}
					decode(t, body, &out)
					if !strings.HasPrefix(out.Secret, "allot_") || len(out.Secret) < 30 || !strings.HasPrefix(out.Secret, out.Token.Prefix) {
						t.Errorf("secret %q with prefix %q", out.Secret, out.Token.Prefix)
					}
					secret = out.Secret
				}},
		})
		as := func(r request) request {
			if r.headers == nil {
				r.headers = map[string]string{}
			}
			r.headers["Authorization"] = "Bearer " + secret
			return r
		}
		e.run(t, []scenario{
			{name: "the token works", request: as(request{method: "GET", path: "/v1/me"}), status: 200, want: []string{`"email":"cm@acme.test"`}},
			{name: "the list shows no secret and no hash", request: request{who: "acme-cm", method: "GET", path: "/v1/me/tokens"},
				status: 200, want: []string{`"id":{hr},"name":"HR sync","prefix":"allot_`, `"name":"tests"`},
				notWant: []string{secret, `"secret"`, `"hash"`}},
			{name: "another user's list holds not this token", request: request{who: "globex-cm", method: "GET", path: "/v1/me/tokens"},
				status: 200, notWant: []string{`"HR sync"`}},
			{name: "a token needs a name", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":""}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.name"`}},
			{name: "a token does not expire in the past", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens",
				body: `{"name":"old","expires_at":"2026-03-01T00:00:00Z"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.expires_at"`}},
			{name: "another user's token reads as not found", request: request{who: "globex-cm", method: "DELETE", path: "/v1/me/tokens/{hr}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing token", request: request{who: "acme-cm", method: "DELETE", path: "/v1/me/tokens/999999"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the token still works", request: as(request{method: "GET", path: "/v1/me"}), status: 200},
			{name: "the token is revoked", request: request{who: "acme-cm", method: "DELETE", path: "/v1/me/tokens/{hr}"},
				status: 200, want: []string{`"id":{hr},`, `"revoked_at":"2026-03-02T09:00:00Z"`}, notWant: []string{`"secret"`}},
			{name: "the token stops working at once", request: as(request{method: "GET", path: "/v1/me"}),
				status: 401, want: []string{`"code":"unauthorized"`}},
			{name: "for every request", request: as(request{method: "POST", path: "/v1/orders", body: `{"company_id":{acme},"product":"premium","quantity":1}`}),
				status: 401, want: []string{`"code":"unauthorized"`}},
			{name: "a token is revoked once", request: request{who: "acme-cm", method: "DELETE", path: "/v1/me/tokens/{hr}"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "the list shows it revoked", request: request{who: "acme-cm", method: "GET", path: "/v1/me/tokens"},
				status: 200, want: []string{`"revoked_at":"2026-03-02T09:00:00Z"`}},
		})

		// as reads the secret when the table is made: a new table for a new
		// token.
		e.run(t, []scenario{
			{name: "a token for an hour", request: request{who: "globex-cm", method: "POST", path: "/v1/me/tokens",
				body: `{"name":"short","expires_at":"2026-03-02T10:00:00Z"}`},
				status: 201, want: []string{`"expires_at":"2026-03-02T10:00:00Z"`},
				check: func(t *testing.T, res *http.Response, body string) {
					var out struct{ Secret string }
					decode(t, body, &out)
					secret = out.Secret
				}},
		})
		e.run(t, []scenario{
			{name: "it works within the hour", request: as(request{method: "GET", path: "/v1/me"}), status: 200, want: []string{`"email":"cm@globex.test"`}},
		})
		e.clock.Advance(time.Hour)
		e.run(t, []scenario{
			{name: "at its expiry it stops working", request: as(request{method: "GET", path: "/v1/me"}),
				status: 401, want: []string{`"code":"unauthorized"`}},
			{name: "the manager's other token still works", request: request{who: "globex-cm", method: "GET", path: "/v1/me"}, status: 200},
		})
	})
}

// TestChangePassword changes the signed-in user's password.
func TestChangePassword(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		login := func(password string) request {
			return request{method: "POST", path: "/v1/auth/login", body: `{"email":"cm@acme.test","password":"` + password + `"}`}
		}
		e.run(t, []scenario{
			{name: "the current password must be right", request: request{who: "acme-cm", method: "POST", path: "/v1/me/password",
				body: `{"current_password":"not the password","new_password":"a new long password"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.current_password"`}},
			{name: "the new password is long enough", request: request{who: "acme-cm", method: "POST", path: "/v1/me/password",
				body: `{"current_password":"` + Password + `","new_password":"short"}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.new_password"`}},
			{name: "the old password still works", request: login(Password), status: 200},
			{name: "the password is changed", request: request{who: "acme-cm", method: "POST", path: "/v1/me/password",
				body: `{"current_password":"` + Password + `","new_password":"a new long password"}`},
				status: 204, check: noBody},
			{name: "the old password fails", request: login(Password), status: 401, want: []string{`"code":"unauthorized"`}},
			{name: "the new one works", request: login("a new long password"), status: 200, want: []string{`"email":"cm@acme.test"`}},
			{name: "the change is in the log", request: request{who: "acme-cm", method: "GET", path: "/v1/audit?actor_id={acme-cm}"},
				status: 200, want: []string{`"action":"user.password"`}, notWant: []string{`argon2`}},
		})
	})
}

// TestManageCompany enters a customer company with the session and with
// the Allot-Company header.
func TestManageCompany(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		pm := e.signIn(t, "pm@channel.test")
		cm := e.signIn(t, "cm@acme.test")
		e.run(t, []scenario{
			{name: "outside the mode a partner manager may not add learners", request: request{method: "POST", path: "/v1/companies/{acme}/users",
				headers: withSession(pm), body: `{"email":"one@acme.test"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "another partner's customer cannot be entered", request: request{method: "POST", path: "/v1/manage", headers: withSession(pm),
				body: `{"company_id":{globex}}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing company cannot be entered", request: request{method: "POST", path: "/v1/manage", headers: withSession(pm),
				body: `{"company_id":999999}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager enters no company", request: request{method: "POST", path: "/v1/manage", headers: withSession(cm),
				body: `{"company_id":{acme}}`},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a token keeps no mode", request: request{who: "pm", method: "POST", path: "/v1/manage", body: `{"company_id":{acme}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.company_id"`, `Allot-Company`}},
			{name: "the session enters the customer", request: request{method: "POST", path: "/v1/manage", headers: withSession(pm),
				body: `{"company_id":{acme}}`},
				status: 200, want: []string{`"id":{acme},`, `"name":"Acme"`}},
			{name: "the session shows the company acted in", request: request{method: "GET", path: "/v1/me", headers: withSession(pm)},
				status: 200, want: []string{`"email":"pm@channel.test"`, `"acting_company":{"id":{acme},`}},
			{name: "in the mode the partner manager adds a learner", request: request{method: "POST", path: "/v1/companies/{acme}/users",
				headers: withSession(pm), body: `{"email":"one@acme.test"}`},
				status: 201, keep: map[string]string{"one": "id"}},
			{name: "the log names the person and the company", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, check: e.event("user.add", "one", func(ev auditEvent) bool {
					return ev.ActorEmail == "pm@channel.test" && ev.ManageMode && ev.CompanyID == e.ids["acme"]
				})},
			{name: "the session leaves the mode", request: request{method: "DELETE", path: "/v1/manage", headers: withSession(pm)},
				status: 204, check: noBody},
			{name: "the session no longer acts in the company", request: request{method: "GET", path: "/v1/me", headers: withSession(pm)},
				status: 200, notWant: []string{`"acting_company"`}},
			{name: "outside the mode again", request: request{method: "POST", path: "/v1/companies/{acme}/users",
				headers: withSession(pm), body: `{"email":"two@acme.test"}`},
				status: 403, want: []string{`"code":"forbidden"`}},

			{name: "the header enters the customer for one request", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"two@acme.test"}`, headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 201, keep: map[string]string{"two": "id"}},
			{name: "the header shows in me", request: request{who: "pm", method: "GET", path: "/v1/me", headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 200, want: []string{`"acting_company":{"id":{acme},`}},
			{name: "the next request without it is outside", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"three@acme.test"}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "the header on a session too", request: request{method: "POST", path: "/v1/companies/{acme}/users",
				headers: withSession(pm, "Allot-Company", "{acme}"), body: `{"email":"three@acme.test"}`},
				status: 201},
			{name: "the log names the person and the company", request: request{who: "acme-cm", method: "GET", path: "/v1/audit"},
				status: 200, check: e.event("user.add", "two", func(ev auditEvent) bool {
					return ev.ActorID == e.ids["pm"] && ev.ManageMode && ev.CompanyID == e.ids["acme"]
				})},
			{name: "a header naming another partner's customer", request: request{who: "pm", method: "GET", path: "/v1/me",
				headers: map[string]string{"Allot-Company": "{globex}"}},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a header naming a missing company", request: request{who: "pm", method: "GET", path: "/v1/companies",
				headers: map[string]string{"Allot-Company": "999999"}},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a company manager's header", request: request{who: "acme-cm", method: "GET", path: "/v1/me",
				headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a learner's header", request: request{who: "acme-learner", method: "GET", path: "/v1/me",
				headers: map[string]string{"Allot-Company": "{acme}"}},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a header that is not an ID", request: request{who: "pm", method: "GET", path: "/v1/me", headers: map[string]string{"Allot-Company": "acme"}},
				status: 422, want: []string{`"code":"invalid"`}},
			{name: "the vendor enters a direct customer", request: request{who: "am", method: "POST", path: "/v1/companies/{solo}/users",
				body: `{"email":"four@solo.test"}`, headers: map[string]string{"Allot-Company": "{solo}"}},
				status: 201},
		})
	})
}

// TestCrossOrigin refuses unsafe requests a browser sends from another
// site, and lets safe ones through.
func TestCrossOrigin(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		order := `{"company_id":{acme},"product":"premium","quantity":1,"po_ref":"PO-CSRF"}`
		e.run(t, []scenario{
			{name: "a cross-site POST", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
				status: 403, want: []string{`"code":"forbidden"`},
				check: func(t *testing.T, res *http.Response, body string) {
					if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
						t.Errorf("Content-Type %q", ct)
					}
				}},
			{name: "a foreign Origin without Sec-Fetch-Site", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Origin": "https://evil.example"}},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a cross-site sign-in", request: request{method: "POST", path: "/v1/auth/login",
				body: `{"email":"cm@acme.test","password":"` + Password + `"}`, headers: map[string]string{"Sec-Fetch-Site": "cross-site"}},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "a cross-site DELETE", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{acme.learner}",
				headers: map[string]string{"Sec-Fetch-Site": "cross-site"}},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "nothing was ordered", request: request{who: "acme-cm", method: "GET", path: "/v1/orders?po_ref=PO-CSRF"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the learner was not removed", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{acme.learner}"},
				status: 200, notWant: []string{`"removed_at"`}},
			{name: "a cross-site GET is safe", request: request{who: "acme-cm", method: "GET", path: "/v1/orders",
				headers: map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}},
				status: 200},
			{name: "a same-origin POST", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Sec-Fetch-Site": "same-origin"}},
				status: 201, want: []string{`"po_ref":"PO-CSRF"`}},
			{name: "a POST from the server's own origin", request: request{who: "acme-cm", method: "POST", path: "/v1/orders", body: order,
				headers: map[string]string{"Origin": e.srv.URL}},
				status: 201},
		})
	})
}

// TestLoginWithSecondFactor signs in through the API to an account with a
// second factor: the password alone is refused, saying to send the code;
// with the code it signs in, and the same code does not sign in twice.
func TestLoginWithSecondFactor(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		key := must(e.acc.StartFactor(ctx, e.ids["acme-cm"]))(t)
		code := func() string { return must(totp.GenerateCode(key.Secret(), e.clock.Now()))(t) }
		must(e.acc.ConfirmFactor(ctx, e.ids["acme-cm"], code()))(t)
		e.clock.Advance(30 * time.Second)
		login := func(code string) request {
			return request{method: "POST", path: "/v1/auth/login",
				body: `{"email":"cm@acme.test","password":"` + Password + `","code":"` + code + `"}`}
		}
		now := code()
		e.run(t, []scenario{
			{name: "the password alone", request: login(""), status: 401,
				want: []string{"this account signs in in two steps: send the code of its authenticator app as code"}},
			{name: "a wrong code", request: login("000000"), status: 401, want: []string{`"detail":"wrong code"`}},
			{name: "the code", request: login(now), status: 200, want: []string{`"email":"cm@acme.test"`}},
			{name: "the same code again", request: login(now), status: 401},
		})
	})
}

// TestLearnersMakeNoTokens checks that the API refuses a learner a token
// (403), and makes none; a learner's token made before still works.
func TestLearnersMakeNoTokens(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	e.run(t, []scenario{
		{name: "a learner asks for a token", request: request{who: "acme-learner", method: "POST", path: "/v1/me/tokens", body: `{"name":"mine"}`},
			status: 403, want: []string{`"code":"forbidden"`, "learner"}, notWant: []string{`"secret"`}},
		{name: "none was made", request: request{who: "acme-learner", method: "GET", path: "/v1/me/tokens"},
			status: 200, notWant: []string{`"mine"`}},
		{name: "the learner's token made before works", request: request{who: "acme-learner", method: "GET", path: "/v1/me"},
			status: 200, want: []string{`"email":"learner@acme.test"`}},
		{name: "a manager makes one", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"mine"}`},
			status: 201, want: []string{`"secret":"allot_`}},
	})
}
