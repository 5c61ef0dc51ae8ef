package web_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"allot"
	"allot/jobs"
	"allot/mail"
	"allot/mail/mailtest"

	"github.com/chromedp/chromedp"
)

// mailing delivers the server's mail to a real SMTP server in the test, as
// the server's worker does, until the test ends.
func (b *browser) mailing() *mailtest.Server {
	inbox := mailtest.Start(b.t)
	sender, err := mail.NewSMTP(inbox.Config())
	if err != nil {
		b.t.Fatal(err)
	}
	d := &mail.Deliverer{Store: b.svc.Store, Clock: b.clock, Sender: sender, BaseURL: b.base, Links: b.accounts, Invitations: b.programs}
	b.work(map[string]jobs.Handler{allot.JobMail: d.Handle})
	return inbox
}

// linkIn is the one-time link of a mail.
var linkIn = regexp.MustCompile(`http://\S+/link/link_[A-Za-z0-9]+`)

// choosePassword follows the link of the mail to email about subject and
// sets password there; the person is then signed in.
func (b *browser) choosePassword(inbox *mailtest.Server, email, subject, password string) {
	b.t.Helper()
	m := inbox.WaitFor(b.t, email, subject, 30*time.Second)
	link := linkIn.FindString(m.Text)
	if link == "" {
		b.t.Fatalf("the mail %q to %s has no link:\n%s", m.Subject, email, m.Text)
	}
	if _, err := chromedp.Run(b.ctx, chromedp.Navigate(link)); err != nil {
		b.t.Fatal(err)
	}
	b.do(chromedp.WaitVisible(css("h1")))
	b.noError()
	b.do(chromedp.SendKeys(css(`input[name=new_password]`), password),
		chromedp.SendKeys(css(`input[name=confirm_password]`), password))
	b.click(`form[action^="/link/"] button[type=submit]`)
	equal(b.t, "flash", b.flash(), "Your password is set. Welcome!")
}

// TestBrowserWelcomeAndReset: a manager adds a learner, whose welcome mail
// arrives at the SMTP server; its link sets her password and signs her in
// to her access. Later she forgets it, and a reset link gets her back in.
func TestBrowserWelcomeAndReset(t *testing.T) {
	b := newBrowser(t)
	inbox := b.mailing()
	b.signIn("manager@umbrella.demo")
	b.at("/")
	b.open("/company/users")
	const add = `form[method=post][action="/company/users"]`
	b.do(chromedp.Click(css(`details.filters > summary`)), chromedp.WaitVisible(css(add+` input[name=email]`)),
		chromedp.SendKeys(css(add+` input[name=email]`), "lena.lark@umbrella.demo"),
		chromedp.SendKeys(css(add+` input[name=first_name]`), "Lena"))
	b.click(add + ` button[type=submit]`)
	b.noError()
	b.signOut()

	b.choosePassword(inbox, "lena.lark@umbrella.demo", "Your account for Umbrella Retail is ready", "lena's own password")
	b.at("/me")
	b.heading("My access", "My access")

	// She forgets it: the sign-in page's link sends a reset mail.
	b.signOut()
	b.click(`a[href="/password/forgot"]`)
	b.do(chromedp.SendKeys(css(`input[name=email]`), "lena.lark@umbrella.demo"))
	b.click(`form[action="/password/forgot"] button[type=submit]`)
	b.at("/login")
	b.choosePassword(inbox, "lena.lark@umbrella.demo", "Choose a new password", "lena's new password")
	b.at("/me")
	if _, err := b.svc.Login(context.Background(), "lena.lark@umbrella.demo", "lena's new password"); err != nil {
		t.Errorf("the reset password does not sign in: %v", err)
	}
}

// TestBrowserNewCustomerManagerGetsIn: a partner creates a customer naming
// its first manager, who gets in through the welcome mail and finds the
// company's licences.
func TestBrowserNewCustomerManagerGetsIn(t *testing.T) {
	b := newBrowser(t)
	inbox := b.mailing()
	b.signIn("manager@northwind.demo")
	b.open("/customers/new")
	b.do(
		chromedp.SendKeys(css(`input[name=name]`), "Wayne Freight"),
		chromedp.SendKeys(css(`input[name=manager_email]`), "bruce@wayne.demo"),
		chromedp.SendKeys(css(`input[name=manager_first_name]`), "Bruce"),
		chromedp.SetValue(css(`select[name=product]`), "premium"),
		chromedp.SendKeys(css(`input[name=quantity]`), "5"),
		chromedp.Click(css(`input[name=term][value="12"]`)),
	)
	b.click(`form[action="/customers"] button[type=submit]`)
	b.noError()
	b.signOut()

	b.choosePassword(inbox, "bruce@wayne.demo", "Your account for Wayne Freight is ready", "bruce's own password")
	b.at("/")
	b.heading("Wayne Freight", "Wayne Freight: what needs attention")
}
