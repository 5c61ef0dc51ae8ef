package web

import (
	"bytes"
	"cmp"
	"errors"
	"html/template"
	"mime"
	"net/http"
	"slices"
	"strings"

	"allot"
	"allot/report"
)

// reportKeys are the query keys of the reports' filters.
var reportKeys = []string{"company", "partner", "product", "pool", "days", "months"}

// reportsIndex is the list of reports, with the headline of the viewer's
// scope.
type reportsIndex struct {
	Kinds   []report.Kind
	Scope   string
	Summary string
}

// reportsPage lists the reports of the viewer's scope: the company acted
// in, a company manager's own, a partner's customers or everything.
func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	f := report.Filter{CompanyID: p.ActingCompanyID}
	head, err := s.reports.Read(r.Context(), report.Seats, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := reportsIndex{Kinds: report.Kinds, Scope: head.Scope, Summary: head.Summary}
	s.render(w, http.StatusOK, "reports", s.page(r, "Reports", data))
}

// reportView is one report's page: its filters, chart and table, and its
// files.
type reportView struct {
	Kind      report.Kind
	Report    report.Report
	Chart     template.HTML
	Numeric   []bool   // of each column, to align its cells
	Keys      []string // the class of each column's cells
	Companies []allot.Company
	Partners  []allot.Partner
	Products  []allot.Product
	Pools     []allot.Pool
	Days      []int
	Months    []int
	CSV, XLSX string
	Filtered  bool
	Clear     string
	FilterErr bool
}

// reportPage shows the report the path names with the query's filters, or
// sends its table as a file when the name ends in .csv or .xlsx.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	p, ok := s.me(w, r)
	if !ok {
		return
	}
	name, ext := reportFile(r.PathValue("name"))
	k, err := report.KindOf(name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := readQuery(r)
	f := report.Filter{CompanyID: q.id("company"), PartnerID: q.id("partner"), Product: q.text("product"),
		PoolID: q.id("pool"), Days: q.count("days", report.MaxDays), Months: q.count("months", report.MaxMonths)}
	if f.CompanyID == 0 && f.PartnerID == 0 {
		f.CompanyID = p.ActingCompanyID
	}
	err = q.err
	var rep report.Report
	if err == nil {
		rep, err = s.reports.Read(r.Context(), name, f)
	}
	if ext != "" || (err != nil && allot.ErrorCode(err) != allot.EINVALID) {
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.sendReport(w, r, rep, ext)
		return
	}
	s.renderReport(w, r, k, rep, f, err)
}

// reportFile returns the report's name and the extension of its file: csv,
// xlsx, or "" for its page.
func reportFile(path string) (name, ext string) {
	for _, e := range []string{"csv", "xlsx"} {
		if base, ok := strings.CutSuffix(path, "."+e); ok {
			return base, e
		}
	}
	return path, ""
}

// renderReport shows report rep of kind k, or its filters with the error
// that one of them cannot be used.
func (s *Server) renderReport(w http.ResponseWriter, r *http.Request, k report.Kind, rep report.Report, f report.Filter, err error) {
	filters := keep(r.URL.Query(), reportKeys)
	path := "/reports/" + k.Name
	data := reportView{Kind: k, Report: rep, Days: []int{7, 14, 30, 60, 90, 180, 365}, Months: []int{3, 6, 12, 24},
		CSV: linkTo(path+".csv", filters), XLSX: linkTo(path+".xlsx", filters), Filtered: len(filters) > 0, Clear: path,
		FilterErr: err != nil}
	if err == nil {
		data.Chart = chartSVG(rep.Chart, "chart-"+k.Name)
		for _, c := range rep.Table.Columns {
			data.Numeric, data.Keys = append(data.Numeric, c.Numeric), append(data.Keys, "col-"+c.Key)
		}
	} else {
		data.Report.Kind, data.Report.Filter = k, f
	}
	if cerr := s.reportChoices(r, k, f, &data); cerr != nil {
		s.fail(w, r, cerr)
		return
	}
	v := s.page(r, k.Title, data)
	v.Form = r.URL.Query()
	code := http.StatusOK
	if err != nil {
		field := "filters"
		var e *allot.Error
		if errors.As(err, &e) && slices.Contains(reportKeys, strings.TrimSuffix(e.Field, "_id")) {
			field = strings.TrimSuffix(e.Field, "_id")
		}
		v.Errors[field], code = allot.ErrorMessage(err), http.StatusUnprocessableEntity
	}
	s.render(w, code, "reports_view", v)
}

// reportChoices fills in the choices of the filters report kind k takes,
// as far as the viewer may see.
func (s *Server) reportChoices(r *http.Request, k report.Kind, f report.Filter, d *reportView) error {
	ctx := r.Context()
	p, _ := allot.PrincipalFrom(ctx)
	var err error
	if p.Role != allot.RoleCompanyManager && p.ActingCompanyID == 0 {
		cf := allot.CompanyFilter{PartnerID: f.PartnerID, Limit: allot.MaxLimit}
		if d.Companies, err = s.svc.Companies(ctx, cf); err != nil {
			return err
		}
	}
	if p.Role.Vendor() && p.ActingCompanyID == 0 {
		if d.Partners, err = s.svc.Partners(ctx, allot.PartnerFilter{Limit: allot.MaxLimit}); err != nil {
			return err
		}
	}
	if d.Products, err = s.svc.Products(ctx); err != nil {
		return err
	}
	if c := cmp.Or(f.CompanyID, company(p)); c != 0 && k.Takes("pool") {
		pools, err := s.svc.Pools(ctx, c)
		if err != nil && allot.ErrorCode(err) != allot.ENOTFOUND {
			return err
		}
		d.Pools = pools
	}
	return nil
}

// sendReport sends report rep's table as a file of extension ext.
func (s *Server) sendReport(w http.ResponseWriter, r *http.Request, rep report.Report, ext string) {
	s.sendTable(w, r, rep.Filename(ext), rep.Kind.Title, rep.Table, ext)
}

// sendTable sends table t as the file named name, of extension ext: csv,
// or xlsx with t on a sheet named sheet.
func (s *Server) sendTable(w http.ResponseWriter, r *http.Request, name, sheet string, t report.Table, ext string) {
	var b bytes.Buffer
	var err error
	kind := "text/csv; charset=utf-8"
	if ext == "csv" {
		err = report.WriteCSV(&b, t)
	} else {
		kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = report.WriteXLSX(&b, sheet, t)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", kind)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.Write(b.Bytes())
}
