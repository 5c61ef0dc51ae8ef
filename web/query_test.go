package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"allot/storetest"
)

// TestBadQueryValues checks that every list page of the dashboard answers a
// value of its query that it cannot use (a number out of range or not a
// number, a text too long to search for) with 422 and a page naming the
// parameter, never with 500 nor by quietly ignoring it.
func TestBadQueryValues(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	long := strings.Repeat("a", 50000)
	who := map[string]*client{"admin": s.signIn(t, "admin@vendor.test"), "pm": s.signIn(t, "pm@channel.test"),
		"cm": s.signIn(t, "cm@acme.test")}
	for _, c := range []struct {
		who, path, param string
		values           []string
	}{
		{"admin", "/customers", "after", []string{"-1", "0", "9223372036854775808", "abc", "1.5"}},
		{"admin", "/customers", "q", []string{long}},
		{"admin", "/customers", "partner", []string{"-1", "x"}},
		{"pm", "/customers", "after", []string{"-1", "99999999999999999999"}},
		{"pm", "/customers", "q", []string{long}},
		{"pm", "/orders", "after", []string{"-1", "x"}},
		{"pm", "/orders", "company", []string{"-7", "x"}},
		{"pm", "/orders", "q", []string{long}},
		{"pm", "/orders", "po_ref", []string{long}},
		{"admin", "/audit", "before", []string{"-1", "x", "9223372036854775808"}},
		{"admin", "/audit", "company", []string{"x"}},
		{"admin", "/outbox", "before", []string{"-5", "x"}},
		{"cm", "/company/users", "after", []string{"-1", "9223372036854775808", "x"}},
		{"cm", "/company/users", "q", []string{long}},
		{"cm", "/company/users", "inactive", []string{"-3", "x", "100000"}},
		{"cm", "/company/users.csv", "q", []string{long}},
		{"cm", "/company/users.csv", "inactive", []string{"x"}},
		{"cm", "/company/audit", "before", []string{"-1", "x"}},
	} {
		for _, v := range c.values {
			name := c.who + " " + c.path + "?" + c.param + "=" + v
			if len(name) > 80 {
				name = name[:80]
			}
			t.Run(name, func(t *testing.T) {
				res, body := who[c.who].get(c.path + "?" + url.Values{c.param: {v}}.Encode())
				if res.StatusCode != http.StatusUnprocessableEntity {
					t.Errorf("status %d, want %d", res.StatusCode, http.StatusUnprocessableEntity)
				}
				if !strings.Contains(body, c.param+`="`) || !strings.Contains(body, "cannot be used") {
					t.Errorf("the page does not say that %s cannot be used:\n%.3000s", c.param, body)
				}
			})
		}
	}
}
