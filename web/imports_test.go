package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/directory"
	"allot/storetest"
)

// upload sends the upload form: its fields, then the file named name
// holding what content reads, as a browser sends them.
func (c *client) upload(fields url.Values, name string, content io.Reader) (*http.Response, string) {
	c.t.Helper()
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		for k, vs := range fields {
			for _, v := range vs {
				mw.WriteField(k, v)
			}
		}
		part, err := mw.CreateFormFile("file", name)
		if err == nil {
			_, err = io.Copy(part, content)
		}
		if err == nil {
			err = mw.Close()
		}
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequest("POST", c.s.srv.URL+"/company/imports", pr)
	if err == nil {
		req.Header.Set("Content-Type", mw.FormDataContentType())
	}
	return c.do(req, err)
}

// importID returns the ID of the import whose page res shows.
func importID(t *testing.T, res *http.Response, body string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/company/imports/(\d+)$`).FindStringSubmatch(res.Request.URL.Path)
	if res.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("the upload led to %s with status %d\n%s", res.Request.URL, res.StatusCode, body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// runImport does the step import id is at, as the background worker would.
func (s *site) runImport(t *testing.T, id int64) {
	t.Helper()
	if err := s.dir.RunImportStep(context.Background(), id); err != nil {
		t.Fatal(err)
	}
}

// setProgress records that the job reading import id has read done rows
// of about total.
func (s *site) setProgress(t *testing.T, id int64, done, total int) {
	t.Helper()
	err := s.dir.Store.Write(context.Background(), func(tx directory.Tx) error {
		imp, err := tx.Import(id)
		if err != nil {
			return err
		}
		imp.Done, imp.Total = done, total
		return tx.UpdateImport(imp, imp.Status)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// download gets path, which must be a CSV attachment named like name, and
// returns its records.
func (c *client) download(path, name string) [][]string {
	c.t.Helper()
	res, body := c.get(path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		c.t.Fatalf("GET %s: status %d, %s\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), body)
	}
	disposition, params, err := mime.ParseMediaType(res.Header.Get("Content-Disposition"))
	if err != nil || disposition != "attachment" || !regexp.MustCompile(name).MatchString(params["filename"]) {
		c.t.Errorf("GET %s: Content-Disposition %q, want an attachment named like %s", path, res.Header.Get("Content-Disposition"), name)
	}
	if !strings.HasPrefix(body, "\uFEFF") {
		c.t.Errorf("GET %s: no byte-order mark", path)
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		c.t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
	return records
}

// selected returns the columns selected for field in the mapping form of
// body, "" for "not in the file"; nil when the form has no such field.
func selected(body, field string) []string {
	block := regexp.MustCompile(`(?s)<select id="map-` + field + `".*?</select>`).FindString(body)
	if block == "" {
		return nil
	}
	out := []string{}
	for _, m := range regexp.MustCompile(`<option value="([^"]*)" selected>`).FindAllStringSubmatch(block, -1) {
		out = append(out, m[1])
	}
	return out
}

// mapped fails the test unless the mapping form of body selects column for
// field, and only that.
func mapped(t *testing.T, body, field, column string) {
	t.Helper()
	if got := selected(body, field); len(got) != 1 || got[0] != column {
		t.Errorf("the mapping form selects %q for %s, want %q", got, field, column)
	}
}

