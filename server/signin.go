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
	sessionUser    = "user_id"
	sessionPending = "pending_user_id" // signed in with a password, waiting for the second step
	sessionSince   = "pending_since"
	sessionEpoch   = "epoch"
	sessionActing  = "acting_company_id"
	sessionFlash   = "flash"
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
	if err := s.accounts.PasswordAllowed(ctx, email); err != nil {
		return allot.User{}, err
	}
	u, err := s.ledger.Login(ctx, email, password)
	if err != nil {
		return allot.User{}, err
	}
	s.tries.reset(try)
	return u, s.firstStepDone(ctx, u)
}

// firstStepDone starts a session for u, who proved their password (or
// chose a new one with a link), or, when they have a second factor or must
// set one up, keeps them waiting for that step and returns a
// *SecondStepError.
func (s *Sessions) firstStepDone(ctx context.Context, u allot.User) error {
	step, err := s.accounts.NextStep(ctx, u)
	if err != nil {
		return err
	}
	if step == account.StepNone {
		return s.begin(ctx, u)
	}
	if err := s.manager.RenewToken(ctx); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	s.manager.Remove(ctx, sessionUser)
	s.manager.Put(ctx, sessionPending, u.ID)
	s.manager.Put(ctx, sessionEpoch, u.SessionEpoch)
	s.manager.Put(ctx, sessionSince, s.ledger.Clock.Now().Unix())
	return &SecondStepError{Enrol: step == account.StepEnrol}
}

// SecondStepError says that a password was right, and that signing in
// waits for a code of the person's second factor, or for them to set one
// up (Enrol) when one is required of them.
type SecondStepError struct{ Enrol bool }

func (e *SecondStepError) Error() string {
	if e.Enrol {
		return "a second factor is required of this account: set one up to sign in"
	}
	return "type the code of your second factor"
}

// SecondStep reports whether the step is setting up a second factor.
func (e *SecondStepError) SecondStep() (enrol bool) { return e.Enrol }

// pendingFor is how long a password stays good for the second step.
const pendingFor = 10 * time.Minute

// Pending returns the person whose sign-in waits for its second step, or
// EUNAUTHORIZED when none does (or it waited too long, or their password
// changed since).
func (s *Sessions) Pending(ctx context.Context) (allot.User, error) {
	again := allot.Errorf(allot.EUNAUTHORIZED, "sign in again")
	id := s.manager.GetInt64(ctx, sessionPending)
	since := time.Unix(s.manager.GetInt64(ctx, sessionSince), 0)
	if id == 0 || s.ledger.Clock.Now().Sub(since) > pendingFor {
		return allot.User{}, again
	}
	u, err := s.ledger.User(allot.WithPrincipal(ctx, allot.System), id)
	if err != nil || !u.RemovedAt.IsZero() || u.SessionEpoch != s.manager.GetInt64(ctx, sessionEpoch) {
		return allot.User{}, again
	}
	return u, nil
}

// SecondStep finishes a sign-in with a code of the person's second factor
// or one of their recovery codes, within the limits of attempts.
func (s *Sessions) SecondStep(ctx context.Context, code, addr string) (allot.User, error) {
	u, err := s.Pending(ctx)
	if err != nil {
		return allot.User{}, err
	}
	try := fmt.Sprintf("code %d %s", u.ID, addr)
	if err := allow(limit{s.tries, try}, limit{s.addrs, addr}); err != nil {
		return allot.User{}, err
	}
	if err := s.accounts.CheckFactor(ctx, u.ID, code); err != nil {
		return allot.User{}, err
	}
	s.tries.reset(try)
	return u, s.begin(ctx, u)
}

// Enrolled finishes a sign-in that waited for the person to set up the
// second factor required of them: code, from their app, confirms it. It
// returns their recovery codes.
func (s *Sessions) Enrolled(ctx context.Context, code string) ([]string, error) {
	u, err := s.Pending(ctx)
	if err != nil {
		return nil, err
	}
	codes, err := s.accounts.ConfirmFactor(ctx, u.ID, code)
	if err != nil {
		return nil, err
	}
	return codes, s.begin(ctx, u)
}

// begin starts a new session for u, at their session epoch, and notes
// that they signed in.
func (s *Sessions) begin(ctx context.Context, u allot.User) error {
	if err := s.manager.RenewToken(ctx); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if err := s.ledger.RecordSignIn(ctx, u.ID); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	s.manager.Put(ctx, sessionUser, u.ID)
	s.manager.Put(ctx, sessionEpoch, u.SessionEpoch)
	for _, key := range []string{sessionActing, sessionPending, sessionSince} {
		s.manager.Remove(ctx, key)
	}
	return nil
}

// UseLink sets the password of the person a one-time link names and signs
// them in, or takes them to their second step as a password does. It is
// not limited: the owner of an account can always get in
// with a link, however many wrong passwords others tried.
func (s *Sessions) UseLink(ctx context.Context, token, password string) (allot.User, error) {
	u, err := s.accounts.UseLink(ctx, token, password)
	if err != nil {
		return allot.User{}, err
	}
	return u, s.firstStepDone(ctx, u)
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
