package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"allot"
	"allot/support"
)

// deskData is the desk's queue: the requests a filter selects, urgent
// first and then by due time.
type deskData struct {
	Rows        []requestLine
	Total       int
	From, To    int    // the rows shown, counted from 1
	First, Next string // other pages; "" when there are none
	Filtered    bool   // a filter other than the default is set
	Teams       []choice
	Statuses    []choice
	Priorities  []choice
	Companies   []allot.Company
	Partners    []allot.Partner
	CanSet      bool // the viewer sets the routing, the policies and the contacts
}

// deskKeys are the query keys of the queue's filters.
var deskKeys = []string{"team", "status", "priority", "breached", "company", "partner", "assignee"}

// The statuses the queue's filter offers besides each status itself.
const (
	statusActive = "" // new, open or waiting: not solved nor closed
	statusAll    = "all"
)

// deskPage shows the queue as its filters say.
func (s *Server) deskPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.allowed(w, r, allot.ActWorkSupport)
	if !ok {
		return
	}
	q := readQuery(r)
	f, page := deskFilter(q, p)
	if q.err != nil {
		s.fail(w, r, q.err)
		return
	}
	ctx := r.Context()
	list, total, err := s.support.Requests(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := deskData{Total: total, From: f.Offset + 1, To: f.Offset + len(list), CanSet: p.May(allot.ActSetSupport, p.Home()),
		Teams: []choice{{"", "Both teams"}, {string(support.TeamSupport), "Support"}, {string(support.TeamSuccess), "Customer Success"}}}
	if data.Rows, err = s.requestLines(ctx, list); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.queueChoices(ctx, &data); err != nil {
		s.fail(w, r, err)
		return
	}
	filters := url.Values{}
	for _, k := range deskKeys {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			filters.Set(k, v)
		}
	}
	data.Filtered = len(filters) > 0
	data.First, data.Next = pages("/desk", filters, page, total)
	v := s.page(r, "Desk", data)
	v.Form = filters
	s.render(w, http.StatusOK, "desk", v)
}

// deskFilter reads the queue's filters and page from q, for p: the active
// requests of every team by default.
func deskFilter(q *query, p allot.Principal) (support.RequestFilter, int) {
	f := support.RequestFilter{Queue: true, Limit: listPageSize}
	switch t := support.Team(q.Get("team")); {
	case t == "" || t.Valid():
		f.Team = t
	default:
		q.fail("team", string(t), "the team is support or success")
	}
	switch st := q.Get("status"); {
	case st == statusActive:
		f.Active = true
	case st == statusAll:
	case support.Status(st).Valid():
		f.Statuses = []support.Status{support.Status(st)}
	default:
		q.fail("status", st, "a status of a request, or all")
	}
	switch pr := support.Priority(q.Get("priority")); {
	case pr == "" || pr.Valid():
		f.Priority = pr
	default:
		q.fail("priority", string(pr), "low, normal, high or urgent")
	}
	f.Breached = q.flag("breached")
	f.CompanyID, f.PartnerID = q.id("company"), q.id("partner")
	switch a := q.Get("assignee"); a {
	case "":
	case "mine":
		f.AssigneeID = p.UserID
	case "unassigned":
		f.Unassigned = true
	default:
		q.fail("assignee", a, "mine or unassigned")
	}
	page := q.count("page", 1<<20)
	f.Offset = page * listPageSize
	return f, page
}

// requestLines returns requests as the rows of a list show them.
func (s *Server) requestLines(ctx context.Context, list []support.Request) ([]requestLine, error) {
	labels, err := s.labels(ctx)
	if err != nil {
		return nil, err
	}
	now := s.svc.Clock.Now()
	out := make([]requestLine, 0, len(list))
	for _, req := range list {
		out = append(out, line(req, labels, now))
	}
	return out, nil
}

// queueChoices fills in the options of the queue's filters.
func (s *Server) queueChoices(ctx context.Context, d *deskData) error {
	d.Statuses = []choice{{statusActive, "Active (new, open, waiting)"}}
	for _, st := range support.Statuses {
		d.Statuses = append(d.Statuses, choice{string(st), statusTexts[st]})
	}
	d.Statuses = append(d.Statuses, choice{statusAll, "Every status"})
	d.Priorities = append([]choice{{"", "Any priority"}}, choices(support.Priorities, priorityTexts)...)
	var err error
	if d.Companies, err = s.svc.Companies(ctx, allot.CompanyFilter{Limit: allot.MaxLimit}); err != nil {
		return err
	}
	d.Partners, err = s.svc.Partners(ctx, allot.PartnerFilter{Limit: allot.MaxLimit})
	return err
}

// choices returns the options of values, each with its text.
func choices[T ~string](values []T, texts map[T]string) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{string(v), texts[v]}
	}
	return out
}

// deskPath is where the desk works on request id.
func deskPath(id int64) string { return "/desk/requests/" + strconv.FormatInt(id, 10) }
