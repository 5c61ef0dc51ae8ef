package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/programme"
)

// invitationsData is a company's scheduled invitations.
type invitationsData struct {
	Company   allot.Company
	Rows      []invitationRow
	Languages []language
	Zones     []string
	CanManage bool
	EditID    int64 // the invitation whose change was refused
}

// invitationRow is a scheduled invitation as the list shows it: when it
// goes out on the clocks of its zone, and the seats reserved for it.
type invitationRow struct {
	programme.Invitation
	Programme  string
	Local      time.Time // SendAt in its zone
	Shift      string    // what a change of the clocks did to the time asked for, if any
	Date, Time string    // the time asked for, for the form that changes it
	Seats      []string
}

func (s *Server) invitationsPage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	s.renderInvitations(w, r, c, 0, nil)
}

// renderInvitations shows the scheduled invitations, with formErr beside
// the form of invitation editID.
func (s *Server) renderInvitations(w http.ResponseWriter, r *http.Request, c allot.Company, editID int64, formErr error) {
	ctx := r.Context()
	list, err := s.programs.Scheduled(ctx, c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names, err := s.programmeNames(r, c)
	byID, _, perr := s.products(r)
	if err = firstErr(err, perr); err != nil {
		s.fail(w, r, err)
		return
	}
	p, _ := allot.PrincipalFrom(ctx)
	data := invitationsData{Company: c, Zones: zoneChoices, CanManage: p.May(allot.ActManageProgrammes, c), EditID: editID}
	for _, code := range allot.Languages {
		data.Languages = append(data.Languages, language{code, languageNames[code]})
	}
	for _, inv := range list {
		res := inv.Resolution()
		row := invitationRow{Invitation: inv, Programme: names[inv.ProgrammeID], Local: res.At,
			Date: inv.Local.String()[:10], Time: inv.Local.String()[11:]}
		if inv.Shift != programme.NoShift {
			row.Shift = res.Sentence()
		}
		if inv.ID == editID {
			row.Date, row.Time = r.PostForm.Get("date"), r.PostForm.Get("time")
			row.Zone, row.Lang = r.PostForm.Get("zone"), r.PostForm.Get("lang")
		}
		for _, seat := range inv.Seats {
			row.Seats = append(row.Seats, byID[seat.ProductID].Name+" until "+seat.EndsAt.In(row.Local.Location()).Format("2 Jan 2006"))
		}
		data.Rows = append(data.Rows, row)
	}
	s.renderForm(w, r, "company_invitations", s.page(r, "Scheduled invitations", data), formErr)
}

// programmeNames returns the names of company c's programmes by ID.
func (s *Server) programmeNames(r *http.Request, c allot.Company) (map[int64]string, error) {
	list, err := s.programs.List(r.Context(), c.ID)
	names := make(map[int64]string, len(list))
	for _, pg := range list {
		names[pg.ID] = pg.Name
	}
	return names, err
}

func pathID(r *http.Request) int64 {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	return id
}

// reschedule changes when a scheduled invitation goes out, in which zone
// and language.
func (s *Server) reschedule(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	r.ParseForm()
	id := pathID(r)
	at, err := programme.ParseWall(strings.TrimSpace(r.PostForm.Get("date")), strings.TrimSpace(r.PostForm.Get("time")))
	if err != nil {
		s.renderInvitations(w, r, c, id, err)
		return
	}
	inv, res, err := s.programs.Reschedule(r.Context(), id, programme.Reschedule{At: at,
		Zone: strings.TrimSpace(r.PostForm.Get("zone")), Lang: r.PostForm.Get("lang")})
	if err != nil {
		s.renderInvitations(w, r, c, id, err)
		return
	}
	s.done(w, r, "/company/invitations", "The invitation of "+inv.Email+" was changed. "+res.Sentence())
}

// sendInvitation sends a scheduled invitation at once.
func (s *Server) sendInvitation(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	inv, err := s.programs.SendNow(r.Context(), pathID(r))
	if err != nil {
		s.renderInvitations(w, r, c, 0, err)
		return
	}
	s.done(w, r, "/company/invitations", "The invitation of "+inv.Email+" is being sent now.")
}

// cancelInvitation cancels a scheduled invitation: its seats are free at
// once.
func (s *Server) cancelInvitation(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	inv, err := s.programs.Cancel(r.Context(), pathID(r))
	if err != nil {
		s.renderInvitations(w, r, c, 0, err)
		return
	}
	s.done(w, r, "/company/invitations", "The invitation of "+inv.Email+" was cancelled: "+
		pick(len(inv.Seats), "its seat is", "its seats are")+" free again.")
}

// resendInvitation sends an invitation again to a member who has not
// signed in since it went out, from the programme's members.
func (s *Server) resendInvitation(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	inv, err := s.programs.Resend(r.Context(), pathID(r))
	if err != nil {
		s.renderProgramme(w, r, c, formInt(r, "programme"), err)
		return
	}
	s.done(w, r, "/company/programmes/"+strconv.FormatInt(inv.ProgrammeID, 10), "The invitation was sent again to "+inv.Email+".")
}
