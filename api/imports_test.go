package api_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/csvio"
	"allot/directory"
)

// peopleCSV is a file as Excel saves "CSV UTF-8" in a locale that separates
// with semicolons: a byte-order mark, CRLF. Line 2 and 7 add learners, line
// 3 updates one, lines 4 to 6 are bad.
const peopleCSV = "\uFEFFE-mail Address;First Name;Last Name;Department;Manager\r\n" +
	"ann@acme.test;Ann;Archer;Sales;boss@acme.test\r\n" +
	"learner@acme.test;Lea;Learner;Ops;\r\n" +
	"not-an-e-mail;Nat;Bad;;\r\n" +
	"ann@acme.test;Dup;Dup;;\r\n" +
	"cm@globex.test;Carl;Other;;\r\n" +
	`eve@acme.test;"=HYPERLINK(""http://evil.test"",""Eve"")";Evil;;` + "\r\n"

const peopleMapping = `{"mapping":{"email":"E-mail Address","first_name":"First Name","last_name":"Last Name",` +
	`"department":"Department","manager":"Manager"}}`

// csvBody is the Content-Type of an uploaded file.
var csvBody = map[string]string{"Content-Type": "text/csv"}

// step runs the step import name is at, as the background worker would.
func (e *env) step(t *testing.T, name string) {
	t.Helper()
	if err := e.dir.RunImportStep(context.Background(), e.ids[name]); err != nil {
		t.Fatal(err)
	}
}

