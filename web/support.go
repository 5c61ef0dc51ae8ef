package web

import (
	"context"
	"mime"
	"net/http"
	"strconv"

	"allot"
	"allot/support"
)

// supportLinks are the menu's links to the support desk: the desk's queue
// for those who work it, the requests of one's own side for those who may
// ask. The permission table says which.
func supportLinks(p allot.Principal) []link {
	switch {
	case p.May(allot.ActWorkSupport, p.Home()):
		return []link{{"/desk", "Desk"}}
	case p.May(allot.ActAskSupport, p.Home()):
		return []link{{"/support", "Support"}}
	}
	return nil
}

// supportListData is the requests of the viewer's side.
type supportListData struct {
	Rows        []requestLine
	Total       int
	First, Next string // other pages; "" when there are none
	Others      bool   // the list holds requests of others than the viewer
}

// supportPage lists the requests the viewer follows: their own, or their
// company's or partner's for a manager, newest first.
func (s *Server) supportPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.allowed(w, r, allot.ActAskSupport)
	if !ok {
		return
	}
	q := readQuery(r)
	page := q.count("page", 1<<20)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	ctx := r.Context()
	list, total, err := s.support.Requests(ctx, support.RequestFilter{Limit: listPageSize, Offset: page * listPageSize})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rows, err := s.requestLines(ctx, list)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := supportListData{Total: total, Rows: rows}
	for _, req := range list {
		data.Others = data.Others || req.RequesterID != p.UserID
	}
	data.First, data.Next = pages("/support", nil, page, total)
	s.render(w, http.StatusOK, "support", s.page(r, "Support", data))
}

// pages returns the links to the first page and the next one of a list of
// total rows shown listPageSize a page, at page; "" for none.
func pages(path string, q map[string][]string, page, total int) (first, next string) {
	if page > 0 {
		first = linkTo(path, q, "page", "")
	}
	if (page+1)*listPageSize < total {
		next = linkTo(path, q, "page", strconv.Itoa(page+1))
	}
	return first, next
}

// allowed returns the signed-in principal when they may do act in their
// home company, or answers the request: the gate of the support desk's and
// the help centre's pages.
func (s *Server) allowed(w http.ResponseWriter, r *http.Request, act allot.Act) (allot.Principal, bool) {
	p, ok := s.me(w, r)
	if !ok {
		return p, false
	}
	if err := p.Must(act, p.Home()); err != nil {
		s.fail(w, r, err)
		return p, false
	}
	return p, true
}

// labels returns the label of each category of the routing table, by key.
func (s *Server) labels(ctx context.Context) (map[string]string, error) {
	rs, err := s.support.Routes(ctx)
	if err != nil {
		return nil, err
	}
	return categoryLabels(rs), nil
}

// newRequestData is the form that opens a request.
type newRequestData struct {
	Routes      []support.Route
	Priorities  []choice
	Companies   []allot.Company // whom the request may be for, when the viewer has no company of their own
	OwnPartner  bool            // the request may be for the viewer's partner as a whole
	Contact     string          // the company's customer success contact; "" when it has none
	Searched    bool            // the help centre was searched for the subject, without a script
	Suggestions []hitLine
	fileLimits
}

// choice is an option of a select or a radio group.
type choice struct {
	Value, Label string
}

// priorityChoices are the priorities a request is opened with.
var priorityChoices = []choice{{"low", "Low"}, {"normal", "Normal"}, {"high", "High"}, {"urgent", "Urgent: work has stopped"}}

// newRequestPage shows the form of a new request; a subject in the query
// (from the help centre) fills it in.
func (s *Server) newRequestPage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActAskSupport); !ok {
		return
	}
	r.PostForm = r.URL.Query()
	s.renderNewRequest(w, r, false, nil)
}

