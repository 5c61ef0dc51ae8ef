package web

import (
	"encoding/json"
	"net/http"

	"allot"
)

// notificationsData is what a company's managers were told, what waits to
// go out and what is to come.
type notificationsData struct {
	Company allot.Company
	Sent    []allot.SentMail
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

// notifications shows the company's mail: sent, queued and to come.
func (s *Server) notifications(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	n, err := s.svc.Notifications(r.Context(), c.ID)
	byID, _, perr := s.products(r)
	if err = firstErr(err, perr); err != nil {
		s.fail(w, r, err)
		return
	}
	data := notificationsData{Company: c, Sent: n.Sent, Queued: mailJobs(n.Queued)}
	for _, o := range n.Offsets {
		data.Offsets = append(data.Offsets, offsetText(o))
	}
	for _, rem := range n.Coming {
		data.Coming = append(data.Coming, comingRow{rem, byID[rem.Pool.ProductID].Name})
	}
	s.render(w, http.StatusOK, "company_notifications", s.page(r, "Notifications", data))
}