// TestImportUsers uploads a file of users, previews it with a mapping,
// reads what each row will do and the error report, confirms it, and finds
// the users added, updated and exported.
func TestImportUsers(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a company manager uploads a file", request: request{who: "acme-cm", method: "POST",
				path: "/v1/companies/{acme}/imports?kind=users&file_name=people.csv", body: peopleCSV, headers: csvBody},
				status: 201, want: []string{`"kind":"users"`, `"status":"uploaded"`, `"company_id":{acme},`, `"file_name":"people.csv"`,
					`"encoding":"UTF-8 with BOM"`, `"delimiter":";"`,
					`"header":["E-mail Address","First Name","Last Name","Department","Manager"]`,
					`"suggested":{"department":"Department","email":"E-mail Address","first_name":"First Name","last_name":"Last Name","manager":"Manager"}`,
					`"percent":0`, `"created_at":"2026-03-02T09:00:00Z"`},
				notWant: []string{`"mapping"`, `"error"`, "\uFEFF"}, keep: map[string]string{"imp": "id"}},
			{name: "it is read back", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}"},
				status: 200, want: []string{`"id":{imp},`, `"status":"uploaded"`}},
			{name: "nothing is confirmed before a preview", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/confirm"},
				status: 409, want: []string{`"code":"conflict"`}},
			{name: "it is previewed with a mapping", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview", body: peopleMapping},
				status: 200, want: []string{`"status":"previewing"`, `"mapping":{"department":"Department","email":"E-mail Address",`,
					`"progress":{"done":0,"total":`, `"percent":0`}},
			{name: "a second preview waits for the first", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview", body: peopleMapping},
				status: 409, want: []string{`"code":"conflict"`}},
		})
		e.step(t, "imp")
		e.run(t, []scenario{
			{name: "the preview is done", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}"},
				status: 200, want: []string{`"status":"previewed"`,
					`"counts":{"rows":6,"create":2,"update":1,"unchanged":0,"renew":0,"errors":3,"licensed":2,"unlicensed":0,"disabled":0}`,
					`"progress":{"done":6,"total":6,"percent":100}`}},
			{name: "the preview changed no one", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=ann"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the bad rows with their reasons", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?action=error"},
				status: 200, check: wantRows(
					`4 error column "E-mail Address": "not-an-e-mail" is not a valid e-mail address`,
					`5 error column "E-mail Address": ann@acme.test is on line 2 already`,
					`6 error the e-mail belongs to an account outside this company`)},
			{name: "the rows to create", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?action=create"},
				status: 200, want: []string{`"email":"ann@acme.test","first_name":"Ann","last_name":"Archer","department":"Sales","manager":"boss@acme.test"`},
				check: wantRows("2 create ", "7 create ")},
			{name: "the row to update names its user", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?action=update"},
				status: 200, want: []string{`"user_id":{acme.learner},`}, check: wantRows("3 update ")},
			{name: "a first page of rows", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?limit=2"},
				status: 200, want: []string{`"next":"3"`}, check: wantRows("2 create ", "3 update ")},
			{name: "the page after line 3", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?limit=2&cursor=3"},
				status: 200, want: []string{`"next":"5"`}, check: wantRows(
					`4 error column "E-mail Address": "not-an-e-mail" is not a valid e-mail address`,
					`5 error column "E-mail Address": ann@acme.test is on line 2 already`)},
			{name: "the page after line 5", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?limit=2&cursor=5"},
				status: 200, want: []string{`"next":"7"`}, check: wantRows("6 error the e-mail belongs to an account outside this company", "7 create ")},
			{name: "the page after the last row", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?limit=2&cursor=7"},
				status: 200, want: []string{`"items":[]`}, notWant: []string{`"next"`}},
			{name: "an unknown action", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?action=skip"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.action"`}},
			{name: "a bad cursor", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/rows?cursor=line4"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.cursor"`}},
			{name: "the error report", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}/errors.csv"},
				status: 200, check: func(t *testing.T, res *http.Response, body string) {
					wantFile(t, res, fmt.Sprintf("import-%d-errors.csv", e.ids["imp"]))
					want := [][]string{
						{"line", "email", "reason", "first_name", "last_name", "department", "manager"},
						{"4", "not-an-e-mail", `column "E-mail Address": "not-an-e-mail" is not a valid e-mail address`, "Nat", "Bad", "", ""},
						{"5", "ann@acme.test", `column "E-mail Address": ann@acme.test is on line 2 already`, "Dup", "Dup", "", ""},
						{"6", "cm@globex.test", "the e-mail belongs to an account outside this company", "Carl", "Other", "", ""},
					}
					if got := readCSV(t, body); !slices.EqualFunc(got, want, slices.Equal) {
						t.Errorf("error report\n%q\nwant\n%q", got, want)
					}
				}},
			{name: "it is confirmed", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/confirm"},
				status: 200, want: []string{`"status":"applying"`}},
			{name: "and not twice", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/confirm"},
				status: 409, want: []string{`"code":"conflict"`}},
		})
		e.step(t, "imp")
		e.run(t, []scenario{
			{name: "the import is applied", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{imp}"},
				status: 200, want: []string{`"status":"applied"`, `"create":2,"update":1`, `"licensed":2,"unlicensed":0`, `"percent":100`},
				notWant: []string{`"error"`}},
			{name: "the new learner has a seat", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=ann@"},
				status: 200, want: []string{`"email":"ann@acme.test","first_name":"Ann","last_name":"Archer","department":"Sales","manager":"boss@acme.test"`,
					`"role":"learner"`, `"status":"active"`, `"pool_id":{acme.pool},`}},
			{name: "the existing learner is updated", request: request{who: "acme-cm", method: "GET", path: "/v1/users/{acme.learner}"},
				status: 200, want: []string{`"first_name":"Lea","last_name":"Learner","department":"Ops"`}},
			{name: "a name is kept as it was written", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=eve@"},
				status: 200, want: []string{`"first_name":"=HYPERLINK(\"http://evil.test\",\"Eve\")"`, `"status":"active"`}},
			{name: "the bad rows added no one", request: request{who: "admin", method: "GET", path: "/v1/companies/{acme}/users?q=not-an"},
				status: 200, want: []string{`"items":[]`}},
			{name: "the pool counts the new seats", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/pools"},
				status: 200, want: []string{`"bought":500,"allocated":3,"free":497`}},
		})
	})
}

