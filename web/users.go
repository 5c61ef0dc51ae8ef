package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"allot"
)

type usersData struct {
	Company  allot.Company
	Members  []allot.Member
	Product  allot.Product // the product whose licences the list shows
	Query    url.Values
	Back     string // the list as it is, where its forms come back to
	Next     string
	Prev     string
	Export   string // the CSV of the users the filters show
	Statuses []allot.Status
	Reasons  []string
	Total    int // the company's people
	Matching int // those the filters select
	Filtered bool
	Columns  map[string]sortColumn
	// Seatless are people without a live seat of the product, whom a seat
	// may be moved to: the choices of the reallocate fields.
	Seatless []allot.Member
	// SelectAll checks every box of the page: the select-all of a viewer
	// without the script.
	SelectAll     bool
	SelectAllLink string
	Row           rowError
	May           usersMay
}

// usersMay is what the viewer may do on the users page, as the permission
// table says.
type usersMay struct {
	Allocate, Release, Manage bool
}

// rowError is the error of a form in one person's row: the row's menu
// opens on it and shows it beside the form's field.
type rowError struct {
	UserID  int64
	Form    string // seat, release, reallocate, remove, welcome
	Message string
}

// usersPerPage is how many people a page of the users list shows.
const usersPerPage = 50

// usersSortFirstDesc are the columns a first click sorts newest first.
var usersSortFirstDesc = map[string]bool{"last_login": true}

func (s *Server) users(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, nil, rowError{})
}

// listQuery is the users list's query: the request's, or for a form
// posted from the list, the query of the list it came from.
func listQuery(r *http.Request) *query {
	if r.Method == http.MethodPost {
		if u, err := url.Parse(usersBack(r)); err == nil {
			return &query{Values: u.Query()}
		}
	}
	return readQuery(r)
}

// usersBack is where a form posted from the users list goes back to: the
// list with the filters it was posted from.
func usersBack(r *http.Request) string {
	back := safeNext(r.PostFormValue("back"))
	if back != "/company/users" && !strings.HasPrefix(back, "/company/users?") {
		return "/company/users"
	}
	return back
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, formErr error, row rowError) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	p, _ := allot.PrincipalFrom(r.Context())
	q := listQuery(r)
	f := s.memberFilter(q)
	sort := readSort(q, allot.MemberSorts, "", false)
	page := q.count("page", allot.MaxMemberOffset/usersPerPage)
	f.Limit, f.AfterID = usersPerPage, q.id("after")
	if sort.Key != "" {
		f.AfterID = 0
		f.Order = allot.MemberOrder{By: sort.Key, Desc: sort.Desc, Offset: max(page-1, 0) * usersPerPage}
	}
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	ctx := r.Context()
	members, err := s.svc.Members(ctx, c.ID, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := usersData{Company: c, Members: members, Query: q.Values, Back: linkTo("/company/users", q.Values, "select", ""),
		Export: linkTo("/company/users.csv", q.Values, "after", "", "page", "", "sort", "", "dir", "", "select", ""),
		Statuses: []allot.Status{allot.StatusActive, allot.StatusExpiring, allot.StatusExpired, allot.StatusScheduled,
			allot.StatusReleased, allot.StatusUnlicensed},
		Reasons: allot.ReleaseReasons, Row: row, SelectAll: q.Get("select") == "all",
		SelectAllLink: linkTo("/company/users", q.Values, "select", "all"),
		May:           usersMay{Allocate: p.May(allot.ActAllocate, c), Release: p.May(allot.ActRelease, c), Manage: p.May(allot.ActManageUsers, c)}}
	if data.Product, err = s.listProduct(r, c, q.Get("product")); err != nil {
		s.fail(w, r, err)
		return
	}
	data.Filtered = q.Get("q") != "" || q.Get("status") != "" || q.Get("inactive") != "" || q.Get("never") != ""
	f.AfterID, f.Order = 0, allot.MemberOrder{}
	data.Matching, err = s.svc.CountMembers(ctx, c.ID, f)
	if err == nil {
		data.Total, err = s.svc.CountMembers(ctx, c.ID, allot.MemberFilter{ProductCode: f.ProductCode})
	}
	if err == nil && data.May.Allocate {
		data.Seatless, err = s.svc.Members(ctx, c.ID, allot.MemberFilter{ProductCode: f.ProductCode, Seatless: true,
			Order: allot.MemberOrder{By: "name"}, UserFilter: allot.UserFilter{Roles: []allot.Role{allot.RoleLearner}, Limit: maxSeatlessChoices}})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unpaged := cloneValues(q.Values, "after", "page", "select")
	data.Columns = map[string]sortColumn{}
	for key, label := range map[string]string{"name": "Name", "email": "E-mail", "status": "Licence", "last_login": "Last login", "ends": "Until"} {
		data.Columns[key] = sort.column("/company/users", unpaged, key, label, usersSortFirstDesc[key])
	}
	switch {
	case sort.Key != "":
		if page > 1 {
			data.Prev = linkTo("/company/users", q.Values, "page", strconv.Itoa(page-1), "select", "")
		}
		if len(members) == f.Limit {
			data.Next = linkTo("/company/users", q.Values, "page", strconv.Itoa(max(page, 1)+1), "select", "")
		}
	case len(members) == f.Limit:
		data.Next = linkTo("/company/users", q.Values, "after", strconv.FormatInt(members[len(members)-1].ID, 10), "select", "")
	}
	v := s.page(r, "Users", data)
	if row.Form != "" {
		listed := slices.ContainsFunc(members, func(m allot.Member) bool { return m.ID == row.UserID })
		if !listed && row.Form != "bulk" {
			v.Errors[""] = row.Message // its row is not on the page
		}
		s.render(w, statusFor(formErr), "company_users", v)
		return
	}
	s.renderForm(w, r, "company_users", v, formErr)
}

// maxSeatlessChoices is the most people the reallocate fields suggest; any
// other is found by what is typed.
const maxSeatlessChoices = 500

// cloneValues returns a copy of q without the keys.
func cloneValues(q url.Values, keys ...string) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = append([]string(nil), vs...)
	}
	for _, k := range keys {
		out.Del(k)
	}
	return out
}

