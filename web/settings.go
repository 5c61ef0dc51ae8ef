package web

import (
	"net/http"
	"strings"

	"allot"
)

// settingsData is a company's settings form.
type settingsData struct {
	Company allot.Company
	Offsets string   // the reminder offsets as the field shows them
	Default bool     // the company follows the default offsets
	Words   []string // the saved offsets in words
	Partner bool     // the partner's managers hear of expiries too
	Factor  bool     // its managers must use a second factor
	SSO     bool     // the viewer may connect its single sign-on
	Mails   []mailChoice
}

// mailChoice is one kind of mail a company may turn off, and whether it is on.
type mailChoice struct {
	Kind, Label string
	On          bool
}

// mailLabels say what each kind of allot.CompanyMails is, and to whom it goes.
var mailLabels = map[string]string{
	allot.MailAssigned:     "Licences assigned: to its managers and to whoever requested them",
	allot.MailReminder:     "Licences expiring: reminders to its managers and its partner's",
	allot.MailExpired:      "Licences expired: to its managers and its partner's",
	allot.MailRequested:    "Licences requested: to those who assign the order",
	allot.MailRejected:     "Order rejected: to whoever requested it, with the reason",
	allot.MailCancelled:    "Order cancelled by another: to whoever requested it",
	allot.MailSeatGiven:    "Seat given: to the learner, with until when",
	allot.MailSeatRenewed:  "Seat renewed: to the learner, with until when",
	allot.MailSeatReleased: "Seat released: to the learner",
	allot.MailInvitation:   "Invitation to a programme: to the member, with their sign-in link",
}

// mailChoices returns the kinds of mail company c may turn off, in order.
func mailChoices(c allot.Company) []mailChoice {
	out := make([]mailChoice, len(allot.CompanyMails))
	for i, kind := range allot.CompanyMails {
		out[i] = mailChoice{Kind: kind, Label: mailLabels[kind], On: c.Tells(kind)}
	}
	return out
}

func (s *Server) settings(w http.ResponseWriter, r *http.Request) {
	s.renderSettings(w, r, nil)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, formErr error) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	offsets := c.Offsets()
	data := settingsData{Company: c, Offsets: allot.FormatOffsets(offsets), Default: c.ReminderOffsets == "", Partner: c.PartnerID != 0,
		Mails: mailChoices(c)}
	for _, o := range offsets {
		data.Words = append(data.Words, offsetText(o))
	}
	if formErr != nil && r.PostForm.Has("reminder_offsets") {
		data.Offsets = r.PostForm.Get("reminder_offsets")
	}
	if p, err := allot.PrincipalFrom(r.Context()); err == nil {
		data.SSO = p.May(allot.ActConnectSSO, c)
	}
	var err error
	if data.Factor, err = s.accounts.FactorRequired(r.Context(), c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	v := s.page(r, "Settings", data)
	s.renderForm(w, r, "company_settings", v, formErr)
}

// saveSettings sets the company's reminder offsets.
func (s *Server) saveSettings(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	c, err := s.svc.SetReminderOffsets(r.Context(), c.ID, r.PostForm.Get("reminder_offsets"))
	if err != nil {
		s.renderSettings(w, r, err)
		return
	}
	offsets, err := allot.ParseOffsets(c.ReminderOffsets)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	words := make([]string, len(offsets))
	for i, o := range offsets {
		words[i] = offsetText(o)
	}
	msg := "Reminders saved: managers hear of an expiry " + strings.Join(words, ", ") + "."
	if c.ReminderOffsets == "" {
		msg = "Reminders are back to the default: " + strings.Join(words, ", ") + "."
	}
	s.done(w, r, "/company/settings", msg)
}

// saveMails sets which kinds of mail about the company are sent.
func (s *Server) saveMails(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	c, err := s.svc.SetCompanyMails(r.Context(), c.ID, r.PostForm["mail"])
	if err != nil {
		s.renderSettings(w, r, err)
		return
	}
	var off []string
	for _, m := range mailChoices(c) {
		if !m.On {
			off = append(off, strings.ToLower(m.Label[:strings.Index(m.Label, ":")]))
		}
	}
	msg := "Notifications saved: every kind is sent."
	if len(off) > 0 {
		msg = "Notifications saved: nobody is told of " + strings.Join(off, ", ") + "."
	}
	s.done(w, r, "/company/settings", msg)
}

// saveWaiting sets whether a seat freed in the company goes at once to the
// learner who has waited longest for one.
func (s *Server) saveWaiting(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	c, err := s.svc.SetFillWaiting(r.Context(), c.ID, r.PostForm.Get("fill_waiting") == "1")
	if err != nil {
		s.renderSettings(w, r, err)
		return
	}
	msg := "Saved: a freed seat goes at once to the learner who has waited longest for one."
	if !c.FillsWaiting() {
		msg = "Saved: a freed seat stays free until someone gives it."
	}
	s.done(w, r, "/company/settings", msg)
}

// requireCompanyFactor sets whether the company's managers must use a
// second factor.
func (s *Server) requireCompanyFactor(w http.ResponseWriter, r *http.Request) {
	if c, ok := s.managed(w, r); ok {
		s.requireFactor(w, r, c.ID, "/company/settings")
	}
}

// requireStaffFactor sets whether the vendor's staff and partner managers
// must use a second factor.
func (s *Server) requireStaffFactor(w http.ResponseWriter, r *http.Request) {
	s.requireFactor(w, r, 0, "/staff")
}

// requireFactor sets whether a second factor is required of the managers
// of company id (0: of the vendor's staff), and goes back to page back.
func (s *Server) requireFactor(w http.ResponseWriter, r *http.Request, id int64, back string) {
	required := r.PostFormValue("required") != ""
	if err := s.accounts.RequireFactor(r.Context(), id, required); err != nil {
		s.fail(w, r, err)
		return
	}
	msg := "Two-step sign-in is optional."
	if required {
		msg = "Two-step sign-in is required: whoever has no second factor sets one up when they next sign in."
	}
	s.done(w, r, back, msg)
}
