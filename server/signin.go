package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"allot/account"
	"allot/api"

	"allot"

	"github.com/alexedwards/scs/v2"
)

// Sessions keeps the browser sessions the API and the dashboard share, and
// signs people in: with a password within the limits of attempts, or with
// a one-time link.
type Sessions struct {
	ledger   *allot.Service
	accounts *account.Service
	manager  *scs.SessionManager
	// Sign-in attempts are limited per account from one address, so that
	// nobody can lock an account from elsewhere, and per address.
	tries *limiter
	addrs *limiter
	// Asking for a reset link is limited per e-mail and per address.
	resets *limiter
}

// Session keys.
const (
	sessionUser   = "user_id"
	sessionEpoch  = "epoch"
	sessionActing = "acting_company_id"
	sessionFlash  = "flash"
)

func newSessions(c Config) *Sessions {
	s := &Sessions{
		ledger:   c.Ledger,
		accounts: c.Accounts,
		manager:  scs.New(),
		tries:    newLimiter(c.Ledger.Clock, c.LoginLimit, c.LoginWindow),
		addrs:    newLimiter(c.Ledger.Clock, 10*c.LoginLimit, c.LoginWindow),
		resets:   newLimiter(c.Ledger.Clock, 3, time.Hour),
	}
	if c.Sessions != nil {
		s.manager.Store = c.Sessions
	}
	s.manager.Lifetime = 12 * time.Hour
	s.manager.IdleTimeout = 2 * time.Hour
	s.manager.Cookie.Name = api.SessionCookie
	s.manager.Cookie.HttpOnly = true
	s.manager.Cookie.SameSite = http.SameSiteLaxMode
	s.manager.Cookie.Secure = !c.InsecureCookies
	return s
}

// LimitError says that attempts ran over their limit.
type LimitError struct{ Wait time.Duration }

func (e *LimitError) Error() string {
	return fmt.Sprintf("too many attempts: try again in %d seconds", e.RetryAfter())
}

// RetryAfter is the number of seconds to wait.
func (e *LimitError) RetryAfter() int { return int(math.Ceil(e.Wait.Seconds())) }

// limit is one limiter and the key an attempt counts against.
type limit struct {
	lim *limiter
	key string
}

// allow counts an attempt against each limit, and returns a *LimitError
// when one is over.
func allow(limits ...limit) error {
	for _, l := range limits {
		if ok, wait := l.lim.allow(l.key); !ok {
			return &LimitError{Wait: wait}
		}
	}
	return nil
}

// SignIn checks an e-mail and password within the limits per account and
// address and per address, and starts a session for the user. It returns a
// *LimitError over the limits and EUNAUTHORIZED for wrong credentials.
func (s *Sessions) SignIn(ctx context.Context, email, password, addr string) (allot.User, error) {
	try := strings.ToLower(strings.TrimSpace(email)) + " " + addr
	if err := allow(limit{s.tries, try}, limit{s.addrs, addr}); err != nil {
		return allot.User{}, err
	}
	u, err := s.ledger.Login(ctx, email, password)
	if err != nil {
		return allot.User{}, err
	}
	s.tries.reset(try)
	return u, s.begin(ctx, u)
}

// begin starts a new session for u, at their session epoch.
func (s *Sessions) begin(ctx context.Context, u allot.User) error {
	if err := s.manager.RenewToken(ctx); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	s.manager.Put(ctx, sessionUser, u.ID)
	s.manager.Put(ctx, sessionEpoch, u.SessionEpoch)
	s.manager.Remove(ctx, sessionActing)
	return nil
}

// UseLink sets the password of the person a one-time link names and signs
// them in. It is not limited: the owner of an account can always get in
// with a link, however many wrong passwords others tried.
func (s *Sessions) UseLink(ctx context.Context, token, password string) (allot.User, error) {
	u, err := s.accounts.UseLink(ctx, token, password)
	if err != nil {
		return allot.User{}, err
	}
	return u, s.begin(ctx, u)
}

// Forgot sends a reset link to the person with e-mail email, if there is
// one, within limits per e-mail and per address; it answers the same
// whether there is or not.
func (s *Sessions) Forgot(ctx context.Context, email, addr string) error {
	account := strings.ToLower(strings.TrimSpace(email))
	if err := allow(limit{s.resets, account}, limit{s.addrs, addr}); err != nil {
		return err
	}
	return s.accounts.Forgot(ctx, email)
}

// ChangePassword changes the signed-in person's password; their other
// sessions end, and this one goes on.
func (s *Sessions) ChangePassword(ctx context.Context, in allot.PasswordChange) error {
	u, err := s.ledger.ChangePassword(ctx, in)
	if err != nil {
		return err
	}
	if s.manager.GetInt64(ctx, sessionUser) != u.ID {
		return nil // signed in with a token
	}
	if err := s.manager.RenewToken(ctx); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	s.manager.Put(ctx, sessionEpoch, u.SessionEpoch)
	return nil
}

// SignOut ends the session.
func (s *Sessions) SignOut(ctx context.Context) error {
	return s.manager.Destroy(ctx)
}

// EnterCompany puts the session in manage-company mode in company id, when
// the signed-in user may enter it.
func (s *Sessions) EnterCompany(ctx context.Context, id int64) (allot.Company, error) {
	if s.manager.GetInt64(ctx, sessionUser) == 0 {
		return allot.Company{}, allot.Invalid("company_id",
			"manage-company mode is kept by a session; with a token, send the %s header on each request", api.CompanyHeader)
	}
	_, c, err := s.ledger.EnterCompany(ctx, id)
	if err != nil {
		return allot.Company{}, err
	}
	s.manager.Put(ctx, sessionActing, c.ID)
	return c, nil
}

// LeaveCompany ends the session's manage-company mode.
func (s *Sessions) LeaveCompany(ctx context.Context) {
	s.manager.Remove(ctx, sessionActing)
}

// Flash keeps a message for the session's next page.
func (s *Sessions) Flash(ctx context.Context, message string) {
	s.manager.Put(ctx, sessionFlash, message)
}

// Flashed returns the message kept for this page, once.
func (s *Sessions) Flashed(ctx context.Context) string {
	return s.manager.PopString(ctx, sessionFlash)
}

// signedIn puts the principal of the session's user, in the company the
// session acts in, into the request's context. A session whose user is gone
// is ended, and the request goes on without a principal, for the surfaces
// to refuse.
func (s *Sessions) signedIn(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.manager.GetInt64(ctx, sessionUser)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		p, err := s.ledger.SignedIn(ctx, id, s.manager.GetInt64(ctx, sessionEpoch))
		switch {
		case allot.ErrorCode(err) == allot.EUNAUTHORIZED:
			s.manager.Destroy(ctx)
			next.ServeHTTP(w, r)
			return
		case err != nil:
			s.ledger.Log.ErrorContext(ctx, "session: sign-in not read", "err", err)
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		p.ActingCompanyID = s.manager.GetInt64(ctx, sessionActing)
		next.ServeHTTP(w, r.WithContext(allot.WithPrincipal(ctx, p)))
	})
}
