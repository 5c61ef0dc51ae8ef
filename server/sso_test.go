package server_test

import (
	"context"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/oidc/oidctest"
	"allot/server"
	"allot/storetest"
	"allot/world"
)

// ssoSite is the real server over the shared world, with Acme's single
// sign-on connected to a provider running in the test over HTTP, and
// Channel One's to another.
type ssoSite struct {
	t       *testing.T
	w       *world.World
	srv     *httptest.Server
	idp     *oidctest.Provider // Acme's
	channel *oidctest.Provider // Channel One's
}

// newSSOSite makes the site, with single sign-on required of Acme's people
// or not, and sign-in attempts limited to limit per account (10 when 0).
func newSSOSite(t *testing.T, b storetest.Backend, required bool, limit int) *ssoSite {
	t.Helper()
	w := world.New(t, b)
	s := &ssoSite{t: t, w: w, idp: oidctest.Start(t), channel: oidctest.Start(t)}
	s.srv = httptest.NewServer(server.New(server.Config{Ledger: w.Svc, Directory: w.Dir, Accounts: w.Accounts, Reports: w.Reports,
		Sessions: w.DB.Sessions(), Keys: w.DB, InsecureCookies: true, LoginLimit: limit}))
	t.Cleanup(s.srv.Close)
	s.connect(w.Ctx(t, "acme cm"), account.Owner{CompanyID: w.Acme.Company.ID}, s.idp, required, "acme.test")
	s.connect(w.Ctx(t, "pm"), account.Owner{PartnerID: w.Partner.ID}, s.channel, false, "channel.test")
	// A person of Globex whose e-mail is in Acme's domain.
	world.Must(w.Svc.AddUser(w.Ctx(t, "admin@globex"), allot.NewUser{Email: "stray@acme.test", CompanyID: w.Globex.Company.ID,
		Password: world.Password}))(t)
	return s
}

// connect connects o's single sign-on to provider p for domain.
func (s *ssoSite) connect(ctx context.Context, o account.Owner, p *oidctest.Provider, required bool, domain string) {
	s.t.Helper()
	world.Must(s.w.Accounts.Connect(ctx, o, account.ConnectionInput{Issuer: p.Issuer(), ClientID: p.ClientID(),
		ClientSecret: p.ClientSecret(), Domains: []string{domain}, Required: required}))(s.t)
}

// visitor is a browser: it keeps cookies and follows redirects, to the
// provider and back. It reads pages as their text would show.
type visitor struct {
	t    *testing.T
	s    *ssoSite
	http *http.Client
}

func (s *ssoSite) visitor() *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: s.t, s: s, http: &http.Client{Jar: jar}}
}

// signIn sends the sign-in form.
func (v *visitor) signIn(email, password string) (*http.Response, string) {
	v.t.Helper()
	return v.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/account"}})
}

func (v *visitor) post(path string, form url.Values) (*http.Response, string) {
	v.t.Helper()
	res, err := v.http.PostForm(v.s.srv.URL+path, form)
	return v.read(res, err)
}

func (v *visitor) get(path string) (*http.Response, string) {
	v.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = v.s.srv.URL + path
	}
	res, err := v.http.Get(path)
	return v.read(res, err)
}

func (v *visitor) read(res *http.Response, err error) (*http.Response, string) {
	v.t.Helper()
	if err != nil {
		v.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		v.t.Fatal(err)
	}
	return res, html.UnescapeString(string(b))
}

// signedIn reports whether the visitor's session is signed in.
func (v *visitor) signedIn() bool {
	v.t.Helper()
	res, _ := v.get("/account")
	return res.StatusCode == http.StatusOK && res.Request.URL.Path == "/account"
}

