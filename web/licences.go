package web

import (
	"allot"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

type licencesData struct {
	Company  allot.Company
	Pools    []poolRow
	Products map[int64]allot.Product
}

type poolRow struct {
	allot.Pool
	Status   allot.Status
	Reserved int // of the seats used, those reserved for scheduled invitations
}

func (s *Server) licences(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	pools, err := s.svc.Pools(r.Context(), c.ID)
	byID, _, perr := s.products(r)
	reserved, rerr := s.reserved(r, c)
	if err = firstErr(err, perr, rerr); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.svc.Clock.Now()
	rows := make([]poolRow, len(pools))
	for i, p := range pools {
		rows[i] = poolRow{p, p.Status(now), reserved[p.ID]}
	}
	s.render(w, http.StatusOK, "company_licences", s.page(r, "Licences", licencesData{c, rows, byID}))
}

type companyOrdersData struct {
	Company  allot.Company
	Orders   []allot.Order
	Products []allot.Product
	ByID     map[int64]allot.Product
}

func (s *Server) companyOrders(w http.ResponseWriter, r *http.Request) {
	s.renderCompanyOrders(w, r, nil)
}

func (s *Server) renderCompanyOrders(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	orders, err := s.svc.Orders(r.Context(), allot.OrderFilter{CompanyID: c.ID, Limit: allot.MaxLimit})
	byID, list, perr := s.products(r)
	if err = firstErr(err, perr); err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Orders", companyOrdersData{c, orders, list, byID})
	s.renderForm(w, r, "company_orders", v, formErr)
}

// requestLicences requests an order for the company.
func (s *Server) requestLicences(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	quantity, _ := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("quantity")))
	o, err := s.svc.RequestOrder(r.Context(), allot.NewOrder{CompanyID: c.ID, ProductCode: r.PostForm.Get("product"),
		Quantity: quantity, PORef: r.PostForm.Get("po_ref"), Note: r.PostForm.Get("note")})
	if err != nil {
		s.renderCompanyOrders(w, r, err)
		return
	}
	s.done(w, r, "/company/orders", fmt.Sprintf("Order %d requested: %d licences. You will be told when they are assigned.", o.ID, o.Quantity))
}
