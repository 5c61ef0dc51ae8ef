package web

import (
	"net/http"

	"allot"
	"allot/programme"
)

// programmesData is a company's programmes and the form that makes one.
type programmesData struct {
	Company    allot.Company
	Programmes []programme.Programme
	Products   []allot.Product
	Names      map[string]string // product names by code
	Languages  []string
	CanCreate  bool
}

func (s *Server) programmesPage(w http.ResponseWriter, r *http.Request) {
	s.renderProgrammes(w, r, http.StatusOK, nil)
}

func (s *Server) renderProgrammes(w http.ResponseWriter, r *http.Request, status int, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	p, _ := allot.PrincipalFrom(r.Context())
	ctx := r.Context()
	list, err := s.programs.List(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	products, err := s.svc.Products(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := programmesData{Company: c, Programmes: list, Products: products, Names: map[string]string{},
		Languages: allot.Languages, CanCreate: p.May(allot.ActManageProgrammes, c)}
	for _, pr := range products {
		data.Names[pr.Code] = pr.Name
	}
	v := s.page(r, "Programmes", data)
	if formErr != nil {
		s.invalid(w, r, "company_programmes", v, formErr)
		return
	}
	s.render(w, status, "company_programmes", v)
}

// createProgramme makes a programme in the company.
func (s *Server) createProgramme(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	pg, err := s.programs.Create(r.Context(), programme.NewProgramme{CompanyID: c.ID, Name: r.PostForm.Get("name"),
		Products: r.PostForm["product"], Lang: r.PostForm.Get("lang")})
	if err != nil {
		s.renderProgrammes(w, r, 0, err)
		return
	}
	s.done(w, r, "/company/programmes", "The programme "+pg.Name+" was made.")
}