func TestImportUsers(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/users")
		expect(t, "users page", body, []string{`<a class="button" href="/company/users/import">Import from CSV</a>`,
			`href="/company/users.csv" download>Export CSV</a>`}, nil)

		res, body := cm.get("/company/users/import")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("upload form: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "upload form", body, []string{"<title>Import users", `enctype="multipart/form-data"`,
			`<input type="hidden" name="kind" value="users">`, `accept=".csv,.txt"`, "CSV UTF-8", "semicolons", "Google Sheets",
			"Unicode text", "Active Directory", `href="/company/users" aria-current="page">Users</a>`}, nil)

		// Nine new learners for seven free seats, two known ones, four bad
		// rows; semicolons, as Excel writes them in much of Europe.
		file := "E-mail Address;Given name;Surname;Dept;Notes\r\n"
		for i := 1; i <= 9; i++ {
			file += fmt.Sprintf("new%d@acme.test;New;Person %d;Sales;\r\n", i, i)
		}
		file += "learner0@acme.test;Lea;Zero;Ops;\r\n" + // an update
			"learner1@acme.test;;;;\r\n" + // unchanged: empty fields keep their values
			"not-an-e-mail;=HYPERLINK(\"x\");Bad;;\r\n" +
			"new1@acme.test;Again;Twice;;\r\n" +
			"pm@channel.test;Pat;Partner;;\r\n" +
			"@sum@acme.test;+cmd;-1;;\r\n"
		res, body = cm.upload(url.Values{"kind": {"users"}}, "people.csv", strings.NewReader(file))
		id := importID(t, res, body)
		page := "/company/imports/" + strconv.FormatInt(id, 10)
		expect(t, "mapping form", body, []string{"people.csv was uploaded.", "people.csv", "semicolon-separated", "UTF-8", "5 columns",
			`action="` + page + `/preview"`, `<option value="">— not in the file —</option>`, `<option value="Notes">Notes</option>`,
			`href="/company/users" aria-current="page">Users</a>`, `<label for="map-disabled">Account disabled</label>`},
			[]string{"The header is on line", "header-line"})
		for field, column := range map[string]string{"email": "E-mail Address", "first_name": "Given name", "last_name": "Surname", "department": "Dept"} {
			mapped(t, body, field, column)
		}
		for _, field := range []string{"manager", "external_id", "disabled"} {
			if got := selected(body, field); got == nil || len(got) != 0 {
				t.Errorf("the mapping form selects %q for %s, want nothing", got, field)
			}
		}

		// A mapping without the e-mail is refused next to the field.
		res, body = cm.post(page+"/preview", url.Values{"mapping.email": {""}, "mapping.first_name": {"Given name"}, "mapping.last_name": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("preview without e-mail: status %d", res.StatusCode)
		}
		expect(t, "no e-mail", body, []string{`<select id="map-email" name="mapping.email" required aria-invalid="true" aria-describedby="mapping.email-error">`,
			`<p class="field-error" id="mapping.email-error">choose the column that holds the e-mail</p>`}, nil)
		mapped(t, body, "first_name", "Given name")
		if got := selected(body, "last_name"); len(got) != 0 {
			t.Errorf("the form selects %q for the last name, not the choice sent", got)
		}

		mapping := url.Values{"mapping.email": {"E-mail Address"}, "mapping.first_name": {"Given name"},
			"mapping.last_name": {"Surname"}, "mapping.department": {"Dept"}, "mapping.manager": {""}}
		res, body = cm.post(page+"/preview", mapping)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != page {
			t.Fatalf("preview: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "reading", body, []string{`<noscript><meta http-equiv="refresh" content="1"></noscript>`, "data-refresh",
			`<progress aria-label="Rows read"></progress>`, "Starting to read about 15 rows", "Columns chosen."}, []string{"Confirm import"})
		// A long file, part read.
		s.setProgress(t, id, 12000, 100000)
		_, body = cm.get(page)
		expect(t, "progress", body, []string{`<progress max="100000" value="12000" aria-label="Rows read">12%</progress>`,
			"Reading row 12,000 of ~100,000."}, nil)
		s.setProgress(t, id, 0, 15)

		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "preview", body, []string{
			"<strong>9</strong> to create", "(7 will get a seat, 2 unlicensed — not enough free seats)",
			"<strong>1</strong> to update", "<strong>1</strong> unchanged", "<strong>4</strong> with errors",
			`<td class="num">13</td><td>not-an-e-mail</td><td>column "E-mail Address": "not-an-e-mail" is not a valid e-mail address</td>`,
			`column "E-mail Address": new1@acme.test is on line 2 already`,
			"the e-mail belongs to an account outside this company",
			`<form method="post" action="` + page + `/confirm" class="row">`, "Confirm import",
			`<input type="checkbox" name="welcome" value="1" checked>`, "Send a welcome mail to the 9 people it adds",
			`href="` + page + `?change=1">Change the mapping</a>`, `href="` + page + `/errors.csv" download>Download error report (CSV)</a>`,
			`<span class="badge update">Update</span></td><td>learner0@acme.test</td><td>Lea Zero</td>`,
		}, []string{"data-refresh", "http-equiv"})
		if got := count(body, `<span class="badge create">Create</span>`); got != 9 {
			t.Errorf("the sample shows %d rows to create, want 9", got)
		}

		// The error report: line, e-mail, reason, the fields mapped; no
		// cell may start a formula.
		report := cm.download(page+"/errors.csv", `^people-errors\.csv$`)
		want := [][]string{{"line", "email", "reason", "first_name", "last_name", "department"},
			{"13", "not-an-e-mail", `column "E-mail Address": "not-an-e-mail" is not a valid e-mail address`, `'=HYPERLINK("x")`, "Bad", ""}}
		if len(report) != 5 || fmt.Sprint(report[:2]) != fmt.Sprint(want) {
			t.Errorf("error report\n%q\nwant 5 records starting\n%q", report, want)
		}
		if last := report[len(report)-1]; last[0] != "16" || last[1] != "'@sum@acme.test" || last[3] != "'+cmd" || last[4] != "'-1" {
			t.Errorf("the last error %q: its cells may start a formula", last)
		}

		// Change the mapping: the form, with the columns chosen before.
		_, body = cm.get(page + "?change=1")
		expect(t, "change the mapping", body, []string{`action="` + page + `/preview"`, "Back to the preview"}, []string{"Confirm import"})
		mapped(t, body, "department", "Dept")

		res, body = cm.post(page+"/confirm", url.Values{"welcome": {"1"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != page {
			t.Fatalf("confirm: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "applying", body, []string{"Import of people.csv confirmed.", "Importing…", "Creating 9 users and updating 1.", "data-refresh"}, nil)
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "result", body, []string{"<strong>9</strong> created", "<strong>1</strong> updated", "<strong>7</strong> given a seat",
			"<strong>2</strong> unlicensed", `href="/company/users?status=unlicensed"`, "4 rows with errors were left out.",
			"Confirmed by cm@acme.test on", `<a class="button" href="/company/users">Go to the users</a>`}, []string{"Confirm import"})

		if welcomed := s.w.Mails(allot.MailWelcome); len(welcomed) != 9 || len(welcomed["new9@acme.test"]) != 1 {
			t.Errorf("welcome mails after the import: %d people, want the 9 it added", len(welcomed))
		}
		_, body = cm.get("/company/users?status=unlicensed")
		expect(t, "unlicensed users", body, []string{"new8@acme.test", "new9@acme.test"}, []string{"new7@acme.test"})
		_, body = cm.get("/company/users?q=learner0")
		expect(t, "updated user", body, []string{"Lea Zero", "Ops"}, nil)

		// Confirming again (a second click) shows the result, and a new
		// mapping is refused.
		res, body = cm.post(page+"/confirm", nil)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != page {
			t.Errorf("confirm again: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "confirm again", body, []string{"<strong>9</strong> created"}, []string{"confirmed.", `class="error"`})
		res, body = cm.post(page+"/preview", mapping)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("preview after the import: status %d", res.StatusCode)
		}
		expect(t, "preview after the import", body, []string{`<p class="error" role="alert">import ` + strconv.FormatInt(id, 10) + " is applied</p>",
			"<strong>9</strong> created"}, []string{`<select id="map-email"`})
	})
}

func TestRecentImports(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		cm.zone("Pacific/Auckland")
		_, body := cm.get("/company/users/import")
		expect(t, "no import yet", body, []string{`enctype="multipart/form-data"`}, []string{"Recent imports"})

		// One import left after the upload, one applied an hour later; and
		// one of Globex, by its partner in manage mode.
		res, body := cm.upload(url.Values{"kind": {"users"}}, "left.csv", strings.NewReader("email\nann@acme.test\n"))
		left := importID(t, res, body)
		s.svc.Clock.(*allot.ManualClock).Advance(time.Hour)
		res, body = cm.upload(url.Values{"kind": {"users"}}, "done.csv", strings.NewReader("email\nbob@acme.test\nlearner0@acme.test\nnot-an-e-mail\n"))
		applied := importID(t, res, body)
		page := "/company/imports/" + strconv.FormatInt(applied, 10)
		cm.post(page+"/preview", url.Values{"mapping.email": {"email"}})
		s.runImport(t, applied)
		cm.post(page+"/confirm", nil)
		s.runImport(t, applied)
		pm2 := s.signIn(t, "pm2@channel2.test")
		if res, _ := pm2.post("/manage/"+s.id("globex"), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("enter Globex: status %d", res.StatusCode)
		}
		res, body = pm2.upload(url.Values{"kind": {"users"}}, "globex.csv", strings.NewReader("email\nann@globex.test\n"))
		other := importID(t, res, body)

		leftRow := fmt.Sprintf(`<td><a href="/company/imports/%d">left.csv</a></td><td>Users</td>`+"\n    "+
			`<td><time datetime="2026-03-02T20:00:00Z">3 Mar 2026 09:00 NZDT</time></td>`+"\n    "+
			`<td><span class="badge uploaded">Uploaded</span></td><td>—</td>`, left)
		appliedRow := fmt.Sprintf(`<td><a href="/company/imports/%d">done.csv</a></td><td>Users</td>`+"\n    "+
			`<td><time datetime="2026-03-02T21:00:00Z">3 Mar 2026 10:00 NZDT</time></td>`+"\n    "+
			`<td><span class="badge applied">Applied</span></td><td>1 created, 1 unchanged, 1 error</td>`, applied)
		for _, path := range []string{"/company/users/import", "/company/expired/import?product=premium"} {
			res, body := cm.get(path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d\n%s", path, res.StatusCode, body)
			}
			expect(t, path, body, []string{"<h2>Recent imports</h2>", leftRow, appliedRow},
				[]string{"globex.csv", fmt.Sprintf(`href="/company/imports/%d"`, other)})
			if strings.Index(body, appliedRow) > strings.Index(body, leftRow) {
				t.Errorf("GET %s: the earlier import is listed first\n%s", path, body)
			}
		}
		// The link leads back to the import, where it was left.
		if res, body := cm.get(fmt.Sprintf("/company/imports/%d", left)); res.StatusCode != http.StatusOK ||
			!strings.Contains(body, `<select id="map-email"`) {
			t.Errorf("the earlier import: status %d\n%s", res.StatusCode, body)
		}

		_, body = pm2.get("/company/users/import")
		expect(t, "Globex's imports", body, []string{fmt.Sprintf(`<a href="/company/imports/%d">globex.csv</a>`, other)},
			[]string{"left.csv", "done.csv"})
	})
}

