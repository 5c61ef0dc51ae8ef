package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"allot"
)

type licencesData struct {
	Company  allot.Company
	Pools    []poolRow // live and scheduled: the seats there are to give
	Expired  []poolRow // ended: counted nowhere
	Summary  []productSummary
	Products map[int64]allot.Product
}

type poolRow struct {
	allot.Pool
	Status   allot.Status
	Reserved int // of the seats used, those reserved for scheduled invitations
}

// productSummary is what a company has of one product: the seats of its
// pools not ended, and the licences of its orders waiting to be assigned.
type productSummary struct {
	Product   allot.Product
	Bought    int
	Used      int
	OnOrder   int
	Orders    int
	Requested time.Time // when the oldest of those orders was requested
}

func (p productSummary) Free() int { return p.Bought - p.Used }

// licences shows a company's pools: those that give seats, with what each
// product has on order, and apart from them those that ended.
func (s *Server) licences(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	pools, err := s.svc.Pools(r.Context(), c.ID)
	byID, _, perr := s.products(r)
	reserved, rerr := s.reserved(r, c)
	onOrder, oerr := s.onOrder(r, c)
	if err = firstErr(err, perr, rerr, oerr); err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.svc.Clock.Now()
	data := licencesData{Company: c, Products: byID}
	summary := map[int64]*productSummary{}
	line := func(id int64) *productSummary {
		if summary[id] == nil {
			summary[id] = &productSummary{Product: byID[id]}
		}
		return summary[id]
	}
	for _, p := range pools {
		row := poolRow{p, p.Status(now), reserved[p.ID]}
		if row.Status == allot.StatusExpired {
			data.Expired = append(data.Expired, row)
			continue
		}
		data.Pools = append(data.Pools, row)
		l := line(p.ProductID)
		l.Bought += p.Quantity
		l.Used += p.Used
	}
	for _, o := range onOrder {
		l := line(o.ProductID)
		l.OnOrder += o.Quantity
		l.Orders++
		if l.Requested.IsZero() || o.RequestedAt.Before(l.Requested) {
			l.Requested = o.RequestedAt
		}
	}
	for _, l := range summary {
		data.Summary = append(data.Summary, *l)
	}
	slices.SortFunc(data.Summary, func(a, b productSummary) int { return strings.Compare(a.Product.Name, b.Product.Name) })
	s.render(w, http.StatusOK, "company_licences", s.page(r, "Licences", data))
}

// onOrder returns company c's orders waiting to be assigned, oldest first.
func (s *Server) onOrder(r *http.Request, c allot.Company) ([]allot.Order, error) {
	return s.svc.Orders(r.Context(), allot.OrderFilter{CompanyID: c.ID, Statuses: []allot.OrderStatus{allot.OrderRequested},
		Oldest: true, Limit: allot.MaxLimit})
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
	if formErr == nil {
		v.Form = url.Values{"product": {companyProduct(c, list, orders)}}
	}
	s.renderForm(w, r, "company_orders", v, formErr)
}

// companyProduct returns the code of the product a company's request for
// licences starts with: its default product, else the product of its
// newest order, else the only product; "" when none stands out, and the
// form asks for a choice rather than offer the first of the list.
func companyProduct(c allot.Company, products []allot.Product, orders []allot.Order) string {
	id := c.DefaultProductID
	if id == 0 && len(orders) > 0 {
		id = orders[0].ProductID
	}
	for _, pr := range products {
		if pr.ID == id || len(products) == 1 {
			return pr.Code
		}
	}
	return ""
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
	_, product := s.orderNames(r, o)
	s.done(w, r, "/company/orders", fmt.Sprintf("Order %d requested: %s of %s. You will be told when they are assigned.",
		o.ID, plural(o.Quantity, "licence", "licences"), product))
}
