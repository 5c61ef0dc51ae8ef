package web

import (
	"net/http"
	"strconv"

	"allot"
)

// auditLogData is a page of the audit log of a partner's or the vendor's
// scope.
type auditLogData struct {
	Rows      []auditLine
	Companies []allot.Company // the company filter
	Company   int64
	Next      string // older entries; "" at the end
	First     string // the newest entries; "" on them
}

type auditLine struct {
	allot.Event
	Who     string
	Company string
	What    string
	Subject string
}

// auditPage shows the audit log, newest first. Company managers, and anyone
// in manage-company mode, have their company's log instead.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if company(p) != 0 {
		http.Redirect(w, r, "/company/audit", http.StatusSeeOther)
		return
	}
	ctx := r.Context()
	q := readQuery(r)
	f := allot.EventFilter{CompanyID: q.id("company"), BeforeID: q.id("before"), Limit: listPageSize + 1}
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	events, err := s.svc.Events(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := auditLogData{Companies: companies, Company: f.CompanyID}
	company := strconv.FormatInt(f.CompanyID, 10)
	if f.CompanyID == 0 {
		company = ""
	}
	if len(events) > listPageSize {
		events = events[:listPageSize]
		data.Next = linkTo("/audit", nil, "company", company, "before", strconv.FormatInt(events[len(events)-1].ID, 10))
	}
	if f.BeforeID != 0 {
		data.First = linkTo("/audit", nil, "company", company)
	}
	names := make(map[int64]string, len(companies))
	for _, c := range companies {
		names[c.ID] = c.Name
	}
	for _, e := range events {
		line := auditLine{Event: e, Who: e.ActorEmail, Company: names[e.CompanyID], What: actionText(e.Action),
			Subject: e.SubjectType + " " + strconv.FormatInt(e.SubjectID, 10)}
		if e.ActorID == 0 {
			line.Who = "allot (automatic)"
		}
		data.Rows = append(data.Rows, line)
	}
	v := s.page(r, "Audit log", data)
	v.Form = q.Values
	s.render(w, http.StatusOK, "audit", v)
}

// actionTexts say what each recorded action did.
var actionTexts = map[string]string{
	"company.create":        "Created the company",
	"company.lapse":         "Recorded that no licence is live any more",
	"company.reminders":     "Changed when reminders are sent",
	"company.suspend":       "Suspended or reinstated the company",
	"order.request":         "Requested an order",
	"order.assign":          "Assigned an order",
	"order.cancel":          "Cancelled an order",
	"order.reject":          "Rejected an order",
	"partner.create":        "Created a partner",
	"pool.expire":           "Recorded that licences expired",
	"product.create":        "Added a product",
	"programme.create":      "Made a programme",
	"programme.invite":      "Invited members to a programme",
	"invitation.reschedule": "Changed a scheduled invitation",
	"invitation.send_now":   "Sent a scheduled invitation at once",
	"invitation.cancel":     "Cancelled an invitation",
	"invitation.resend":     "Sent an invitation again",
	"seat.invite":           "Reserved a seat for an invitation",
	"user.return":           "Brought a person back",
	"seat.allocate":         "Gave a seat",
	"seat.reallocate":       "Moved a seat",
	"seat.release":          "Released a seat",
	"token.create":          "Made an API token",
	"token.revoke":          "Revoked an API token",
	"user.add":              "Added a person",
	"user.password":         "Changed a password",
	"user.remove":           "Removed a person",
	"user.unlicensed":       "Left a learner waiting for a seat",
}

// actionText says what action did, in words.
func actionText(action string) string {
	if t, ok := actionTexts[action]; ok {
		return t
	}
	return action
}