func TestImportUploadErrors(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	cm := s.signIn(t, "cm@acme.test")
	for _, c := range []struct {
		name, file, content string
		fields              url.Values
		message             string
	}{
		{"no file", "", "", nil, "choose a file to upload"},
		{"empty", "people.csv", "", nil, "the file is empty"},
		{"a workbook", "people.xlsx", "PK\x03\x04 rest of a zip", nil, "not CSV; save it as CSV UTF-8"},
		{"only blank lines", "people.csv", "\r\n\r\n", nil, "header"},
		{"renewal of no product", "people.csv", "email\na@acme.test\n", url.Values{"kind": {"renewals"}, "product": {"nope"}}, `no product "nope"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			fields := c.fields
			if fields == nil {
				fields = url.Values{"kind": {"users"}}
			}
			res, body := cm.upload(fields, c.file, strings.NewReader(c.content))
			if res.StatusCode != http.StatusUnprocessableEntity || res.Request.URL.Path != "/company/imports" {
				t.Fatalf("status %d at %s", res.StatusCode, res.Request.URL)
			}
			expect(t, c.name, body, []string{`<p class="field-error" id="`, c.message, `enctype="multipart/form-data"`}, nil)
			if c.fields == nil {
				expect(t, c.name, body, []string{`aria-invalid="true" aria-describedby="file-help file-error"></label>`}, nil)
			}
		})
	}
	t.Run("too large", func(t *testing.T) {
		big := io.MultiReader(strings.NewReader("email\n"), io.LimitReader(repeat("someone@acme.test\n"), directory.MaxImportBytes))
		res, body := cm.upload(url.Values{"kind": {"users"}}, "huge.csv", big)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d", res.StatusCode)
		}
		expect(t, "too large", body, []string{`aria-invalid="true" aria-describedby="file-help file-error"></label>`,
			`<p class="field-error" id="file-error">the file is larger than 50 MB, the most one import reads: split it into smaller files</p>`}, nil)
	})
}