// TestSSOSignsIn follows single sign-on end to end through the real
// server and a real provider: a company manager gives their e-mail alone,
// goes to Acme's provider (PKCE S256, a nonce, their e-mail as the hint)
// and comes back signed in, on the page they asked for; a partner's
// manager signs in with their partner's provider.
func TestSSOSignsIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, false, 0)
		s.idp.Next(oidctest.Person{Email: "cm@acme.test"})
		v := s.visitor()
		res, body := v.signIn("CM@acme.test", "")
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/account" || !strings.Contains(body, "Account") {
			t.Fatalf("single sign-on ended with %d at %s:\n%s", res.StatusCode, res.Request.URL, body)
		}
		if !v.signedIn() {
			t.Error("the manager is not signed in")
		}
		asked := s.idp.Authorized()
		if len(asked) != 1 || asked[0].Get("code_challenge_method") != "S256" || asked[0].Get("nonce") == "" ||
			asked[0].Get("login_hint") != "CM@acme.test" || asked[0].Get("redirect_uri") != s.srv.URL+"/sso/callback" {
			t.Errorf("the provider was asked %v", asked)
		}
		if res, _ := v.get("/company/users"); res.StatusCode != http.StatusOK {
			t.Errorf("Acme's users as its manager signed in by single sign-on: %d", res.StatusCode)
		}

		s.channel.Next(oidctest.Person{Email: "pm@channel.test"})
		pm := s.visitor()
		if res, body := pm.post("/login", url.Values{"email": {"pm@channel.test"}}); res.Request.URL.Path != "/" || !strings.Contains(body, "Customers") {
			t.Errorf("Channel One's manager ended at %s (%d):\n%s", res.Request.URL, res.StatusCode, body)
		}
		if len(s.idp.Authorized()) != 1 || len(s.channel.Authorized()) != 1 {
			t.Error("each person went to another provider than their own")
		}
	})
}

// TestSSORefusals: a token for another audience, with another nonce,
// expired, signed with a key the provider does not publish or vouching
// for an unverified e-mail signs nobody in; nor does a verified e-mail of
// another company's domain, of another company's person, of nobody or of
// a removed person: each is a page that says why (403), and nobody is
// signed in or made.
func TestSSORefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, false, 0)
		gone := world.Must(s.w.Svc.AddUser(s.w.Ctx(t, "acme cm"), allot.NewUser{Email: "gone@acme.test", CompanyID: s.w.Acme.Company.ID}))(t)
		world.Must(s.w.Svc.RemoveUser(s.w.Ctx(t, "acme cm"), gone.ID))(t)
		who := "has no account of Acme in allot, so single sign-on cannot sign you in: ask Acme's managers (cm@acme.test) to add you"
		checks := "the answer of Acme's identity provider did not pass allot's checks"
		for _, c := range []struct {
			name       string
			person     oidctest.Person
			foreignKey bool
			want       string
		}{
			{"another audience", oidctest.Person{Email: "cm@acme.test", Token: oidctest.WrongAudience}, false, checks},
			{"another nonce", oidctest.Person{Email: "cm@acme.test", Token: oidctest.WrongNonce}, false, checks},
			{"expired", oidctest.Person{Email: "cm@acme.test", Token: oidctest.Expired}, false, checks},
			{"a foreign key", oidctest.Person{Email: "cm@acme.test"}, true, checks},
			{"an unverified e-mail", oidctest.Person{Email: "cm@acme.test", Unverified: true}, false, "did not say that your e-mail address is verified"},
			{"another company's domain", oidctest.Person{Email: "cm@globex.test"}, false, "not in the domains its single sign-on covers (acme.test)"},
			{"another company's person", oidctest.Person{Email: "stray@acme.test"}, false, "stray@acme.test " + who},
			{"an unknown person", oidctest.Person{Email: "nobody@acme.test"}, false, "nobody@acme.test " + who},
			{"a removed person", oidctest.Person{Email: gone.Email}, false, gone.Email + " " + who},
		} {
			t.Run(c.name, func(t *testing.T) {
				s.idp.Next(c.person)
				if c.foreignKey {
					s.idp.ForeignKeyNext()
				}
				v := s.visitor()
				res, body := v.signIn("cm@acme.test", "")
				if res.StatusCode != http.StatusForbidden || res.Request.URL.Path != "/sso/callback" || !strings.Contains(body, c.want) {
					t.Errorf("%d at %s, want 403 saying %q:\n%s", res.StatusCode, res.Request.URL.Path, c.want, body)
				}
				if v.signedIn() {
					t.Error("signed in all the same")
				}
			})
		}
		if _, err := s.w.Svc.Login(context.Background(), "nobody@acme.test", "x"); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a refused sign-on made an account: %v", err)
		}
	})
}

