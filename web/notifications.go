package web

import (
	"encoding/json"
	"net/http"
	"strconv"

	"allot"
)

// notificationsData is what a company's managers were told, what waits to
// go out and what is to come.
type notificationsData struct {
	Company allot.Company
	Sent    mailList
	Queued  []jobRow
	Coming  []comingRow
	Offsets []string // the company's reminder offsets in words
}

// jobRow is a job with the mail it delivers, when it is a mail job.
type jobRow struct {
	allot.Job
	Mail    allot.Mail // zero unless the job delivers a mail
	HasMail bool
}

// comingRow is a reminder still to come.
type comingRow struct {
	allot.Reminder
	Product string
}

// mailJobs decodes the mail of each mail job.
func mailJobs(jobs []allot.Job) []jobRow {
	rows := make([]jobRow, len(jobs))
	for i, j := range jobs {
		rows[i].Job = j
		if j.Kind == allot.JobMail && json.Unmarshal([]byte(j.Payload), &rows[i].Mail) == nil {
			rows[i].HasMail = true
		}
	}
	return rows
}

// notifications shows the company's mail: sent, as its filters select it,
// queued and to come.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	q := readQuery(r)
	f, kept := mailQuery(q, false)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	f.CompanyID = c.ID
	n, err := s.svc.Notifications(r.Context(), c.ID)
	byID, _, perr := s.products(r)
	sent, serr := s.listMails(r, "/company/notifications", f, kept, func(m allot.SentMail) string {
		return "/company/notifications/mails/" + strconv.FormatInt(m.ID, 10)
	})
	if err = firstErr(err, perr, serr); err != nil {
		s.fail(w, r, err)
		return
	}
	data := notificationsData{Company: c, Sent: sent, Queued: mailJobs(n.Queued)}
	for _, o := range n.Offsets {
		data.Offsets = append(data.Offsets, offsetText(o))
	}
	for _, rem := range n.Coming {
		data.Coming = append(data.Coming, comingRow{rem, byID[rem.Pool.ProductID].Name})
	}
	framesMail(w)
	v := s.page(r, "Notifications", data)
	v.Form = kept
	s.render(w, http.StatusOK, "company_notifications", v)
}

// notificationMail serves the HTML part of a mail about the company, as
// its own document: the notifications page frames it. A mail whose body
// the company's managers do not read is not found.
func (s *Server) notificationMail(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, allot.NotFound("mail"))
		return
	}
	m, err := s.svc.SentMail(r.Context(), c.ID, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	serveMailHTML(w, m.HTML)
}