// entraCSV is an export as Microsoft Entra ID writes its bulk files: a
// version line above the header, accountEnabled TRUE or FALSE.
const entraCSV = "version:v1.0\r\n" +
	"userPrincipalName,givenName,surname,mail,accountEnabled\r\n" +
	"new@acme.test,New,One,new@acme.test,TRUE\r\n" +
	"off@acme.test,Off,Two,off@acme.test,FALSE\r\n" +
	"learner@acme.test,Lea,Learner,learner@acme.test,FALSE\r\n" +
	"odd@acme.test,Odd,Three,odd@acme.test,perhaps\r\n"

// TestImportDirectoryExport uploads an Entra ID export: the import says the
// header's line and suggests its accountEnabled column; the rows marked
// disabled say so and may be listed alone; the person it marks disabled is
// added without a seat, and the learner it marks disabled keeps theirs.
func TestImportDirectoryExport(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "the export is uploaded", request: request{who: "acme-cm", method: "POST",
				path: "/v1/companies/{acme}/imports?kind=users&file_name=UsersExport.csv", body: entraCSV, headers: csvBody},
				status: 201, want: []string{`"header":["userPrincipalName","givenName","surname","mail","accountEnabled"],"header_line":2,`,
					`"suggested":{"disabled":"accountEnabled","email":"mail","first_name":"givenName","last_name":"surname"}`},
				notWant: []string{"version:v1.0"}, keep: map[string]string{"entra": "id"}},
			{name: "it is previewed with the column chosen", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{entra}/preview",
				body: `{"mapping":{"email":"mail","first_name":"givenName","last_name":"surname","disabled":"accountEnabled"}}`},
				status: 200, want: []string{`"status":"previewing"`, `"disabled":"accountEnabled"`}},
		})
		e.step(t, "entra")
		e.run(t, []scenario{
			{name: "the preview counts the new person marked disabled", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{entra}"},
				status: 200, want: []string{`"status":"previewed"`, `"header_line":2`,
					`"counts":{"rows":4,"create":2,"update":1,"unchanged":0,"renew":0,"errors":1,"licensed":1,"unlicensed":0,"disabled":1}`}},
			{name: "the rows marked disabled", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{entra}/rows?disabled=true"},
				status: 200, want: []string{`"email":"off@acme.test","first_name":"Off","last_name":"Two","disabled":true,`},
				check: wantRows("4 create disabled in the file: no seat given",
					"5 update disabled in the file: no seat given; the seat they hold is kept, as a file never releases seats")},
			{name: "the rows to create, one of them marked disabled", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{entra}/rows?action=create"},
				status: 200, check: wantRows("3 create ", "4 create disabled in the file: no seat given")},
			{name: "a value that says neither is an error on its true line", request: request{who: "acme-cm", method: "GET",
				path: "/v1/imports/{entra}/rows?action=error"},
				status: 200, check: wantRows(`6 error column "accountEnabled": "perhaps" does not say whether the account is enabled: ` +
					"write TRUE or FALSE, or a state such as Active, Disabled or Suspended")},
			{name: "it is confirmed", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{entra}/confirm"},
				status: 200, want: []string{`"status":"applying"`}},
		})
		e.step(t, "entra")
		e.run(t, []scenario{
			{name: "the import is applied", request: request{who: "acme-cm", method: "GET", path: "/v1/imports/{entra}"},
				status: 200, want: []string{`"status":"applied"`, `"create":2,"update":1`, `"licensed":1,"unlicensed":0,"disabled":1`}},
			{name: "the new person is licensed", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users?q=new@"},
				status: 200, want: []string{`"email":"new@acme.test"`, `"status":"active"`}},
			{name: "the person marked disabled is added without a seat", request: request{who: "acme-cm", method: "GET",
				path: "/v1/companies/{acme}/users?q=off@"},
				status: 200, want: []string{`"email":"off@acme.test","first_name":"Off","last_name":"Two"`},
				notWant: []string{`"status":"active"`, `"status":"unlicensed"`, `"pool_id"`}},
			{name: "the learner marked disabled keeps their seat", request: request{who: "acme-cm", method: "GET",
				path: "/v1/companies/{acme}/users?q=learner@"},
				status: 200, want: []string{`"email":"learner@acme.test","first_name":"Lea","last_name":"Learner"`, `"status":"active"`}},
			{name: "the pool counts one new seat", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/pools"},
				status: 200, want: []string{`"bought":500,"allocated":2,"free":498`}},
		})
	})
}

