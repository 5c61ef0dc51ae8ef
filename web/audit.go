package web

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"allot"
	"allot/csvio"
)

// auditLogData is a page of the audit log: of a partner's or the vendor's
// scope at /audit, of one company at /company/audit.
type auditLogData struct {
	Rows      []auditLine
	Company   allot.Company   // the company of /company/audit; zero at /audit
	Companies []allot.Company // /audit: the company filter
	Actions   []actionChoice  // the action filter
	Total     int             // the entries the filters select, on every page
	Filtered  bool
	Clear     string // the log without filters
	CSV       string // the entries the filters select, as a file
	Next      string // older entries; "" at the end
	First     string // the newest entries; "" on them
	FilterErr bool   // a filter cannot be used: no list is shown
}

// actionChoice is an action of the action filter.
type actionChoice struct{ Key, Text string }

// auditLine is an entry of the log with the names it shows and where each
// leads; an empty link is a name without a page for the viewer.
type auditLine struct {
	allot.Event
	Who         string
	WhoEmail    string // under the name, when the name is not the e-mail
	WhoHref     string
	Company     string
	CompanyHref string
	What        string
	Subject     string
	SubjectHref string
}

// auditKeys are the query keys of the audit log's filters.
var auditKeys = []string{"company", "person", "action", "from", "to"}

// auditPage shows the audit log of the viewer's scope, newest first.
// Company managers, and anyone in manage-company mode, have their company's
// log instead.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if company(p) != 0 {
		http.Redirect(w, r, "/company/audit", http.StatusSeeOther)
		return
	}
	s.renderAudit(w, r, p, allot.Company{}, "/audit")
}

// companyAudit shows the audit log of the company a company page is about.
func (s *Server) companyAudit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	p, _ := allot.PrincipalFrom(r.Context())
	s.renderAudit(w, r, p, c, "/company/audit")
}

