package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"allot"
)

// customersData is the list of a partner's, or the vendor's, customers.
type customersData struct {
	Rows      []customerRow
	Tabs      []listTab       // vendor staff: all customers or direct ones
	Partners  []allot.Partner // vendor staff: the partner filter
	Direct    bool            // the direct customers' tab
	Vendor    bool
	CanCreate bool
	Filtered  bool   // a search or a partner narrows the list
	Total     int    // the customers the list holds, on every page
	First     string // the link to the first page, from a later one
	Next      string // the link to the next page, when there is one
	Then      string // where managing a company leads: a mail's page in it
	ByName    sortColumn
	BySince   sortColumn
}

// customerRow is a customer with the names and badges its rows show: one
// row for each of its products.
type customerRow struct {
	allot.Customer
	Partner   string // the partner's name; "" for a direct customer or for the partner itself
	Lines     []customerLine
	ExpiresIn int  // days before its soonest live licences end, when Expiring
	Expiring  bool // they end within expiringSoon
	Transfer  bool // the viewer may move its free seats to another customer
}

// customerLine is one product of a customer, named; a customer without
// any has one line without a product.
type customerLine struct {
	allot.CustomerProduct
	Product string
}

// expiringSoon is how soon an end of licences makes a customer's row say so.
const expiringSoon = 30 * 24 * time.Hour

// customersPage lists the customers the viewer may see, each with the seats
// of its live pools product by product, and badges for what needs acting
// on: licences ending soon, requested orders, expired and waiting learners.
func (s *Server) customersPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	// ?company= is one customer's row, where a mail about it sends its
	// partner's managers and the vendor's staff, in manage mode or not.
	one := q.id("company")
	if company(p) != 0 && (one == 0 || p.Role == allot.RoleCompanyManager) {
		http.Redirect(w, r, "/company/licences", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	f := allot.CompanyFilter{Search: q.text("q"), DirectOnly: q.flag("direct"), AfterID: q.id("after"), Limit: listPageSize + 1}
	partner := q.id("partner")
	sort := readSort(q, []string{"name", "since"}, "name", false)
	f.ByCreation, f.Desc = sort.Key == "since", sort.Desc
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	data := customersData{Vendor: p.Role.Vendor(), CanCreate: mayCreateCustomers(p), Direct: f.DirectOnly,
		ByName: sort.column("/customers", q.Values, "name", "Company", false), BySince: sort.column("/customers", q.Values, "since", "Customer since", true)}
	data.Then = companyPage(r.URL.Query().Get("then"))
	partners := map[int64]string{}
	if data.Vendor {
		list, err := s.svc.Partners(ctx, allot.PartnerFilter{})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, pt := range list {
			partners[pt.ID] = pt.Name
		}
		data.Partners = list
		if !f.DirectOnly {
			f.PartnerID = partner
		}
		data.Tabs = []listTab{
			{"All customers", linkTo("/customers", q.Values, "direct", "", "after", ""), !f.DirectOnly},
			{"Direct customers", linkTo("/customers", q.Values, "direct", "1", "partner", "", "after", ""), f.DirectOnly},
		}
	}
	data.Filtered = f.Search != "" || f.PartnerID != 0 || one != 0
	customers, err := s.customers(ctx, f, one)
	if err == nil {
		data.Total, err = s.customerTotal(ctx, f, one)
	}
	byID, _, perr := s.products(r)
	if err = firstErr(err, perr); err != nil {
		s.fail(w, r, err)
		return
	}
	if len(customers) > listPageSize {
		customers = customers[:listPageSize]
		data.Next = linkTo("/customers", q.Values, "after", strconv.FormatInt(customers[len(customers)-1].ID, 10))
	}
	if f.AfterID != 0 {
		data.First = linkTo("/customers", q.Values, "after", "")
	}
	now := s.svc.Clock.Now()
	for _, c := range customers {
		row := customerRow{Customer: c, Partner: partners[c.PartnerID], Transfer: p.May(allot.ActTransferSeats, c.Company)}
		row.ExpiresIn, row.Expiring = c.ExpiresWithin(now, expiringSoon)
		for _, cp := range c.Products {
			row.Lines = append(row.Lines, customerLine{CustomerProduct: cp, Product: productName(byID, cp.ProductID)})
		}
		if len(row.Lines) == 0 {
			row.Lines = []customerLine{{}} // the row that says it has no licences
		}
		data.Rows = append(data.Rows, row)
	}
	v := s.page(r, "Customers", data)
	v.Form = q.Values
	s.render(w, http.StatusOK, "customers", v)
}

// customerTotal returns how many customers the list of filter f holds, or
// 1 for customer one alone.
func (s *Server) customerTotal(ctx context.Context, f allot.CompanyFilter, one int64) (int, error) {
	if one != 0 {
		return 1, nil
	}
	return s.svc.CompanyCount(ctx, f)
}

// productName returns the name of product id, or its number when it is
// unknown.
func productName(byID map[int64]allot.Product, id int64) string {
	if pr, ok := byID[id]; ok {
		return pr.Name
	}
	return "product " + strconv.FormatInt(id, 10)
}

// customers returns the customers of filter f, or customer one alone when
// it is not 0.
func (s *Server) customers(ctx context.Context, f allot.CompanyFilter, one int64) ([]allot.Customer, error) {
	if one == 0 {
		return s.svc.Customers(ctx, f)
	}
	c, err := s.svc.Customer(ctx, one)
	if err != nil {
		return nil, err
	}
	return []allot.Customer{c}, nil
}

// mayCreateCustomers reports whether the viewer is offered the form that
// creates customers: of their own partner, or any for the vendor.
func mayCreateCustomers(p allot.Principal) bool {
	return p.May(allot.ActCreateCompany, allot.Company{PartnerID: p.PartnerID})
}

// newCustomerData is the form that creates a customer with its first order.
type newCustomerData struct {
	Products []allot.Product
	Partners []allot.Partner // vendor staff choose the partner, or none
	Managers []allot.User    // and the account manager of a direct customer
	Vendor   bool
}

func (s *Server) newCustomer(w http.ResponseWriter, r *http.Request) {
	s.renderNewCustomer(w, r, nil)
}

func (s *Server) renderNewCustomer(w http.ResponseWriter, r *http.Request, formErr error) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if !mayCreateCustomers(p) {
		s.fail(w, r, allot.Errorf(allot.EFORBIDDEN, "customers are created by partners and by the vendor's account managers"))
		return
	}
	ctx := r.Context()
	data := newCustomerData{Vendor: p.Role.Vendor()}
	var err error
	data.Products, err = s.svc.Products(ctx)
	if err == nil && data.Vendor {
		data.Partners, err = s.svc.Partners(ctx, allot.PartnerFilter{})
	}
	if err == nil && data.Vendor {
		data.Managers, err = s.accountManagers(r)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "New customer", data)
	if formErr != nil {
		s.invalid(w, r, "customer_new", v, formErr)
		return
	}
	v.Form = url.Values{"term": {"12"}}
	code, err := s.suggestedProduct(r, data.Products)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Form.Set("product", code)
	v.Form.Set("default_product", code)
	s.render(w, http.StatusOK, "customer_new", v)
}

