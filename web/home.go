package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"allot"
	"allot/report"
)

// homeData is a person's home page: what needs their attention first, as
// counts that link to where each is dealt with, then the first lines of
// each.
type homeData struct {
	report.Home
	Tiles []tile
	// Customers says that lines name customers, each with the button that
	// manages it: a partner's or the vendor's home page.
	Customers bool
	Soon      int64 // report.ExpiringSoon, in days
	Later     int64 // report.ExpiringLater, in days
	HighUse   int
	LowUse    int
	Pools     []poolItem
	WaitingBy tallyView
	ExpiredBy tallyView
}

// poolItem is a pool that ends soon; Soon within report.ExpiringSoon.
type poolItem struct {
	report.PoolLine
	Soon bool
}

// tallyView is the lines of a count of learners by company and product.
type tallyView struct {
	Customers bool   // each line names its customer, with a button that manages it
	Action    string // the button's words
	Lines     []tallyItem
}

// tallyItem is a line of a tallyView: Href is the customer's row, or the
// company's page that deals with the learners; Next is that page, where
// managing the customer leads.
type tallyItem struct {
	report.TallyLine
	Href, Next string
}

// tile is a count at the top of the home page, linking to its list.
type tile struct {
	Count int
	Label string
	Href  string
	Tone  string // "bad", "warn" or "" when it needs no haste
}

// home sends a learner to their access, and shows everyone else their home
// page.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	if p.Role == allot.RoleLearner {
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return
	}
	var queue report.Queue
	if s.support != nil {
		queue = s.support
	}
	h, err := s.reports.Home(r.Context(), queue)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := homeData{Home: h, Customers: h.Scope.CompanyID == 0, HighUse: report.HighUse, LowUse: report.LowUse,
		Soon: int64(report.ExpiringSoon.Hours() / 24), Later: int64(report.ExpiringLater.Hours() / 24)}
	d.Tiles = d.tiles()
	d.lines(s.svc.Clock.Now())
	title := "Home"
	if h.Company != "" {
		title = h.Company
	}
	s.render(w, http.StatusOK, "home", s.page(r, title, d))
}

// tiles returns the counts of the parts d has, most urgent first.
func (d homeData) tiles() []tile {
	var out []tile
	// add adds a count, its label one's when n is 1 and many's otherwise.
	add := func(n int, one, many, href, tone string) {
		label := many
		if n == 1 {
			label = one
		}
		if n == 0 {
			tone = ""
		}
		out = append(out, tile{n, label, href, tone})
	}
	if d.Desk != nil {
		add(d.Desk.Breached, "support request breached", "support requests breached", "/desk?breached=1", "bad")
		add(d.Desk.Near, "support request near a breach", "support requests near a breach", "/desk", "warn")
	}
	if e := d.Expiring; e != nil {
		add(e.In7, "pool ends within "+strconv.FormatInt(d.Soon, 10)+" days", "pools end within "+strconv.FormatInt(d.Soon, 10)+" days", d.ExpiringHref(), "bad")
		add(e.In30, "pool ends within "+strconv.FormatInt(d.Later, 10)+" days", "pools end within "+strconv.FormatInt(d.Later, 10)+" days", d.ExpiringHref(), "warn")
	}
	if o := d.Orders; o != nil {
		if d.Customers {
			add(o.Requested, "order to assign", "orders to assign", "/orders", "warn")
		} else {
			add(o.Requested, "order waiting to be assigned", "orders waiting to be assigned", "/company/orders", "")
			add(o.Rejected, "order rejected lately", "orders rejected lately", "/company/orders", "bad")
		}
	}
	if u := d.Use; u != nil {
		add(u.High, "customer's product over "+strconv.Itoa(d.HighUse)+" % used", "customers' products over "+strconv.Itoa(d.HighUse)+" % used", "#use-high", "warn")
		add(u.Low, "customer's product under "+strconv.Itoa(d.LowUse)+" % used", "customers' products under "+strconv.Itoa(d.LowUse)+" % used", "#use-low", "")
	}
	whose := ""
	if d.Direct {
		whose = "direct customers' "
	}
	if wt := d.Waiting; wt != nil {
		href := "#waiting"
		if !d.Customers {
			href = "/company/users?status=unlicensed"
		}
		add(wt.Learners, whose+"learner waiting for a seat", whose+"learners waiting for a seat", href, "warn")
	}
	if ex := d.Expired; ex != nil {
		href := "#expired"
		if !d.Customers {
			href = "/company/expired"
		}
		add(ex.Learners, whose+"expired learner not renewed", whose+"expired learners not renewed", href, "")
	}
	return out
}

// ExpiringHref is where pools that end are dealt with: the renewal
// pipeline of a partner's or the vendor's customers, a company's licences.
func (d homeData) ExpiringHref() string {
	if d.Customers {
		return "/renewals"
	}
	return "/company/licences"
}

// CustomerHref is customer id's row among the viewer's customers.
func (d homeData) CustomerHref(id int64) string {
	return "/customers?company=" + strconv.FormatInt(id, 10)
}

// OrdersHref is where an order of company id is assigned, or followed.
func (d homeData) OrdersHref(id int64) string {
	if d.Customers {
		return "/orders?company=" + strconv.FormatInt(id, 10)
	}
	return "/company/orders"
}

// WaitingHref is the company page of the learners waiting for a seat of a
// product.
func (d homeData) WaitingHref(code string) string {
	return "/company/users?status=unlicensed&product=" + url.QueryEscape(code)
}

// ExpiredHref is the company page that renews the learners of a product
// whose seat expired.
func (d homeData) ExpiredHref(code string) string {
	return "/company/expired?product=" + url.QueryEscape(code)
}

// lines fills in the lines of d's parts as the page shows them.
func (d *homeData) lines(now time.Time) {
	if d.Expiring != nil {
		for _, l := range d.Expiring.Pools {
			d.Pools = append(d.Pools, poolItem{l, !l.EndsAt.After(now.Add(report.ExpiringSoon))})
		}
	}
	if d.Waiting != nil {
		d.WaitingBy = d.tally(d.Waiting.Lines, "Give seats", d.WaitingHref)
	}
	if d.Expired != nil {
		d.ExpiredBy = d.tally(d.Expired.Lines, "Renew", d.ExpiredHref)
	}
}

// tally returns the view of lines, whose company page of a product is page.
func (d *homeData) tally(lines []report.TallyLine, action string, page func(string) string) tallyView {
	v := tallyView{Customers: d.Customers, Action: action}
	for _, l := range lines {
		it := tallyItem{TallyLine: l, Href: page(l.ProductCode), Next: page(l.ProductCode)}
		if d.Customers {
			it.Href = d.CustomerHref(l.CompanyID)
		}
		v.Lines = append(v.Lines, it)
	}
	return v
}
