package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/server"
	"allot/storetest"
	"allot/world"
)

// browser is one browser at one address, with its session cookie.
type browser struct {
	t      *testing.T
	h      http.Handler
	addr   string
	cookie *http.Cookie
}

// post sends a form, keeps the session cookie it is given, and returns the
// response with its body.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.do(httptest.NewRequest("POST", path, strings.NewReader(form.Encode())))
}

func (b *browser) get(path string) (*http.Response, string) {
	return b.do(httptest.NewRequest("GET", path, nil))
}

func (b *browser) do(r *http.Request) (*http.Response, string) {
	b.t.Helper()
	r.RemoteAddr = b.addr + ":40000"
	if r.Method == "POST" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != nil {
		r.AddCookie(b.cookie)
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, r)
	res := rec.Result()
	for _, c := range res.Cookies() {
		b.cookie = c
	}
	return res, rec.Body.String()
}

// newSite serves a fixture's deployment with sign-in limited to limit
// attempts per window.
func newSite(t *testing.T, b storetest.Backend, limit int) (*world.Fixture, http.Handler) {
	f := world.Setup(t, b)
	h := server.New(server.Config{Ledger: f.Svc, Directory: f.Dir, Accounts: f.Accounts, Reports: f.Reports, Sessions: f.DB.Sessions(),
		Keys: f.DB, InsecureCookies: true, LoginLimit: limit, LoginWindow: 15 * time.Minute})
	return f, h
}

func signIn(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// TestNoLockOutFromElsewhere: wrong passwords from one address limit that
// address's attempts on the account, not the owner's from another; and the
// owner can always get in with a reset link.
func TestNoLockOutFromElsewhere(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, h := newSite(t, b, 3)
		attacker := &browser{t: t, h: h, addr: "203.0.113.9"}
		for range 3 {
			attacker.post("/login", signIn("cm@acme.test", "not the password"))
		}
		if res, _ := attacker.post("/login", signIn("cm@acme.test", world.Password)); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("the attacker's fourth attempt: %d, want 429", res.StatusCode)
		}
		owner := &browser{t: t, h: h, addr: "198.51.100.7"}
		f.Clock.Advance(time.Minute)
		if res, body := owner.post("/login", signIn("cm@acme.test", world.Password)); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the owner from their own address: %d, want 303:\n%s", res.StatusCode, body)
		}
		cm := world.Must(f.Svc.User(f.As(f.Admin), f.CM.UserID))(t)
		if !cm.SignedInAt.Equal(f.Clock.Now()) || !cm.LastLoginAt.IsZero() {
			t.Errorf("signed in to allot at %s (product login %s), want %s and none", cm.SignedInAt, cm.LastLoginAt, f.Clock.Now())
		}

		// Locked out at their own address too, a reset link still works.
		for range 3 {
			owner.post("/login", signIn("cm@acme.test", "a typo in it"))
		}
		token, _ := world.Must2(f.Accounts.IssueLink(context.Background(), f.CM.UserID, allot.MailReset))(t)
		res, body := owner.post("/link/"+token, url.Values{"new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("a reset link over the limit: %d, want 303:\n%s", res.StatusCode, body)
		}
		if res, _ := owner.get("/account"); res.StatusCode != http.StatusOK {
			t.Errorf("the account page after the link: %d, want 200 (signed in)", res.StatusCode)
		}
	})
}

// TestSafeNext: where sign-in sends next is always a path of the site; a
// backslash, which browsers read as a slash, cannot lead off it.
func TestSafeNext(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		_, h := newSite(t, b, 10)
		for next, want := range map[string]string{
			"/company/users?q=a":   "/company/users?q=a",
			`/\evil.example/`:      "/",
			`\\evil.example`:       "/",
			"//evil.example/":      "/",
			"https://evil.example": "/",
			"/%0d%0aSet-Cookie:x":  "/%0d%0aSet-Cookie:x",
			"/\t/evil.example":     "/",
			"":                     "/",
		} {
			br := &browser{t: t, h: h, addr: "192.0.2.1"}
			form := signIn("cm@acme.test", world.Password)
			form.Set("next", next)
			res, _ := br.post("/login", form)
			if got := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || got != want {
				t.Errorf("next %q: %d to %q, want 303 to %q", next, res.StatusCode, got, want)
			}
		}
	})
}

