package web

import (
	"fmt"
	"net/http"
	"strconv"

	"allot"
)

// partnersData is the partners with their account manager, customers and
// managers.
type partnersData struct {
	Rows      []partnerRow
	Managers  []allot.User // the account managers a new partner may get
	CanCreate bool
	Open      int64 // the partner whose "add a manager" form holds an error
}

type partnerRow struct {
	allot.Partner
	AccountManager string
	Customers      int
	People         []allot.User // the partner's managers
	CanAddManager  bool         // the viewer may add managers to it
	CanSSO         bool         // the viewer may connect its single sign-on
}

func (s *Server) partnersPage(w http.ResponseWriter, r *http.Request) {
	s.renderPartners(w, r, nil, 0)
}

// renderPartners shows the partners; formErr, when set, is the error of the
// form that creates a partner (open 0) or adds a manager to partner open.
func (s *Server) renderPartners(w http.ResponseWriter, r *http.Request, formErr error, open int64) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	partners, err := s.svc.Partners(ctx, allot.PartnerFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	people, err := s.svc.Users(ctx, allot.UserFilter{Roles: []allot.Role{allot.RolePartnerManager}, Limit: allot.MaxLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := partnersData{CanCreate: p.May(allot.ActCreatePartner, allot.Company{}), Open: open}
	names := map[int64]string{}
	if p.Role.Vendor() {
		if data.Managers, err = s.accountManagers(r); err != nil {
			s.fail(w, r, err)
			return
		}
		for _, u := range data.Managers {
			names[u.ID] = u.Name()
		}
	}
	customers := map[int64]int{}
	for _, c := range companies {
		customers[c.PartnerID]++
	}
	managers := map[int64][]allot.User{}
	for _, u := range people {
		managers[u.PartnerID] = append(managers[u.PartnerID], u)
	}
	for _, pt := range partners {
		data.Rows = append(data.Rows, partnerRow{Partner: pt, AccountManager: names[pt.AccountManagerID],
			Customers: customers[pt.ID], People: managers[pt.ID],
			CanAddManager: p.May(allot.ActAddPartnerManager, allot.Company{PartnerID: pt.ID}),
			CanSSO:        p.May(allot.ActConnectPartnerSSO, allot.Company{PartnerID: pt.ID})})
	}
	v := s.page(r, "Partners", data)
	s.renderForm(w, r, "partners", v, formErr)
}

// createPartner adds a partner, owned by the account manager chosen.
func (s *Server) createPartner(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	pt, err := s.svc.CreatePartner(r.Context(), allot.Partner{Name: r.PostForm.Get("name"),
		AccountManagerID: formInt(r, "account_manager_id")})
	if err != nil {
		s.renderPartners(w, r, err, 0)
		return
	}
	s.done(w, r, "/partners", fmt.Sprintf("The partner %s was created. Add its first manager from its row's menu: they can then create their customers.", pt.Name))
}

// addPartnerManager adds a manager to partner {id}, who is welcomed with a
// link to choose their password.
func (s *Server) addPartnerManager(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	pt, err := s.svc.Partner(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	f := r.PostForm
	u, err := s.svc.CreateStaff(r.Context(), allot.NewUser{Email: f.Get("email"), FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), Role: allot.RolePartnerManager, PartnerID: pt.ID, Welcome: true})
	if err != nil {
		s.renderPartners(w, r, err, id)
		return
	}
	s.done(w, r, "/partners", fmt.Sprintf("%s now manages %s. A welcome mail to %s has a link to choose their password.",
		u.Name(), pt.Name, u.Email))
}
