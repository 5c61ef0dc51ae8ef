package server_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"allot/server"
	"allot/storetest"
	"allot/world"
)

// TestSecurityHeaders checks that every response, a page of the dashboard
// or not, says that no other site may frame it, that its type is what it
// says, that no address of allot leaks to another site, and that a page
// runs only the dashboard's own script and style: no inline script,
// style or event handler.
func TestSecurityHeaders(t *testing.T) {
	w := world.New(t, storetest.Backends[0])
	srv := httptest.NewServer(server.New(server.Config{Ledger: w.Svc, Directory: w.Dir, Accounts: w.Accounts, Reports: w.Reports, Sessions: w.DB.Sessions(), Keys: w.DB,
		InsecureCookies: true}))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	signedIn := &http.Client{Jar: jar}
	res, err := signedIn.PostForm(srv.URL+"/login", url.Values{"email": {"pm@channel.test"}, "password": {world.Password}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()

	for _, c := range []struct {
		name, method, path string
		client             *http.Client
	}{
		{"the sign-in page", "GET", "/login", srv.Client()},
		{"a page", "GET", "/customers", signedIn},
		{"a page not found", "GET", "/nowhere", signedIn},
		{"a stylesheet", "GET", "/static/app.css", srv.Client()},
		{"a download", "GET", "/company/users.csv", signedIn},
		{"the API", "GET", "/v1/me", srv.Client()},
		{"the API's docs", "GET", "/docs", srv.Client()},
		{"a refused cross-site form", "POST", "/logout", srv.Client()},
		{"a probe", "GET", "/healthz", srv.Client()},
	} {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
			if c.method == "POST" {
				req.Header.Set("Sec-Fetch-Site", "cross-site")
			}
			res, err := c.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			for name, want := range map[string]string{"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
				"Referrer-Policy": "same-origin"} {
				if got := res.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			csp := res.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
				"base-uri 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") {
				t.Errorf("Content-Security-Policy %q allows something unsafe", csp)
			}
			if strings.Contains(csp, "form-action") {
				t.Errorf("Content-Security-Policy %q holds forms to a list: the sign-in form could not go on to an identity provider", csp)
			}
		})
	}
}
