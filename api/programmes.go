package api

import (
	"context"
	"time"

	"allot/programme"
)

// programmeOut is a programme as the API shows it.
type programmeOut struct {
	ID        int64     `json:"id"`
	CompanyID int64     `json:"company_id"`
	Name      string    `json:"name"`
	Products  []string  `json:"products" doc:"The codes of the products it offers."`
	Lang      string    `json:"lang" doc:"The language of its invitations."`
	CreatedAt time.Time `json:"created_at"`
}

func toProgramme(p programme.Programme) programmeOut {
	return programmeOut{ID: p.ID, CompanyID: p.CompanyID, Name: p.Name, Products: p.Products, Lang: p.Lang, CreatedAt: p.CreatedAt}
}

func (s *Server) programmes(ctx context.Context, in *idInput) (*listOutput[programmeOut], error) {
	ps, err := s.programs.List(ctx, in.ID)
	return list(ps, err, toProgramme)
}

type newProgrammeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Name     string   `json:"name" minLength:"1" maxLength:"200" example:"Onboarding"`
		Products []string `json:"products" minItems:"1" maxItems:"50" example:"[\"premium\"]" doc:"The codes of the products it offers."`
		Lang     string   `json:"lang,omitempty" enum:"en,fr,de,es" doc:"The language of its invitations; English when absent."`
	}
}

func (s *Server) createProgramme(ctx context.Context, in *newProgrammeInput) (*body[programmeOut], error) {
	p, err := s.programs.Create(ctx, programme.NewProgramme{CompanyID: in.ID, Name: in.Body.Name, Products: in.Body.Products,
		Lang: in.Body.Lang})
	return one(p, err, toProgramme)
}

func (s *Server) programme(ctx context.Context, in *idInput) (*body[programmeOut], error) {
	p, err := s.programs.Get(ctx, in.ID)
	return one(p, err, toProgramme)
}
