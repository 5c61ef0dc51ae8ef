package account_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/mail"
	"allot/storetest"
	"allot/world"
)

// acmeSSO is a valid connection of Acme's people.
func acmeSSO() account.ConnectionInput {
	return account.ConnectionInput{Issuer: "https://login.acme.example", ClientID: "allot-client", ClientSecret: "acme-client-secret-7f3a",
		Domains: []string{" ACME.test ", "@acme-group.test", "acme.test."}}
}

// TestConnect: a company's manager connects its identity provider; the
// secret is kept and never returned, nor written in the audit log; a
// change without a secret keeps it; disconnecting records it too.
func TestConnect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		acme := account.Owner{CompanyID: f.Company.ID}
		c := world.Must(f.Accounts.Connect(f.As(f.CM), acme, acmeSSO()))(t)
		if c.ClientSecret != "" || !c.SecretSet || strings.Join(c.Domains, ",") != "acme-group.test,acme.test" || c.Name != "Acme" {
			t.Fatalf("Connect returned %+v: want no secret, SecretSet, the domains in canonical form", c)
		}
		got := world.Must(f.Accounts.Connection(f.As(f.CM), acme))(t)
		if got.ID != c.ID || got.ClientSecret != "" || !got.SecretSet || got.Issuer != "https://login.acme.example" {
			t.Errorf("Connection returned %+v", got)
		}
		stored := world.Must(f.Accounts.SignOnConnection(context.Background(), c.ID))(t)
		if stored.ClientSecret != "acme-client-secret-7f3a" {
			t.Errorf("the stored secret is %q", stored.ClientSecret)
		}

		in := acmeSSO()
		in.ClientSecret, in.Required, in.Domains = "", true, []string{"acme.test"}
		changed := world.Must(f.Accounts.Connect(f.As(f.CM), acme, in))(t)
		stored = world.Must(f.Accounts.SignOnConnection(context.Background(), c.ID))(t)
		if changed.ID != c.ID || !changed.Required || stored.ClientSecret != "acme-client-secret-7f3a" || len(stored.Domains) != 1 {
			t.Errorf("a change without a secret: %+v, stored %+v; want the same connection, required, the secret kept", changed, stored)
		}
		world.Must(0, f.Accounts.Disconnect(f.As(f.CM), acme))(t)
		if _, err := f.Accounts.Connection(f.As(f.CM), acme); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a disconnected connection reads: %v", err)
		}

		events := world.Must(f.Svc.Events(f.As(f.CM), allot.EventFilter{CompanyID: f.Company.ID}))(t)
		var actions []string
		for _, e := range events {
			if e.SubjectType != "sso_connection" {
				continue
			}
			actions = append(actions, e.Action)
			if strings.Contains(e.Before+e.After, "acme-client-secret") {
				t.Errorf("the audit event %s holds the secret: %s %s", e.Action, e.Before, e.After)
			}
		}
		if strings.Join(actions, " ") != "sso.disconnect sso.change sso.connect" {
			t.Errorf("audit events %v, want the connection, its change and its end", actions)
		}
	})
}

