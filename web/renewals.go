package web

import (
	"net/http"
	"net/url"
	"strings"

	"allot"
	"allot/report"
)

// renewalsData is the renewal pipeline: the customers' pools that end
// within report.PipelineAhead, with the orders that renew them.
type renewalsData struct {
	report.Pipeline
	Days        int64
	Vendor      bool            // vendor staff: the partner filter and the partner column
	Partners    []allot.Partner // the filter's choices
	CanAssign   bool            // the viewer may assign the customers' orders
	First, Next string
	CSV, XLSX   string // this list as a CSV or XLSX file
	Filtered    bool
}

// renewalsPage shows the renewal pipeline of the viewer's customers, a
// partner's or direct ones for vendor staff.
func (s *Server) renewalsPage(w http.ResponseWriter, r *http.Request) {
	p, f, page, ok := s.renewalsFilter(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	pl, err := s.reports.Pipeline(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := renewalsData{Pipeline: pl, Days: int64(report.PipelineAhead.Hours() / 24), Vendor: p.Role.Vendor(),
		CanAssign: p.May(allot.ActAssignOrder, allot.Company{PartnerID: p.PartnerID})}
	if d.Vendor {
		if d.Partners, err = s.svc.Partners(ctx, allot.PartnerFilter{Limit: allot.MaxLimit}); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	filters := url.Values{}
	for _, k := range []string{"partner"} {
		if v := strings.TrimSpace(r.URL.Query().Get(k)); v != "" {
			filters.Set(k, v)
		}
	}
	d.Filtered = len(filters) > 0
	d.First, d.Next = pages("/renewals", filters, page, pl.Total)
	d.CSV, d.XLSX = linkTo("/renewals.csv", filters), linkTo("/renewals.xlsx", filters)
	v := s.page(r, "Renewals", d)
	v.Form = filters
	s.render(w, http.StatusOK, "renewals", v)
}

// renewalsFile sends the renewal pipeline, as its page filters it, as a
// file of extension ext (csv or xlsx): every line, not a page of them.
func (s *Server) renewalsFile(ext string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { s.sendRenewals(w, r, ext) }
}

func (s *Server) sendRenewals(w http.ResponseWriter, r *http.Request, ext string) {
	_, f, _, ok := s.renewalsFilter(w, r)
	if !ok {
		return
	}
	f.Offset, f.Limit = 0, allot.MaxLimit
	var all report.Pipeline
	for {
		pl, err := s.reports.Pipeline(r.Context(), f)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		all.Lines = append(all.Lines, pl.Lines...)
		f.Offset += len(pl.Lines)
		if len(pl.Lines) < f.Limit || f.Offset >= pl.Total {
			break
		}
	}
	s.sendTable(w, r, "renewals."+ext, "Renewals", all.Table(), ext)
}

// renewalsFilter reads the pipeline's filter and page from the request's
// query: "partner" is a partner's id, or "direct" for direct customers.
func (s *Server) renewalsFilter(w http.ResponseWriter, r *http.Request) (allot.Principal, report.PipelineFilter, int, bool) {
	p, ok := s.me(w, r)
	if !ok {
		return p, report.PipelineFilter{}, 0, false
	}
	q := readQuery(r)
	f := report.PipelineFilter{Limit: listPageSize}
	if q.Get("partner") == "direct" {
		f.Direct = true
	} else {
		f.PartnerID = q.id("partner")
	}
	page := q.count("page", 1<<20)
	f.Offset = page * listPageSize
	if q.err != nil {
		s.fail(w, r, q.err)
		return p, f, 0, false
	}
	return p, f, page, true
}