// renderAudit shows a page of the log at path, of company c or, when c is
// zero, of the viewer's scope, as the query's filters narrow it.
func (s *Server) renderAudit(w http.ResponseWriter, r *http.Request, p allot.Principal, c allot.Company, path string) {
	ctx := r.Context()
	q := readQuery(r)
	f, errs := s.auditFilter(r, q, c)
	f.BeforeID, f.Limit = q.id("before"), listPageSize+1
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	filters := keep(q.Values, auditKeys)
	data := auditLogData{Company: c, Actions: actionChoices(), Filtered: len(filters) > 0, Clear: path,
		CSV: linkTo(path+".csv", filters), FilterErr: len(errs) > 0}
	if c.ID == 0 {
		var err error
		if data.Companies, err = s.svc.Companies(ctx, allot.CompanyFilter{Limit: allot.MaxLimit}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if !data.FilterErr {
		events, err := s.svc.Events(ctx, f)
		if err == nil {
			data.Total, err = s.svc.EventCount(ctx, f)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(events) > listPageSize {
			events = events[:listPageSize]
			data.Next = linkTo(path, filters, "before", strconv.FormatInt(events[len(events)-1].ID, 10))
		}
		names := s.auditNames(ctx, p, c)
		for _, e := range events {
			data.Rows = append(data.Rows, names.line(e))
		}
	}
	if f.BeforeID != 0 {
		data.First = linkTo(path, filters)
	}
	v := s.page(r, "Audit log", data)
	v.Form = q.Values
	code := http.StatusOK
	if len(errs) > 0 {
		v.Errors, code = errs, http.StatusUnprocessableEntity
	}
	s.render(w, code, "audit", v)
}

// exportAudit downloads the entries of the log the filters select, newest
// first, as CSV safe to open in a spreadsheet.
func (s *Server) exportAudit(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if company(p) != 0 {
		http.Redirect(w, r, "/company/audit.csv?"+r.URL.RawQuery, http.StatusSeeOther)
		return
	}
	s.downloadAudit(w, r, p, allot.Company{})
}

// exportCompanyAudit downloads the company's log as exportAudit does.
func (s *Server) exportCompanyAudit(w http.ResponseWriter, r *http.Request) {
	c, ok := s.managed(w, r)
	if !ok {
		return
	}
	p, _ := allot.PrincipalFrom(r.Context())
	s.downloadAudit(w, r, p, c)
}

// auditHeader is the header row of the audit log's CSV file.
var auditHeader = []string{"at", "actor_email", "actor", "manage_mode", "company_id", "company", "action", "what",
	"subject_type", "subject_id", "subject", "before", "after"}

func (s *Server) downloadAudit(w http.ResponseWriter, r *http.Request, p allot.Principal, c allot.Company) {
	q := readQuery(r)
	f, errs := s.auditFilter(r, q, c)
	for _, field := range auditKeys {
		if msg, ok := errs[field]; ok && q.err == nil {
			q.err = allot.Invalid(field, "%s", msg)
		}
	}
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	name := "audit"
	if c.ID != 0 {
		name = slug(c.Name) + "-audit"
	}
	out := newDownload(w, name+"-"+s.svc.Clock.Now().In(zone(r)).Format("2006-01-02")+".csv")
	s.finishDownload(w, r, out, s.writeAudit(r.Context(), p, c, f, out))
}

// writeAudit writes the entries f selects, read page by page, to out.
func (s *Server) writeAudit(ctx context.Context, p allot.Principal, c allot.Company, f allot.EventFilter, out *download) error {
	cw := csvio.NewWriter(out)
	if err := cw.Write(auditHeader...); err != nil {
		return err
	}
	names := s.auditNames(ctx, p, c)
	f.Limit = allot.MaxLimit
	for {
		events, err := s.svc.Events(ctx, f)
		if err != nil {
			return err
		}
		for _, e := range events {
			l := names.line(e)
			if err := cw.Write(e.At.UTC().Format(time.RFC3339), e.ActorEmail, l.Who, strconv.FormatBool(e.ManageMode),
				strconv.FormatInt(e.CompanyID, 10), l.Company, e.Action, l.What, e.SubjectType,
				strconv.FormatInt(e.SubjectID, 10), l.Subject, e.Before, e.After); err != nil {
				return err
			}
		}
		if len(events) < f.Limit {
			return cw.Flush()
		}
		f.BeforeID = events[len(events)-1].ID
	}
}

// auditFilter reads the log's filters: a company (at /audit), the person
// who acted (an e-mail or a user's number), an action, and days from and to
// in the viewer's zone, "to" with its whole day. A value a person may get
// wrong is an error by field; q keeps the error of a value no form sends.
func (s *Server) auditFilter(r *http.Request, q *query, c allot.Company) (allot.EventFilter, map[string]string) {
	f := allot.EventFilter{CompanyID: c.ID}
	if c.ID == 0 {
		f.CompanyID = q.id("company")
	}
	errs := map[string]string{}
	if who := strings.TrimSpace(q.Get("person")); who != "" {
		id, err := s.personID(r, who)
		switch allot.ErrorCode(err) {
		case "":
			f.ActorID = id
		case allot.ENOTFOUND:
			errs["person"] = "no one among your people has the e-mail or number " + who
		default:
			errs["person"] = allot.ErrorMessage(err)
		}
	}
	if a := strings.TrimSpace(q.Get("action")); a != "" {
		if _, ok := actionTexts[a]; !ok {
			errs["action"] = "no action " + a + " is recorded; choose one of the list"
		}
		f.Action = a
	}
	f.From, f.To = dayRange(r, q, errs)
	return f, errs
}

// personID returns the ID of the person who is, by e-mail or number, who.
func (s *Server) personID(r *http.Request, who string) (int64, error) {
	if id, err := strconv.ParseInt(who, 10, 64); err == nil {
		u, err := s.svc.User(r.Context(), id)
		return u.ID, err
	}
	u, err := s.svc.UserByEmail(r.Context(), who)
	return u.ID, err
}

// dayRange reads the days "from" and "to" of q in the viewer's zone as
// [from, the day after to).
func dayRange(r *http.Request, q *query, errs map[string]string) (from, to time.Time) {
	for _, k := range []string{"from", "to"} {
		d := strings.TrimSpace(q.Get(k))
		if d == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, d, zone(r))
		switch {
		case err != nil:
			errs[k] = "give a date such as 2026-03-31"
		case k == "from":
			from = t
		default:
			to = t.AddDate(0, 0, 1)
		}
	}
	if !from.IsZero() && !to.IsZero() && !from.Before(to) {
		errs["to"] = "the end date comes before the start date"
	}
	return from, to
}

// keep returns the non-empty values of q under keys.
func keep(q url.Values, keys []string) url.Values {
	out := url.Values{}
	for _, k := range keys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			out.Set(k, v)
		}
	}
	return out
}

// actionChoices are the actions of the filter, by their words.
func actionChoices() []actionChoice {
	out := make([]actionChoice, 0, len(actionTexts))
	for k, t := range actionTexts {
		out = append(out, actionChoice{k, t})
	}
	slices.SortFunc(out, func(a, b actionChoice) int { return cmp.Compare(a.Text, b.Text) })
	return out
}