// repeat reads s again and again.
func repeat(s string) io.Reader {
	return readerFunc(func(p []byte) (int, error) {
		n := 0
		for n < len(p) {
			n += copy(p[n:], s)
		}
		return n, nil
	})
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestImportOfAnotherCompanyIsNotFound(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		res, body := cm.upload(url.Values{"kind": {"users"}}, "people.csv", strings.NewReader("email\nann@acme.test\n"))
		page := "/company/imports/" + strconv.FormatInt(importID(t, res, body), 10)

		globex := s.signIn(t, "cm@globex.test")
		pm2 := s.signIn(t, "pm2@channel2.test")
		if res, _ := pm2.post("/manage/"+s.id("globex"), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("enter Globex: status %d", res.StatusCode)
		}
		pm := s.signIn(t, "pm@channel.test") // Acme's partner, outside manage mode
		for _, who := range []struct {
			name string
			c    *client
		}{{"Globex's manager", globex}, {"Globex's partner in manage mode", pm2}, {"Acme's partner outside manage mode", pm}} {
			for _, path := range []string{page, page + "?change=1", page + "/errors.csv"} {
				if res, body := who.c.get(path); res.StatusCode != http.StatusNotFound || strings.Contains(body, "people.csv") {
					t.Errorf("%s: GET %s: status %d\n%s", who.name, path, res.StatusCode, body)
				}
			}
			for _, path := range []string{page + "/preview", page + "/confirm"} {
				if res, _ := who.c.post(path, url.Values{"mapping.email": {"email"}}); res.StatusCode != http.StatusNotFound {
					t.Errorf("%s: POST %s: status %d", who.name, path, res.StatusCode)
				}
			}
		}
		sys := allot.WithPrincipal(context.Background(), allot.System)
		if imp, err := s.dir.Import(sys, importIDOf(t, page)); err != nil || imp.Status != directory.ImportUploaded {
			t.Errorf("the import is %s after the others tried it: %v", imp.Status, err)
		}

		// Acme's partner, in manage mode, may carry it on.
		if res, _ := pm.post("/manage/"+s.id("acme"), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("enter Acme: status %d", res.StatusCode)
		}
		if res, body := pm.get(page); res.StatusCode != http.StatusOK || !strings.Contains(body, "people.csv") {
			t.Errorf("Acme's partner in manage mode: status %d\n%s", res.StatusCode, body)
		}
	})
}

