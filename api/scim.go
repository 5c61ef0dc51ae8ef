package api

import (
	"context"
	"time"

	"allot/scim"

	"github.com/danielgtaylor/huma/v2"
)

// scimConnection is a company's SCIM connection as the API shows it: what
// its identity provider is given, without the token's secret.
type scimConnection struct {
	CompanyID   int64     `json:"company_id"`
	BaseURL     string    `json:"base_url" example:"https://allot.example/scim/v2" doc:"The tenant URL to give the identity provider (Entra ID, Okta)."`
	TokenPrefix string    `json:"token_prefix" example:"allot_scim_k3j9x2" doc:"The token's first characters, to tell it apart; the token itself is shown once, when it is made."`
	CreatedAt   time.Time `json:"created_at" doc:"When the token was made."`
}

// scimInput names a company, and keeps the address the request reached
// allot at, for the base URL when none is configured.
type scimInput struct {
	ID   int64 `path:"id" minimum:"1" example:"42"`
	base string
}

// Resolve keeps the address the request came to.
func (in *scimInput) Resolve(ctx huma.Context) []error {
	scheme := "http"
	if ctx.TLS() != nil {
		scheme = "https"
	}
	in.base = scheme + "://" + ctx.Host()
	return nil
}

// scimURL returns the SCIM base URL of allot, as a request reached it.
func (s *Server) scimURL(in *scimInput) string {
	base := s.baseURL
	if base == "" {
		base = in.base
	}
	return base + scim.Prefix
}

func (s *Server) toSCIM(in *scimInput) func(scim.Token) scimConnection {
	return func(t scim.Token) scimConnection {
		return scimConnection{CompanyID: t.CompanyID, BaseURL: s.scimURL(in), TokenPrefix: t.Prefix, CreatedAt: t.CreatedAt}
	}
}

func (s *Server) companySCIM(ctx context.Context, in *scimInput) (*body[scimConnection], error) {
	t, err := s.scim.Token(ctx, in.ID)
	return one(t, err, s.toSCIM(in))
}

type newSCIMTokenOutput struct {
	Body struct {
		Connection scimConnection `json:"connection"`
		Token      string         `json:"token" example:"allot_scim_k3j9x2…" doc:"The bearer token to give the identity provider. Shown this once only."`
	}
}

func (s *Server) newSCIMToken(ctx context.Context, in *scimInput) (*newSCIMTokenOutput, error) {
	t, secret, err := s.scim.NewToken(ctx, in.ID)
	if err != nil {
		return nil, err
	}
	out := &newSCIMTokenOutput{}
	out.Body.Connection, out.Body.Token = s.toSCIM(in)(t), secret
	return out, nil
}

func (s *Server) revokeSCIMToken(ctx context.Context, in *scimInput) (*struct{}, error) {
	return nil, s.scim.RevokeToken(ctx, in.ID)
}
