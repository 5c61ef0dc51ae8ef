package api

import (
	"context"
	"strconv"
	"strings"
	"time"

	"allot"
)

type checkInput struct {
	User    string `query:"user" required:"true" minLength:"1" maxLength:"254" example:"ada.costa@acme.example" doc:"The user's e-mail or ID."`
	Product string `query:"product" required:"true" minLength:"1" maxLength:"40" example:"premium" doc:"The product's code."`
	Token   bool   `query:"token" doc:"Answer with an offline token too: the decision signed with the deployment's Ed25519 key (JWS, EdDSA), which the product verifies with the keys at /.well-known/jwks.json."`
}

func (in checkInput) query() allot.EntitlementQuery {
	q := allot.EntitlementQuery{ProductCode: in.Product}
	q.Email = in.User
	if !strings.Contains(in.User, "@") {
		if id, err := strconv.ParseInt(in.User, 10, 64); err == nil {
			q.UserID, q.Email = id, ""
		}
	}
	return q
}

type decision struct {
	Allowed bool         `json:"allowed" doc:"Whether the user may use the product now."`
	UserID  int64        `json:"user_id"`
	Email   string       `json:"email"`
	Product string       `json:"product" example:"premium"`
	Status  allot.Status `json:"status,omitempty" enum:"scheduled,active,expiring,expired,released,unlicensed" doc:"The licence status behind the answer."`
	Until   *time.Time   `json:"until,omitempty" doc:"When access ends (allowed), ended or starts (refused)."`
	Reason  string       `json:"reason,omitempty" enum:"no_seat,unlicensed,scheduled,expired,released,company_suspended,removed" doc:"Why access is refused."`
	Message string       `json:"message,omitempty" example:"access to Premium expired on 2026-10-21"`
	Contact *contact     `json:"contact,omitempty" doc:"Whom to ask for access."`
	// The offline token, when asked for.
	Token          string     `json:"token,omitempty" doc:"The decision signed, when asked for (token=true): a JWS in compact form, alg EdDSA, whose claims are iss, sub (the user's ID), email, product, allowed, until and reason as here, iat, nbf, exp and jti."`
	TokenExpiresAt *time.Time `json:"token_expires_at,omitempty" doc:"When the token expires (its exp): after the deployment's token TTL, but never, when allowed, past until."`
}

type contact struct {
	Name  string `json:"name" example:"Morgan Acme"`
	Email string `json:"email" example:"manager@acme.example"`
}

func toDecision(d allot.Decision) decision {
	out := decision{Allowed: d.Allowed, UserID: d.UserID, Email: d.Email, Product: d.ProductCode, Status: d.Status,
		Until: optTime(d.Until), Reason: d.Reason, Message: d.Message}
	if d.Contact != nil {
		out.Contact = &contact{Name: d.Contact.Name, Email: d.Contact.Email}
	}
	return out
}

func (s *Server) check(ctx context.Context, in *checkInput) (*body[decision], error) {
	start := time.Now()
	d, err := s.svc.Check(ctx, in.query())
	s.metrics.Check(time.Since(start), d, err)
	return s.withToken(ctx, d, err, in.Token)
}

type loginEventInput struct {
	Body struct {
		User string `json:"user" minLength:"1" maxLength:"254" example:"ada.costa@acme.example" doc:"The user's e-mail or ID."`
	}
}

// recordLogin notes that a user logged in to the product now.
func (s *Server) recordLogin(ctx context.Context, in *loginEventInput) (*struct{}, error) {
	q := checkInput{User: in.Body.User}.query()
	id := q.UserID
	if id == 0 {
		u, err := s.svc.UserByEmail(ctx, q.Email)
		if err != nil {
			return nil, err
		}
		id = u.ID
	}
	return nil, s.svc.RecordLogin(ctx, id)
}
