package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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

type usersData struct {
	Company  allot.Company
	Members  []allot.Member
	Product  allot.Product
	Query    url.Values
	Next     string
	Export   string // the CSV of the users the filters show
	Statuses []allot.Status
	Reasons  []string
}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, nil)
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	f := s.memberFilter(q)
	f.Limit, f.AfterID = 50, q.id("after")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	members, err := s.svc.Members(r.Context(), c.ID, f)
	byID, _, perr := s.products(r)
	if err = firstErr(err, perr); err != nil && allot.ErrorCode(err) != allot.EINVALID {
		s.fail(w, r, err)
		return
	}
	data := usersData{Company: c, Members: members, Product: byID[c.DefaultProductID], Query: q.Values,
		Export: linkTo("/company/users.csv", q.Values, "after", ""),
		Statuses: []allot.Status{allot.StatusActive, allot.StatusExpiring, allot.StatusExpired, allot.StatusScheduled,
			allot.StatusReleased, allot.StatusUnlicensed},
		Reasons: allot.ReleaseReasons}
	if len(members) == f.Limit {
		data.Next = linkTo("/company/users", q.Values, "after", strconv.FormatInt(members[len(members)-1].ID, 10))
	}
	s.renderForm(w, r, "company_users", s.page(r, "Users", data), firstErr(err, formErr))
}

// memberFilter is the filter of the users page's query q, without its
// page.
func (s *Server) memberFilter(q *query) allot.MemberFilter {
	f := allot.MemberFilter{Status: allot.Status(q.Get("status")), ProductCode: q.Get("product"),
		UserFilter: allot.UserFilter{Search: q.text("q"), NeverLoggedIn: q.flag("never")}}
	if days := q.count("inactive", maxInactiveDays); days > 0 {
		f.InactiveSince = s.svc.InactiveSince(days)
	}
	return f
}

// maxInactiveDays is the most days of inactivity the users page filters on,
// as its field and the API say: ten years.
const maxInactiveDays = 3650

// addUser adds a user to the company; a learner gets a seat at once.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	u, err := s.svc.AddUser(r.Context(), allot.NewUser{CompanyID: c.ID, Email: r.PostForm.Get("email"),
		FirstName: r.PostForm.Get("first_name"), LastName: r.PostForm.Get("last_name"),
		Department: r.PostForm.Get("department"), Role: allot.Role(r.PostForm.Get("role")),
		Welcome: r.PostForm.Get("welcome") != ""})
	if err != nil {
		s.renderUsers(w, r, err)
		return
	}
	msg := u.Email + " was added."
	if m, err := s.svc.Members(r.Context(), c.ID, allot.MemberFilter{UserFilter: allot.UserFilter{Search: u.Email, Limit: 1}}); err == nil && len(m) == 1 {
		switch m[0].Status {
		case allot.StatusActive, allot.StatusExpiring:
			msg = u.Email + " was added and given a seat until " + m[0].Seat.EndsAt.In(zone(r)).Format("2 Jan 2006") + "."
		case allot.StatusUnlicensed:
			msg = u.Email + " was added without a seat: none is free. They will get one when new licences are assigned."
		}
	}
	if r.PostForm.Get("welcome") != "" {
		msg += " A welcome mail has a link to choose their password."
	}
	s.done(w, r, "/company/users", msg)
}

// sendWelcome sends user {id} a new welcome mail.
func (s *Server) sendWelcome(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u, err := s.svc.SendWelcome(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, safeNext(cmp.Or(r.PostFormValue("back"), "/company/users")),
		"A new welcome mail is on its way to "+u.Email+"; its link replaces the one they had.")
}

// removeUser removes a user from the company; their seat is released.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	u, err := s.svc.RemoveUser(r.Context(), id)
	if err != nil {
		s.renderUsers(w, r, err)
		return
	}
	s.done(w, r, "/company/users", u.Email+" was removed; their seat went back to the pool.")
}

// releaseSeat releases a seat with a reason.
func (s *Server) releaseSeat(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if _, err := s.svc.Release(r.Context(), id, r.PostForm.Get("reason")); err != nil {
		s.renderUsers(w, r, err)
		return
	}
	s.done(w, r, "/company/users", "The seat was released and is free again.")
}

// reallocateSeat moves a seat to the learner with the given e-mail.
func (s *Server) reallocateSeat(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	r.ParseForm()
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	to, err := s.svc.UserByEmail(r.Context(), r.PostForm.Get("email"))
	if err != nil {
		s.renderUsers(w, r, &allot.Error{Code: allot.EINVALID, Field: "email", Message: "no member with the e-mail " + r.PostForm.Get("email")})
		return
	}
	if _, err := s.svc.Reallocate(r.Context(), id, to.ID); err != nil {
		s.renderUsers(w, r, err)
		return
	}
	s.done(w, r, "/company/users", "The seat now belongs to "+to.Email+".")
}

type expiredData struct {
	Company allot.Company
	renewalChoice
	Learners []allot.User
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
	if data.Learners, err = s.svc.ExpiredLearners(r.Context(), c.ID, data.Product.Code); err != nil {
		s.fail(w, r, err)
		return
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

type auditData struct {
	Events []allot.Event
	Next   string
}

func (s *Server) companyAudit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	before := q.id("before")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	events, err := s.svc.Events(r.Context(), allot.EventFilter{CompanyID: c.ID, BeforeID: before, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := auditData{Events: events}
	if len(events) == 50 {
		data.Next = "/company/audit?before=" + strconv.FormatInt(events[len(events)-1].ID, 10)
	}
	s.render(w, http.StatusOK, "company_audit", s.page(r, "Audit log", data))
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