// renderNewRequest shows the form of a new request with formErr beside its
// field; searched shows the help centre's articles for its subject.
func (s *Server) renderNewRequest(w http.ResponseWriter, r *http.Request, searched bool, formErr error) {
	p, _ := allot.PrincipalFrom(r.Context())
	ctx := r.Context()
	data := newRequestData{Priorities: priorityChoices, Searched: searched, fileLimits: attachmentLimits}
	var err error
	if data.Routes, err = s.support.Routes(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.CompanyID == 0 && p.ActingCompanyID == 0 {
		data.OwnPartner = p.PartnerID != 0
		if data.Companies, err = s.svc.Companies(ctx, allot.CompanyFilter{Limit: allot.MaxLimit}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if data.Contact, err = s.contact(ctx, requestCompany(p, formInt(r, "company_id"))); err != nil {
		s.fail(w, r, err)
		return
	}
	if searched {
		hits, err := s.support.Suggest(ctx, r.PostForm.Get("subject"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data.Suggestions = hitLines(hits)
	}
	v := s.page(r, "New support request", data)
	v.Path = "/support/new"
	if r.PostForm.Get("priority") == "" {
		v.Form.Set("priority", string(support.Normal))
	}
	s.renderForm(w, r, "support_new", v, formErr)
}

// requestCompany is the company a request of p is for: the one p acts in,
// the one named, or p's own; 0 for a partner's own request.
func requestCompany(p allot.Principal, named int64) int64 {
	switch {
	case p.ActingCompanyID != 0:
		return p.ActingCompanyID
	case p.CompanyID != 0:
		return p.CompanyID
	}
	return named
}

// contact returns the customer success contact of company id, as its
// viewer may see it; "" when it has none, or when the viewer may not see
// the company's account (a learner may not).
func (s *Server) contact(ctx context.Context, companyID int64) (string, error) {
	if companyID == 0 {
		return "", nil
	}
	a, err := s.support.AccountOf(ctx, companyID)
	switch allot.ErrorCode(err) {
	case "":
		return a.Success, nil
	case allot.EFORBIDDEN, allot.ENOTFOUND:
		return "", nil
	}
	return "", err
}

// openRequest opens a request from the form, or with "go=search" shows
// the help centre's articles for its subject first.
func (s *Server) openRequest(w http.ResponseWriter, r *http.Request) {
	p, ok := s.allowed(w, r, allot.ActAskSupport)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSupportBody)
	ups, err := readSupportForm(r)
	if err != nil {
		s.renderNewRequest(w, r, false, err)
		return
	}
	f := r.PostForm
	if f.Get("go") == "search" {
		s.renderNewRequest(w, r, true, nil)
		return
	}
	in := support.NewRequest{CompanyID: requestCompany(p, formInt(r, "company_id")), Subject: f.Get("subject"), Body: f.Get("body"),
		Category: f.Get("category"), Priority: support.Priority(f.Get("priority")), CopySuccess: f.Get("copy_success") == "1", Attachments: ups}
	req, err := s.support.Open(r.Context(), in)
	if err != nil {
		s.renderNewRequest(w, r, false, formError(err))
		return
	}
	msg := "Your request #" + strconv.FormatInt(req.ID, 10) + " was sent to the " + teamTexts[req.Team] + " team."
	if due := answerDue(req); !due.IsZero() {
		msg += " They answer by " + due.In(zone(r)).Format("2 Jan 2006 15:04 MST") + "."
	}
	s.done(w, r, requestPath(req.ID), msg)
}

// maxSupportBody bounds a support form: its files at their most, and its
// text.
const maxSupportBody = support.MaxAttachments*(support.MaxAttachmentSize+maxDrained) + 4*maxSupportField

// requestPath is where the requester reads request id.
func requestPath(id int64) string { return "/support/requests/" + strconv.FormatInt(id, 10) }

// requestData is a request as its requester's side reads it.
type requestData struct {
	Request   requestLine
	Messages  []messageLine
	AnswerDue string // when the desk's next answer is due; "" when it owes none
	Contact   string // the success contact who may be copied; "" when none or copied already
	Closed    bool
	fileLimits
}

// requestPage shows a request's conversation to its requester's side. The
// desk reads it on its own page, with its notes.
func (s *Server) requestPage(w http.ResponseWriter, r *http.Request) {
	s.renderRequest(w, r, nil)
}

// renderRequest shows the request of the path with formErr beside its
// field.
func (s *Server) renderRequest(w http.ResponseWriter, r *http.Request, formErr error) {
	if _, ok := s.allowed(w, r, allot.ActAskSupport); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	ctx := r.Context()
	th, err := s.support.Get(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if th.Desk && formErr == nil {
		http.Redirect(w, r, deskPath(id), http.StatusSeeOther)
		return
	}
	labels, err := s.labels(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.svc.Clock.Now()
	req := th.Request
	data := requestData{Request: line(req, labels, now), Closed: req.Status == support.StatusClosed,
		fileLimits: attachmentLimits}
	data.Messages = messageLines(th.Messages, false) // notes never show here, whoever reads
	if due := answerDue(req); !due.IsZero() {
		data.AnswerDue = due.In(zone(r)).Format("2 Jan 2006 15:04 MST")
	}
	if !data.Closed {
		if data.Contact, err = s.uncopied(ctx, req); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	v := s.page(r, "Request #"+strconv.FormatInt(id, 10), data)
	v.Path = "/support"
	s.renderForm(w, r, "support_request", v, formErr)
}

// uncopied returns the success contact of req's company when they are not
// copied on it yet, as the viewer may see them; "" otherwise.
func (s *Server) uncopied(ctx context.Context, req support.Request) (string, error) {
	if req.CompanyID == 0 {
		return "", nil
	}
	a, err := s.support.AccountOf(ctx, req.CompanyID)
	switch {
	case allot.ErrorCode(err) == allot.EFORBIDDEN || allot.ErrorCode(err) == allot.ENOTFOUND:
		return "", nil
	case err != nil:
		return "", err
	}
	for _, id := range req.Copies {
		if id == a.SuccessID {
			return "", nil
		}
	}
	return a.Success, nil
}

// writeMessage adds the requester's side's message to a request.
func (s *Server) writeMessage(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActAskSupport); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	r.Body = http.MaxBytesReader(w, r.Body, maxSupportBody)
	ups, err := readSupportForm(r)
	if err == nil {
		_, err = s.support.Write(r.Context(), id, r.PostForm.Get("body"), ups)
	}
	if err != nil {
		s.renderRequest(w, r, formError(err))
		return
	}
	s.done(w, r, requestPath(id), "Your message was added. The desk is told.")
}

// copyContact copies the company's success contact on a request.
func (s *Server) copyContact(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActAskSupport); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	req, err := s.support.CopySuccess(r.Context(), id)
	if err != nil {
		s.renderRequest(w, r, err)
		return
	}
	s.done(w, r, requestPath(id), "Your customer success contact is copied on request #"+strconv.FormatInt(req.ID, 10)+".")
}

// attachment sends an attachment of a request the viewer may read, as a
// download of the type its bytes were found to be.
func (s *Server) attachment(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.me(w, r); !ok {
		return
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	a, err := s.support.Attachment(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.Type)
	h.Set("Content-Disposition", mimeAttachment(a.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Length", strconv.Itoa(len(a.Data)))
	h.Set("Cache-Control", "private, no-store")
	w.Write(a.Data)
}

// mimeAttachment is the Content-Disposition of a download named name; a
// name the header cannot carry is left out.
func mimeAttachment(name string) string {
	if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
		return v
	}
	return "attachment"
}
