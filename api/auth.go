package api

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"

	"github.com/danielgtaylor/huma/v2"
)

const (
	// SessionCookie names the browser session's cookie, which the
	// composition root sets.
	SessionCookie = "allot_session"
	// CompanyHeader puts a request in manage-company mode in the company it
	// names.
	CompanyHeader = "Allot-Company"
)

// authenticate puts the principal of a Bearer token into the request's
// context, in place of a session's, and with an Allot-Company header acts
// in that company. A bad token is refused at once; no credentials leave the
// request anonymous, for the service to refuse.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		if h := r.Header.Get("Authorization"); h != "" {
			secret, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				WriteProblem(w, http.StatusUnauthorized, "send the token as Authorization: Bearer allot_…", bearerChallenge)
				return
			}
			p, err := s.svc.Authenticate(ctx, secret)
			if err != nil {
				s.refuse(w, r, err)
				return
			}
			ctx = allot.WithPrincipal(ctx, p)
		}
		if h := r.Header.Get(CompanyHeader); h != "" {
			if _, err := allot.PrincipalFrom(ctx); err != nil {
				next.ServeHTTP(w, r) // anonymous: the service refuses it
				return
			}
			id, err := strconv.ParseInt(h, 10, 64)
			if err != nil {
				WriteProblem(w, http.StatusUnprocessableEntity, CompanyHeader+" must be a company ID", nil)
				return
			}
			p, _, err := s.svc.EnterCompany(ctx, id)
			if err != nil {
				s.refuse(w, r, err)
				return
			}
			ctx = allot.WithPrincipal(ctx, p)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

var bearerChallenge = http.Header{"Www-Authenticate": {`Bearer realm="allot"`}}

// refuse answers a request the middleware cannot let through.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	p := s.problem(r.Context(), err, "body").(*Problem)
	var h http.Header
	if p.Status == http.StatusUnauthorized {
		h = bearerChallenge
	}
	WriteProblem(w, p.Status, p.Detail, h)
}

type loginInput struct {
	Body struct {
		Email    string `json:"email" format:"email" example:"manager@acme.example" doc:"The account's e-mail."`
		Password string `json:"password" minLength:"1" maxLength:"1024" example:"correct horse battery staple"`
		Code     string `json:"code,omitempty" maxLength:"20" doc:"For an account with two-step sign-in: the code of its authenticator app, or a recovery code."`
	}
	addr string
}

// Resolve keeps the client's address for the rate limit.
func (in *loginInput) Resolve(ctx huma.Context) []error {
	in.addr, _, _ = net.SplitHostPort(ctx.RemoteAddr())
	return nil
}

type meOutput struct {
	Body me
}

type me struct {
	User          user     `json:"user"`
	ActingCompany *company `json:"acting_company,omitempty" doc:"The company acted in, in manage-company mode."`
}

func (s *Server) login(ctx context.Context, in *loginInput) (*meOutput, error) {
	u, err := s.sessions.SignIn(ctx, in.Body.Email, in.Body.Password, in.addr)
	var second interface{ SecondStep() (enrol bool) }
	switch {
	case !errors.As(err, &second):
	case second.SecondStep():
		return nil, allot.Errorf(allot.EFORBIDDEN, "two-step sign-in is required of this account: set it up in the dashboard first")
	case in.Body.Code == "":
		return nil, allot.Errorf(allot.EUNAUTHORIZED, "this account signs in in two steps: send the code of its authenticator app as code")
	default:
		u, err = s.sessions.SecondStep(ctx, in.Body.Code, in.addr)
	}
	if err != nil {
		return nil, limited(err)
	}
	return &meOutput{Body: me{User: toUser(u)}}, nil
}

// limited answers an error over a limit of attempts 429 with Retry-After,
// and any other as it is.
func limited(err error) error {
	var over interface{ RetryAfter() int }
	if !errors.As(err, &over) {
		return err
	}
	secs := strconv.Itoa(over.RetryAfter())
	return huma.ErrorWithHeaders(newProblem(http.StatusTooManyRequests, "too many attempts: try again in "+secs+" seconds"),
		http.Header{"Retry-After": {secs}})
}

type forgotInput struct {
	Body struct {
		Email string `json:"email" maxLength:"320" example:"manager@acme.example" doc:"The e-mail of the account whose password was forgotten."`
	}
	addr string
}

// Resolve keeps the client's address for the rate limit.
func (in *forgotInput) Resolve(ctx huma.Context) []error {
	in.addr, _, _ = net.SplitHostPort(ctx.RemoteAddr())
	return nil
}

type forgotOutput struct {
	Body struct {
		Status string `json:"status"`
	}
}

