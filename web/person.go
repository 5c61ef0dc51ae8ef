package web

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"allot"
)

// personData is a person's page: who they are, the seats they held and
// what the audit log says about them.
type personData struct {
	allot.Person
	Seats    []personSeat
	Owned    []string // the labels of the fields the directory owns
	Now      time.Time
	MayEdit  bool
	MayRole  bool // the viewer may make or unmake a company manager of them
	Back     string
	EditLink string
}

// personSeat is a row of a person's seat history.
type personSeat struct {
	allot.Seat
	Product string
	Pool    allot.Pool
	Status  allot.Status
}

// ownedFieldLabels name the person fields a directory may own.
var ownedFieldLabels = map[string]string{"email": "e-mail", "first_name": "first name", "last_name": "last name",
	"department": "department", "manager": "manager", "external_id": "directory id"}

// person returns person {id} of the company the page is about, or writes
// the error page: a person of another company is not found.
func (s *Server) person(w http.ResponseWriter, r *http.Request) (allot.Company, personData, bool) {
	c, ok := s.managed(w, r)
	if !ok {
		return c, personData{}, false
	}
	id := pathID(r)
	p, err := s.svc.Person(r.Context(), id)
	if err == nil && p.Company.ID != c.ID {
		err = allot.NotFound("user")
	}
	if err != nil {
		s.fail(w, r, err)
		return c, personData{}, false
	}
	me, _ := allot.PrincipalFrom(r.Context())
	d := personData{Person: p, Now: s.svc.Clock.Now(), MayEdit: me.May(allot.ActManageUsers, c),
		MayRole: me.May(allot.ActAddManager, c) && me.UserID != p.ID, Back: "/company/users/" + strconv.FormatInt(p.ID, 10)}
	d.EditLink = d.Back + "/edit"
	for _, f := range p.Owned {
		d.Owned = append(d.Owned, ownedFieldLabels[f])
	}
	return c, d, true
}

// personPage shows a person: their details, their seat history and their
// events.
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	c, d, ok := s.person(w, r)
	if !ok {
		return
	}
	byID, _, err := s.products(r)
	var pools []allot.Pool
	if err == nil {
		pools, err = s.svc.Pools(r.Context(), c.ID)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, seat := range d.Person.Seats {
		ps := personSeat{Seat: seat, Product: byID[seat.ProductID].Name, Status: seat.Status(d.Now)}
		if i := slices.IndexFunc(pools, func(p allot.Pool) bool { return p.ID == seat.PoolID }); i >= 0 {
			ps.Pool = pools[i]
		}
		d.Seats = append(d.Seats, ps)
	}
	s.render(w, http.StatusOK, "person", s.page(r, d.Name(), d))
}

// editPersonPage shows the form that edits a person.
func (s *Server) editPersonPage(w http.ResponseWriter, r *http.Request) {
	_, d, ok := s.person(w, r)
	if !ok {
		return
	}
	s.render(w, http.StatusOK, "person_edit", s.page(r, "Edit "+d.Name(), d))
}

// updatePerson saves the names, department and role of a person; an
// error shows beside its field in the form.
func (s *Server) updatePerson(w http.ResponseWriter, r *http.Request) {
	_, d, ok := s.person(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	var ch allot.PersonChange
	for field, to := range map[string]**string{"first_name": &ch.FirstName, "last_name": &ch.LastName, "department": &ch.Department} {
		if vs, sent := r.PostForm[field]; sent && len(vs) > 0 {
			v := vs[0]
			*to = &v
		}
	}
	ch.Role = allot.Role(r.PostForm.Get("role"))
	u, err := s.svc.UpdatePerson(r.Context(), d.ID, ch)
	if err != nil {
		s.renderForm(w, r, "person_edit", s.page(r, "Edit "+d.Name(), d), err)
		return
	}
	msg := "Saved: " + u.Name() + "'s details are up to date."
	if u == d.User {
		msg = "Nothing changed: " + u.Name() + "'s details are as they were."
	}
	s.done(w, r, d.Back, msg)
}
