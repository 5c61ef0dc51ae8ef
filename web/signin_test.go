package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
)

// TestSignInRefused checks the sign-in form's refusals: a wrong password
// is told on the form (401), and once an account has made too many
// attempts, so is the wait (429 with Retry-After), even with the right one.
func TestSignInRefused(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		jar, _ := cookiejar.New(nil)
		c := &client{t: t, s: s, http: &http.Client{Jar: jar}}
		for i := range 10 {
			res, body := c.post("/login", url.Values{"email": {"cm@acme.test"}, "password": {"not the password"}})
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "wrong e-mail or password") {
				t.Fatalf("attempt %d: status %d, want 401 saying the password is wrong:\n%s", i+1, res.StatusCode, body)
			}
		}
		res, body := c.post("/login", url.Values{"email": {"cm@acme.test"}, "password": {password}})
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
			!strings.Contains(body, "too many attempts: try again in") {
			t.Fatalf("an attempt over the limit: status %d, Retry-After %q, want 429 saying how long to wait:\n%s",
				res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	})
}
