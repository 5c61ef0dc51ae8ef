package web

import (
	"allot"
	"cmp"
	"net/http"
	"net/url"
	"strconv"
)

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