// auditNamer names the people, companies and subjects of log entries, each
// looked up once, and links them to their pages for the viewer.
type auditNamer struct {
	s         *Server
	ctx       context.Context
	company   allot.Company // the company whose log this is; zero for a scope's
	staff     bool          // the viewer works the support desk
	people    map[int64]*allot.User
	companies map[int64]string
}

func (s *Server) auditNames(ctx context.Context, p allot.Principal, c allot.Company) *auditNamer {
	return &auditNamer{s: s, ctx: ctx, company: c, staff: p.Role.Vendor(),
		people: map[int64]*allot.User{}, companies: map[int64]string{}}
}

// line returns entry e with its names and links.
func (n *auditNamer) line(e allot.Event) auditLine {
	l := auditLine{Event: e, What: actionText(e.Action), Who: e.ActorEmail}
	if e.ActorID == 0 {
		l.Who = "allot (automatic)"
	} else if u := n.user(e.ActorID); u != nil {
		l.Who, l.WhoHref = u.Name(), n.personHref(*u)
		if l.Who != u.Email {
			l.WhoEmail = u.Email
		}
	}
	if e.CompanyID != 0 {
		l.Company = n.companyName(e.CompanyID)
		if n.company.ID == 0 {
			l.CompanyHref = "/customers?company=" + strconv.FormatInt(e.CompanyID, 10)
		}
	}
	l.Subject, l.SubjectHref = n.subject(e)
	return l
}

// subject names what entry e changed and where it can be seen.
func (n *auditNamer) subject(e allot.Event) (string, string) {
	id := strconv.FormatInt(e.SubjectID, 10)
	inCompany := n.company.ID != 0
	switch e.SubjectType {
	case "user":
		if u := n.user(e.SubjectID); u != nil {
			return u.Name(), n.personHref(*u)
		}
		return "person " + id, ""
	case "seat":
		if u := n.user(seatHolder(e)); u != nil {
			return "seat of " + u.Name(), n.personHref(*u)
		}
		return "seat " + id, ""
	case "order":
		if inCompany {
			return "order " + id, "/company/orders#order-" + id
		}
		return "order " + id, "/orders?status=assigned,cancelled,rejected,requested&company=" +
			strconv.FormatInt(e.CompanyID, 10) + "#order-" + id
	case "request":
		if n.staff {
			return "request " + id, "/desk/requests/" + id
		}
		return "request " + id, ""
	case "company":
		if e.SubjectID == 0 { // a setting of the whole deployment or of a partner
			return "", ""
		}
		if inCompany {
			return n.companyName(e.SubjectID), "/company/settings"
		}
		return n.companyName(e.SubjectID), "/customers?company=" + id
	case "pool":
		if inCompany {
			return "licences " + id, "/company/licences"
		}
	case "invitation":
		if inCompany {
			return "invitation " + id, "/company/invitations"
		}
	case "programme":
		if inCompany {
			return "programme " + id, "/company/programmes/" + id
		}
	case "import":
		if inCompany {
			return "import " + id, "/company/imports/" + id
		}
	}
	return strings.TrimSpace(strings.ReplaceAll(e.SubjectType, "_", " ") + " " + id), ""
}

// personHref is the page of person u for the viewer: the person's page in
// the company whose log this is; none elsewhere.
func (n *auditNamer) personHref(u allot.User) string {
	if n.company.ID == 0 || u.CompanyID != n.company.ID {
		return ""
	}
	return "/company/users/" + strconv.FormatInt(u.ID, 10)
}

// user returns person id when the viewer may see them; nil otherwise.
func (n *auditNamer) user(id int64) *allot.User {
	if id == 0 {
		return nil
	}
	if u, ok := n.people[id]; ok {
		return u
	}
	var found *allot.User
	if u, err := n.s.svc.User(n.ctx, id); err == nil {
		found = &u
	}
	n.people[id] = found
	return found
}

// companyName returns the name of company id, or its number when the viewer
// may not see it.
func (n *auditNamer) companyName(id int64) string {
	if name, ok := n.companies[id]; ok {
		return name
	}
	name := "company " + strconv.FormatInt(id, 10)
	if id == n.company.ID {
		name = n.company.Name
	} else if c, err := n.s.svc.Company(n.ctx, id); err == nil {
		name = c.Name
	}
	n.companies[id] = name
	return name
}

// seatHolder returns the person a seat's entry is about, from the seat as
// it was after the change, or before it.
func seatHolder(e allot.Event) int64 {
	for _, doc := range []string{e.After, e.Before} {
		var seat struct{ UserID int64 }
		if json.Unmarshal([]byte(doc), &seat) == nil && seat.UserID != 0 {
			return seat.UserID
		}
	}
	return 0
}

