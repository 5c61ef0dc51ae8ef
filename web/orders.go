package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"allot"
)

// orderTabs are the tabs of the orders list and the statuses each shows.
var orderTabs = []struct{ Label, Status string }{
	{"Requested", "requested"},
	{"Assigned", "assigned"},
	{"Cancelled / rejected", "cancelled,rejected"},
}

// ordersData is the orders of a partner's customers, or of everyone for
// the vendor.
type ordersData struct {
	Tabs      []listTab
	Status    string // the statuses shown, comma-separated
	Rows      []orderLine
	Companies []allot.Company
	Products  []allot.Product
	Filtered  bool   // a filter beyond the tab is set
	Clear     string // the tab without filters
	Next      string // the next page; "" on the last
	First     string // the first page; "" on it
	Back      string // this very page, where an action on a row comes back to
	Open      int64  // the order whose menu holds the error of its form
	FilterErr bool   // a filter cannot be used: no list is shown
	CanCreate bool
	Total     int // the orders of the tab that the filters select, on every page
	ByID      sortColumn
	ByDate    sortColumn
}

// orderLine is an order with the names a row shows.
type orderLine struct {
	allot.Order
	Company   string
	Product   string
	Requester string
	Term      string
	CanAssign bool
	CanReject bool
	CanCancel bool
}

// filterKeys are the query keys of the orders filter bar.
var filterKeys = []string{"company", "product", "po_ref", "requester", "from", "to", "q"}

// ordersPage lists orders by tab, filter and page. Company managers, and
// anyone in manage-company mode, have their company's orders page instead.
func (s *Server) ordersPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if company(p) != 0 {
		http.Redirect(w, r, "/company/orders", http.StatusSeeOther)
		return
	}
	s.renderOrders(w, r, p, r.URL.Query(), nil, 0)
}

