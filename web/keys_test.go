package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestSigningKeysPage: the vendor admin sees the key that signs and where
// the keys are published, rotates it after being asked, and then sees the
// old key retired but published; the audit log says so in words. Other
// staff may not see the page.
func TestSigningKeysPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		admin := s.signIn(t, "admin@vendor.test")
		res, body := admin.get("/signing-keys")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("signing keys: %d\n%s", res.StatusCode, body)
		}
		expect(t, "before a rotation", body, []string{`<a href="/signing-keys" aria-current="page">Signing keys</a>`,
			"/.well-known/jwks.json", "A token lasts 15 minutes at most", "<strong>Signing</strong>",
			`data-confirm="Make a new key sign every token from now on?"`, "Rotate now"}, []string{"; published until"})

		res, body = admin.post("/signing-keys/rotate", url.Values{})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("rotate: %d\n%s", res.StatusCode, body)
		}
		expect(t, "after a rotation", body, []string{"A new key signs the tokens from now on", "<strong>Signing</strong>",
			"; published until"}, nil)

		_, body = admin.get("/audit")
		expect(t, "the audit log", body, []string{"Rotated the key that signs offline tokens"}, nil)

		am := s.signIn(t, s.w.Users["am"].Email)
		if res, body := am.get("/signing-keys"); res.StatusCode != http.StatusForbidden {
			t.Errorf("an account manager's signing keys: %d, want 403\n%s", res.StatusCode, body)
		}
		if res, _ := am.post("/signing-keys/rotate", url.Values{}); res.StatusCode != http.StatusForbidden {
			t.Errorf("an account manager's rotation: %d, want 403", res.StatusCode)
		}
		if _, body := am.get("/"); strings.Contains(body, `href="/signing-keys"`) {
			t.Error("an account manager's menu offers the signing keys")
		}
	})
}