// listProduct is the product a company's list shows: the one its query
// names, or the company's default.
func (s *Server) listProduct(r *http.Request, c allot.Company, code string) (allot.Product, error) {
	_, list, err := s.products(r)
	for _, pr := range list {
		if code == "" && pr.ID == c.DefaultProductID || code != "" && pr.Code == code {
			return pr, err
		}
	}
	return allot.Product{}, err
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
		s.renderUsers(w, r, err, rowError{})
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
	s.done(w, r, usersBack(r), msg)
}

// sendWelcome sends user {id} a new welcome mail.
func (s *Server) sendWelcome(w http.ResponseWriter, r *http.Request) {
	id := pathID(r)
	u, err := s.svc.SendWelcome(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, safeNext(cmp.Or(r.PostFormValue("back"), "/company/users")),
		"A new welcome mail is on its way to "+u.Email+"; its link replaces the one they had.")
}

// rowFailed shows the error of a row's form in that row, or the error page
// for what is no form's error (a person or seat not found, a failure).
func (s *Server) rowFailed(w http.ResponseWriter, r *http.Request, form string, err error) {
	code := allot.ErrorCode(err)
	if code == allot.ENOTFOUND || code == allot.EINTERNAL || code == allot.EUNAUTHORIZED {
		s.fail(w, r, err)
		return
	}
	row, _ := strconv.ParseInt(r.PostFormValue("row"), 10, 64)
	s.renderUsers(w, r, err, rowError{UserID: row, Form: form, Message: allot.ErrorMessage(err)})
}

// removeUser removes a user from the company; their seat is released.
func (s *Server) removeUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	r.ParseForm()
	id := pathID(r)
	u, err := s.svc.RemoveUser(r.Context(), id)
	if err != nil {
		s.rowFailed(w, r, "remove", err)
		return
	}
	s.done(w, r, usersBack(r), u.Email+" was removed; their seat went back to the pool.")
}

