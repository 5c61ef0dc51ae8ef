package web_test

import (
	"context"
	"testing"

	"allot"
	"allot/account"
	"allot/oidc/oidctest"

	"github.com/chromedp/chromedp"
)

// TestBrowserSingleSignOn: Stark Studios signs in with its identity
// provider; its manager gives their e-mail alone on the sign-in page,
// Chromium goes to the provider and back, and lands on the company's
// licences, signed in.
func TestBrowserSingleSignOn(t *testing.T) {
	b := newBrowser(t)
	idp := oidctest.Start(t)
	stark := account.Owner{CompanyID: b.companyID("Stark Studios")}
	_, err := b.accounts.Connect(allot.WithPrincipal(context.Background(), allot.System), stark, account.ConnectionInput{
		Issuer: idp.Issuer(), ClientID: idp.ClientID(), ClientSecret: idp.ClientSecret(), Domains: []string{"stark.demo"}})
	if err != nil {
		t.Fatal(err)
	}
	idp.Next(oidctest.Person{Email: "manager@stark.demo"})

	b.open("/login")
	b.see("Leave the password empty")
	b.do(chromedp.SendKeys(css(`input[name=email]`), "manager@stark.demo"))
	b.click(`form[action="/login"] button`)
	b.at("/")
	b.heading("Stark Studios", "Stark Studios: what needs attention")
	b.noError()
	if len(idp.Authorized()) != 1 {
		t.Errorf("the provider was asked %d times, want once", len(idp.Authorized()))
	}
	b.open("/company/sso")
	b.see("Single sign-on of Stark Studios", "Connected since", idp.Issuer(), b.base+"/sso/callback")
	b.notSee(idp.ClientSecret())
}
