package web

import (
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"allot"
)

// safeNext returns where to go after signing in: next when it is a path of
// this site, "/" otherwise. A browser reads a backslash as a slash, so
// "/\evil.example" would leave the site as surely as "//evil.example".
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\t\r\n") || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// companyPage returns next when it is a page of the company view, where
// entering manage-company mode may lead; "" otherwise.
func companyPage(next string) string {
	if next = safeNext(next); !strings.HasPrefix(next, "/company/") {
		return ""
	}
	return next
}

// addr is the client's address, for the limits of attempts.
func addr(r *http.Request) string {
	a, _, _ := net.SplitHostPort(r.RemoteAddr)
	return a
}

// overLimit renders page name with 429, Retry-After and the error next to
// field, when err is over a limit of attempts, and reports whether it was.
func (s *Server) overLimit(w http.ResponseWriter, r *http.Request, name, title, field string, err error) bool {
	var limited interface{ RetryAfter() int }
	if !errors.As(err, &limited) {
		return false
	}
	w.Header().Set("Retry-After", strconv.Itoa(limited.RetryAfter()))
	v := s.page(r, title, nil)
	v.Errors[field] = err.Error()
	s.render(w, http.StatusTooManyRequests, name, v)
	return true
}

// forgot answers the same whether the e-mail has an account or not.
func (s *Server) forgot(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	err := s.sessions.Forgot(r.Context(), r.PostForm.Get("email"), addr(r))
	switch {
	case s.overLimit(w, r, "forgot", "Forgot your password?", "email", err):
	case allot.ErrorCode(err) == allot.EINVALID:
		s.invalid(w, r, "forgot", s.page(r, "Forgot your password?", nil), err)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.done(w, r, "/login", "If "+strings.TrimSpace(r.PostForm.Get("email"))+
			" has an account, a mail with a link to choose a new password is on its way. The link works for one hour.")
	}
}

// linkPage asks the person a one-time link names for their new password.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	s.renderLink(w, r, nil)
}

// renderLink shows the form of the link {token}, with formErr beside its
// field when there is one.
func (s *Server) renderLink(w http.ResponseWriter, r *http.Request, formErr error) {
	u, l, err := s.accounts.Linked(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderForm(w, r, "link", s.page(r, "Choose your password", linkData{User: u, Welcome: l.Purpose == allot.MailWelcome}), formErr)
}

type linkData struct {
	User    allot.User
	Welcome bool
}

// useLink sets the password and signs the person in.
func (s *Server) useLink(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	token, password := r.PathValue("token"), r.PostForm.Get("new_password")
	var err error
	if password != r.PostForm.Get("confirm_password") {
		err = allot.Invalid("confirm_password", "the two passwords differ")
	} else {
		_, err = s.sessions.UseLink(r.Context(), token, password)
	}
	if s.secondStep(w, r, err, "/") {
		return
	}
	if allot.ErrorCode(err) == allot.EINVALID {
		s.renderLink(w, r, err)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/", "Your password is set. Welcome!")
}
