package web

import (
	"fmt"
	"net/http"

	"allot"
)

// staffData is the vendor's staff with the partners each owns.
type staffData struct {
	Rows      []staffRow
	Roles     []allot.Role // the roles the form may give
	CanCreate bool
	Factor    bool // the vendor's staff and partner managers must use a second factor
}

type staffRow struct {
	allot.User
	Partners []string // the partners whose account manager they are
}

func (s *Server) staffPage(w http.ResponseWriter, r *http.Request) {
	s.renderStaff(w, r, nil)
}

func (s *Server) renderStaff(w http.ResponseWriter, r *http.Request, formErr error) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	people, err := s.svc.Staff(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	partners, err := s.svc.Partners(ctx, allot.PartnerFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	owned := map[int64][]string{}
	for _, pt := range partners {
		owned[pt.AccountManagerID] = append(owned[pt.AccountManagerID], pt.Name)
	}
	data := staffData{CanCreate: p.May(allot.ActCreateStaff, allot.Company{}),
		Roles: []allot.Role{allot.RoleAccountManager, allot.RoleSupportAgent, allot.RoleSuccessManager}}
	for _, u := range people {
		data.Rows = append(data.Rows, staffRow{User: u, Partners: owned[u.ID]})
	}
	if data.Factor, err = s.accounts.FactorRequired(ctx, 0); err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Account managers and staff", data)
	s.renderForm(w, r, "staff", v, formErr)
}

// createStaff adds a person to the vendor's staff; only the vendor admin
// may.
func (s *Server) createStaff(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	f := r.PostForm
	role := allot.Role(f.Get("role"))
	if !role.Vendor() {
		s.renderStaff(w, r, allot.Invalid("role", "choose one of the vendor's roles"))
		return
	}
	u, err := s.svc.CreateStaff(r.Context(), allot.NewUser{Email: f.Get("email"), FirstName: f.Get("first_name"),
		LastName: f.Get("last_name"), Role: role, Welcome: true})
	if err != nil {
		s.renderStaff(w, r, err)
		return
	}
	s.done(w, r, "/staff", fmt.Sprintf("%s was added as %s. A welcome mail to %s has a link to choose their password.",
		u.Name(), roleText(u.Role), u.Email))
}

// accountManagers lists those who may own partners and direct customers.
func (s *Server) accountManagers(r *http.Request) ([]allot.User, error) {
	return s.svc.Users(r.Context(), allot.UserFilter{Roles: []allot.Role{allot.RoleAccountManager, allot.RoleVendorAdmin},
		Limit: allot.MaxLimit})
}

// roleText names a role in a sentence.
func roleText(r allot.Role) string {
	switch r {
	case allot.RoleVendorAdmin:
		return "the vendor's admin"
	case allot.RoleAccountManager:
		return "an account manager"
	case allot.RoleSupportAgent:
		return "a support agent"
	case allot.RoleSuccessManager:
		return "a success manager"
	case allot.RolePartnerManager:
		return "a partner manager"
	case allot.RoleCompanyManager:
		return "a company manager"
	}
	return "a learner"
}
