package web

import (
	"allot"
	"net/http"
	"strconv"
)

type auditData struct {
	Events []allot.Event
	Next   string
}

func (s *Server) companyAudit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	before := q.id("before")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	events, err := s.svc.Events(r.Context(), allot.EventFilter{CompanyID: c.ID, BeforeID: before, Limit: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := auditData{Events: events}
	if len(events) == 50 {
		data.Next = "/company/audit?before=" + strconv.FormatInt(events[len(events)-1].ID, 10)
	}
	s.render(w, http.StatusOK, "company_audit", s.page(r, "Audit log", data))
}