// TestSSOCallbackRefusals: a callback finishes only the sign-in its
// browser started, once, within ten minutes; another state, a replay, a
// callback without a sign-in and the provider's refusal are pages that say
// so (4xx), and sign nobody in.
func TestSSOCallbackRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, false, 0)
		again := "this sign-in has expired, was used already or did not start in this browser: sign in again"

		t.Run("no sign-in under way", func(t *testing.T) {
			v := s.visitor()
			if res, body := v.get("/sso/callback?code=x&state=y"); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, again) {
				t.Errorf("%d:\n%s", res.StatusCode, body)
			}
		})
		t.Run("another state", func(t *testing.T) {
			v := s.visitor()
			back := v.stopAtCallback("cm@acme.test")
			q := back.Query()
			q.Set("state", "someone-else's")
			back.RawQuery = q.Encode()
			if res, body := v.get(back.String()); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, again) {
				t.Errorf("%d:\n%s", res.StatusCode, body)
			}
			if v.signedIn() {
				t.Error("signed in with another state")
			}
		})
		t.Run("replayed", func(t *testing.T) {
			s.idp.Next(oidctest.Person{Email: "cm@acme.test"})
			v := s.visitor()
			back := v.stopAtCallback("cm@acme.test")
			if res, _ := v.get(back.String()); res.Request.URL.Path != "/account" || !v.signedIn() {
				t.Fatalf("the callback itself: %d at %s", res.StatusCode, res.Request.URL)
			}
			if res, body := v.get(back.String()); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, again) {
				t.Errorf("the callback again: %d:\n%s", res.StatusCode, body)
			}
		})
		t.Run("too late", func(t *testing.T) {
			v := s.visitor()
			back := v.stopAtCallback("cm@acme.test")
			s.w.Clock.Advance(11 * time.Minute)
			if res, body := v.get(back.String()); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, again) {
				t.Errorf("%d:\n%s", res.StatusCode, body)
			}
		})
		t.Run("refused by the provider", func(t *testing.T) {
			s.idp.DenyNext()
			v := s.visitor()
			res, body := v.signIn("cm@acme.test", "")
			if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "your identity provider did not sign you in (access_denied)") {
				t.Errorf("%d:\n%s", res.StatusCode, body)
			}
			if v.signedIn() {
				t.Error("signed in after a refusal")
			}
		})
	})
}

