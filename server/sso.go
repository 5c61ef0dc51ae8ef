package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"allot"
	"allot/account"
	"allot/oidc"
)

// signOn is the sessions with single sign-on: it sends a person signing
// in to their company's (or partner's) identity provider, keeping the
// sign-in's state, nonce, code verifier, connection and next page in
// their session, and signs them in when the provider sends them back to
// /sso/callback, with the same session start as a password.
type signOn struct {
	*Sessions
	oidc *oidc.Client
	// base is where people reach allot; "" for the address each request
	// was sent to.
	base     string
	insecure bool
}

// Session keys of a single sign-on under way, which its callback takes
// out of the session: a callback is answered once.
const (
	ssoConnection = "sso_connection"
	ssoState      = "sso_state"
	ssoNonce      = "sso_nonce"
	ssoVerifier   = "sso_verifier"
	ssoNext       = "sso_next"
	ssoSince      = "sso_since"
)

// ssoFor is how long a sign-in may stay at the identity provider.
const ssoFor = 10 * time.Minute

// providerTimeout bounds every request to an identity provider.
const providerTimeout = 10 * time.Second

func newSignOn(c Config, s *Sessions) *signOn {
	return &signOn{Sessions: s, oidc: oidc.New(providerTimeout), base: strings.TrimSuffix(c.BaseURL, "/"), insecure: c.InsecureCookies}
}

// ProviderError says that an identity provider did not answer, or not as
// one does. Its message is for the person signing in; the detail is
// logged.
type ProviderError struct {
	Message string
	Err     error
}

func (e *ProviderError) Error() string { return e.Message + ": " + e.Err.Error() }

func (e *ProviderError) Unwrap() error { return e.Err }

// ProviderDown returns what to tell the person signing in.
func (e *ProviderError) ProviderDown() string { return e.Message }

// RedirectURL is where identity providers send people back to: BaseURL's
// /sso/callback, or the request's own address's (https unless the
// session cookie is not Secure and the request came over plain HTTP).
func (s *signOn) RedirectURL(r *http.Request) string {
	base := s.base
	if base == "" {
		scheme := "https"
		if r.TLS == nil && s.insecure {
			scheme = "http"
		}
		base = scheme + "://" + r.Host
	}
	return base + "/sso/callback"
}

// StartSSO returns the address of the identity provider to send a person
// signing in to: when a connection covers their e-mail's domain and they
// typed no password, or single sign-on is required of them (whatever they
// typed is then not checked). It returns "" when their password is to be
// checked. Each start counts against the address's limit of sign-in
// attempts.
func (s *signOn) StartSSO(r *http.Request, email, password, next string) (string, error) {
	ctx := r.Context()
	c, required, err := s.accounts.Route(ctx, email)
	switch code := allot.ErrorCode(err); {
	case code == allot.ENOTFOUND || code == allot.EINVALID:
		return "", nil
	case err != nil:
		return "", err
	case password != "" && !required:
		return "", nil
	}
	addr, _, _ := net.SplitHostPort(r.RemoteAddr)
	if err := allow(limit{s.addrs, addr}); err != nil {
		return "", err
	}
	f, err := s.oidc.Start(ctx, client(c), s.RedirectURL(r), strings.TrimSpace(email))
	if err != nil {
		how := ", or sign in with your password"
		if required {
			how = "; " + c.Name + "'s people sign in with single sign-on only"
		}
		return "", s.providerError(ctx, c, err, how)
	}
	s.manager.Put(ctx, ssoConnection, c.ID)
	s.manager.Put(ctx, ssoState, f.State)
	s.manager.Put(ctx, ssoNonce, f.Nonce)
	s.manager.Put(ctx, ssoVerifier, f.Verifier)
	s.manager.Put(ctx, ssoNext, next)
	s.manager.Put(ctx, ssoSince, s.ledger.Clock.Now().Unix())
	return f.URL, nil
}

// callback finishes a sign-in the identity provider sent back, and goes on
// to its next page; a failure is a page of the dashboard's.
func (s *signOn) callback(pages interface {
	Fail(http.ResponseWriter, *http.Request, error)
}) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next, err := s.finish(r)
		if err != nil {
			pages.Fail(w, r, err)
			return
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	}
}

// pendingSignOn is a sign-in under way, as its session kept it.
type pendingSignOn struct {
	connection int64
	flow       oidc.Flow
	next       string
	since      time.Time
}