// TestConnectRefused: what a connection may not be, and that a domain is
// one connection's at most.
func TestConnectRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		acme := account.Owner{CompanyID: f.Company.ID}
		for _, c := range []struct {
			name  string
			edit  func(in *account.ConnectionInput)
			field string
		}{
			{"no issuer", func(in *account.ConnectionInput) { in.Issuer = "" }, "issuer"},
			{"plain http", func(in *account.ConnectionInput) { in.Issuer = "http://login.acme.example" }, "issuer"},
			{"not a URL", func(in *account.ConnectionInput) { in.Issuer = "login.acme.example" }, "issuer"},
			{"a query", func(in *account.ConnectionInput) { in.Issuer = "https://login.acme.example/?tenant=1" }, "issuer"},
			{"no client ID", func(in *account.ConnectionInput) { in.ClientID = " " }, "client_id"},
			{"no secret", func(in *account.ConnectionInput) { in.ClientSecret = "" }, "client_secret"},
			{"a control character", func(in *account.ConnectionInput) { in.ClientSecret = "a\x00b" }, "client_secret"},
			{"no domain", func(in *account.ConnectionInput) { in.Domains = []string{" "} }, "domains"},
			{"not a domain", func(in *account.ConnectionInput) { in.Domains = []string{"acme"} }, "domains"},
			{"an e-mail", func(in *account.ConnectionInput) { in.Domains = []string{"ann@acme.test"} }, "domains"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := acmeSSO()
				c.edit(&in)
				_, err := f.Accounts.Connect(f.As(f.CM), acme, in)
				world.WantError(t, err, allot.EINVALID, c.field)
			})
		}
		loopback := acmeSSO()
		loopback.Issuer = "http://127.0.0.1:5556/dex"
		world.Must(f.Accounts.Connect(f.As(f.CM), acme, loopback))(t)

		channel := account.Owner{PartnerID: f.Partner.ID}
		in := acmeSSO()
		in.Domains = []string{"channel.test", "Acme-Group.test"}
		_, err := f.Accounts.Connect(f.As(f.PM), channel, in)
		world.WantError(t, err, allot.ECONFLICT, "domains")
		if !strings.Contains(allot.ErrorMessage(err), "acme-group.test") {
			t.Errorf("the conflict does not name the domain: %v", err)
		}
		in.Domains = []string{"channel.test"}
		world.Must(f.Accounts.Connect(f.As(f.PM), channel, in))(t)
	})
}

// TestConnectWho: a partner's manager connects a customer's single
// sign-on in manage-company mode only, and their own partner's; another
// partner's reads as not found.
func TestConnectWho(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := account.Owner{CompanyID: w.Acme.Company.ID}
		_, err := w.Accounts.Connect(w.Ctx(t, "pm"), acme, acmeSSO())
		world.WantError(t, err, allot.EFORBIDDEN, "")
		world.Must(w.Accounts.Connect(w.Ctx(t, "pm@acme"), acme, acmeSSO()))(t)
		for _, who := range []string{"pm2", "globex cm", "acme learner"} {
			_, err := w.Accounts.Connection(w.Ctx(t, who), acme)
			world.WantError(t, err, allot.ENOTFOUND, "")
		}
		_, err = w.Accounts.Connection(w.Ctx(t, "am"), acme)
		world.WantError(t, err, allot.EFORBIDDEN, "")

		in := acmeSSO()
		in.Domains = []string{"channel.test"}
		_, err = w.Accounts.Connect(w.Ctx(t, "pm2"), account.Owner{PartnerID: w.Partner.ID}, in)
		world.WantError(t, err, allot.ENOTFOUND, "")
		world.Must(w.Accounts.Connect(w.Ctx(t, "pm"), account.Owner{PartnerID: w.Partner.ID}, in))(t)
		_, err = w.Accounts.Connection(w.Ctx(t, "acme cm"), account.Owner{PartnerID: w.Partner.ID})
		world.WantError(t, err, allot.ENOTFOUND, "")
		world.Must(w.Accounts.Connection(w.Ctx(t, "admin"), account.Owner{PartnerID: w.Partner.ID}))(t)
	})
}

// TestRouteAndPasswords: the sign-in page routes an e-mail to the
// connection of its domain; requiring single sign-on refuses a password to
// the owner's people only, so that a domain claimed by one tenant locks
// out nobody else.
func TestRouteAndPasswords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		ctx := context.Background()
		in := acmeSSO()
		in.Required, in.Domains = true, []string{"acme.test", "vendor.test"}
		world.Must(w.Accounts.Connect(w.Ctx(t, "acme cm"), account.Owner{CompanyID: w.Acme.Company.ID}, in))(t)
		stray := world.Must(w.Svc.AddUser(w.Ctx(t, "admin@globex"), allot.NewUser{Email: "stray@acme.test", CompanyID: w.Globex.Company.ID}))(t)

		for _, c := range []struct {
			email            string
			covered, refused bool
		}{
			{"cm@acme.test", true, true},
			{"Learner@Acme.test", true, true},
			{"nobody@acme.test", true, false},
			{stray.Email, true, false},
			{"admin@vendor.test", true, false},
			{"cm@globex.test", false, false},
			{"not an e-mail", false, false},
		} {
			c2, required, err := w.Accounts.Route(ctx, c.email)
			if covered := err == nil; covered != c.covered || err == nil && (c2.CompanyID != w.Acme.Company.ID || c2.Name != "Acme") ||
				required != c.refused {
				t.Errorf("Route(%s): %+v, required %v, %v; want covered %v, required %v", c.email, c2, required, err, c.covered, c.refused)
			}
			err = w.Accounts.PasswordAllowed(ctx, c.email)
			if refused := allot.ErrorCode(err) == allot.EUNAUTHORIZED; refused != c.refused || !c.refused && err != nil {
				t.Errorf("PasswordAllowed(%s): %v, want refused %v", c.email, err, c.refused)
			}
			if c.refused && !strings.Contains(allot.ErrorMessage(err), "Acme's people sign in with single sign-on") {
				t.Errorf("PasswordAllowed(%s) does not say why: %v", c.email, err)
			}
		}
	})
}

