package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot/account"

	"allot"
)

type accountData struct {
	Tokens []allot.Token
	Secret string // a token's secret, shown once right after it is made
	Factor account.FactorStatus
	// CanMakeTokens offers the form that makes a token: learners make
	// none, though they may revoke those they have.
	CanMakeTokens bool
}

// account shows the password form and the API tokens.
func (s *Server) account(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil, "")
}

func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, err error, secret string) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	tokens, terr := s.svc.Tokens(r.Context())
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	u, terr := s.svc.User(r.Context(), p.UserID)
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	factor, terr := s.accounts.StatusOf(r.Context(), u)
	if terr != nil {
		s.fail(w, r, terr)
		return
	}
	v := s.page(r, "Account", accountData{Tokens: tokens, Secret: secret, Factor: factor,
		CanMakeTokens: p.May(allot.ActMakeToken, p.Home())})
	if err != nil {
		s.invalid(w, r, "account", v, err)
		return
	}
	s.render(w, status, "account", v)
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	if r.PostForm.Get("new_password") != r.PostForm.Get("confirm_password") {
		s.renderAccount(w, r, 0, allot.Invalid("confirm_password", "the two new passwords differ"), "")
		return
	}
	if err := s.sessions.ChangePassword(r.Context(), allot.PasswordChange{Current: r.PostForm.Get("current_password"),
		New: r.PostForm.Get("new_password"), RevokeTokens: r.PostForm.Get("revoke_tokens") != ""}); err != nil {
		s.renderAccount(w, r, 0, err, "")
		return
	}
	msg := "Your password was changed; your other sessions have ended."
	if r.PostForm.Get("revoke_tokens") != "" {
		msg = "Your password was changed; your other sessions have ended and your API tokens were revoked."
	}
	s.done(w, r, "/account", msg)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	var expires time.Time
	if d := strings.TrimSpace(r.PostForm.Get("expires")); d != "" {
		var err error
		if expires, err = time.ParseInLocation(time.DateOnly, d, zone(r)); err != nil {
			s.renderAccount(w, r, 0, allot.Invalid("expires_at", "give the expiry as a date"), "")
			return
		}
	}
	_, secret, err := s.svc.CreateToken(r.Context(), r.PostForm.Get("name"), expires)
	if err != nil {
		s.renderAccount(w, r, 0, err, "")
		return
	}
	s.renderAccount(w, r, http.StatusCreated, nil, secret)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	t, err := s.svc.RevokeToken(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.done(w, r, "/account", "The token "+t.Name+" was revoked; it no longer works.")
}
