package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/storetest"
	"allot/world"

	"github.com/pquerna/otp/totp"
)

// code is the code of user id's second factor, set up or being set up, at
// the fixture's time.
func code(t *testing.T, f *world.Fixture, id int64) string {
	t.Helper()
	secret := ""
	if key, err := f.Accounts.PendingKey(context.Background(), id); err == nil {
		secret = key.Secret()
	} else if err := f.DB.Account().Read(context.Background(), func(tx account.Tx) error {
		fa, err := tx.Factor(id)
		secret = fa.Secret
		return err
	}); err != nil {
		t.Fatal(err)
	}
	c, err := totp.GenerateCode(secret, f.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signedIn reports whether the browser's session is signed in.
func (b *browser) signedIn() bool {
	res, _ := b.get("/account")
	return res.StatusCode == http.StatusOK
}

// TestTwoStepSignIn sets up a manager's second factor from the account
// page, then signs in with a code, and with a recovery code; a reset link
// does not skip the second step.
func TestTwoStepSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, h := newSite(t, b, 10)
		cm := &browser{t: t, h: h, addr: "192.0.2.1"}
		cm.post("/login", signIn("cm@acme.test", world.Password))
		if res, _ := cm.post("/account/factor/start", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("start: %d", res.StatusCode)
		}
		key := world.Must(f.Accounts.PendingKey(context.Background(), f.CM.UserID))(t)
		if res, body := cm.get("/account/factor"); res.StatusCode != http.StatusOK || !strings.Contains(body, key.Secret()) {
			t.Fatalf("the setup page: %d, without the key %s:\n%s", res.StatusCode, key.Secret(), body)
		}
		if res, _ := cm.get("/account/factor/qr.png"); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("the QR code: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		res, body := cm.post("/account/factor", url.Values{"code": {code(t, f, f.CM.UserID)}})
		recovery := strings.Count(body, "<li><code>")
		if res.StatusCode != http.StatusOK || recovery != 10 {
			t.Fatalf("confirm: %d with %d recovery codes, want 200 and 10:\n%s", res.StatusCode, recovery, body)
		}
		first := body[strings.Index(body, "<li><code>")+len("<li><code>"):]
		first = first[:strings.Index(first, "<")]

		// Signing in now takes a code after the password.
		f.Clock.Advance(30 * time.Second)
		laptop := &browser{t: t, h: h, addr: "192.0.2.2"}
		res, _ = laptop.post("/login", url.Values{"email": {"cm@acme.test"}, "password": {world.Password}, "next": {"/company/users"}})
		if to := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || to != "/login/code?next=%2Fcompany%2Fusers" {
			t.Fatalf("password: %d to %q, want 303 to the code", res.StatusCode, to)
		}
		if laptop.signedIn() {
			t.Fatal("signed in with the password alone")
		}
		if res, _ := laptop.post("/login/code", url.Values{"code": {"000000"}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("a wrong code: %d, want 401", res.StatusCode)
		}
		res, _ = laptop.post("/login/code", url.Values{"code": {code(t, f, f.CM.UserID)}, "next": {"/company/users"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/company/users" || !laptop.signedIn() {
			t.Errorf("the code: %d to %q, signed in %v", res.StatusCode, res.Header.Get("Location"), laptop.signedIn())
		}

		// A recovery code, once.
		for i, want := range []int{http.StatusSeeOther, http.StatusUnauthorized} {
			phone := &browser{t: t, h: h, addr: "192.0.2.3"}
			phone.post("/login", signIn("cm@acme.test", world.Password))
			if res, _ := phone.post("/login/code", url.Values{"code": {first}}); res.StatusCode != want {
				t.Errorf("recovery code, use %d: %d, want %d", i+1, res.StatusCode, want)
			}
		}

		// A reset link sets the password, and then asks the code.
		token, _ := world.Must2(f.Accounts.IssueLink(context.Background(), f.CM.UserID, allot.MailReset))(t)
		other := &browser{t: t, h: h, addr: "192.0.2.4"}
		res, _ = other.post("/link/"+token, url.Values{"new_password": {"a reset password"}, "confirm_password": {"a reset password"}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login/code") || other.signedIn() {
			t.Errorf("a reset link with a second factor: %d to %q, signed in %v; want the code first",
				res.StatusCode, res.Header.Get("Location"), other.signedIn())
		}
	})
}

// TestRequiredSecondFactor: when the vendor requires a second factor of
// its side, a partner manager without one sets it up while signing in.
func TestRequiredSecondFactor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f, h := newSite(t, b, 10)
		world.Must(0, f.Accounts.RequireFactor(f.As(f.Admin), 0, true))(t)
		pm := &browser{t: t, h: h, addr: "192.0.2.1"}
		res, _ := pm.post("/login", signIn("pm@channel.test", world.Password))
		if to := res.Header.Get("Location"); !strings.HasPrefix(to, "/login/enrol") {
			t.Fatalf("sign-in without the required factor: %d to %q, want the setup", res.StatusCode, to)
		}
		if res, _ := pm.get("/customers"); res.StatusCode == http.StatusOK {
			t.Fatal("in before setting up the required factor")
		}
		if res, body := pm.get("/login/enrol"); res.StatusCode != http.StatusOK || !strings.Contains(body, `src="/login/enrol/qr.png"`) {
			t.Fatalf("the setup page: %d\n%s", res.StatusCode, body)
		}
		if res, _ := pm.get("/login/enrol/qr.png"); res.Header.Get("Content-Type") != "image/png" {
			t.Errorf("the QR code: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res, _ := pm.post("/login/enrol", url.Values{"code": {"123456"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("a wrong first code: %d, want 422", res.StatusCode)
		}
		res, body := pm.post("/login/enrol", url.Values{"code": {code(t, f, f.PM.UserID)}})
		if res.StatusCode != http.StatusOK || strings.Count(body, "<li><code>") != 10 {
			t.Fatalf("the first code: %d\n%s", res.StatusCode, body)
		}
		if res, _ := pm.get("/customers"); res.StatusCode != http.StatusOK {
			t.Errorf("after setting it up: /customers %d, want 200", res.StatusCode)
		}
	})
}