// stopAtCallback starts single sign-on as email and follows the browser
// to the provider, stopping where it is sent back.
func (v *visitor) stopAtCallback(email string) *url.URL {
	v.t.Helper()
	stop := *v.http
	stop.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/sso/callback" {
			return http.ErrUseLastResponse
		}
		return nil
	}
	res, err := stop.PostForm(v.s.srv.URL+"/login", url.Values{"email": {email}, "next": {"/account"}})
	if err != nil {
		v.t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || back.Path != "/sso/callback" || back.Query().Get("code") == "" {
		v.t.Fatalf("the provider sent back %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	return back
}

// TestSSORequired: when Acme requires single sign-on, the sign-in form
// sends its people to the provider even with a password, which is not
// checked, the API refuses their password saying why, and a link sets them
// none; someone else with an e-mail in the domain still signs in with a
// password. Without it, a password still works for Acme's people.
func TestSSORequired(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, true, 0)
		v := s.visitor()
		v.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		res, _ := v.signIn("cm@acme.test", world.Password)
		if to := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(to, s.idp.Issuer()) {
			t.Errorf("a password for Acme's manager: %d to %q, want 303 to the provider", res.StatusCode, to)
		}
		v.http.CheckRedirect = nil
		if v.signedIn() {
			t.Error("a password signed Acme's manager in")
		}
		res, body := v.post("/login", url.Values{"email": {"stray@acme.test"}, "password": {world.Password}})
		if res.Request.URL.Path != "/me" {
			t.Errorf("Globex's person in Acme's domain with a password: %d at %s:\n%s", res.StatusCode, res.Request.URL, body)
		}

		api, err := http.Post(s.srv.URL+"/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"cm@acme.test","password":"`+world.Password+`"}`))
		_, body = v.read(api, err)
		if api.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Acme's people sign in with single sign-on, not a password") {
			t.Errorf("the API's sign-in with a password: %d %s", api.StatusCode, body)
		}

		token, _ := world.Must2(s.w.Accounts.IssueLink(context.Background(), s.w.Acme.CM.UserID, allot.MailWelcome))(t)
		if res, body := s.visitor().get("/link/" + token); res.StatusCode != http.StatusForbidden ||
			!strings.Contains(body, "Acme's people sign in with single sign-on, not a password") {
			t.Errorf("a welcome link of Acme's manager: %d:\n%s", res.StatusCode, body)
		}

		s.idp.Next(oidctest.Person{Email: "cm@acme.test"})
		if res, body := s.visitor().signIn("cm@acme.test", world.Password); res.Request.URL.Path != "/account" {
			t.Errorf("single sign-on when it is required: %d at %s:\n%s", res.StatusCode, res.Request.URL, body)
		}

		in := account.ConnectionInput{Issuer: s.idp.Issuer(), ClientID: s.idp.ClientID(), Domains: []string{"acme.test"}}
		world.Must(s.w.Accounts.Connect(s.w.Ctx(t, "acme cm"), account.Owner{CompanyID: s.w.Acme.Company.ID}, in))(t)
		asked := len(s.idp.Authorized())
		if res, body := s.visitor().signIn("cm@acme.test", world.Password); res.Request.URL.Path != "/account" || len(s.idp.Authorized()) != asked {
			t.Errorf("a password when single sign-on is not required: %d at %s:\n%s", res.StatusCode, res.Request.URL, body)
		}
	})
}

// TestSSOUnreachable: a provider that does not answer is a page that says
// so (502), not an internal error, and the password form still works for
// whoever may use one.
func TestSSOUnreachable(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, false, 0)
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		closed := "http://" + ln.Addr().String() + "/oidc"
		ln.Close()
		in := account.ConnectionInput{Issuer: closed, ClientID: "allot", Domains: []string{"acme.test"}}
		world.Must(s.w.Accounts.Connect(s.w.Ctx(t, "acme cm"), account.Owner{CompanyID: s.w.Acme.Company.ID}, in))(t)
		v := s.visitor()
		res, body := v.signIn("cm@acme.test", "")
		want := "Acme's identity provider (" + closed + ") did not answer: try again in a moment, or sign in with your password"
		if res.StatusCode != http.StatusBadGateway || !strings.Contains(body, want) || !strings.Contains(body, `name="password"`) {
			t.Errorf("%d, want 502 saying %q on the sign-in form:\n%s", res.StatusCode, want, body)
		}
		if res, body := v.signIn("cm@acme.test", world.Password); res.Request.URL.Path != "/account" {
			t.Errorf("a password while the provider is down: %d at %s:\n%s", res.StatusCode, res.Request.URL, body)
		}
	})
}

// TestSSOLimited: each start of single sign-on counts against the
// address's limit of sign-in attempts, and one over it is told how long to
// wait (429).
func TestSSOLimited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := newSSOSite(t, b, false, 1)
		v := s.visitor()
		v.http.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
		for i := range 10 {
			if res, _ := v.signIn("cm@acme.test", ""); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("start %d: %d, want 303 to the provider", i+1, res.StatusCode)
			}
		}
		res, body := v.signIn("cm@acme.test", "")
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "too many attempts") {
			t.Errorf("a start over the limit: %d, Retry-After %q:\n%s", res.StatusCode, res.Header.Get("Retry-After"), body)
		}
	})
}