// TestListImports lists a company's latest imports, newest first, to its
// managers and to those who may see the company, and to no one else.
func TestListImports(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		const file = "email\nnew@acme.test\n"
		upload := func(name, who, company, fileName, keep string) scenario {
			return scenario{name: name, request: request{who: who, method: "POST",
				path: "/v1/companies/{" + company + "}/imports?kind=users&file_name=" + fileName, body: file, headers: csvBody},
				status: 201, keep: map[string]string{keep: "id"}}
		}
		e.run(t, []scenario{
			{name: "a company without imports", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 200, want: []string{`"items":[]`}, notWant: []string{`"next"`}},
			upload("a first upload", "acme-cm", "acme", "first.csv", "first"),
			upload("another company's upload", "globex-cm", "globex", "globex.csv", "globex.import"),
		})
		e.clock.Advance(time.Hour)
		e.run(t, []scenario{
			upload("a second upload, an hour later", "acme-cm", "acme", "second.csv", "second"),
			{name: "both are listed, newest first", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 200, want: []string{`"file_name":"second.csv"`, `"created_at":"2026-03-02T10:00:00Z"`, `"file_name":"first.csv"`,
					`"status":"uploaded"`, `"progress":{"done":0,"total":1,"percent":0}`},
				notWant: []string{"globex.csv", `"next"`}, check: e.wantIDs("second", "first")},
			{name: "the latest one", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/imports?limit=1"},
				status: 200, notWant: []string{`"next"`}, check: e.wantIDs("second")},
			{name: "a limit of none", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/imports?limit=0"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
			{name: "a limit over 100", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/imports?limit=101"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.limit"`}},
			{name: "the partner sees its customer's imports", request: request{who: "pm", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 200, check: e.wantIDs("second", "first")},
			{name: "vendor staff see any company's", request: request{who: "agent", method: "GET", path: "/v1/companies/{globex}/imports"},
				status: 200, check: e.wantIDs("globex.import")},
			{name: "a learner sees none of their company's", request: request{who: "acme-learner", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 404, want: []string{`"code":"not_found"`}, notWant: []string{"first.csv"}},
			{name: "another company's manager sees no such company", request: request{who: "globex-cm", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 404, want: []string{`"code":"not_found"`}, notWant: []string{"first.csv"}},
			{name: "nor does another partner", request: request{who: "pm2", method: "GET", path: "/v1/companies/{acme}/imports"},
				status: 404, want: []string{`"code":"not_found"`}, notWant: []string{"first.csv"}},
			{name: "a missing company", request: request{who: "admin", method: "GET", path: "/v1/companies/999999/imports"},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}

// TestExportMembers exports a company's users with their seats: the header
// is csvio.MemberHeader, statuses are those of the list, filters apply, and
// no cell can be read as a formula.
func TestExportMembers(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		e.run(t, []scenario{
			{name: "a learner named like a formula", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"eve@acme.test","first_name":"=HYPERLINK(\"http://evil.test\",\"Eve\")","last_name":"+1","department":"@Sales"}`},
				status: 201, keep: map[string]string{"eve": "id"}},
			{name: "a manager without a seat", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/users",
				body: `{"email":"deputy@acme.test","role":"company_manager"}`},
				status: 201},
			{name: "a learner who leaves", request: request{who: "acme-cm", method: "DELETE", path: "/v1/users/{acme.learner}"}, status: 200},
			{name: "every user", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users.csv"},
				status: 200, check: func(t *testing.T, res *http.Response, body string) {
					wantFile(t, res, "users.csv")
					rows := readCSV(t, body)
					if !slices.Equal(rows[0], csvio.MemberHeader) {
						t.Fatalf("header %q, want %q", rows[0], csvio.MemberHeader)
					}
					got := exported(rows)
					want := map[string]string{"cm@acme.test": "company_manager ", "deputy@acme.test": "company_manager ", "eve@acme.test": "learner active"}
					if len(got) != len(want) {
						t.Errorf("exported %v, want %v", got, want)
					}
					for email, w := range want {
						if r := got[email]; r == nil || r["role"]+" "+r["status"] != w {
							t.Errorf("%s exported as %v, want %s", email, r, w)
						}
					}
					eve := got["eve@acme.test"]
					for col, w := range map[string]string{"first_name": `'=HYPERLINK("http://evil.test","Eve")`, "last_name": "'+1",
						"department": "'@Sales", "pool_id": fmt.Sprint(e.ids["acme.pool"]), "seat_ends": "2027-03-02T09:00:00Z", "added": "2026-03-02T09:00:00Z"} {
						if eve[col] != w {
							t.Errorf("eve's %s is %q, want %q", col, eve[col], w)
						}
					}
					for _, r := range rows {
						for _, cell := range r {
							if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
								t.Errorf("a cell starts a formula: %q", cell)
							}
						}
					}
				}},
			{name: "the active users", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users.csv?status=active&product=premium"},
				status: 200, check: func(t *testing.T, res *http.Response, body string) {
					if got := exported(readCSV(t, body)); len(got) != 1 || got["eve@acme.test"] == nil {
						t.Errorf("active users exported: %v", got)
					}
				}},
			{name: "the users of a product none holds", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users.csv?product=coaching&status=active"},
				status: 200, check: func(t *testing.T, res *http.Response, body string) {
					if rows := readCSV(t, body); len(rows) != 1 {
						t.Errorf("rows %q, want the header alone", rows)
					}
				}},
			{name: "an unknown product", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users.csv?product=nope"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.product"`}},
			{name: "an unknown status", request: request{who: "acme-cm", method: "GET", path: "/v1/companies/{acme}/users.csv?status=lapsed"},
				status: 422, want: []string{`"code":"invalid"`, `"location":"query.status"`}},
			{name: "vendor staff export any company", request: request{who: "agent", method: "GET", path: "/v1/companies/{acme}/users.csv"},
				status: 200, want: []string{"eve@acme.test"}},
			{name: "a learner exports nothing", request: request{who: "globex-learner", method: "GET", path: "/v1/companies/{globex}/users.csv"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "another company's manager sees no such company", request: request{who: "globex-cm", method: "GET", path: "/v1/companies/{acme}/users.csv"},
				status: 404, want: []string{`"code":"not_found"`}, notWant: []string{"eve"}},
		})
	})
}

// TestImportRenewals renews by file the learners whose seat expired.
func TestImportRenewals(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		// A one-day pool, which a new learner draws from first (it expires
		// first); two days later that learner's seat has expired.
		sys := allot.WithPrincipal(context.Background(), allot.System)
		o := must(e.svc.RequestOrder(sys, allot.NewOrder{CompanyID: e.ids["solo"], ProductCode: "premium", Quantity: 1, TermDays: 1}))(t)
		must2(e.svc.AssignOrder(sys, o.ID))(t)
		e.ids["old"] = must(e.svc.AddUser(actingIn(e.ids["solo"]), allot.NewUser{Email: "old@solo.test", CompanyID: e.ids["solo"]}))(t).ID
		e.clock.Advance(48 * time.Hour)

		file := "Name\tE-mail Address\n" +
			"Old\told@solo.test\n" +
			"Nobody\tnobody@solo.test\n" +
			"Lea\tlearner@solo.test\n"
		e.run(t, []scenario{
			{name: "the expired learner", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("old")},
			{name: "a tab-separated file of learners to renew", request: request{who: "solo-cm", method: "POST",
				path: "/v1/companies/{solo}/imports?kind=renewals&product=premium", body: file, headers: map[string]string{"Content-Type": "text/plain"}},
				status: 201, want: []string{`"kind":"renewals"`, `"product_id":{premium},`, `"delimiter":"\t"`, `"header":["Name","E-mail Address"]`,
					`"suggested":{"email":"E-mail Address"}`},
				notWant: []string{`"pool_id"`}, keep: map[string]string{"renewal": "id"}},
			{name: "a renewal maps only the e-mail", request: request{who: "solo-cm", method: "POST", path: "/v1/imports/{renewal}/preview",
				body: `{"mapping":{"email":"E-mail Address","first_name":"Name"}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.mapping.first_name"`}},
			{name: "it is previewed", request: request{who: "solo-cm", method: "POST", path: "/v1/imports/{renewal}/preview",
				body: `{"mapping":{"email":"E-mail Address"}}`},
				status: 200, want: []string{`"status":"previewing"`}},
		})
		e.step(t, "renewal")
		e.run(t, []scenario{
			{name: "one learner will be renewed", request: request{who: "solo-cm", method: "GET", path: "/v1/imports/{renewal}"},
				status: 200, want: []string{`"status":"previewed"`, `"rows":3,`, `"renew":1,"errors":2,`}},
			{name: "the others will not, and why", request: request{who: "solo-cm", method: "GET", path: "/v1/imports/{renewal}/rows"},
				status: 200, check: wantRows("2 renew ", "3 error no one has this e-mail", "4 error already active: licensed until 2027-03-02")},
			{name: "nothing is renewed before the confirmation", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, check: e.wantIDs("old")},
			{name: "it is confirmed", request: request{who: "solo-cm", method: "POST", path: "/v1/imports/{renewal}/confirm"},
				status: 200, want: []string{`"status":"applying"`}},
		})
		e.step(t, "renewal")
		e.run(t, []scenario{
			{name: "the renewal is applied", request: request{who: "solo-cm", method: "GET", path: "/v1/imports/{renewal}"},
				status: 200, want: []string{`"status":"applied"`, `"renew":1,`}},
			{name: "the learner holds a seat again", request: request{who: "solo-cm", method: "GET", path: "/v1/seats?company_id={solo}&user_id={old}&held=true"},
				status: 200, want: []string{`"status":"active"`, `"pool_id":{solo.pool},`}},
			{name: "no one is expired any more", request: request{who: "solo-cm", method: "GET", path: "/v1/companies/{solo}/expired?product=premium"},
				status: 200, want: []string{`"items":[]`}},
		})
	})
}

