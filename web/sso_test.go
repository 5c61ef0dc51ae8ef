package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"allot/account"
	"allot/world"
)

// ssoForm is the single sign-on form of a connection with secret.
func ssoForm(domains, secret string) url.Values {
	return url.Values{"issuer": {"https://login.acme.example"}, "client_id": {"allot-at-acme"}, "client_secret": {secret},
		"domains": {domains}, "required": {"1"}}
}

// TestSSOPage: a company's manager connects its identity provider from
// the settings, is told the redirect URL to register, sees mistakes beside
// their fields, and never sees the secret again, on any page; then
// disconnects it.
func TestSSOPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		const secret = "acme-sso-secret-5d81c2"
		world.Must(s.w.Accounts.Connect(s.w.Ctx(t, "globex cm"), account.Owner{CompanyID: s.ids["globex"]},
			account.ConnectionInput{Issuer: "https://login.globex.example", ClientID: "g", ClientSecret: "g", Domains: []string{"globex.test"}}))(t)
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "settings", body, []string{`<a href="/company/sso">Single sign-on</a>`}, nil)
		res, body := cm.get("/company/sso")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /company/sso: %d\n%s", res.StatusCode, body)
		}
		expect(t, "not connected", body, []string{"Single sign-on of Acme", "Not connected", "<code>" + s.srv.URL + "/sso/callback</code>",
			`name="client_secret" maxlength="2000" autocomplete="new-password"`}, nil)

		for _, c := range []struct {
			name   string
			form   url.Values
			status int
			field  string
			want   string
		}{
			{"plain http", url.Values{"issuer": {"http://login.acme.example"}}, http.StatusUnprocessableEntity, "issuer", "starts with https://"},
			{"no secret", url.Values{"client_secret": {""}}, http.StatusUnprocessableEntity, "client_secret", "client secret"},
			{"another's domain", url.Values{"domains": {"acme.test, globex.test"}}, http.StatusConflict, "domains",
				"globex.test signs in with another single sign-on already"},
		} {
			form := ssoForm("acme.test", secret)
			for k, v := range c.form {
				form[k] = v
			}
			res, body := cm.post("/company/sso", form)
			if res.StatusCode != c.status || !strings.Contains(body, c.want) || !strings.Contains(body, `name="`+c.field+`"`) {
				t.Errorf("%s: %d, want %d saying %q beside %s:\n%s", c.name, res.StatusCode, c.status, c.want, c.field, body)
			}
		}

		res, body = cm.post("/company/sso", ssoForm("acme.test, Acme-Group.test", secret))
		expect(t, "saved", body, []string{"Single sign-on is saved: people of acme-group.test, acme.test sign in with https://login.acme.example.",
			"Acme's people there can no longer sign in with a password.", "Connected since", "Saved; leave empty to keep it"}, nil)
		res, body = cm.post("/company/sso", ssoForm("acme.test", ""))
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Single sign-on is saved") {
			t.Errorf("a change without the secret: %d\n%s", res.StatusCode, body)
		}
		for _, path := range []string{"/company/sso", "/company/settings", "/company/audit"} {
			_, body := cm.get(path)
			expect(t, path, body, nil, []string{secret})
		}
		_, body = cm.get("/company/audit")
		expect(t, "audit log", body, []string{"sso.connect", "sso.change"}, nil)

		_, body = cm.post("/company/sso/disconnect", nil)
		expect(t, "disconnected", body, []string{"Single sign-on is disconnected", "Not connected"}, []string{secret})
	})
}

// TestSSOPageWho: a partner's manager reaches a customer's single sign-on
// in manage-company mode and their partner's from the menu; the vendor
// admin reaches a partner's from the partners; the others are refused.
func TestSSOPageWho(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		channel := "/partners/" + s.id("channel1") + "/sso"
		pm := s.signIn(t, "pm@channel.test")
		res, body := pm.get("/customers")
		expect(t, "partner's menu", body, []string{`<a href="` + channel + `">Single sign-on</a>`}, nil)
		if res, _ := pm.get(channel); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s as its manager: %d", channel, res.StatusCode)
		}
		pm.post("/manage/"+s.id("acme"), nil)
		if res, body = pm.get("/company/sso"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Single sign-on of Acme") {
			t.Errorf("Acme's page as its partner's manager in manage mode: %d", res.StatusCode)
		}

		admin := s.signIn(t, "admin@vendor.test")
		_, body = admin.get("/partners")
		expect(t, "partners", body, []string{`<a href="` + channel + `">Single sign-on</a>`}, nil)
		_, body = s.signIn(t, "am@vendor.test").get("/partners")
		expect(t, "partners of the account manager", body, nil, []string{"/sso"})

		for _, c := range []struct {
			who, path string
			status    int
		}{
			{"pm2@channel2.test", channel, http.StatusNotFound},
			{"cm@acme.test", channel, http.StatusNotFound},
			{"am@vendor.test", channel, http.StatusForbidden},
			{"pm@channel.test", "/partners/999999/sso", http.StatusNotFound},
			{"learner@acme.test", "/company/sso", http.StatusForbidden},
		} {
			res, body := s.signIn(t, c.who).get(c.path)
			if res.StatusCode != c.status {
				t.Errorf("%s at %s: %d, want %d\n%s", c.who, c.path, res.StatusCode, c.status, body)
			}
		}
		pm = s.signIn(t, "pm@channel.test")
		if res, _ := pm.post("/company/sso", ssoForm("acme.test", "x")); res.StatusCode != http.StatusNotFound {
			t.Errorf("a partner's manager outside manage mode: %d, want 404 (no company managed)", res.StatusCode)
		}
	})
}
