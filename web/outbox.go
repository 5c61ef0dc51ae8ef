package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"allot"
)

// outboxData is the vendor admin's view of the mail: what went out, and
// what waits or failed.
type outboxData struct {
	mailList
	Jobs      []jobRow
	Companies []allot.Company  // the company filter's choices
	Names     map[int64]string // the companies' names by ID
}

// mailList is a page of recorded mail, as its filters select it: by kind,
// by part of the recipient's address and, in the outbox, by company.
type mailList struct {
	Mails    []mailRow
	Total    int      // how many mails the filters select in all
	Kinds    []choice // the kind filter's choices
	Filtered bool
	Clear    string // the list without filters
	Next     string // older mails; "" at the end
	First    string // the newest mails; "" on them
}

// mailRow is a recorded mail with what its row shows beside it.
type mailRow struct {
	allot.SentMail
	Body    template.HTML // its text, its addresses breakable
	Company string        // the company it is about, "" for none
	Page    string        // where its HTML part is shown, "" when it is not
}

// breakable returns text as HTML, every character escaped, with a <wbr>
// after each "/", "?", "&", "=" and "#" of its addresses past their "://":
// a long address wraps at its slashes rather than at any letter, and the
// words around it wrap between words.
func breakable(text string) template.HTML {
	var b strings.Builder
	for {
		i := strings.Index(text, "://")
		if i < 0 {
			break
		}
		end := strings.IndexFunc(text[i:], unicode.IsSpace)
		if end < 0 {
			end = len(text) - i
		}
		b.WriteString(html.EscapeString(text[:i+3]))
		addr := text[i+3 : i+end]
		for len(addr) > 1 {
			cut := strings.IndexAny(addr[:len(addr)-1], "/?&=#")
			if cut < 0 {
				break
			}
			b.WriteString(html.EscapeString(addr[:cut+1]) + "<wbr>")
			addr = addr[cut+1:]
		}
		b.WriteString(html.EscapeString(addr))
		text = text[i+end:]
	}
	b.WriteString(html.EscapeString(text))
	return template.HTML(b.String())
}

// mailKeys are the query keys of the recorded mail's filters.
var mailKeys = []string{"kind", "to", "company"}

// mailQuery reads the filters and the page of a list of recorded mail
// from q. Filters the list cannot use are left in q.err.
func mailQuery(q *query, withCompany bool) (allot.MailFilter, url.Values) {
	f := allot.MailFilter{Kind: q.text("kind"), To: q.text("to"), BeforeID: q.id("before"), Limit: listPageSize + 1}
	if withCompany {
		f.CompanyID = q.id("company")
	}
	kept := url.Values{}
	for _, k := range mailKeys {
		if v := q.Get(k); v != "" && (k != "company" || withCompany) {
			kept.Set(k, v)
		}
	}
	return f, kept
}

// listMails lists the recorded mail f selects, for the page at path with
// filters kept; page returns where a mail's HTML part is shown.
func (s *Server) listMails(r *http.Request, path string, f allot.MailFilter, kept url.Values, page func(allot.SentMail) string) (mailList, error) {
	mails, total, err := s.svc.SentMails(r.Context(), f)
	if err != nil {
		return mailList{}, err
	}
	l := mailList{Total: total, Filtered: len(kept) > 0, Clear: path, Kinds: []choice{{"", "Every kind"}}}
	for _, k := range allot.MailKinds {
		l.Kinds = append(l.Kinds, choice{k, labelText(k)})
	}
	if len(mails) > listPageSize {
		mails = mails[:listPageSize]
		l.Next = linkTo(path, kept, "before", strconv.FormatInt(mails[len(mails)-1].ID, 10))
	}
	if f.BeforeID != 0 {
		l.First = linkTo(path, kept)
	}
	for _, m := range mails {
		row := mailRow{SentMail: m, Body: breakable(m.Text)}
		if m.HTML != "" {
			row.Page = page(m)
		}
		l.Mails = append(l.Mails, row)
	}
	return l, nil
}

// outbox shows the mail allot recorded, newest first, as its filters
// select it, and the jobs that are pending or failed. Only the vendor admin
// may see it.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.allowed(w, r, allot.ActSeeOutbox); !ok {
		return
	}
	ctx := r.Context()
	q := readQuery(r)
	f, kept := mailQuery(q, true)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	_, jobs, err := s.svc.Outbox(ctx, allot.MailFilter{Limit: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	companies, err := s.svc.Companies(ctx, allot.CompanyFilter{Limit: allot.MaxLimit})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	list, err := s.listMails(r, "/outbox", f, kept, func(m allot.SentMail) string { return "/outbox/mails/" + strconv.FormatInt(m.ID, 10) })
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := make(map[int64]string, len(companies))
	for _, c := range companies {
		names[c.ID] = c.Name
	}
	for i, m := range list.Mails {
		list.Mails[i].Company = names[m.CompanyID]
	}
	data := outboxData{mailList: list, Jobs: mailJobs(jobs), Companies: companies, Names: names}
	framesMail(w)
	v := s.page(r, "Sent mail", data)
	v.Form = kept
	s.render(w, http.StatusOK, "outbox", v)
}

// outboxMail serves the HTML part of a recorded mail, as its own document:
// the outbox frames it.
func (s *Server) outboxMail(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, allot.NotFound("mail"))
		return
	}
	m, err := s.svc.SentMail(r.Context(), 0, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	serveMailHTML(w, m.HTML)
}

// serveMailHTML writes the HTML of a mail as a document of its own, under
// the policy that keeps it from running anything.
func serveMailHTML(w http.ResponseWriter, body string) {
	h := w.Header()
	h.Set("Content-Security-Policy", mailPolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(body))
}
