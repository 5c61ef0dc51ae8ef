package api_test

import (
	"archive/zip"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// TestReports checks the reports as JSON and as files: each role's scope,
// the filters, the formats by parameter and by extension, and the refusals.
func TestReports(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		header := func(key, want string) func(*testing.T, *http.Response, string) {
			return func(t *testing.T, res *http.Response, body string) {
				if got := res.Header.Get(key); !strings.HasPrefix(got, want) {
					t.Errorf("%s: %q, want %q", key, got, want)
				}
			}
		}
		e.run(t, []scenario{
			{name: "the list of reports", request: request{who: "acme-cm", method: "GET", path: "/v1/reports"}, status: 200,
				want: []string{`"name":"seats"`, `"name":"candidates"`, `"name":"invitations"`, `"pool_id"`}},
			{name: "a partner's seats: its customers", request: request{who: "pm", method: "GET", path: "/v1/reports/seats"}, status: 200,
				want:    []string{`"company":"Acme"`, `"company":"Beta"`, `"scope":"Channel One's customers"`, `"key":"bought"`, `"days":30`},
				notWant: []string{"Globex", "Solo"}},
			{name: "the vendor's seats: by partner", request: request{who: "admin", method: "GET", path: "/v1/reports/seats"}, status: 200,
				want: []string{`"partner":"Channel One"`, `"partner":"Channel Two"`, `"partner":"Direct customers"`}},
			{name: "a company's activity: by pool", request: request{who: "acme-cm", method: "GET", path: "/v1/reports/activity"}, status: 200,
				want: []string{`"scope":"Acme"`, `"pool":"Premium, pool`, `"never":`}, notWant: []string{"Beta"}},
			{name: "a partner narrows to a customer", request: request{who: "pm", method: "GET", path: "/v1/reports/candidates?company_id={beta}&days=7"},
				status: 200, want: []string{`"email":"learner@beta.test"`, `"days":7`}, notWant: []string{"acme.test"}},
			{name: "expiries of one product", request: request{who: "admin", method: "GET", path: "/v1/reports/expiries?product=coaching&months=3"},
				status: 200, want: []string{`"months":3`, `"product":"coaching"`}},
			{name: "as CSV by parameter", request: request{who: "pm", method: "GET", path: "/v1/reports/seats?format=csv"}, status: 200,
				want:  []string{"\uFEFFCompany,Bought,Allocated,Free,Active (30 days)\r\nAcme,"},
				check: header("Content-Disposition", "attachment; filename=seats-")},
			{name: "as CSV by extension", request: request{who: "pm", method: "GET", path: "/v1/reports/renewals.csv"}, status: 200,
				want: []string{"Month,Learners renewed\r\n"}, check: header("Content-Type", "text/csv")},
			{name: "as XLSX", request: request{who: "acme-cm", method: "GET", path: "/v1/reports/invitations.xlsx"}, status: 200,
				check: func(t *testing.T, res *http.Response, body string) {
					header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")(t, res, body)
					if _, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body))); err != nil {
						t.Errorf("the XLSX file is no zip archive: %v", err)
					}
				}},
			{name: "a format and an extension that differ", request: request{who: "pm", method: "GET", path: "/v1/reports/seats.csv?format=xlsx"},
				status: 422, want: []string{`"location":"query.format"`}},
			{name: "no such report", request: request{who: "pm", method: "GET", path: "/v1/reports/nothing"}, status: 404},
			{name: "no such product", request: request{who: "pm", method: "GET", path: "/v1/reports/seats?product=nothing"}, status: 422,
				want: []string{`"location":"query.product"`}},
			{name: "another partner's customer", request: request{who: "pm", method: "GET", path: "/v1/reports/seats.csv?company_id={globex}"}, status: 404},
			{name: "another partner", request: request{who: "pm", method: "GET", path: "/v1/reports/seats?partner_id={partner2}"}, status: 404},
			{name: "a learner", request: request{who: "acme-learner", method: "GET", path: "/v1/reports/seats"}, status: 403},
		})
	})
}