// importIDOf is the ID in the path of an import's page.
func importIDOf(t *testing.T, page string) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimPrefix(page, "/company/imports/"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestExportUsers(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		for _, u := range []allot.NewUser{
			{Email: "formula@acme.test", FirstName: "=HYPERLINK(\"http://x\",\"y\")", LastName: "@SUM(A1)", Department: "+1"},
			{Email: "plain@acme.test", FirstName: "Pia", LastName: "Plain", Department: "-"},
		} {
			res, body := cm.post("/company/users", url.Values{"email": {u.Email}, "first_name": {u.FirstName}, "last_name": {u.LastName},
				"department": {u.Department}})
			if res.StatusCode != http.StatusOK {
				t.Fatalf("add %s: status %d\n%s", u.Email, res.StatusCode, body)
			}
		}
		all := cm.download("/company/users.csv", `^acme-users-2026-03-02\.csv$`)
		if len(all) != 7 || strings.Join(all[0][:8], ",") != "email,first_name,last_name,department,manager,external_id,role,status" {
			t.Fatalf("export: %d records, header %q", len(all), all[0])
		}
		for _, rec := range all[1:] {
			if rec[0] == "formula@acme.test" {
				if rec[1] != `'=HYPERLINK("http://x","y")` || rec[2] != "'@SUM(A1)" || rec[3] != "'+1" {
					t.Errorf("the formula cells are %q", rec[1:4])
				}
				if rec[7] != "active" || rec[8] == "" {
					t.Errorf("the seat of the new learner is %q", rec[7:10])
				}
			}
		}

		// The page's filters narrow the export as they narrow the page.
		_, body := cm.get("/company/users?q=plain&status=active&after=3")
		expect(t, "export link", body, []string{`href="/company/users.csv?q=plain&status=active" download>Export CSV</a>`}, nil)
		some := cm.download("/company/users.csv?q=plain&status=active", `^acme-users-active-2026-03-02\.csv$`)
		if len(some) != 2 || some[1][0] != "plain@acme.test" || some[1][3] != "'-" {
			t.Errorf("filtered export %q", some)
		}
		if res, body := cm.get("/company/users.csv?status=nonsense"); res.StatusCode != http.StatusBadRequest ||
			res.Header.Get("Content-Disposition") != "" {
			t.Errorf("an unknown status: %d %q\n%s", res.StatusCode, res.Header.Get("Content-Disposition"), body)
		}
		kiwi := s.signIn(t, "cm@acme.test")
		kiwi.zone("Pacific/Auckland")
		kiwi.download("/company/users.csv", `^acme-users-2026-03-03\.csv$`)
	})
}