// TestResolve: single sign-on signs in one of the connection's owner's
// people only; anyone else is refused in the same words, saying whom to
// ask, and no account is made.
func TestResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		ctx := context.Background()
		acme := world.Must(w.Accounts.Connect(w.Ctx(t, "acme cm"), account.Owner{CompanyID: w.Acme.Company.ID}, acmeSSO()))(t)
		in := acmeSSO()
		in.Domains = []string{"channel.test"}
		channel := world.Must(w.Accounts.Connect(w.Ctx(t, "pm"), account.Owner{PartnerID: w.Partner.ID}, in))(t)
		stray := world.Must(w.Svc.AddUser(w.Ctx(t, "admin@globex"), allot.NewUser{Email: "stray@acme.test", CompanyID: w.Globex.Company.ID}))(t)
		gone := w.NewLearner(t, w.Acme)
		gone = world.Must(w.Svc.User(w.Ctx(t, "admin"), gone.ID))(t)
		world.Must(w.Svc.RemoveUser(w.Ctx(t, "admin@acme"), gone.ID))(t)
		if err := w.Svc.Store.Write(ctx, func(tx allot.Tx) error {
			u, err := tx.User(gone.ID)
			u.Email = "gone@acme.test"
			if err == nil {
				err = tx.UpdateUser(u)
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			name  string
			conn  int64
			email string
			want  string // the person signed in, or a part of the refusal
		}{
			{"a manager", acme.ID, "CM@acme.test", "cm@acme.test"},
			{"a learner", acme.ID, "learner@acme.test", "learner@acme.test"},
			{"a partner manager", channel.ID, "pm@channel.test", "pm@channel.test"},
			{"unknown", acme.ID, "nobody@acme.test", "nobody@acme.test has no account of Acme in allot, so single sign-on cannot sign you in: ask Acme's managers (cm@acme.test) to add you"},
			{"removed", acme.ID, "gone@acme.test", "gone@acme.test has no account of Acme in allot, so single sign-on cannot sign you in: ask Acme's managers (cm@acme.test) to add you"},
			{"another company's person", acme.ID, stray.Email, "stray@acme.test has no account of Acme in allot, so single sign-on cannot sign you in: ask Acme's managers (cm@acme.test) to add you"},
			{"another company's domain", acme.ID, "cm@globex.test", "not in the domains its single sign-on covers"},
			{"a company's person by the partner's", channel.ID, "cm@acme.test", "not in the domains"},
			{"disconnected", 999999, "cm@acme.test", "was disconnected meanwhile"},
		} {
			t.Run(c.name, func(t *testing.T) {
				u, err := w.Accounts.Resolve(ctx, c.conn, c.email)
				if strings.Contains(c.want, " ") {
					world.WantError(t, err, allot.EFORBIDDEN, "")
					if !strings.Contains(allot.ErrorMessage(err), c.want) {
						t.Errorf("the refusal says %q, want %q", allot.ErrorMessage(err), c.want)
					}
					return
				}
				if err != nil || u.Email != c.want {
					t.Errorf("Resolve: %s %v, want %s", u.Email, err, c.want)
				}
			})
		}
		if _, err := w.Svc.Login(ctx, "nobody@acme.test", ""); allot.ErrorCode(err) != allot.EUNAUTHORIZED {
			t.Errorf("a refused sign-on made an account: %v", err)
		}
	})
}

