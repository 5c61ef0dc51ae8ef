package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"allot"
)

// productsData is the products the vendor sells.
type productsData struct {
	Products  []allot.Product
	CanCreate bool
}

func (s *Server) productsPage(w http.ResponseWriter, r *http.Request) {
	s.renderProducts(w, r, nil)
}

func (s *Server) renderProducts(w http.ResponseWriter, r *http.Request, formErr error) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	list, err := s.svc.Products(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Products", productsData{Products: list, CanCreate: p.May(allot.ActCreateProduct, allot.Company{})})
	s.renderForm(w, r, "products", v, formErr)
}

// createProduct adds a product; only the vendor admin may.
func (s *Server) createProduct(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	in := allot.Product{Code: r.PostForm.Get("code"), Name: r.PostForm.Get("name"), URL: r.PostForm.Get("url")}
	if t := strings.TrimSpace(r.PostForm.Get("term_months")); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil {
			s.renderProducts(w, r, allot.Invalid("term_months", "give the term as a whole number of months"))
			return
		}
		in.TermMonths = n
	}
	pr, err := s.svc.CreateProduct(r.Context(), in)
	if err != nil {
		s.renderProducts(w, r, err)
		return
	}
	s.done(w, r, "/products", fmt.Sprintf("%s (%s) was added: its orders last %d months unless they say otherwise.", pr.Name, pr.Code, pr.TermMonths))
}