// TestImportInput refuses what cannot be imported, saying where the
// problem is, and lets only the company's managers import.
func TestImportInput(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		const file = "email\nnew@acme.test\n"
		upload := func(name, who, query, body string, status int, want ...string) scenario {
			return scenario{name: name, request: request{who: who, method: "POST", path: "/v1/companies/{acme}/imports" + query, body: body, headers: csvBody},
				status: status, want: want}
		}
		e.run(t, []scenario{
			upload("no kind", "acme-cm", "", file, 422, `"code":"invalid"`, `"location":"query.kind"`),
			upload("an unknown kind", "acme-cm", "?kind=orders", file, 422, `"code":"invalid"`, `"location":"query.kind"`),
			upload("a renewal names its product", "acme-cm", "?kind=renewals", file, 422, `"code":"invalid"`, `"location":"query.product"`),
			upload("an unknown product", "acme-cm", "?kind=renewals&product=nope", file, 422, `"code":"invalid"`, `"location":"query.product"`,
				`no product \"nope\"`),
			upload("a pool that is not there", "acme-cm", "?kind=renewals&product=premium&pool_id=999999", file, 404, `"code":"not_found"`),
			upload("an empty file", "acme-cm", "?kind=users", "", 422, `"code":"invalid"`, `"location":"body.file"`, `"detail":"the file is empty"`),
			upload("a file without a header", "acme-cm", "?kind=users", ";;\r\nann@acme.test;Ann;Archer\r\n", 422, `"code":"invalid"`, `"location":"body.file"`,
				`"detail":"line 1: no header row: the first line has no column names"`),
			upload("a workbook, not CSV", "acme-cm", "?kind=users", "PK\x03\x04 a zip archive", 422, `"code":"invalid"`, `"location":"body.file"`,
				"save it as CSV UTF-8"),
			upload("a learner does not import", "acme-learner", "?kind=users", file, 404, `"code":"not_found"`),
			upload("a partner manager imports only in manage-company mode", "pm", "?kind=users", file, 403, `"code":"forbidden"`),
			upload("another company's manager sees no such company", "globex-cm", "?kind=users", file, 404, `"code":"not_found"`),
			{name: "in manage-company mode a partner manager uploads", request: request{who: "pm", method: "POST", path: "/v1/companies/{acme}/imports?kind=users",
				body: file, headers: map[string]string{"Content-Type": "application/octet-stream", "Allot-Company": "{acme}"}},
				status: 201, want: []string{`"status":"uploaded"`, `"header":["email"]`}, keep: map[string]string{"imp": "id"}},

			{name: "a mapping names the e-mail", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview",
				body: `{"mapping":{"first_name":"email"}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.mapping.email"`, `"detail":"choose the column that holds the e-mail"`}},
			{name: "a mapping names columns of the file", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview",
				body: `{"mapping":{"email":"email","first_name":"Given Name"}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.mapping.first_name"`, `the file has no column \"Given Name\"`}},
			{name: "a file whose header names a column twice", request: request{who: "acme-cm", method: "POST", path: "/v1/companies/{acme}/imports?kind=users",
				body: "email,Name,Dept,Name\nnew@acme.test,Ann,Sales,Archer\n", headers: csvBody},
				status: 201, keep: map[string]string{"twice": "id"}},
			{name: "is mapped by a name used once", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{twice}/preview",
				body: `{"mapping":{"email":"email","first_name":"Name"}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.mapping.first_name"`,
					`the file has 2 columns named \"Name\" (columns 2, 4): rename them`}},
			{name: "a mapping names known fields", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview",
				body: `{"mapping":{"email":"email","salary":"email"}}`},
				status: 422, want: []string{`"code":"invalid"`, `"location":"body.mapping.salary"`}},
			{name: "a preview needs a mapping", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/preview", body: `{}`},
				status: 422, want: []string{`"code":"invalid"`, `"message":"expected required property mapping to be present"`}},
			{name: "a confirmation needs a preview", request: request{who: "acme-cm", method: "POST", path: "/v1/imports/{imp}/confirm"},
				status: 409, want: []string{`"code":"conflict"`, `"detail":"import {imp} is uploaded; only a previewed import can be confirmed"`}},
			{name: "a partner manager only looks outside manage-company mode", request: request{who: "pm", method: "POST", path: "/v1/imports/{imp}/preview",
				body: `{"mapping":{"email":"email"}}`},
				status: 403, want: []string{`"code":"forbidden"`}},
			{name: "but looks", request: request{who: "pm", method: "GET", path: "/v1/imports/{imp}"}, status: 200},
			{name: "a learner sees no import of their company", request: request{who: "acme-learner", method: "GET", path: "/v1/imports/{imp}"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "nor its rows", request: request{who: "acme-learner", method: "GET", path: "/v1/imports/{imp}/rows"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "nor its error report", request: request{who: "acme-learner", method: "GET", path: "/v1/imports/{imp}/errors.csv"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "a missing import", request: request{who: "admin", method: "GET", path: "/v1/imports/999999"},
				status: 404, want: []string{`"code":"not_found"`}},
			{name: "the error report of a missing import", request: request{who: "admin", method: "GET", path: "/v1/imports/999999/errors.csv"},
				status: 404, want: []string{`"code":"not_found"`}},
		})
	})
}

