package web

import (
	"errors"
	"image/png"
	"net/http"
	"net/url"

	"allot"
)

// secondStep sends a person whose password was right to their second step,
// when err says they have one, and reports whether it did.
func (s *Server) secondStep(w http.ResponseWriter, r *http.Request, err error, next string) bool {
	var second interface{ SecondStep() (enrol bool) }
	if !errors.As(err, &second) {
		return false
	}
	to := "/login/code"
	if second.SecondStep() {
		to = "/login/enrol"
	}
	http.Redirect(w, r, to+"?"+url.Values{"next": {safeNext(next)}}.Encode(), http.StatusSeeOther)
	return true
}

// factorData is a page about a second factor: the key of one being set up,
// or the recovery codes of one just set up.
type factorData struct {
	Secret string // the key's secret, to type into an app
	URL    string // the otpauth URL an app opens
	QR     string // where the key's QR code is
	Action string // where its code is confirmed
	Codes  []string
	Next   string // where to go afterwards
}

// codePage asks a person signing in for the code of their second factor.
func (s *Server) codePage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.sessions.Pending(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	s.formPage("code", "Two-step sign-in")(w, r)
}

func (s *Server) code(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	_, err := s.sessions.SecondStep(r.Context(), r.PostForm.Get("code"), addr(r))
	switch {
	case s.overLimit(w, r, "code", "Two-step sign-in", "code", err):
	case allot.ErrorCode(err) == allot.EUNAUTHORIZED && r.PostForm.Get("code") != "":
		v := s.page(r, "Two-step sign-in", nil)
		v.Errors["code"] = "wrong code: type the code your app shows now, or one of your recovery codes"
		s.render(w, http.StatusUnauthorized, "code", v)
	case err != nil:
		s.fail(w, r, err)
	default:
		http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
	}
}

// enrolPage sets up the second factor required of a person signing in.
func (s *Server) enrolPage(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.Pending(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.renderKey(w, r, u.ID, "/login/enrol", nil)
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.Pending(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	codes, err := s.sessions.Enrolled(r.Context(), r.PostFormValue("code"))
	s.confirmed(w, r, u.ID, "/login/enrol", codes, err, safeNext(r.PostForm.Get("next")))
}

// confirmed shows the recovery codes of person id's second factor, just
// confirmed at action, or its key again with what was wrong.
func (s *Server) confirmed(w http.ResponseWriter, r *http.Request, id int64, action string, codes []string, err error, next string) {
	switch {
	case allot.ErrorCode(err) == allot.EINVALID:
		s.renderKey(w, r, id, action, err)
	case err != nil:
		s.fail(w, r, err)
	default:
		s.render(w, http.StatusOK, "recovery", s.page(r, "Your recovery codes", factorData{Codes: codes, Next: next}))
	}
}

// enrolQR is the QR code of the key being set up at sign-in.
func (s *Server) enrolQR(w http.ResponseWriter, r *http.Request) {
	u, err := s.sessions.Pending(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.qr(w, r, u.ID)
}

// startFactor begins setting up a second factor of the signed-in person.
func (s *Server) startFactor(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if _, err := s.accounts.StartFactor(r.Context(), p.UserID); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/factor", http.StatusSeeOther)
}

func (s *Server) factorPage(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.me(w, r); ok {
		s.renderKey(w, r, p.UserID, "/account/factor", nil)
	}
}

func (s *Server) confirmFactor(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	codes, err := s.accounts.ConfirmFactor(r.Context(), p.UserID, r.PostFormValue("code"))
	s.confirmed(w, r, p.UserID, "/account/factor", codes, err, "/account")
}

func (s *Server) factorQR(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.me(w, r); ok {
		s.qr(w, r, p.UserID)
	}
}

// turnOffFactor removes the signed-in person's second factor, after a code.
func (s *Server) turnOffFactor(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	if err := s.accounts.TurnOffFactor(r.Context(), p.UserID, r.PostForm.Get("code")); err != nil {
		s.renderAccount(w, r, 0, err, "")
		return
	}
	s.done(w, r, "/account", "Two-step sign-in is off: your password alone signs you in.")
}

// newRecoveryCodes replaces the signed-in person's recovery codes.
func (s *Server) newRecoveryCodes(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	codes, err := s.accounts.NewRecoveryCodes(r.Context(), p.UserID, r.PostFormValue("code"))
	if err != nil {
		s.renderAccount(w, r, 0, err, "")
		return
	}
	s.confirmed(w, r, p.UserID, "/account/factor", codes, nil, "/account")
}

// renderKey shows the key of person id's second factor being set up, with
// the form that confirms it at action.
func (s *Server) renderKey(w http.ResponseWriter, r *http.Request, id int64, action string, formErr error) {
	key, err := s.accounts.PendingKey(r.Context(), id)
	if allot.ErrorCode(err) == allot.ENOTFOUND {
		key, err = s.accounts.StartFactor(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	r.ParseForm()
	v := s.page(r, "Set up two-step sign-in", factorData{Secret: key.Secret(), URL: key.URL(), QR: action + "/qr.png",
		Action: action, Next: r.FormValue("next")})
	s.renderForm(w, r, "enrol", v, formErr)
}

// qr writes the QR code of person id's key being set up.
func (s *Server) qr(w http.ResponseWriter, r *http.Request, id int64) {
	key, err := s.accounts.PendingKey(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	img, err := key.Image(240, 240)
	if err != nil {
		http.Error(w, "no QR code", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	png.Encode(w, img)
}
