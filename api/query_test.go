package api_test

import (
	"net/url"
	"strings"
	"testing"

	"allot/storetest"
)

// TestBadQueryValues checks that the list endpoints answer a value of the
// query they cannot use (a number out of range or not a number, a cursor
// that is none, a text too long to search for) with 422 naming the
// parameter, never with 500 nor by quietly ignoring it.
func TestBadQueryValues(t *testing.T) {
	t.Parallel()
	e := newEnv(t, storetest.Backends[0])
	long := strings.Repeat("a", 50000)
	var scenarios []scenario
	for _, c := range []struct {
		who, path, param string
		values           []string
	}{
		{"admin", "/v1/partners", "cursor", []string{"-1", "0", "x", "9223372036854775808"}},
		{"admin", "/v1/partners", "account_manager_id", []string{"-1", "0", "x"}},
		{"admin", "/v1/companies", "cursor", []string{"-1", "x"}},
		{"admin", "/v1/companies", "q", []string{long}},
		{"admin", "/v1/companies", "partner_id", []string{"-1", "x", "9223372036854775808"}},
		{"acme-cm", "/v1/companies/{acme}/users", "q", []string{long}},
		{"acme-cm", "/v1/companies/{acme}/users", "cursor", []string{"-1", "x"}},
		{"acme-cm", "/v1/companies/{acme}/users", "inactive_days", []string{"-1", "x", "100000"}},
		{"pm", "/v1/orders", "company_id", []string{"-1", "x"}},
		{"pm", "/v1/orders", "requested_by", []string{"-1", "x"}},
		{"pm", "/v1/orders", "q", []string{long}},
		{"pm", "/v1/orders", "cursor", []string{"-1"}},
		{"pm", "/v1/orders", "limit", []string{"0", "501", "x"}},
		{"admin", "/v1/seats", "user_id", []string{"-1", "x"}},
		{"admin", "/v1/seats", "pool_id", []string{"-1"}},
		{"admin", "/v1/seats", "company_id", []string{"-1"}},
		{"admin", "/v1/audit", "company_id", []string{"-1"}},
		{"admin", "/v1/audit", "actor_id", []string{"-1", "x"}},
		{"admin", "/v1/audit", "cursor", []string{"-1"}},
		{"acme-cm", "/v1/companies/{acme}/imports", "limit", []string{"0", "x"}},
	} {
		for _, v := range c.values {
			name := c.who + " " + c.path + "?" + c.param + "=" + v
			if len(name) > 80 {
				name = name[:80]
			}
			scenarios = append(scenarios, scenario{name: name,
				request: request{who: c.who, method: "GET", path: c.path + "?" + url.Values{c.param: {v}}.Encode()},
				status:  422, want: []string{`"code":"invalid"`, c.param}})
		}
	}
	e.run(t, scenarios)
}
