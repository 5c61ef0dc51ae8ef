package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"allot"
	"allot/account"
)

// SSO is single sign-on as the sign-in page uses it; the composition root
// provides it with the sessions.
type SSO interface {
	// StartSSO returns the identity provider's address to send a person
	// signing in to, when their e-mail's domain signs in with single
	// sign-on and they typed no password, or typed one their company
	// requires single sign-on instead of (it is then not checked); ""
	// when their password is to be checked. An error with a ProviderDown
	// method says that the provider did not answer.
	StartSSO(r *http.Request, email, password, next string) (string, error)
	// RedirectURL is where identity providers send people back to, which
	// a connection registers with its provider.
	RedirectURL(r *http.Request) string
}

// singleSignOn sends the person signing in to their identity provider when
// their e-mail's domain signs in there, and reports whether it answered.
func (s *Server) singleSignOn(w http.ResponseWriter, r *http.Request) bool {
	to, err := s.sessions.StartSSO(r, r.PostForm.Get("email"), r.PostForm.Get("password"), safeNext(r.PostForm.Get("next")))
	switch {
	case err == nil && to == "":
		return false
	case err == nil:
		http.Redirect(w, r, to, http.StatusSeeOther)
	case s.overLimit(w, r, "login", "Sign in", "email", err), s.providerDown(w, r, err):
	default:
		s.fail(w, r, err)
	}
	return true
}

// providerDown renders the sign-in form with 502 and what the provider
// error says, when err is one, and reports whether it was.
func (s *Server) providerDown(w http.ResponseWriter, r *http.Request, err error) bool {
	var down interface{ ProviderDown() string }
	if !errors.As(err, &down) {
		return false
	}
	v := s.page(r, "Sign in", nil)
	v.Form = r.Form
	v.Errors["email"] = down.ProviderDown()
	s.render(w, http.StatusBadGateway, "login", v)
	return true
}

// Fail renders the page of a failed request of a route the composition
// root serves itself (single sign-on's callback): the sign-in form when an
// identity provider did not answer, the error page of err's code
// otherwise.
func (s *Server) Fail(w http.ResponseWriter, r *http.Request, err error) {
	if !s.providerDown(w, r, err) {
		s.fail(w, r, err)
	}
}

// ssoData is the page of a company's or a partner's single sign-on.
type ssoData struct {
	Owner     string
	Action    string // where the form is sent
	Back      string // the page the connection belongs with
	Connected bool
	Conn      account.Connection // as shown: without its secret
	Domains   string             // as the field shows them
	Redirect  string
}

// companySSO shows the single sign-on of the company managed.
func (s *Server) companySSO(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	s.renderSSO(w, r, account.Owner{CompanyID: c.ID}, "/company/sso", "/company/settings", nil)
}

// partnerSSO shows the single sign-on of partner {id}.
func (s *Server) partnerSSO(w http.ResponseWriter, r *http.Request) {
	s.renderSSO(w, r, partnerOwner(r), partnerSSOPath(r), "/partners", nil)
}

func partnerOwner(r *http.Request) account.Owner {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return account.Owner{PartnerID: id}
}

func partnerSSOPath(r *http.Request) string { return "/partners/" + r.PathValue("id") + "/sso" }

// renderSSO renders o's single sign-on page, with formErr beside its field
// when there is one.
func (s *Server) renderSSO(w http.ResponseWriter, r *http.Request, o account.Owner, action, back string, formErr error) {
	// Not found with the owner's name is an owner without a connection
	// yet; without it, an owner the viewer may not see.
	c, err := s.accounts.Connection(r.Context(), o)
	if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND || c.Name == "" {
		s.fail(w, r, err)
		return
	}
	data := ssoData{Owner: c.Name, Action: action, Back: back, Connected: err == nil, Conn: c,
		Domains: strings.Join(c.Domains, ", "), Redirect: s.sessions.RedirectURL(r)}
	if formErr != nil {
		f := r.PostForm
		data.Conn.Issuer, data.Conn.ClientID, data.Domains, data.Conn.Required =
			f.Get("issuer"), f.Get("client_id"), f.Get("domains"), f.Get("required") != ""
	}
	s.renderForm(w, r, "sso", s.page(r, "Single sign-on", data), formErr)
}

// saveCompanySSO connects the managed company's identity provider.
func (s *Server) saveCompanySSO(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	s.saveSSO(w, r, account.Owner{CompanyID: c.ID}, "/company/sso", "/company/settings")
}

// savePartnerSSO connects partner {id}'s identity provider.
func (s *Server) savePartnerSSO(w http.ResponseWriter, r *http.Request) {
	s.saveSSO(w, r, partnerOwner(r), partnerSSOPath(r), "/partners")
}

func (s *Server) saveSSO(w http.ResponseWriter, r *http.Request, o account.Owner, action, back string) {
	r.ParseForm()
	f := r.PostForm
	c, err := s.accounts.Connect(r.Context(), o, account.ConnectionInput{Issuer: f.Get("issuer"), ClientID: f.Get("client_id"),
		ClientSecret: f.Get("client_secret"), Domains: splitDomains(f.Get("domains")), Required: f.Get("required") != ""})
	if err != nil {
		s.renderSSO(w, r, o, action, back, err)
		return
	}
	msg := "Single sign-on is saved: people of " + strings.Join(c.Domains, ", ") + " sign in with " + c.Issuer + "."
	if c.Required {
		msg += " " + c.Name + "'s people there can no longer sign in with a password."
	}
	s.done(w, r, action, msg)
}

// splitDomains reads the domains field: separated by commas or spaces.
func splitDomains(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

// disconnectCompanySSO removes the managed company's single sign-on.
func (s *Server) disconnectCompanySSO(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	s.disconnectSSO(w, r, account.Owner{CompanyID: c.ID}, "/company/sso")
}

// disconnectPartnerSSO removes partner {id}'s single sign-on.
func (s *Server) disconnectPartnerSSO(w http.ResponseWriter, r *http.Request) {
	s.disconnectSSO(w, r, partnerOwner(r), partnerSSOPath(r))
}

func (s *Server) disconnectSSO(w http.ResponseWriter, r *http.Request, o account.Owner, action string) {
	if err := s.accounts.Disconnect(r.Context(), o); err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, action, "Single sign-on is disconnected: its people sign in with their passwords, or choose one with Forgot your password?")
}