// TestPasswordChangeEndsSessions: a reset or a change of password ends the
// person's other sessions; the change keeps the session that made it.
func TestPasswordChangeEndsSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, h := newSite(t, b, 10)
		signedIn := func(addr string) *browser {
			br := &browser{t: t, h: h, addr: addr}
			if res, body := br.post("/login", signIn("cm@acme.test", world.Password)); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("sign in: %d:\n%s", res.StatusCode, body)
			}
			return br
		}
		in := func(br *browser) bool {
			res, _ := br.get("/account")
			return res.StatusCode == http.StatusOK
		}
		laptop, phone := signedIn("192.0.2.1"), signedIn("192.0.2.2")
		res, body := laptop.post("/account/password", url.Values{"current_password": {world.Password},
			"new_password": {"a changed password"}, "confirm_password": {"a changed password"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change of password: %d:\n%s", res.StatusCode, body)
		}
		if !in(laptop) || in(phone) {
			t.Errorf("after a change: laptop signed in %v (want true), phone %v (want false)", in(laptop), in(phone))
		}

		phone = &browser{t: t, h: h, addr: "192.0.2.2"}
		phone.post("/login", signIn("cm@acme.test", "a changed password"))
		token, _ := world.Must2(f.Accounts.IssueLink(context.Background(), f.CM.UserID, allot.MailReset))(t)
		stranger := &browser{t: t, h: h, addr: "192.0.2.3"}
		stranger.post("/link/"+token, url.Values{"new_password": {"reset by the owner"}, "confirm_password": {"reset by the owner"}})
		if in(laptop) || in(phone) || !in(stranger) {
			t.Errorf("after a reset: laptop %v, phone %v (want both out), the link's browser %v (want in)",
				in(laptop), in(phone), in(stranger))
		}
	})
}

// TestForgotPassword: the form answers the same for an account and for no
// account, queues a reset mail only for the account, and is limited per
// e-mail.
func TestForgotPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, h := newSite(t, b, 10)
		answer := func(email string) (int, string) {
			br := &browser{t: t, h: h, addr: "192.0.2.9"}
			res, _ := br.post("/password/forgot", url.Values{"email": {email}})
			_, body := br.get(res.Header.Get("Location"))
			start := strings.Index(body, `<p class="flash" role="status">`)
			if start < 0 {
				return res.StatusCode, ""
			}
			flash := body[start:]
			return res.StatusCode, strings.ReplaceAll(flash[:strings.Index(flash, "</p>")], email, "EMAIL")
		}
		known, knownFlash := answer("cm@acme.test")
		unknown, unknownFlash := answer("nobody@acme.test")
		if known != http.StatusSeeOther || known != unknown || knownFlash != unknownFlash || knownFlash == "" {
			t.Errorf("an account: %d %q; no account: %d %q; want the same answer", known, knownFlash, unknown, unknownFlash)
		}
		if queued := f.Mails(allot.MailReset); len(queued) != 1 || len(queued["cm@acme.test"]) != 1 {
			t.Errorf("reset mails: %v, want one to cm@acme.test", queued)
		}
		answer("cm@acme.test")
		answer("cm@acme.test")
		br := &browser{t: t, h: h, addr: "192.0.2.10"}
		if res, body := br.post("/password/forgot", url.Values{"email": {"cm@acme.test"}}); res.StatusCode != http.StatusTooManyRequests ||
			res.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many attempts") {
			t.Errorf("a fourth reset within the hour: %d, Retry-After %q, want 429 saying so", res.StatusCode, res.Header.Get("Retry-After"))
		}
	})
}
