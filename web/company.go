package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"allot"
)

// managed returns the company a company page is about: the manager's own,
// or the one entered in manage-company mode; 404 for anyone else.
func (s *Server) managed(w http.ResponseWriter, r *http.Request) (allot.Company, bool) {
	p, ok := s.me(w, r)
	if !ok {
		return allot.Company{}, false
	}
	if company(p) == 0 {
		// A role that sees no company (a learner's) has no access to
		// these pages; to the others, outside manage mode, there is no
		// company to show.
		err := p.Must(allot.ActSeeCompany, p.Home())
		if err == nil {
			err = allot.NotFound("page")
		}
		s.fail(w, r, err)
		return allot.Company{}, false
	}
	c, err := s.svc.Company(r.Context(), company(p))
	if err != nil {
		s.fail(w, r, allot.NotFound("page"))
		return allot.Company{}, false
	}
	return c, true
}

// products returns every product by ID.
func (s *Server) products(r *http.Request) (map[int64]allot.Product, []allot.Product, error) {
	list, err := s.svc.Products(r.Context())
	byID := make(map[int64]allot.Product, len(list))
	for _, p := range list {
		byID[p.ID] = p
	}
	return byID, list, err
}

type expiredData struct {
	Company allot.Company
	renewalChoice
	Learners  []allot.User
	OnOrder   int       // licences of the product on order, not assigned yet
	Requested time.Time // when the oldest of those orders was requested
}

// renewalChoice is what a renewal draws from: a product, and the live pools
// of it with free seats.
type renewalChoice struct {
	Product  allot.Product
	Products []allot.Product
	Pools    []allot.Pool
	Free     int // in all of Pools
}

// renewalChoice returns the product with the code (by default the
// company's default product, else the first) and its pools with free seats.
func (s *Server) renewalChoice(r *http.Request, c allot.Company, code string) (renewalChoice, error) {
	byID, list, err := s.products(r)
	if err != nil {
		return renewalChoice{}, err
	}
	ch := renewalChoice{Products: list, Product: byID[c.DefaultProductID]}
	for _, p := range list {
		if p.Code == code && code != "" {
			ch.Product = p
		}
	}
	if ch.Product.ID == 0 && len(list) > 0 {
		ch.Product = list[0]
	}
	pools, err := s.svc.Pools(r.Context(), c.ID)
	if err != nil {
		return ch, err
	}
	now := s.svc.Clock.Now()
	for _, p := range pools {
		if p.ProductID == ch.Product.ID && p.Live(now) && p.Free() > 0 {
			ch.Pools = append(ch.Pools, p)
			ch.Free += p.Free()
		}
	}
	return ch, nil
}

func (s *Server) expired(w http.ResponseWriter, r *http.Request) {
	s.renderExpired(w, r, nil)
}

func (s *Server) renderExpired(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	choice, err := s.renewalChoice(r, c, r.FormValue("product"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := expiredData{Company: c, renewalChoice: choice}
	data.Learners, err = s.svc.ExpiredLearners(r.Context(), c.ID, data.Product.Code)
	orders, oerr := s.onOrder(r, c)
	if err = firstErr(err, oerr); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, o := range orders {
		if o.ProductID == data.Product.ID {
			data.OnOrder += o.Quantity
			if data.Requested.IsZero() {
				data.Requested = o.RequestedAt
			}
		}
	}
	v := s.page(r, "Expired licences", data)
	s.renderForm(w, r, "company_expired", v, formErr)
}

// renew gives seats to the chosen expired learners, or to all of them.
func (s *Server) renew(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	rn := allot.Renewal{CompanyID: c.ID, ProductCode: r.PostForm.Get("product"), All: r.PostForm.Get("all") == "1"}
	rn.PoolID, _ = strconv.ParseInt(r.PostForm.Get("pool_id"), 10, 64)
	for _, v := range r.PostForm["user"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			rn.UserIDs = append(rn.UserIDs, id)
		}
	}
	seats, err := s.svc.Renew(r.Context(), rn)
	if err != nil {
		s.renderExpired(w, r, err)
		return
	}
	s.done(w, r, "/company/expired?product="+url.QueryEscape(rn.ProductCode), fmt.Sprintf("%d learners renewed.", len(seats)))
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// reserved returns how many seats of each of company c's pools are
// reserved for invitations not sent yet; none when the dashboard runs
// without programmes.
func (s *Server) reserved(r *http.Request, c allot.Company) (map[int64]int, error) {
	if s.programs == nil {
		return nil, nil
	}
	return s.programs.Reserved(r.Context(), c.ID)
}