// suggestedProduct returns the code of the product a new customer's form
// starts with: the only product there is, or else the one of which the
// viewer's customers have ordered the most licences (assigned or waiting to
// be); "" when none stands out, and the form asks for a choice rather than
// offer the first product of the list.
func (s *Server) suggestedProduct(r *http.Request, products []allot.Product) (string, error) {
	if len(products) == 1 {
		return products[0].Code, nil
	}
	counts, err := s.svc.OrderCounts(r.Context(), allot.OrderFilter{})
	if err != nil {
		return "", err
	}
	seats := map[int64]int{}
	for _, n := range counts {
		if n.Status == allot.OrderAssigned || n.Status == allot.OrderRequested {
			seats[n.ProductID] += n.Seats
		}
	}
	code, most := "", 0
	for _, pr := range products {
		if seats[pr.ID] > most {
			code, most = pr.Code, seats[pr.ID]
		}
	}
	return code, nil
}

// createCustomer creates a company with its first order, which then waits
// to be assigned among the requested orders.
func (s *Server) createCustomer(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	order, err := orderForm(r.PostForm)
	if err != nil {
		s.renderNewCustomer(w, r, err)
		return
	}
	in := allot.NewCompany{Name: r.PostForm.Get("name"), DefaultProductCode: r.PostForm.Get("default_product"), FirstOrder: &order,
		Manager: &allot.NewUser{Email: r.PostForm.Get("manager_email"), FirstName: r.PostForm.Get("manager_first_name"),
			LastName: r.PostForm.Get("manager_last_name")}}
	if p.Role.Vendor() {
		in.PartnerID, in.AccountManagerID = formInt(r, "partner_id"), formInt(r, "account_manager_id")
	}
	c, o, err := s.svc.CreateCompany(r.Context(), in)
	if err != nil {
		s.renderNewCustomer(w, r, err)
		return
	}
	_, product := s.orderNames(r, *o)
	s.done(w, r, "/orders?status=requested", fmt.Sprintf("%s was created with order %d: %d licences of %s for %s, waiting to be assigned. "+
		"A welcome mail to %s has a link to choose their password.",
		c.Name, o.ID, o.Quantity, product, termText(*o), strings.TrimSpace(r.PostForm.Get("manager_email"))))
}

// orderForm reads the order fields of a form: product, quantity, PO
// reference, note and term (12 or 6 months, or a custom number of days).
func orderForm(f url.Values) (allot.NewOrder, error) {
	o := allot.NewOrder{ProductCode: f.Get("product"), PORef: f.Get("po_ref"), Note: f.Get("note")}
	if q := strings.TrimSpace(f.Get("quantity")); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil {
			return o, allot.Invalid("quantity", "give the number of licences as a whole number")
		}
		o.Quantity = n
	}
	switch f.Get("term") {
	case "6":
		o.TermMonths = 6
	case "custom":
		days, err := strconv.Atoi(strings.TrimSpace(f.Get("term_days")))
		if err != nil || days < 1 {
			return o, allot.Invalid("term_days", "give the term as a number of days, 1 to %d", allot.MaxTermDays)
		}
		o.TermDays = days
	default:
		o.TermMonths = 12
	}
	return o, nil
}

// termText says how long an order's pool lasts once assigned.
func termText(o allot.Order) string {
	switch {
	case o.TermDays == 1:
		return "1 day"
	case o.TermDays > 0:
		return strconv.Itoa(o.TermDays) + " days"
	case o.TermMonths == 1:
		return "1 month"
	}
	return strconv.Itoa(o.TermMonths) + " months"
}
