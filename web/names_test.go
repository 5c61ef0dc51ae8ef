package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"allot/storetest"
)

// TestNamesRefusedBesideTheirField checks that a name with a control
// character or a direction override, or an e-mail with an invisible
// character, is refused by the dashboard's forms with the message beside
// its field (422), and nothing is made.
func TestNamesRefusedBesideTheirField(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	admin, pm, cm := s.signIn(t, "admin@vendor.test"), s.signIn(t, "pm@channel.test"), s.signIn(t, "cm@acme.test")
	for _, c := range []struct {
		name   string
		as     *client
		path   string
		form   url.Values
		answer string // the page of the list the thing would be in
	}{
		{"a learner's first name", cm, "/company/users", url.Values{"email": {"ann@acme.test"}, "first_name": {"Ann\r\nBcc: all@acme.test"}},
			"/company/users"},
		{"a learner's last name", cm, "/company/users", url.Values{"email": {"ann@acme.test"}, "last_name": {"Lee\x00"}}, "/company/users"},
		{"a learner's department", cm, "/company/users", url.Values{"email": {"ann@acme.test"}, "department": {"Sales\u202e"}},
			"/company/users"},
		{"a learner's e-mail", cm, "/company/users", url.Values{"email": {"an\u200bn@acme.test"}}, "/company/users"},
		{"a customer's name", pm, "/customers", url.Values{"name": {"Initech\nLtd"}}, "/customers"},
		{"a product's name", admin, "/products", url.Values{"code": {"vr"}, "name": {"VR\u2067"}}, "/products"},
		{"a partner's name", admin, "/partners", url.Values{"name": {"Channel\x07Three"}}, "/partners"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, body := c.as.post(c.path, c.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("status %d, want %d", res.StatusCode, http.StatusUnprocessableEntity)
			}
			if !strings.Contains(body, `<p class="field-error"`) || !strings.Contains(body, "character ") || !strings.Contains(body, "remove it</p>") {
				t.Errorf("no message beside the field:\n%s", body)
			}
			_, list := c.as.get(c.answer)
			for _, made := range []string{"ann@acme.test", "Initech", "VR", "Channel\x07Three"} {
				if strings.Contains(list, made) {
					t.Errorf("%s was made", made)
				}
			}
		})
	}
}