// errAgain answers a callback that finishes no sign-in of this session's:
// none under way, another's state, a replay, or too late.
var errAgain = &allot.Error{Code: allot.EINVALID,
	Message: "this sign-in has expired, was used already or did not start in this browser: sign in again"}

// finish checks that the callback is the one the session waits for,
// finishes the sign-in with the provider, finds its person and signs them
// in. It returns where to go next.
func (s *signOn) finish(r *http.Request) (string, error) {
	ctx, q := r.Context(), r.URL.Query()
	p := s.pending(ctx)
	switch {
	case p.connection == 0 || s.ledger.Clock.Now().Sub(p.since) > ssoFor:
		return "", errAgain
	case subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(p.flow.State)) != 1:
		return "", errAgain
	case q.Get("error") != "":
		return "", allot.Errorf(allot.EFORBIDDEN, "your identity provider did not sign you in (%s): sign in again, "+
			"or ask whoever runs your organisation's sign-in", errorCode(q.Get("error")))
	}
	c, err := s.accounts.SignOnConnection(ctx, p.connection)
	switch {
	case allot.ErrorCode(err) == allot.ENOTFOUND:
		return "", allot.Errorf(allot.EFORBIDDEN, "this single sign-on was disconnected meanwhile: sign in again")
	case err != nil:
		return "", err
	}
	email, err := s.oidc.Finish(ctx, client(c), s.RedirectURL(r), p.flow, q.Get("code"))
	if err != nil {
		return "", s.finishError(ctx, c, err)
	}
	u, err := s.accounts.Resolve(ctx, c.ID, email)
	if err != nil {
		return "", err
	}
	return p.next, s.begin(ctx, u)
}

// pending takes the sign-in under way out of the session.
func (s *signOn) pending(ctx context.Context) pendingSignOn {
	pop := func(key string) int64 {
		defer s.manager.Remove(ctx, key)
		return s.manager.GetInt64(ctx, key)
	}
	p := pendingSignOn{connection: pop(ssoConnection), next: s.manager.PopString(ctx, ssoNext), since: time.Unix(pop(ssoSince), 0)}
	p.flow.State, p.flow.Nonce, p.flow.Verifier =
		s.manager.PopString(ctx, ssoState), s.manager.PopString(ctx, ssoNonce), s.manager.PopString(ctx, ssoVerifier)
	if p.flow.State == "" {
		p.connection = 0
	}
	return p
}

// finishError is what the person signing in is told of a provider's
// answer that signs nobody in.
func (s *signOn) finishError(ctx context.Context, c account.Connection, err error) error {
	var refused *oidc.RefusedError
	switch {
	case errors.Is(err, oidc.ErrUnverified):
		s.ledger.Log.WarnContext(ctx, "single sign-on: no verified e-mail", "connection", c.ID, "err", err)
		return allot.Errorf(allot.EFORBIDDEN, "%s's identity provider did not say that your e-mail address is verified, "+
			"so allot cannot tell who you are: ask whoever runs %s's sign-in", c.Name, c.Name)
	case errors.As(err, &refused):
		s.ledger.Log.WarnContext(ctx, "single sign-on: answer refused", "connection", c.ID, "err", err)
		return allot.Errorf(allot.EFORBIDDEN, "the answer of %s's identity provider did not pass allot's checks, so nobody "+
			"was signed in: sign in again; if this goes on, ask %s's managers to check its single sign-on", c.Name, c.Name)
	}
	return s.providerError(ctx, c, err, "")
}

// providerError logs a provider's failure to answer and says it, and
// then what else to do.
func (s *signOn) providerError(ctx context.Context, c account.Connection, err error, then string) error {
	s.ledger.Log.WarnContext(ctx, "single sign-on: provider unreachable", "connection", c.ID, "issuer", c.Issuer, "err", err)
	return &ProviderError{Message: fmt.Sprintf("%s's identity provider (%s) did not answer: try again in a moment%s", c.Name,
		c.Issuer, then), Err: err}
}

// client is what the adapter needs of connection c.
func client(c account.Connection) oidc.Connection {
	return oidc.Connection{ID: c.ID, Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: c.ClientSecret}
}

// oauthError is an OAuth error code, as RFC 6749 spells them.
var oauthError = regexp.MustCompile(`^[a-z_]{1,40}$`)

// errorCode returns a provider's error code as a page may show it.
func errorCode(s string) string {
	if !oauthError.MatchString(s) {
		return "an error"
	}
	return s
}
