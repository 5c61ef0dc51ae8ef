package web

import (
	"net/http"
	"strconv"

	"allot"
)

// outboxData is the vendor admin's view of the mail: what went out, and
// what waits or failed.
type outboxData struct {
	Mails     []allot.SentMail
	Jobs      []jobRow
	Companies map[int64]string
	Next      string // older mails; "" at the end
	First     string // the newest mails; "" on them
}

// outbox shows the mail allot recorded, newest first, and the jobs that
// are pending or failed. Only the vendor admin may see it.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := readQuery(r)
	before := q.id("before")
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	mails, jobs, err := s.svc.Outbox(ctx, allot.MailFilter{BeforeID: before, Limit: listPageSize + 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := outboxData{Jobs: mailJobs(jobs), Companies: make(map[int64]string, len(companies))}
	for _, c := range companies {
		data.Companies[c.ID] = c.Name
	}
	if len(mails) > listPageSize {
		mails = mails[:listPageSize]
		data.Next = linkTo("/outbox", nil, "before", strconv.FormatInt(mails[len(mails)-1].ID, 10))
	}
	if before != 0 {
		data.First = "/outbox"
	}
	data.Mails = mails
	s.render(w, http.StatusOK, "outbox", s.page(r, "Sent mail", data))
}
