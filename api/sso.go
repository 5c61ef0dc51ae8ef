package api

import (
	"context"
	"time"

	"allot/account"
)

// ssoConnection is a company's or a partner's single sign-on, as the API
// shows it: never with its secret.
type ssoConnection struct {
	CompanyID       int64     `json:"company_id,omitempty" doc:"The company whose people sign in with it."`
	PartnerID       int64     `json:"partner_id,omitempty" doc:"The partner whose managers sign in with it."`
	Issuer          string    `json:"issuer" example:"https://login.acme.example"`
	ClientID        string    `json:"client_id" example:"allot"`
	ClientSecretSet bool      `json:"client_secret_set" doc:"Whether a client secret is saved; the secret itself is never shown."`
	Domains         []string  `json:"domains" example:"[\"acme.example\"]" doc:"The e-mail domains whose people sign in with it."`
	RequireSSO      bool      `json:"require_sso" doc:"The owner's people in these domains cannot sign in with a password."`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

func toSSO(c account.Connection) ssoConnection {
	return ssoConnection{CompanyID: c.CompanyID, PartnerID: c.PartnerID, Issuer: c.Issuer, ClientID: c.ClientID,
		ClientSecretSet: c.SecretSet, Domains: c.Domains, RequireSSO: c.Required, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type ssoInput struct {
	ID   int64 `path:"id" minimum:"1" example:"42"`
	Body struct {
		Issuer       string   `json:"issuer" minLength:"1" maxLength:"2000" example:"https://login.acme.example" doc:"The OpenID Connect issuer's URL: https (http on loopback only, for a test provider)."`
		ClientID     string   `json:"client_id" minLength:"1" maxLength:"500" example:"allot"`
		ClientSecret string   `json:"client_secret,omitempty" maxLength:"2000" writeOnly:"true" doc:"Required to connect; left out, a change keeps the saved secret. Never shown again."`
		Domains      []string `json:"domains" minItems:"1" maxItems:"50" example:"[\"acme.example\"]" doc:"The e-mail domains whose people sign in here; a domain is one connection's at most."`
		RequireSSO   bool     `json:"require_sso,omitempty" doc:"The owner's people in these domains cannot sign in with a password."`
	}
}

func (in *ssoInput) connection() account.ConnectionInput {
	return account.ConnectionInput{Issuer: in.Body.Issuer, ClientID: in.Body.ClientID, ClientSecret: in.Body.ClientSecret,
		Domains: in.Body.Domains, Required: in.Body.RequireSSO}
}

func (s *Server) companySSO(ctx context.Context, in *idInput) (*body[ssoConnection], error) {
	c, err := s.accounts.Connection(ctx, account.Owner{CompanyID: in.ID})
	return one(c, err, toSSO)
}

func (s *Server) putCompanySSO(ctx context.Context, in *ssoInput) (*body[ssoConnection], error) {
	c, err := s.accounts.Connect(ctx, account.Owner{CompanyID: in.ID}, in.connection())
	return one(c, err, toSSO)
}

func (s *Server) deleteCompanySSO(ctx context.Context, in *idInput) (*struct{}, error) {
	return nil, s.accounts.Disconnect(ctx, account.Owner{CompanyID: in.ID})
}

func (s *Server) partnerSSO(ctx context.Context, in *idInput) (*body[ssoConnection], error) {
	c, err := s.accounts.Connection(ctx, account.Owner{PartnerID: in.ID})
	return one(c, err, toSSO)
}

func (s *Server) putPartnerSSO(ctx context.Context, in *ssoInput) (*body[ssoConnection], error) {
	c, err := s.accounts.Connect(ctx, account.Owner{PartnerID: in.ID}, in.connection())
	return one(c, err, toSSO)
}

func (s *Server) deletePartnerSSO(ctx context.Context, in *idInput) (*struct{}, error) {
	return nil, s.accounts.Disconnect(ctx, account.Owner{PartnerID: in.ID})
}
