// Package oidc signs people in with an OpenID Connect provider, over
// go-oidc and oauth2: the authorization code flow with PKCE (S256), a
// random state and nonce, and an ID token checked for its issuer, its
// audience, its expiry, its signature (by the provider's published keys)
// and its nonce. It answers with an e-mail address only when the provider
// says it verified it. Who that e-mail is, and whether they may sign in,
// is for the caller to decide.
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Connection is what the client needs of a connection to a provider. ID
// keys the provider's discovered configuration.
type Connection struct {
	ID           int64
	Issuer       string
	ClientID     string
	ClientSecret string
}

// Flow is a sign-in under way: the provider's address the browser goes
// to, and what finishing it needs, which the caller keeps where only this
// browser finds it (its session), and uses once.
type Flow struct {
	URL      string
	State    string
	Nonce    string
	Verifier string // PKCE's code verifier
}

// Client starts and finishes sign-ins. It keeps each connection's
// provider, as discovered, for an hour; every request to a provider gives
// up after the timeout.
type Client struct {
	http    *http.Client
	timeout time.Duration
	// Now is the time, which ID tokens' expiry and the discovered
	// providers' age are checked against: the providers' own clocks are
	// the wall clock's, whatever clock allot runs on.
	Now func() time.Time

	mu        sync.Mutex
	providers map[int64]discovered
}

// discovered is a connection's provider as discovery found it.
type discovered struct {
	issuer   string
	provider *gooidc.Provider
	at       time.Time
}

// discoveryAge is how long a discovered provider is kept.
const discoveryAge = time.Hour

// New returns a client whose requests to providers give up after timeout.
func New(timeout time.Duration) *Client {
	return &Client{http: &http.Client{Timeout: timeout}, timeout: timeout, Now: time.Now, providers: map[int64]discovered{}}
}

// UnreachableError says that a provider did not answer, or not as an
// OpenID Connect provider does: a network error, a timeout, an error
// status, a discovery document of another issuer.
type UnreachableError struct {
	Issuer string
	Err    error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("oidc: the provider %s did not answer as one: %v", e.Issuer, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// RefusedError says that a provider's answer signs nobody in: it refused
// the code, or its ID token failed a check, or it vouched for no verified
// e-mail (ErrUnverified).
type RefusedError struct {
	Reason string
	Err    error
}

func (e *RefusedError) Error() string { return fmt.Sprintf("oidc: %s: %v", e.Reason, e.Err) }

func (e *RefusedError) Unwrap() error { return e.Err }

// ErrUnverified is why a valid ID token signs nobody in when it carries no
// e-mail, or one the provider does not say it verified.
var ErrUnverified = errors.New("the ID token has no verified e-mail (email_verified is not true)")

// Start begins a sign-in with conn's provider: it returns the address to
// send the browser to, for the provider to send it back to redirectURL,
// and the state, nonce and code verifier to keep. loginHint, when set,
// tells the provider who is signing in.
func (c *Client) Start(ctx context.Context, conn Connection, redirectURL, loginHint string) (Flow, error) {
	ctx, cancel := c.context(ctx)
	defer cancel()
	p, err := c.provider(ctx, conn)
	if err != nil {
		return Flow{}, err
	}
	f := Flow{State: rand.Text(), Nonce: rand.Text(), Verifier: oauth2.GenerateVerifier()}
	opts := []oauth2.AuthCodeOption{gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)}
	if loginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", loginHint))
	}
	f.URL = config(p, conn, redirectURL).AuthCodeURL(f.State, opts...)
	return f, nil
}

// Finish finishes sign-in f, which the provider sent back with code: it
// exchanges the code with f's verifier, checks the ID token (issuer,
// audience, expiry, signature, f's nonce) and returns the e-mail it
// vouches for, when the provider verified it. The caller has checked the
// state already.
func (c *Client) Finish(ctx context.Context, conn Connection, redirectURL string, f Flow, code string) (string, error) {
	ctx, cancel := c.context(ctx)
	defer cancel()
	p, err := c.provider(ctx, conn)
	if err != nil {
		return "", err
	}
	tok, err := config(p, conn, redirectURL).Exchange(ctx, code, oauth2.VerifierOption(f.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return "", &RefusedError{Reason: "the provider refused the code", Err: err}
		}
		return "", &UnreachableError{Issuer: conn.Issuer, Err: err}
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return "", &RefusedError{Reason: "the provider's answer has no ID token", Err: errors.New("no id_token")}
	}
	id, err := p.Verifier(&gooidc.Config{ClientID: conn.ClientID, Now: c.Now}).Verify(ctx, raw)
	if err != nil {
		return "", &RefusedError{Reason: "the ID token failed its checks", Err: err}
	}
	if subtle.ConstantTimeCompare([]byte(id.Nonce), []byte(f.Nonce)) != 1 {
		return "", &RefusedError{Reason: "the ID token failed its checks", Err: errors.New("its nonce is not this sign-in's")}
	}
	var claims struct {
		Email    string   `json:"email"`
		Verified verified `json:"email_verified"`
	}
	if err := id.Claims(&claims); err != nil {
		return "", &RefusedError{Reason: "the ID token's claims cannot be read", Err: err}
	}
	if claims.Email == "" || !claims.Verified {
		return "", &RefusedError{Reason: "the ID token vouches for no e-mail", Err: ErrUnverified}
	}
	return claims.Email, nil
}

// verified is email_verified, which some providers send as a string.
type verified bool

func (v *verified) UnmarshalJSON(b []byte) error {
	s := string(b)
	if u, err := strconv.Unquote(s); err == nil {
		s = u
	}
	*v = s == "true"
	return nil
}

// context bounds ctx by the client's timeout and gives the client's HTTP
// client to go-oidc and oauth2.
func (c *Client) context(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	return gooidc.ClientContext(ctx, c.http), cancel
}

// provider returns conn's provider: discovered at most an hour ago for
// the same issuer, or discovered now.
func (c *Client) provider(ctx context.Context, conn Connection) (*gooidc.Provider, error) {
	c.mu.Lock()
	d, ok := c.providers[conn.ID]
	c.mu.Unlock()
	if ok && d.issuer == conn.Issuer && c.Now().Sub(d.at) < discoveryAge {
		return d.provider, nil
	}
	p, err := gooidc.NewProvider(ctx, conn.Issuer)
	if err != nil {
		return nil, &UnreachableError{Issuer: conn.Issuer, Err: err}
	}
	c.mu.Lock()
	c.providers[conn.ID] = discovered{issuer: conn.Issuer, provider: p, at: c.Now()}
	c.mu.Unlock()
	return p, nil
}

// config is the OAuth 2 client of conn at provider p.
func config(p *gooidc.Provider, conn Connection, redirectURL string) *oauth2.Config {
	return &oauth2.Config{ClientID: conn.ClientID, ClientSecret: conn.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: redirectURL, Scopes: []string{gooidc.ScopeOpenID, "email"}}
}
