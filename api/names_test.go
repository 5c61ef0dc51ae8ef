package api_test

import (
	"testing"

	"allot/storetest"
)

// TestNamesRefused checks that a name with a control character or a
// direction override, or an e-mail with an invisible character, is
// refused with 422 naming its field, wherever it enters.
func TestNamesRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	invalid := func(field string) []string {
		return []string{`"code":"invalid"`, `"location":"body.` + field + `"`, "remove it"}
	}
	e.run(t, []scenario{
		{name: "a learner's first name", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
			body: `{"email":"ann@acme.test","first_name":"Ann\r\nBcc: all@acme.test"}`}, status: 422, want: invalid("first_name")},
		{name: "a learner's last name", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
			body: `{"email":"ann@acme.test","last_name":"Lee\u0000"}`}, status: 422, want: invalid("last_name")},
		{name: "a learner's e-mail", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
			body: `{"email":"ann\u202e@acme.test"}`}, status: 422, want: invalid("email")},
		{name: "staff's department", request: request{who: "admin", method: "POST", path: "/v1/staff",
			body: `{"email":"new.agent@vendor.test","role":"support_agent","department":"Ops\u2028Team"}`}, status: 422, want: invalid("department")},
		{name: "a company's name", request: request{who: "pm", method: "POST", path: "/v1/companies", body: `{"name":"Initech\nLtd"}`},
			status: 422, want: invalid("name")},
		{name: "a partner's name", request: request{who: "admin", method: "POST", path: "/v1/partners", body: `{"name":"Channel\u0007Three"}`},
			status: 422, want: invalid("name")},
		{name: "a product's name", request: request{who: "admin", method: "POST", path: "/v1/products", body: `{"code":"vr","name":"VR\u2067"}`},
			status: 422, want: invalid("name")},
		{name: "a token's name", request: request{who: "acme-cm", method: "POST", path: "/v1/me/tokens", body: `{"name":"ci\ufffd"}`},
			status: 422, want: invalid("name")},
		{name: "nobody was added", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users"},
			status: 200, notWant: []string{"ann@acme.test", "new.agent"}},
	})
}
