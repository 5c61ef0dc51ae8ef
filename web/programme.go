package web

import (
	"net/http"
	"strconv"
	"time"

	"allot"
	"allot/programme"
)

// programmeData is a programme and its members.
type programmeData struct {
	Company   allot.Company
	Programme programme.Programme
	Names     map[string]string // product names by code
	Tabs      []listTab
	Status    string
	Members   []memberRow
	CanManage bool
}

// memberRow is a member of a programme with their status and access.
type memberRow struct {
	programme.Invitation
	Status       string
	Starts, Ends time.Time
}

func (s *Server) programmePage(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	s.renderProgramme(w, r, c, pathID(r), nil)
}

// renderProgramme shows programme id's members, of the status the query
// asks for, with formErr at the top.
func (s *Server) renderProgramme(w http.ResponseWriter, r *http.Request, c allot.Company, id int64, formErr error) {
	ctx := r.Context()
	pg, err := s.programs.Get(ctx, id)
	if err == nil && pg.CompanyID != c.ID {
		err = allot.NotFound("programme")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := r.URL.Query().Get("status")
	var statuses []string
	if status != "" {
		statuses = []string{status}
	}
	members, err := s.programs.Members(ctx, pg.ID, statuses...)
	if err != nil && allot.ErrorCode(err) != allot.EINVALID {
		s.fail(w, r, err)
		return
	}
	_, products, perr := s.products(r)
	if perr != nil {
		s.fail(w, r, perr)
		return
	}
	p, _ := allot.PrincipalFrom(ctx)
	data := programmeData{Company: c, Programme: pg, Names: map[string]string{}, Status: status,
		CanManage: p.May(allot.ActManageProgrammes, c)}
	for _, pr := range products {
		data.Names[pr.Code] = pr.Name
	}
	base := "/company/programmes/" + strconv.FormatInt(pg.ID, 10)
	data.Tabs = append(data.Tabs, listTab{"All", base, status == ""})
	for _, st := range programme.Statuses {
		data.Tabs = append(data.Tabs, listTab{labelText(st), linkTo(base, nil, "status", st), st == status})
	}
	now := s.svc.Clock.Now()
	for _, inv := range members {
		row := memberRow{Invitation: inv, Status: inv.Status(now)}
		row.Starts, row.Ends = inv.Access()
		data.Members = append(data.Members, row)
	}
	s.renderForm(w, r, "company_programme", s.page(r, pg.Name, data), firstErr(err, formErr))
}
