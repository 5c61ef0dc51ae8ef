package server

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"allot/api"

	"allot"

	"github.com/alexedwards/scs/v2"
)

// Sessions keeps the browser sessions the API and the dashboard share, and
// signs people in within the limits per account and per address.
type Sessions struct {
	ledger   *allot.Service
	manager  *scs.SessionManager
	accounts *limiter // sign-in attempts per account
	addrs    *limiter // sign-in attempts per address
}

// Session keys.
const (
	sessionUser   = "user_id"
	sessionActing = "acting_company_id"
	sessionFlash  = "flash"
)

func newSessions(c Config) *Sessions {
	s := &Sessions{
		ledger:   c.Ledger,
		manager:  scs.New(),
		accounts: newLimiter(c.Ledger.Clock, c.LoginLimit, c.LoginWindow),
		addrs:    newLimiter(c.Ledger.Clock, 10*c.LoginLimit, c.LoginWindow),
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

// LimitError says that sign-in attempts ran over their limit.
type LimitError struct{ Wait time.Duration }

func (e *LimitError) Error() string {
	return fmt.Sprintf("too many sign-in attempts: try again in %d seconds", e.RetryAfter())
}

// RetryAfter is the number of seconds to wait.
func (e *LimitError) RetryAfter() int { return int(math.Ceil(e.Wait.Seconds())) }

// SignIn checks an e-mail and password within the limits per account and
// per address, and starts a session for the user. It returns a *LimitError
// over the limits and EUNAUTHORIZED for wrong credentials.
func (s *Sessions) SignIn(ctx context.Context, email, password, addr string) (allot.User, error) {
	account := strings.ToLower(strings.TrimSpace(email))
	for _, l := range []struct {
		lim *limiter
		key string
	}{{s.accounts, account}, {s.addrs, addr}} {
		if ok, wait := l.lim.allow(l.key); !ok {
			return allot.User{}, &LimitError{Wait: wait}
		}
	}
	u, err := s.ledger.Login(ctx, email, password)
	if err != nil {
		return allot.User{}, err
	}
	s.accounts.reset(account)
	if err := s.manager.RenewToken(ctx); err != nil {
		return allot.User{}, fmt.Errorf("sign in: %w", err)
	}
	s.manager.Put(ctx, sessionUser, u.ID)
	s.manager.Remove(ctx, sessionActing)
	return u, nil
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
		p, err := s.ledger.SignedIn(ctx, id)
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