// actionTexts say in plain words what each recorded action did: every
// action the code records has one (TestEveryActionHasWords keeps it so).
var actionTexts = map[string]string{
	"article.create":          "Wrote a help article",
	"article.delete":          "Deleted a help article",
	"article.update":          "Changed a help article",
	"company.create":          "Created the company",
	"company.fill_waiting":    "Changed whether freed seats go to waiting learners",
	"company.lapse":           "Recorded that no licence is live any more",
	"company.mails":           "Changed which mails are sent",
	"company.reminders":       "Changed when reminders are sent",
	"company.second_factor":   "Changed whether managers need a second factor",
	"company.suspend":         "Suspended or reinstated the company",
	"directory.connect":       "Connected a directory",
	"directory.disconnect":    "Disconnected the directory",
	"directory.map_group":     "Linked a directory group to a product",
	"directory.owned":         "Changed which fields the directory owns",
	"directory.sync":          "Read the directory",
	"directory.sync_confirm":  "Applied a directory read held for confirmation",
	"directory.unmap_group":   "Unlinked a directory group",
	"import.applied":          "Applied an import",
	"import.upload":           "Uploaded a file to import",
	"key.rotate":              "Rotated the key that signs offline tokens",
	"invitation.cancel":       "Cancelled an invitation",
	"invitation.resend":       "Sent an invitation again",
	"invitation.reschedule":   "Changed a scheduled invitation",
	"invitation.send_now":     "Sent a scheduled invitation at once",
	"order.assign":            "Assigned an order",
	"order.cancel":            "Cancelled an order",
	"order.reject":            "Rejected an order",
	"order.request":           "Requested an order",
	"partner.create":          "Created a partner",
	"pool.expire":             "Recorded that licences expired",
	"pool.transfer_in":        "Received seats from another customer",
	"pool.transfer_out":       "Moved seats to another customer",
	"product.create":          "Added a product",
	"programme.create":        "Made a programme",
	"programme.invite":        "Invited members to a programme",
	"reclaim.rule":            "Set a reclaim rule",
	"reclaim.rule_delete":     "Removed a reclaim rule",
	"request.breach":          "Recorded that a support request missed its target",
	"request.copy":            "Copied a contact on a support request",
	"request.escalate":        "Escalated a support request",
	"request.message":         "Wrote on a support request",
	"request.note":            "Added an internal note to a support request",
	"request.open":            "Opened a support request",
	"request.reply":           "Replied to a support request",
	"request.update":          "Changed a support request",
	"request.warning":         "Warned that a support request nears its target",
	"seat.allocate":           "Gave a seat",
	"seat.expire":             "Recorded that a seat expired",
	"seat.invite":             "Reserved a seat for an invitation",
	"seat.provision":          "Gave a seat from the directory",
	"seat.reallocate":         "Moved a seat",
	"seat.reclaim":            "Reclaimed an unused seat",
	"seat.reclaim_warning":    "Warned a learner that their unused seat will be reclaimed",
	"seat.release":            "Released a seat",
	"sso.change":              "Changed single sign-on",
	"sso.connect":             "Connected single sign-on",
	"sso.disconnect":          "Disconnected single sign-on",
	"support.account":         "Changed a support mail account",
	"support.policy":          "Changed a support service level",
	"support.routes":          "Changed how support requests are routed",
	"token.create":            "Made an API token",
	"token.revoke":            "Revoked an API token",
	"user.add":                "Added a person",
	"user.password":           "Changed a password",
	"user.password_reset":     "Reset a password with a mailed link",
	"user.recovery_code_used": "Signed in with a recovery code",
	"user.remove":             "Removed a person",
	"user.return":             "Brought a person back",
	"user.second_factor_off":  "Turned off a second factor",
	"user.second_factor_on":   "Turned on a second factor",
	"user.unlicensed":         "Left a learner waiting for a seat",
	"user.update":             "Changed a person's details",
	"user.welcome":            "Sent a welcome mail",
	"user.welcome_used":       "Chose a password from a welcome mail",
	"webhook.create":          "Subscribed a webhook endpoint",
	"webhook.delete":          "Deleted a webhook endpoint",
	"webhook.disable":         "Disabled a failing webhook endpoint",
	"webhook.replay":          "Replayed a webhook delivery",
	"webhook.rotate":          "Rotated a webhook endpoint's secret",
	"webhook.update":          "Changed a webhook endpoint",
}

// actionText says what action did, in words.
func actionText(action string) string {
	if t, ok := actionTexts[action]; ok {
		return t
	}
	return action
}