// renderOrders shows the orders list for the query q; err, when set, is
// the failure of an action on order open.
func (s *Server) renderOrders(w http.ResponseWriter, r *http.Request, p allot.Principal, q url.Values, actionErr error, open int64) {
	ctx := r.Context()
	statuses := orderStatuses(q.Get("status"))
	status := joinStatuses(statuses)
	filters := url.Values{}
	for _, k := range filterKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			filters.Set(k, v)
		}
	}
	fq := &query{Values: q}
	sort := readSort(fq, []string{"id", "requested"}, "requested", true)
	if sort.Key != "requested" || !sort.Desc {
		filters.Set("sort", sort.Key)
		filters.Set("dir", sort.dir())
	}
	data := ordersData{Status: status, Filtered: len(withoutSort(filters)) > 0, Open: open, CanCreate: mayCreateCustomers(p),
		Clear:  "/orders?status=" + url.QueryEscape(status),
		Back:   linkTo("/orders", filters, "status", status, "after", q.Get("after")),
		ByID:   sort.column("/orders", withStatus(filters, status), "id", "Order", true),
		ByDate: sort.column("/orders", withStatus(filters, status), "requested", "Requested", true)}
	var err error
	if data.Companies, err = s.svc.Companies(ctx, allot.CompanyFilter{}); err == nil {
		data.Products, err = s.svc.Products(ctx)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, errs := s.orderFilter(r, fq, data.Products)
	f.AfterID, f.Limit, f.Oldest = fq.id("after"), listPageSize+1, !sort.Desc
	if fq.err != nil {
		s.fail(w, r, fq.err)
		return
	}
	var (
		orders []allot.Order
		counts []allot.OrderCount
	)
	data.FilterErr = len(errs) > 0
	if !data.FilterErr {
		counts, err = s.svc.OrderCounts(ctx, f)
		if err == nil {
			f.Statuses = statuses
			orders, err = s.svc.Orders(ctx, f)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	for _, t := range orderTabs {
		n := countOf(counts, orderStatuses(t.Status))
		label := t.Label
		if !data.FilterErr {
			label += " (" + num(n) + ")"
		}
		if t.Status == status {
			data.Total = n
		}
		data.Tabs = append(data.Tabs, listTab{label, linkTo("/orders", filters, "status", t.Status), t.Status == status})
	}
	if len(orders) > listPageSize {
		orders = orders[:listPageSize]
		data.Next = linkTo("/orders", filters, "status", status, "after", strconv.FormatInt(orders[len(orders)-1].ID, 10))
	}
	if f.AfterID != 0 {
		data.First = linkTo("/orders", filters, "status", status)
	}
	data.Rows = s.orderLines(r, p, orders, data.Companies, data.Products)

	v := s.page(r, "Orders", data)
	v.Path, v.Form = "/orders", filters
	code := http.StatusOK
	if len(errs) > 0 {
		v.Errors, code = errs, http.StatusUnprocessableEntity
	}
	if actionErr != nil {
		if e := (*allot.Error)(nil); errors.As(actionErr, &e) && e.Field == "reason" {
			v.Errors["reason"] = e.Message
		} else {
			v.Errors[""] = fmt.Sprintf("Order %d: %s", open, allot.ErrorMessage(actionErr))
		}
		code = statusFor(actionErr)
	}
	s.render(w, code, "orders", v)
}

// countOf returns how many of the counted orders have one of the statuses.
func countOf(counts []allot.OrderCount, statuses []allot.OrderStatus) int {
	n := 0
	for _, c := range counts {
		if slices.Contains(statuses, c.Status) {
			n += c.Orders
		}
	}
	return n
}

// withStatus returns the filters with the tab's status.
func withStatus(filters url.Values, status string) url.Values {
	out := url.Values{"status": {status}}
	for k, v := range filters {
		out[k] = v
	}
	return out
}

// withoutSort returns the filters without the list's order.
func withoutSort(filters url.Values) url.Values {
	out := url.Values{}
	for k, v := range filters {
		if k != "sort" && k != "dir" {
			out[k] = v
		}
	}
	return out
}

// orderStatuses reads the status parameter: one status or several,
// comma-separated; requested orders when it names none.
func orderStatuses(s string) []allot.OrderStatus {
	var out []allot.OrderStatus
	for _, st := range strings.Split(s, ",") {
		switch st := allot.OrderStatus(strings.TrimSpace(st)); st {
		case allot.OrderRequested, allot.OrderAssigned, allot.OrderCancelled, allot.OrderRejected:
			if !slices.Contains(out, st) {
				out = append(out, st)
			}
		}
	}
	if len(out) == 0 {
		return []allot.OrderStatus{allot.OrderRequested}
	}
	slices.Sort(out)
	return out
}

func joinStatuses(list []allot.OrderStatus) string {
	s := make([]string, len(list))
	for i, st := range list {
		s[i] = string(st)
	}
	return strings.Join(s, ",")
}

// orderFilter turns the filter bar into an OrderFilter, with an error by
// field for each value a person may get wrong; q keeps the error of a value
// no form sends. Dates are days in the viewer's zone; "to" includes its
// whole day.
func (s *Server) orderFilter(r *http.Request, q *query, products []allot.Product) (allot.OrderFilter, map[string]string) {
	f := allot.OrderFilter{CompanyID: q.id("company"), PORef: q.text("po_ref"), Text: q.text("q")}
	errs := map[string]string{}
	if code := strings.TrimSpace(q.Get("product")); code != "" {
		for _, pr := range products {
			if pr.Code == code {
				f.ProductID = pr.ID
			}
		}
		if f.ProductID == 0 {
			errs["product"] = "no product " + code
		}
	}
	if who := strings.TrimSpace(q.Get("requester")); who != "" {
		var (
			u   allot.User
			err error
		)
		if id, perr := strconv.ParseInt(who, 10, 64); perr == nil {
			u, err = s.svc.User(r.Context(), id)
		} else {
			u, err = s.svc.UserByEmail(r.Context(), who)
		}
		switch allot.ErrorCode(err) {
		case "":
			f.RequestedBy = u.ID
		case allot.ENOTFOUND:
			errs["requester"] = "no one among your people has the e-mail or number " + who
		default:
			errs["requester"] = allot.ErrorMessage(err)
		}
	}
	f.From, f.To = dayRange(r, q, errs)
	return f, errs
}

// orderLines names the company, product and requester of each order, and
// says which actions its menu offers.
func (s *Server) orderLines(r *http.Request, p allot.Principal, orders []allot.Order, companies []allot.Company, products []allot.Product) []orderLine {
	companyNames := make(map[int64]string, len(companies))
	for _, c := range companies {
		companyNames[c.ID] = c.Name
	}
	productNames := make(map[int64]string, len(products))
	for _, pr := range products {
		productNames[pr.ID] = pr.Name
	}
	people := map[int64]string{0: "allot"}
	out := make([]orderLine, len(orders))
	for i, o := range orders {
		who, ok := people[o.RequestedBy]
		if !ok {
			who = "the vendor"
			if u, err := s.svc.User(r.Context(), o.RequestedBy); err == nil {
				who = u.Name()
			}
			people[o.RequestedBy] = who
		}
		requested, c := o.Status == allot.OrderRequested, allot.Company{ID: o.CompanyID, PartnerID: o.PartnerID}
		out[i] = orderLine{Order: o, Company: companyNames[o.CompanyID], Product: productNames[o.ProductID],
			Requester: who, Term: termText(o),
			CanAssign: requested && p.May(allot.ActAssignOrder, c),
			CanReject: requested && p.May(allot.ActRejectOrder, c),
			CanCancel: requested && (o.RequestedBy == p.UserID || p.May(allot.ActCancelOrder, c))}
	}
	return out
}