// giveSeat gives person {id} a seat of the list's product, from the
// licences that expire first.
func (s *Server) giveSeat(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	id := pathID(r)
	pr, err := s.listProduct(r, c, r.PostForm.Get("product"))
	if err == nil && pr.ID == 0 {
		err = allot.Invalid("product", "no product %q", r.PostForm.Get("product"))
	}
	var seat allot.Seat
	if err == nil {
		seat, err = s.svc.Allocate(r.Context(), id, pr.Code, 0)
	}
	if err != nil {
		s.rowFailed(w, r, "seat", err)
		return
	}
	u, _ := s.svc.User(r.Context(), id)
	s.done(w, r, usersBack(r), u.Email+" was given a seat of "+pr.Name+" until "+seat.EndsAt.In(zone(r)).Format("2 Jan 2006")+".")
}

// fillWaiting gives the company's free seats to everyone who waits for
// one, those who waited longest first.
func (s *Server) fillWaiting(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	res, err := s.svc.FillWaiting(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, usersBack(r), filledText(res))
}

// filledText says what filling the waiting lists did.
func filledText(res allot.FillResult) string {
	switch {
	case res.Given == 0 && res.Waiting == 0:
		return "Nobody waits for a seat."
	case res.Given == 0:
		return "No seat is free: " + plural(res.Waiting, "learner still waits", "learners still wait") + " for one."
	case res.Waiting == 0:
		return plural(res.Given, "seat was", "seats were") + " given; nobody waits any more."
	}
	return plural(res.Given, "seat was", "seats were") + " given; " + plural(res.Waiting, "learner still waits", "learners still wait") +
		": no seat is free for them."
}

// releaseSeat releases a seat with a reason.
func (s *Server) releaseSeat(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.managed(w, r); !ok {
		return
	}
	r.ParseForm()
	id := pathID(r)
	if _, err := s.svc.Release(r.Context(), id, r.PostForm.Get("reason")); err != nil {
		s.rowFailed(w, r, "release", err)
		return
	}
	s.done(w, r, usersBack(r), "The seat was released and is free again.")
}

// reallocateSeat moves a seat to the person picked: by their e-mail, or by
// what of their name or e-mail finds them alone.
func (s *Server) reallocateSeat(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	id := pathID(r)
	to, err := s.pickPerson(r, c, r.PostForm.Get("product"), r.PostForm.Get("to"))
	if err == nil {
		_, err = s.svc.Reallocate(r.Context(), id, to.ID)
	}
	if err != nil {
		s.rowFailed(w, r, "reallocate", allot.Renamed(err, map[string]string{"user_id": "to"}))
		return
	}
	s.done(w, r, usersBack(r), "The seat now belongs to "+to.Email+".")
}

// pickPerson finds the person typed into a reallocate field among company
// c's people without a live seat of the product: the one with that e-mail,
// or the only one whose name or e-mail holds the text.
func (s *Server) pickPerson(r *http.Request, c allot.Company, product, typed string) (allot.Member, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return allot.Member{}, allot.Invalid("to", "type the e-mail or the name of the person to give the seat to")
	}
	if err := allot.CheckText("to", typed, allot.MaxSearch); err != nil {
		return allot.Member{}, err
	}
	found, err := s.svc.Members(r.Context(), c.ID, allot.MemberFilter{ProductCode: product, Seatless: true,
		UserFilter: allot.UserFilter{Search: typed, Limit: usersPerPage}})
	if err != nil {
		return allot.Member{}, allot.Renamed(err, map[string]string{"product": "to"})
	}
	for _, m := range found {
		if strings.EqualFold(m.Email, typed) {
			return m, nil
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return allot.Member{}, allot.Invalid("to", "nobody of %s without a seat of this product matches %q", c.Name, typed)
	}
	emails := make([]string, 0, 3)
	for _, m := range found[:min(3, len(found))] {
		emails = append(emails, m.Email)
	}
	return allot.Member{}, allot.Invalid("to", "%d people match %q, such as %s: type more of the e-mail", len(found), typed,
		strings.Join(emails, ", "))
}
