package oidc_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/url"
	"testing"
	"time"

	"allot/oidc"
	"allot/oidc/oidctest"
)

const redirect = "https://allot.example/sso/callback"

// connection is a connection to provider p.
func connection(p *oidctest.Provider) oidc.Connection {
	return oidc.Connection{ID: 1, Issuer: p.Issuer(), ClientID: p.ClientID(), ClientSecret: p.ClientSecret()}
}

// authorize sends the browser to f's address, as a person signing in,
// and returns the query the provider sends it back to redirect with.
func authorize(t *testing.T, f oidc.Flow) url.Values {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Get(f.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	to, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound || to.Scheme+"://"+to.Host+to.Path != redirect {
		t.Fatalf("the provider answered %d to %q, want 302 to %s", res.StatusCode, res.Header.Get("Location"), redirect)
	}
	return to.Query()
}

// TestSignIn follows a sign-in: the authorization request carries a PKCE
// S256 challenge, a nonce, a state and the login hint; the code comes back
// with the state and gives the verified e-mail, once.
func TestSignIn(t *testing.T) {
	t.Parallel()
	p := oidctest.Start(t)
	c := oidc.New(5 * time.Second)
	conn := connection(p)
	ctx := context.Background()
	p.Next(oidctest.Person{Email: "ann@acme.test"})
	f, err := c.Start(ctx, conn, redirect, "ann@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	back := authorize(t, f)
	asked := p.Authorized()
	if len(asked) != 1 {
		t.Fatalf("%d authorization requests, want 1", len(asked))
	}
	q := asked[0]
	for k, want := range map[string]string{"code_challenge_method": "S256", "state": f.State, "nonce": f.Nonce,
		"login_hint": "ann@acme.test", "client_id": conn.ClientID, "redirect_uri": redirect, "response_type": "code"} {
		if q.Get(k) != want {
			t.Errorf("the authorization request's %s is %q, want %q", k, q.Get(k), want)
		}
	}
	if q.Get("code_challenge") == "" || q.Get("code_challenge") == f.Verifier || len(f.State) < 20 || len(f.Nonce) < 20 || f.State == f.Nonce {
		t.Errorf("challenge %q, verifier %q, state %q, nonce %q: want a random state and nonce and a hashed verifier",
			q.Get("code_challenge"), f.Verifier, f.State, f.Nonce)
	}
	if back.Get("state") != f.State {
		t.Errorf("the provider sent back state %q, want %q", back.Get("state"), f.State)
	}
	email, err := c.Finish(ctx, conn, redirect, f, back.Get("code"))
	if err != nil || email != "ann@acme.test" {
		t.Fatalf("Finish: %q %v, want ann@acme.test", email, err)
	}
	if _, err := c.Finish(ctx, conn, redirect, f, back.Get("code")); !refused(err) {
		t.Errorf("a code used twice: %v, want refused", err)
	}
}

func refused(err error) bool {
	var re *oidc.RefusedError
	return errors.As(err, &re)
}

// TestRefusals: an ID token for another client, with another nonce,
// expired, signed with a key the provider does not publish, or vouching
// for no verified e-mail signs nobody in; nor does a code with another
// verifier.
func TestRefusals(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name       string
		person     oidctest.Person
		foreignKey bool
		verifier   string
		unverified bool
	}{
		{name: "another audience", person: oidctest.Person{Email: "ann@acme.test", Token: oidctest.WrongAudience}},
		{name: "another nonce", person: oidctest.Person{Email: "ann@acme.test", Token: oidctest.WrongNonce}},
		{name: "expired", person: oidctest.Person{Email: "ann@acme.test", Token: oidctest.Expired}},
		{name: "a foreign key", person: oidctest.Person{Email: "ann@acme.test"}, foreignKey: true},
		{name: "another verifier", person: oidctest.Person{Email: "ann@acme.test"}, verifier: "another-verifier-of-43-characters-at-least-x"},
		{name: "unverified", person: oidctest.Person{Email: "ann@acme.test", Unverified: true}, unverified: true},
		{name: "no e-mail", person: oidctest.Person{}, unverified: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := oidctest.Start(t)
			client := oidc.New(5 * time.Second)
			conn := connection(p)
			p.Next(c.person)
			if c.foreignKey {
				p.ForeignKeyNext()
			}
			f, err := client.Start(context.Background(), conn, redirect, "")
			if err != nil {
				t.Fatal(err)
			}
			code := authorize(t, f).Get("code")
			if c.verifier != "" {
				f.Verifier = c.verifier
			}
			email, err := client.Finish(context.Background(), conn, redirect, f, code)
			if !refused(err) || email != "" || errors.Is(err, oidc.ErrUnverified) != c.unverified {
				t.Errorf("Finish: %q %v, want refused (unverified: %v)", email, err, c.unverified)
			}
		})
	}
}

// TestUnreachable: a provider that does not answer, or answers as no
// provider does, is unreachable, not refused.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/oidc"
	ln.Close()
	p := oidctest.Start(t)
	for name, issuer := range map[string]string{
		"a closed port":  closed,
		"not a provider": p.Issuer() + "/nothing-here",
		"another issuer": p.Issuer() + "/",
	} {
		t.Run(name, func(t *testing.T) {
			_, err := oidc.New(2*time.Second).Start(context.Background(), oidc.Connection{ID: 1, Issuer: issuer, ClientID: "x"}, redirect, "")
			var ue *oidc.UnreachableError
			if !errors.As(err, &ue) || ue.Issuer != issuer {
				t.Errorf("Start: %v, want unreachable", err)
			}
		})
	}
}

// TestDiscoveryCached: a connection's provider is discovered once, and
// again when its issuer changes.
func TestDiscoveryCached(t *testing.T) {
	t.Parallel()
	p := oidctest.Start(t)
	c := oidc.New(5 * time.Second)
	conn := connection(p)
	for range 3 {
		if _, err := c.Start(context.Background(), conn, redirect, ""); err != nil {
			t.Fatal(err)
		}
	}
	if n := p.Discoveries(); n != 1 {
		t.Errorf("%d discoveries for three sign-ins, want 1", n)
	}
	conn.Issuer += "/"
	c.Start(context.Background(), conn, redirect, "")
	if n := p.Discoveries(); n != 2 {
		t.Errorf("%d discoveries after the issuer changed, want 2", n)
	}
}