// TestImportSize takes files larger than a JSON body, with an
// Idempotency-Key too, up to directory.MaxImportBytes and no more.
func TestImportSize(t *testing.T) {
	t.Parallel()
	onEveryBackend(t, func(t *testing.T, e *env) {
		post := func(t *testing.T, data []byte, key string) (*http.Response, string) {
			t.Helper()
			req, err := http.NewRequest("POST", e.srv.URL+e.path("/v1/companies/{acme}/imports?kind=users"), bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+e.tokens["acme-cm"])
			req.Header.Set("Content-Type", "text/csv")
			if key != "" {
				req.Header.Set("Idempotency-Key", key)
			}
			res, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			return res, string(body)
		}
		// file returns a file of n bytes: a header and rows of e-mails.
		file := func(n int) []byte {
			var b bytes.Buffer
			b.WriteString("email\n")
			for i := 0; b.Len() < n; i++ {
				fmt.Fprintf(&b, "user%07d@acme.test\n", i)
			}
			return b.Bytes()[:n]
		}
		t.Run("a file larger than a JSON body, with an Idempotency-Key", func(t *testing.T) {
			data := file(3 << 20)
			res, first := post(t, data, "big file")
			if res.StatusCode != http.StatusCreated || !strings.Contains(first, `"header":["email"]`) {
				t.Fatalf("%d %s", res.StatusCode, first)
			}
			res, again := post(t, data, "big file")
			if res.StatusCode != http.StatusCreated || res.Header.Get("Idempotent-Replayed") != "true" || again != first {
				t.Errorf("the retry is not replayed: %d %v %s", res.StatusCode, res.Header, again)
			}
		})
		for name, key := range map[string]string{"a file over the limit": "", "a file over the limit, with an Idempotency-Key": "too big"} {
			t.Run(name, func(t *testing.T) {
				res, body := post(t, file(directory.MaxImportBytes+1), key)
				if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, `"code":"invalid"`) {
					t.Errorf("%d %s", res.StatusCode, body)
				}
			})
		}
		t.Run("a file of the limit", func(t *testing.T) {
			if testing.Short() {
				t.Skip("reads a file of 50 MB")
			}
			res, body := post(t, file(directory.MaxImportBytes), "at the limit")
			if res.StatusCode != http.StatusCreated {
				t.Errorf("%d %s", res.StatusCode, body)
			}
		})
	})
}