// requiringSSO is a world where Acme requires single sign-on of its people.
func requiringSSO(t *testing.T, b storetest.Backend) *world.World {
	w := world.New(t, b)
	in := acmeSSO()
	in.Required = true
	world.Must(w.Accounts.Connect(w.Ctx(t, "acme cm"), account.Owner{CompanyID: w.Acme.Company.ID}, in))(t)
	return w
}

// TestSSORequiredLinks: whoever must sign in with single sign-on gets no
// reset mail, and a link, a welcome's too, sets them no password and says
// why; someone else of the domain still resets theirs.
func TestSSORequiredLinks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := requiringSSO(t, b)
		ctx := context.Background()
		stray := world.Must(w.Svc.AddUser(w.Ctx(t, "admin@globex"), allot.NewUser{Email: "stray@acme.test", CompanyID: w.Globex.Company.ID}))(t)

		token, _ := world.Must2(w.Accounts.IssueLink(ctx, w.Acme.CM.UserID, allot.MailWelcome))(t)
		_, _, err := w.Accounts.Linked(ctx, token)
		world.WantError(t, err, allot.EFORBIDDEN, "")
		if !strings.Contains(allot.ErrorMessage(err), "Acme's people sign in with single sign-on, not a password") {
			t.Errorf("the link says %q", allot.ErrorMessage(err))
		}
		_, err = w.Accounts.UseLink(ctx, token, "a password of their own")
		world.WantError(t, err, allot.EFORBIDDEN, "")

		for _, email := range []string{"cm@acme.test", stray.Email} {
			world.Must(0, w.Accounts.Forgot(ctx, email))(t)
		}
		queued := w.Mails(allot.MailReset)
		if len(queued["cm@acme.test"]) != 0 || len(queued[stray.Email]) != 1 {
			t.Errorf("reset mails queued: %v; want one to %s alone", queued, stray.Email)
		}
		token, _ = world.Must2(w.Accounts.IssueLink(ctx, stray.ID, allot.MailReset))(t)
		world.Must(w.Accounts.UseLink(ctx, token, "a password of their own"))(t)

		// Their welcome mails say where they sign in.
		if at := world.Must(w.Accounts.SignsOnAt(ctx, w.Acme.CM.UserID))(t); at != "Acme" {
			t.Errorf("Acme's manager signs on at %q, want Acme", at)
		}
		if at := world.Must(w.Accounts.SignsOnAt(ctx, stray.ID))(t); at != "" {
			t.Errorf("Globex's person in Acme's domain signs on at %q, want nowhere", at)
		}
	})
}

// TestWelcomeToSignOn delivers the welcome of a person who must sign in at
// their company's identity provider: it leads to the sign-in page, and no
// link to choose a password is made.
func TestWelcomeToSignOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := requiringSSO(t, b)
		ctx := context.Background()
		world.Must(w.Svc.SendWelcome(w.Ctx(t, "acme cm"), w.Acme.CM.UserID))(t)

		d := &mail.Deliverer{Store: w.DB, Clock: w.Clock, BaseURL: "https://allot.example", Links: w.Accounts}
		jobs := world.Must(w.DB.ClaimJobs(ctx, w.Clock.Now(), time.Minute, 1000))(t)
		for _, j := range jobs {
			if strings.HasPrefix(j.Key, "mail/welcome/") {
				world.Must(0, d.Handle(ctx, j))(t)
			}
		}
		sent := world.Must2(w.Svc.Outbox(w.Ctx(t, "admin"), allot.MailFilter{}))
		mails, _ := sent(t)
		var text string
		for _, m := range mails {
			if m.Kind == allot.MailWelcome && m.To == "cm@acme.test" {
				text = m.Text
			}
		}
		if !strings.Contains(text, "https://allot.example/login") || strings.Contains(text, "/link/") {
			t.Errorf("the welcome of a person who signs on:\n%s", text)
		}
	})
}
