package api

import (
	"bytes"
	"context"
	"mime"
	"reflect"
	"strings"
	"time"

	"allot"
	"allot/report"

	"github.com/danielgtaylor/huma/v2"
)

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// reportKind is a report the API serves, and the filters it takes.
type reportKind struct {
	Name    string   `json:"name" example:"seats"`
	Title   string   `json:"title"`
	About   string   `json:"about"`
	Filters []string `json:"filters" doc:"The query parameters it takes: company_id, partner_id, product, pool_id, days, months."`
}

type reportKindsOutput struct {
	Body struct {
		Items []reportKind `json:"items"`
	}
}

// filterParam returns the query parameter of a report's filter.
func filterParam(filter string) string {
	switch filter {
	case "company", "partner", "pool":
		return filter + "_id"
	}
	return filter
}

// reportKinds lists the reports.
func (s *Server) reportKinds(ctx context.Context, _ *struct{}) (*reportKindsOutput, error) {
	if _, err := allot.PrincipalFrom(ctx); err != nil {
		return nil, err
	}
	out := &reportKindsOutput{}
	out.Body.Items = []reportKind{}
	for _, k := range report.Kinds {
		rk := reportKind{Name: k.Name, Title: k.Title, About: k.About}
		for _, f := range k.Filters {
			rk.Filters = append(rk.Filters, filterParam(f))
		}
		out.Body.Items = append(out.Body.Items, rk)
	}
	return out, nil
}

type reportInput struct {
	Slug      string `path:"slug" maxLength:"40" doc:"The report's name, as /v1/reports lists them; with .csv or .xlsx, its file." example:"seats"`
	CompanyID int64  `query:"company_id" minimum:"0" doc:"One company's report: its pools."`
	PartnerID int64  `query:"partner_id" minimum:"0" doc:"One partner's customers' report (the vendor's staff and the partner's managers)."`
	Product   string `query:"product" maxLength:"40" doc:"One product's seats, by its code."`
	PoolID    int64  `query:"pool_id" minimum:"0" doc:"One pool's seats."`
	Days      int    `query:"days" minimum:"0" maximum:"3650" doc:"The window of activity (seats, 30 when absent), or how long without a login makes a candidate (candidates, 90 when absent)."`
	Months    int    `query:"months" minimum:"0" maximum:"24" doc:"How many months a monthly report shows; 12 when absent."`
	Format    string `query:"format" enum:"json,csv,xlsx" doc:"The report as JSON (the default), or its table as a CSV or XLSX file."`
}

// reportBody is a report as JSON: its table's rows are objects keyed by
// its columns' keys.
type reportBody struct {
	Name    string           `json:"name"`
	Title   string           `json:"title"`
	Scope   string           `json:"scope" doc:"What the report covers, in words."`
	Summary string           `json:"summary"`
	At      time.Time        `json:"at" doc:"When it was read."`
	Filter  reportFilter     `json:"filter"`
	Columns []reportColumn   `json:"columns"`
	Rows    []map[string]any `json:"rows" doc:"One object per row, keyed by the columns' keys: a number or a text each."`
}

type reportFilter struct {
	CompanyID int64  `json:"company_id,omitempty"`
	PartnerID int64  `json:"partner_id,omitempty"`
	Product   string `json:"product,omitempty"`
	PoolID    int64  `json:"pool_id,omitempty"`
	Days      int    `json:"days,omitempty"`
	Months    int    `json:"months,omitempty"`
}

type reportColumn struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Numeric bool   `json:"numeric"`
}

type reportOutput struct {
	ContentType        string  `header:"Content-Type"`
	ContentDisposition *string `header:"Content-Disposition"`
	CacheControl       string  `header:"Cache-Control"`
	Body               any
}

// report answers with a report as JSON, or its table as a file: with
// format, or the name's extension.
func (s *Server) report(ctx context.Context, in *reportInput) (*reportOutput, error) {
	name, format := in.Slug, in.Format
	for _, ext := range []string{"csv", "xlsx"} {
		if base, ok := strings.CutSuffix(name, "."+ext); ok {
			if format != "" && format != ext {
				return nil, allot.Invalid("format", "the format %s and the file's extension .%s differ", format, ext)
			}
			name, format = base, ext
		}
	}
	r, err := s.reports.Read(ctx, name, report.Filter{CompanyID: in.CompanyID, PartnerID: in.PartnerID, Product: in.Product,
		PoolID: in.PoolID, Days: in.Days, Months: in.Months})
	if err != nil {
		return nil, err
	}
	out := &reportOutput{CacheControl: "private, no-store"}
	var b bytes.Buffer
	switch format {
	case "csv":
		err = report.WriteCSV(&b, r.Table)
		out.ContentType = "text/csv; charset=utf-8"
	case "xlsx":
		err = report.WriteXLSX(&b, r.Kind.Title, r.Table)
		out.ContentType = xlsxType
	default:
		out.Body = toReport(r)
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": r.Filename(format)})
	out.ContentDisposition, out.Body = &disp, b.Bytes()
	return out, nil
}

// toReport returns report r as the API gives it.
func toReport(r report.Report) reportBody {
	f := r.Filter
	out := reportBody{Name: r.Kind.Name, Title: r.Kind.Title, Scope: r.Scope, Summary: r.Summary, At: r.At,
		Filter: reportFilter{CompanyID: f.CompanyID, PartnerID: f.PartnerID, Product: f.Product, PoolID: f.PoolID,
			Days: f.Days, Months: f.Months}, Rows: []map[string]any{}}
	for _, c := range r.Table.Columns {
		out.Columns = append(out.Columns, reportColumn{Key: c.Key, Label: c.Label, Numeric: c.Numeric})
	}
	for _, row := range r.Table.Rows {
		obj := make(map[string]any, len(row))
		for i, c := range row {
			obj[r.Table.Columns[i].Key] = c.Value()
		}
		out.Rows = append(out.Rows, obj)
	}
	return out
}

// reportOp registers the report's handler, documenting its answer as JSON,
// CSV or XLSX.
func reportOp(s *Server, h func(context.Context, *reportInput) (*reportOutput, error)) func(huma.Operation) {
	return func(o huma.Operation) {
		schema := s.API.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(reportBody{}), true, "ReportBody")
		file := func(desc string) *huma.MediaType {
			return &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary", Description: desc}}
		}
		o.Responses = map[string]*huma.Response{"200": {
			Description: "The report as JSON; with format=csv or xlsx, or a name ending .csv or .xlsx, its table as a file " +
				"of the same rows and columns, the header first.",
			Headers: map[string]*huma.Param{"Content-Disposition": {Schema: &huma.Schema{Type: "string"},
				Description: "attachment, with the file's name, for a file.", Example: `attachment; filename=seats-2026-05-04.csv`}},
			Content: map[string]*huma.MediaType{
				"application/json": {Schema: schema},
				"text/csv":         file("UTF-8 with a byte-order mark; a text that would start a formula is prefixed with a single quote."),
				xlsxType:           file("One sheet, numbers as numbers."),
			},
		}}
		op(s, h)(o)
	}
}