func TestRenewByCSVPages(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		// A year on, Acme's licences expired; a new order gives five seats.
		s.svc.Clock.(*allot.ManualClock).Set(allot.AddMonths(t0, 12).Add(24 * time.Hour))
		s.assign(t, s.signIn(t, "pm@channel.test"), "a1")
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/expired")
		expect(t, "expired page", body, []string{`formaction="/company/expired/import"`, "Renew by CSV"}, nil)
		pools, err := s.svc.Pools(allot.WithPrincipal(context.Background(), allot.System), s.ids["acme"])
		if err != nil || len(pools) != 3 {
			t.Fatalf("pools %v %v", pools, err)
		}
		i := slices.IndexFunc(pools, func(p allot.Pool) bool { return p.OrderID == s.ids["a1"] })
		if i < 0 || pools[i].Quantity != 5 {
			t.Fatalf("no pool of 5 seats from order a1 in %v", pools)
		}
		fresh := pools[i]

		res, body := cm.get(fmt.Sprintf("/company/expired/import?product=premium&pool_id=%d&user=1", fresh.ID))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("upload form: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "renewal upload form", body, []string{"<h1>Renew Premium by CSV</h1>", `<input type="hidden" name="kind" value="renewals">`,
			`<input type="hidden" name="product" value="premium">`, fmt.Sprintf(`<option value="%d" selected>licences until 3 Mar 2028 (5 free of 5)</option>`, fresh.ID),
			`href="/company/expired" aria-current="page">Expired licences</a>`}, nil)

		file := "Name,Work email,Personal email\n" +
			"Lea,learner0@acme.test,lea@home.test\n" +
			"Leo,learner1@acme.test,leo@home.test\n" +
			"Nobody,nobody@acme.test,\n" +
			"Manager,cm@acme.test,\n"
		res, body = cm.upload(url.Values{"kind": {"renewals"}, "product": {"premium"}, "pool_id": {strconv.FormatInt(fresh.ID, 10)}},
			"renew.csv", strings.NewReader(file))
		id := importID(t, res, body)
		page := "/company/imports/" + strconv.FormatInt(id, 10)
		expect(t, "mapping", body, []string{"Which column holds the e-mail addresses", `<option value="Personal email">Personal email</option>`},
			[]string{`name="mapping.first_name"`})
		mapped(t, body, "email", "Work email")
		cm.post(page+"/preview", url.Values{"mapping.email": {"Work email"}})
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "preview", body, []string{`<strong class="big">2</strong> will be renewed, <strong class="big">2</strong> will not.`,
			"Seats of Premium come from the licences until 3 Mar 2028.", "Rows that will not be renewed",
			`<td class="num">4</td><td>nobody@acme.test</td><td>no one has this e-mail</td>`, "has no expired licence of Premium",
			"Renew 2 learners", "<h2>Learners to renew</h2>", "<td>learner1@acme.test</td>"}, nil)

		res, body = cm.post(page+"/confirm", nil)
		expect(t, "renewing", body, []string{"Renewal of 2 learners confirmed.", "Giving 2 learners a seat of Premium."}, nil)
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "renewed", body, []string{`<strong class="big">2</strong> learners renewed; 2 rows were not.`,
			`<a class="button" href="/company/expired?product=premium">Back to expired licences</a>`}, nil)
		_, body = cm.get("/company/expired")
		expect(t, "expired after", body, []string{"learner@acme.test"}, []string{"learner0@acme.test", "learner1@acme.test"})

		// Seats taken between the preview and the confirmation: the
		// renewal fails as a whole, and the file can be previewed again.
		res, body = cm.upload(url.Values{"kind": {"renewals"}, "product": {"premium"}}, "again.csv", strings.NewReader("email\nlearner@acme.test\n"))
		id = importID(t, res, body)
		page = "/company/imports/" + strconv.FormatInt(id, 10)
		cm.post(page+"/preview", url.Values{"mapping.email": {"email"}})
		s.runImport(t, id)
		for i := range 3 {
			cm.post("/company/users", url.Values{"email": {fmt.Sprintf("late%d@acme.test", i)}})
		}
		cm.post(page+"/confirm", nil)
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "failed", body, []string{`<p class="error" role="alert"><strong>The import stopped:</strong>`, "nothing was renewed",
			`action="` + page + `/preview"`}, []string{"Renew 1 learner"})
		mapped(t, body, "email", "email")
	})
}

