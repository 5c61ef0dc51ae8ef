package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strings"
	"time"

	"allot"

	"github.com/alexedwards/scs/v2"
)

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
func (s *Server) SignIn(ctx context.Context, email, password, addr string) (allot.User, error) {
	account := strings.ToLower(strings.TrimSpace(email))
	for _, l := range []struct {
		lim *limiter
		key string
	}{{s.accounts, account}, {s.addrs, addr}} {
		if ok, wait := l.lim.allow(l.key); !ok {
			return allot.User{}, &LimitError{Wait: wait}
		}
	}
	u, err := s.svc.Login(ctx, email, password)
	if err != nil {
		return allot.User{}, err
	}
	s.accounts.reset(account)
	if err := s.sessions.RenewToken(ctx); err != nil {
		return allot.User{}, fmt.Errorf("sign in: %w", err)
	}
	s.sessions.Put(ctx, sessionUser, u.ID)
	s.sessions.Remove(ctx, sessionActing)
	return u, nil
}

// SignOut ends the session.
func (s *Server) SignOut(ctx context.Context) error {
	return s.sessions.Destroy(ctx)
}

// EnterCompany puts the session in manage-company mode in company id, when
// the signed-in user may enter it.
func (s *Server) EnterCompany(ctx context.Context, id int64) (allot.Company, error) {
	if s.sessions.GetInt64(ctx, sessionUser) == 0 {
		return allot.Company{}, allot.Invalid("company_id", "manage-company mode is kept by a session; with a token, send the %s header on each request", CompanyHeader)
	}
	_, c, err := s.svc.EnterCompany(ctx, id)
	if err != nil {
		return allot.Company{}, err
	}
	s.sessions.Put(ctx, sessionActing, c.ID)
	return c, nil
}

// LeaveCompany ends the session's manage-company mode.
func (s *Server) LeaveCompany(ctx context.Context) {
	s.sessions.Remove(ctx, sessionActing)
}

// Sessions returns the session manager the API and the dashboard share.
func (s *Server) Sessions() *scs.SessionManager { return s.sessions }

// Mount serves h for every path the API does not serve itself, behind the
// same sign-in: the dashboard.
func (s *Server) Mount(h http.Handler) {
	s.mux.Handle("/", h)
}
