package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"allot/storetest"
)

// TestForbiddenPagesSayNoAccess checks that a page the viewer's role may
// never use answers 403 and says "No access" with the reason, not "page
// not found": a learner's company pages and the managers' lists; while an
// id of another tenant, or of nothing, still reads as not found.
func TestForbiddenPagesSayNoAccess(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	learner, cm := s.signIn(t, "learner@acme.test"), s.signIn(t, "cm@acme.test")
	for _, c := range []struct {
		who    *client
		method string
		path   string
		status int
		want   []string
	}{
		{learner, "GET", "/company/users", http.StatusForbidden, []string{"<title>No access", "<h1>No access</h1>", "companies are listed for managers only"}},
		{learner, "GET", "/company/licences", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "GET", "/company/users.csv", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "GET", "/company/settings", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "GET", "/company/directory", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "POST", "/company/directory/groups", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{cm, "POST", "/company/directory/runs/999999/confirm", http.StatusNotFound, []string{"<h1>Not Found</h1>", "sync run not found"}},
		{learner, "POST", "/company/users", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "GET", "/customers", http.StatusForbidden, []string{"<h1>No access</h1>", "companies are listed for managers only"}},
		{learner, "GET", "/partners", http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{learner, "GET", "/company/imports/" + s.id("globex"), http.StatusForbidden, []string{"<h1>No access</h1>"}},
		{cm, "GET", "/company/imports/999999", http.StatusNotFound, []string{"<h1>Not Found</h1>"}},
		{cm, "POST", "/manage/" + s.id("globex"), http.StatusNotFound, []string{"<h1>Not Found</h1>", "company not found"}},
		{cm, "GET", "/outbox", http.StatusForbidden, []string{"<h1>No access</h1>", "the outbox is for the vendor admin"}},
	} {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			var (
				res  *http.Response
				body string
			)
			if c.method == "POST" {
				res, body = c.who.post(c.path, url.Values{"email": {"new@acme.test"}})
			} else {
				res, body = c.who.get(c.path)
			}
			if res.StatusCode != c.status {
				t.Errorf("status %d, want %d", res.StatusCode, c.status)
			}
			expect(t, c.path, body, c.want, []string{"page not found"})
		})
	}
}