// forgot answers the same whether the e-mail has an account or not.
func (s *Server) forgot(ctx context.Context, in *forgotInput) (*forgotOutput, error) {
	if err := s.sessions.Forgot(ctx, in.Body.Email, in.addr); err != nil {
		return nil, limited(err)
	}
	out := &forgotOutput{}
	out.Body.Status = "if this e-mail has an account, a link to choose a new password is on its way; it works for one hour"
	return out, nil
}

func (s *Server) logout(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return nil, s.sessions.SignOut(ctx)
}

func (s *Server) me(ctx context.Context, _ *struct{}) (*meOutput, error) {
	p, err := allot.PrincipalFrom(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.svc.User(ctx, p.UserID)
	if err != nil {
		return nil, err
	}
	out := &meOutput{Body: me{User: toUser(u)}}
	if p.ActingCompanyID != 0 {
		c, err := s.svc.Company(ctx, p.ActingCompanyID)
		if err != nil {
			return nil, err
		}
		rc := toCompany(c)
		out.Body.ActingCompany = &rc
	}
	return out, nil
}

type passwordInput struct {
	Body struct {
		CurrentPassword string `json:"current_password" minLength:"1" maxLength:"1024"`
		NewPassword     string `json:"new_password" minLength:"10" maxLength:"1024"`
		RevokeTokens    bool   `json:"revoke_tokens,omitempty" doc:"Revoke every API token of the user too."`
	}
}

// changePassword ends the user's other sessions.
func (s *Server) changePassword(ctx context.Context, in *passwordInput) (*struct{}, error) {
	return nil, s.sessions.ChangePassword(ctx, allot.PasswordChange{Current: in.Body.CurrentPassword,
		New: in.Body.NewPassword, RevokeTokens: in.Body.RevokeTokens})
}

type manageInput struct {
	Body struct {
		CompanyID int64 `json:"company_id" minimum:"1" doc:"The customer company to act in."`
	}
}

type companyOutput struct {
	Body company
}

// enterCompany starts manage-company mode for the session.
func (s *Server) enterCompany(ctx context.Context, in *manageInput) (*companyOutput, error) {
	if _, err := allot.PrincipalFrom(ctx); err != nil {
		return nil, err
	}
	c, err := s.sessions.EnterCompany(ctx, in.Body.CompanyID)
	if err != nil {
		return nil, err
	}
	return &companyOutput{Body: toCompany(c)}, nil
}

// leaveCompany ends manage-company mode for the session.
func (s *Server) leaveCompany(ctx context.Context, _ *struct{}) (*struct{}, error) {
	if _, err := allot.PrincipalFrom(ctx); err != nil {
		return nil, err
	}
	s.sessions.LeaveCompany(ctx)
	return nil, nil
}

type token struct {
	ID         int64      `json:"id" example:"7"`
	Name       string     `json:"name" example:"HR sync"`
	Prefix     string     `json:"prefix" example:"allot_k3j9x2" doc:"The secret's first characters."`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

func toToken(t allot.Token) token {
	return token{ID: t.ID, Name: t.Name, Prefix: t.Prefix, CreatedAt: t.CreatedAt,
		ExpiresAt: optTime(t.ExpiresAt), LastUsedAt: optTime(t.LastUsedAt), RevokedAt: optTime(t.RevokedAt)}
}

type tokensOutput struct {
	Body struct {
		Items []token `json:"items"`
	}
}

func (s *Server) tokens(ctx context.Context, _ *struct{}) (*tokensOutput, error) {
	ts, err := s.svc.Tokens(ctx)
	out := &tokensOutput{}
	out.Body.Items = mapSlice(ts, toToken)
	return out, err
}

type newTokenInput struct {
	Body struct {
		Name      string     `json:"name" minLength:"1" maxLength:"100" example:"HR sync"`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the token stops working; never when absent."`
	}
}

type newTokenOutput struct {
	Body struct {
		Token  token  `json:"token"`
		Secret string `json:"secret" example:"allot_k3j9x2…" doc:"The token to send as Authorization: Bearer. Shown this once only."`
	}
}

func (s *Server) createToken(ctx context.Context, in *newTokenInput) (*newTokenOutput, error) {
	var expires time.Time
	if in.Body.ExpiresAt != nil {
		expires = *in.Body.ExpiresAt
	}
	t, secret, err := s.svc.CreateToken(ctx, in.Body.Name, expires)
	if err != nil {
		return nil, err
	}
	out := &newTokenOutput{}
	out.Body.Token, out.Body.Secret = toToken(t), secret
	return out, nil
}

type idInput struct {
	ID int64 `path:"id" minimum:"1" example:"42"`
}

type tokenOutput struct {
	Body token
}

func (s *Server) revokeToken(ctx context.Context, in *idInput) (*tokenOutput, error) {
	t, err := s.svc.RevokeToken(ctx, in.ID)
	return &tokenOutput{Body: toToken(t)}, err
}