// wantRows checks that a page of import rows holds, in order, rows that
// read "LINE ACTION REASON".
func wantRows(want ...string) func(t *testing.T, res *http.Response, body string) {
	return func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		var page struct {
			Items []struct {
				Line           int
				Action, Reason string
			}
		}
		decode(t, body, &page)
		var got []string
		for _, r := range page.Items {
			got = append(got, fmt.Sprintf("%d %s %s", r.Line, r.Action, r.Reason))
		}
		if !slices.Equal(got, want) {
			t.Errorf("rows\n%q\nwant\n%q", got, want)
		}
	}
}

// wantFile checks that a response is a CSV file to save as name, kept by
// no cache.
func wantFile(t *testing.T, res *http.Response, name string) {
	t.Helper()
	if got := res.Header.Get("Content-Type"); got != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
	if kind, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition")); err != nil || kind != "attachment" || params["filename"] != name {
		t.Errorf("Content-Disposition %q, want an attachment named %s", res.Header.Get("Content-Disposition"), name)
	}
	if got := res.Header.Get("Cache-Control"); got != "private, no-store" {
		t.Errorf("Cache-Control %q, want private, no-store", got)
	}
}

// readCSV reads a CSV file allot wrote: a byte-order mark, then rows.
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rest, ok := strings.CutPrefix(body, "\uFEFF")
	if !ok {
		t.Fatalf("the file does not start with a byte-order mark: %q", body)
	}
	rows, err := csv.NewReader(strings.NewReader(rest)).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("read %q: %v", body, err)
	}
	return rows
}

// exported returns the rows of an export of members (with its header) by
// e-mail, each as column → cell.
func exported(rows [][]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, col := range rows[0] {
			m[col] = r[i]
		}
		out[m["email"]] = m
	}
	return out
}
