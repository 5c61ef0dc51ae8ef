// Package oidctest runs a real OpenID Connect provider in the test, over
// HTTP on a loopback port: mockoidc, with the person of each sign-in
// chosen by the test, and ways to make it answer as a broken or hostile
// provider would (a token for another audience, with another nonce,
// expired, signed by another key; a refusal). Its tokens are signed with
// the keys it publishes, unless a test asks otherwise.
package oidctest

import (
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"
)

// Provider is a provider running for one test.
type Provider struct {
	mock *mockoidc.MockOIDC
	t    testing.TB

	mu          sync.Mutex // mockoidc keeps its sessions in a map of its own
	authorized  []url.Values
	discoveries int
	deny        bool
	foreignKey  bool
}

// Start runs a provider on a loopback port until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{mock: m, t: t}
	if err := m.AddMiddleware(p.middleware); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// Issuer, ClientID and ClientSecret are what allot's connection names.
func (p *Provider) Issuer() string       { return p.mock.Issuer() }
func (p *Provider) ClientID() string     { return p.mock.ClientID }
func (p *Provider) ClientSecret() string { return p.mock.ClientSecret }

// Person is whom a sign-in vouches for, and how its ID token differs
// from a good one.
type Person struct {
	Email string
	// Unverified leaves email_verified false.
	Unverified bool
	// Token changes the ID token's claims before they are signed:
	// WrongAudience, WrongNonce, Expired.
	Token func(*mockoidc.IDTokenClaims)
}

// Next makes the next sign-in vouch for person.
func (p *Provider) Next(person Person) { p.mock.QueueUser(person) }

// WrongAudience makes the ID token another client's.
func WrongAudience(c *mockoidc.IDTokenClaims) { c.Audience = jwt.ClaimStrings{"another-client"} }

// WrongNonce gives the ID token a nonce that is no sign-in's.
func WrongNonce(c *mockoidc.IDTokenClaims) { c.Nonce = "not-the-nonce-of-this-sign-in" }

// Expired makes the ID token one that expired an hour ago.
func Expired(c *mockoidc.IDTokenClaims) {
	c.IssuedAt = jwt.NewNumericDate(time.Now().Add(-2 * time.Hour))
	c.NotBefore = c.IssuedAt
	c.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Hour))
}

// DenyNext makes the next authorization end as a person's refusal does:
// back to the client with error=access_denied.
func (p *Provider) DenyNext() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deny = true
}

// ForeignKeyNext signs the next ID token with a key the provider does not
// publish, under the key ID of the one it does.
func (p *Provider) ForeignKeyNext() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.foreignKey = true
}

// Authorized returns the queries of the authorization requests so far.
func (p *Provider) Authorized() []url.Values {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]url.Values(nil), p.authorized...)
}

// Discoveries returns how many times the discovery document was read.
func (p *Provider) Discoveries() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.discoveries
}

// middleware serves one request at a time, records what the tests look
// at, and answers as the test asked.
func (p *Provider) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		switch r.URL.Path {
		case mockoidc.DiscoveryEndpoint:
			p.discoveries++
		case mockoidc.AuthorizationEndpoint:
			p.authorized = append(p.authorized, r.URL.Query())
			if p.deny {
				p.deny = false
				to, _ := url.Parse(r.URL.Query().Get("redirect_uri"))
				to.RawQuery = url.Values{"error": {"access_denied"}, "error_description": {"The person declined."},
					"state": {r.URL.Query().Get("state")}}.Encode()
				http.Redirect(w, r, to.String(), http.StatusFound)
				return
			}
		case mockoidc.TokenEndpoint:
			if p.foreignKey {
				p.resign(w, r, next)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// resign answers a token request with the provider's answer, its ID token
// signed again with a key of its own. An answer without a token (the
// client trying another way to send its secret) is passed on as it is.
func (p *Provider) resign(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := httptest.NewRecorder()
	next.ServeHTTP(rec, r)
	var body map[string]any
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &body) != nil {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
		return
	}
	p.foreignKey = false
	raw, _ := body["id_token"].(string)
	parts := strings.Split(raw, ".")
	var claims jwt.MapClaims
	payload, err := base64.RawURLEncoding.DecodeString(parts[min(1, len(parts)-1)])
	if err == nil {
		err = json.Unmarshal(payload, &claims)
	}
	other, kerr := mockoidc.RandomKeypair(2048)
	kid, _ := p.mock.Keypair.KeyID()
	if err != nil || kerr != nil {
		p.t.Errorf("oidctest: re-sign the ID token: %v %v", err, kerr)
		return
	}
	other.Kid = kid
	if body["id_token"], err = other.SignJWT(claims); err != nil {
		p.t.Errorf("oidctest: re-sign the ID token: %v", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

// ID, Userinfo and Claims make a Person a mockoidc.User.
func (u Person) ID() string { return "sub-" + u.Email }

func (u Person) Userinfo([]string) ([]byte, error) {
	return json.Marshal(map[string]any{"sub": u.ID(), "email": u.Email, "email_verified": !u.Unverified})
}

func (u Person) Claims(_ []string, base *mockoidc.IDTokenClaims) (jwt.Claims, error) {
	if u.Token != nil {
		u.Token(base)
	}
	return claims{IDTokenClaims: base, Email: u.Email, EmailVerified: !u.Unverified}, nil
}

// claims are an ID token's claims with an e-mail.
type claims struct {
	*mockoidc.IDTokenClaims
	Email         string `json:"email,omitempty"`
	EmailVerified bool   `json:"email_verified"`
}