func TestImportErrorReport(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		file := "email,name\n"
		for i := range 1200 {
			file += fmt.Sprintf("broken-%d,Row %d\n", i, i)
		}
		file += "fine@acme.test,Fine\n"
		res, body := cm.upload(url.Values{"kind": {"users"}}, "many.csv", strings.NewReader(file))
		id := importID(t, res, body)
		page := "/company/imports/" + strconv.FormatInt(id, 10)
		cm.post(page+"/preview", url.Values{"mapping.email": {"email"}})
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "many errors", body, []string{"<strong>1</strong> to create", "<strong>1,200</strong> with errors",
			"The first 100 of 1,200 are shown.", `<a href="` + page + `/errors.csv" download>Download all of them (CSV)</a>`}, nil)
		if n := count(body, `<td class="num">\d+</td><td>broken-`); n != 100 {
			t.Errorf("the page lists %d errors, want the first 100", n)
		}
		report := cm.download(page+"/errors.csv", `^many-errors\.csv$`)
		if len(report) != 1201 || strings.Join(report[0], ",") != "line,email,reason" || report[1200][0] != "1201" || report[1200][1] != "broken-1199" {
			t.Errorf("the report has %d records, from %q to %q", len(report), report[0], report[len(report)-1])
		}
	})
}

// TestImportDirectoryExport uploads an export as Microsoft Entra ID writes
// it, a version line and a blank line above its header, with an
// accountEnabled column: the mapping and the preview say where the header
// is, the disabled column is suggested, and the people it marks disabled
// are shown, added without a seat, and keep the seat they hold.
func TestImportDirectoryExport(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		file := "version:v1.0\r\n\r\n" +
			"userPrincipalName,givenName,surname,mail,department,accountEnabled\r\n" +
			"ann.new@acme.test,Ann,New,ann.new@acme.test,Sales,TRUE\r\n" +
			"pat.off@acme.test,Pat,Off,pat.off@acme.test,Sales,FALSE\r\n" +
			"learner0@acme.test,Lea,Zero,learner0@acme.test,Ops,FALSE\r\n" +
			"odd@acme.test,Odd,Value,odd@acme.test,Ops,perhaps\r\n"
		res, body := cm.upload(url.Values{"kind": {"users"}}, "UsersExport.csv", strings.NewReader(file))
		id := importID(t, res, body)
		page := "/company/imports/" + strconv.FormatInt(id, 10)
		note := `<p class="warning header-line">The header is on line 3; the 2 lines above it were skipped.</p>`
		expect(t, "mapping form", body, []string{note, "6 columns", `<label for="map-disabled">Account disabled</label>`,
			"people it marks disabled are added or updated without a seat"}, []string{`<option value="version:v1.0"`})
		for field, column := range map[string]string{"email": "mail", "first_name": "givenName", "last_name": "surname",
			"department": "department", "disabled": "accountEnabled"} {
			mapped(t, body, field, column)
		}

		mapping := url.Values{"mapping.email": {"mail"}, "mapping.first_name": {"givenName"}, "mapping.last_name": {"surname"},
			"mapping.department": {"department"}, "mapping.disabled": {"accountEnabled"}}
		if res, body := cm.post(page+"/preview", mapping); res.StatusCode != http.StatusOK {
			t.Fatalf("preview: status %d\n%s", res.StatusCode, body)
		}
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "preview", body, []string{note,
			"<strong>2</strong> to create", "(1 will get a seat, 1 disabled in the file: no seat given)", "<strong>1</strong> to update",
			"<strong>1</strong> with errors",
			`<td class="num">7</td><td>odd@acme.test</td><td>column "accountEnabled": "perhaps" does not say whether the account is enabled`,
			"<h2>Marked disabled in the file</h2>", "People the column “accountEnabled” marks disabled are added or updated without a seat",
			`<td class="num">5</td><td><span class="badge create">Create</span></td><td>pat.off@acme.test</td><td>disabled in the file: no seat given</td>`,
			`<td class="num">6</td><td><span class="badge update">Update</span></td><td>learner0@acme.test</td>` +
				`<td>disabled in the file: no seat given; the seat they hold is kept, as a file never releases seats</td>`,
			`<span class="badge create">Create</span> <span class="badge">disabled</span></td><td>pat.off@acme.test</td>`,
			"Send a welcome mail to the 1 person it adds, not to those the file marks disabled"}, nil)

		// Changing the mapping shows the note and the column chosen.
		_, body = cm.get(page + "?change=1")
		expect(t, "change the mapping", body, []string{note}, nil)
		mapped(t, body, "disabled", "accountEnabled")

		cm.post(page+"/confirm", url.Values{"welcome": {"1"}})
		s.runImport(t, id)
		_, body = cm.get(page)
		expect(t, "result", body, []string{note, "<strong>2</strong> created", "<strong>1</strong> updated", "<strong>1</strong> given a seat",
			"<strong>1</strong> disabled in the file: no seat given", "<h2>Marked disabled in the file</h2>"}, nil)
		if welcomed := s.w.Mails(allot.MailWelcome); len(welcomed) != 1 || len(welcomed["ann.new@acme.test"]) != 1 {
			t.Errorf("welcome mails to %d people, want ann.new@acme.test only", len(welcomed))
		}
		_, body = cm.get("/company/users?status=active")
		// A row names its person's e-mail so; the reallocation picker lists
		// the people without a seat, Pat among them, apart from the rows.
		row := func(email string) string { return `<span class="muted">` + email + `</span>` }
		expect(t, "active users", body, []string{row("ann.new@acme.test"), row("learner0@acme.test")}, []string{row("pat.off@acme.test")})
		_, body = cm.get("/company/users?status=unlicensed")
		expect(t, "unlicensed users", body, nil, []string{row("pat.off@acme.test")})
		_, body = cm.get("/company/users?q=pat.off")
		expect(t, "the disabled person", body, []string{"pat.off@acme.test", "Pat Off"}, nil)
	})
}

// TestImportHeaderNote says where the header is whatever came above it,
// and nothing when it is the first line.
func TestImportHeaderNote(t *testing.T) {
	s := newSite(t, storetest.Backends[0])
	cm := s.signIn(t, "cm@acme.test")
	for _, c := range []struct {
		name, file, want string
	}{
		{"the first line", "email,name\nann@acme.test,Ann\n", ""},
		{"a version line", "version:v1.0\nemail,name\nann@acme.test,Ann\n", "The header is on line 2; the line above it was skipped."},
		{"a title, a date and a blank line", "Acme staff;;\nExported 2026-03-01;;\n\nE-Mail;Vorname;Nachname\nann@acme.test;Ann;A\n",
			"The header is on line 4; the 3 lines above it were skipped."},
	} {
		t.Run(c.name, func(t *testing.T) {
			res, body := cm.upload(url.Values{"kind": {"users"}}, "people.csv", strings.NewReader(c.file))
			importID(t, res, body)
			if c.want == "" {
				expect(t, c.name, body, nil, []string{"header-line"})
				return
			}
			expect(t, c.name, body, []string{`<p class="warning header-line">` + c.want + `</p>`}, nil)
		})
	}
}
