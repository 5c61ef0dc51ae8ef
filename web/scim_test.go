package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// scimSecret finds a SCIM token's secret in a page.
var scimSecret = regexp.MustCompile(`allot_scim_[a-z2-7]{32}`)

// TestSCIMPage: a company's manager finds SCIM provisioning in the
// settings, is given the tenant URL, makes a token shown once, which then
// works at /scim/v2, makes a new one that replaces it at once, and revokes
// it; a learner has no access.
func TestSCIMPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		// users answers GET /scim/v2/Users with secret as the bearer token.
		users := func(secret string) int {
			t.Helper()
			req, _ := http.NewRequest("GET", s.srv.URL+"/scim/v2/Users", nil)
			req.Header.Set("Authorization", "Bearer "+secret)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res.StatusCode
		}
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "settings", body, []string{`<a href="/company/scim">SCIM provisioning</a>`}, nil)
		res, body := cm.get("/company/scim")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /company/scim: %d\n%s", res.StatusCode, body)
		}
		expect(t, "no token", body, []string{"SCIM provisioning of Acme", "<code>" + s.srv.URL + "/scim/v2</code>", "No token", "Make a token"},
			[]string{"allot_scim_"})

		res, body = cm.post("/company/scim/token", url.Values{})
		first := scimSecret.FindString(body)
		if res.StatusCode != http.StatusOK || first == "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("make a token: %d, Cache-Control %q, token %q\n%s", res.StatusCode, res.Header.Get("Cache-Control"), first, body)
		}
		expect(t, "made", body, []string{"it will not be shown again", "<code>" + s.srv.URL + "/scim/v2</code>", "Make a new token"}, nil)
		if got := users(first); got != http.StatusOK {
			t.Errorf("the token made: GET /scim/v2/Users %d, want 200", got)
		}
		_, body = cm.get("/company/scim")
		expect(t, "read again", body, []string{first[:len("allot_scim_")+6] + "…", "Revoke the token"}, []string{first})

		_, body = cm.post("/company/scim/token", url.Values{})
		second := scimSecret.FindString(body)
		if second == "" || second == first {
			t.Fatalf("a new token: %q after %q\n%s", second, first, body)
		}
		if users(first) != http.StatusUnauthorized || users(second) != http.StatusOK {
			t.Errorf("after a new token, the first answers %d and the second %d; want 401 and 200", users(first), users(second))
		}

		res, body = cm.post("/company/scim/token/revoke", url.Values{})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/scim" {
			t.Fatalf("revoke: %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "revoked", body, []string{"The SCIM token is revoked", "No token"}, []string{second})
		if got := users(second); got != http.StatusUnauthorized {
			t.Errorf("the token revoked: %d, want 401", got)
		}

		learner := s.signIn(t, "learner@acme.test")
		for _, r := range []struct{ method, path string }{{"GET", "/company/scim"}, {"POST", "/company/scim/token"}, {"POST", "/company/scim/token/revoke"}} {
			var res *http.Response
			if r.method == "GET" {
				res, body = learner.get(r.path)
			} else {
				res, body = learner.post(r.path, url.Values{})
			}
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "<h1>No access</h1>") || scimSecret.MatchString(body) {
				t.Errorf("a learner's %s %s: %d\n%s", r.method, r.path, res.StatusCode, body)
			}
		}
	})
}
