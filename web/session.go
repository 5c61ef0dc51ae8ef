package web

import (
	"cmp"
	"net/http"
	"strconv"

	"allot"
)

// formPage serves page name, titled title, with the query's values in its
// form: the e-mail and next page a sign-in carries.
func (s *Server) formPage(name, title string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		v := s.page(r, title, nil)
		v.Form = r.Form
		s.render(w, http.StatusOK, name, v)
	}
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if s.singleSignOn(w, r) {
		return
	}
	_, err := s.sessions.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), addr(r))
	switch {
	case s.overLimit(w, r, "login", "Sign in", "password", err), s.secondStep(w, r, err, r.PostForm.Get("next")):
		return
	case allot.ErrorCode(err) == allot.EUNAUTHORIZED:
		v := s.page(r, "Sign in", nil)
		v.Errors["password"] = allot.ErrorMessage(err)
		s.render(w, statusFor(err), "login", v)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.sessions.SignOut(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// enter starts manage-company mode in company {id}.
func (s *Server) enter(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	c, err := s.sessions.EnterCompany(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, cmp.Or(companyPage(r.PostFormValue("next")), "/company/licences"), "You are now managing "+c.Name+".")
}

// exit leaves manage-company mode, back to the customers.
func (s *Server) exit(w http.ResponseWriter, r *http.Request) {
	s.sessions.LeaveCompany(r.Context())
	s.done(w, r, "/customers", "You left manage mode.")
}
