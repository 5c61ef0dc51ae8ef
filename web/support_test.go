package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"allot/scim"
	"allot/server"
	"allot/storetest"
	"allot/support"
	"allot/world"
)

// onEverySupportSite runs f on a fresh site with the support desk, over
// each backend. Its world is the site's (see site), with the desk's staff:
// agent@vendor.test and success@vendor.test.
func onEverySupportSite(t *testing.T, f func(t *testing.T, s *site)) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.NewWith(t, b, world.Options{Start: t0, Seats: 10})
		h := server.New(server.Config{Ledger: w.Svc, Directory: w.Dir, Accounts: w.Accounts, Programs: w.Programs, Support: w.Support, Reports: w.Reports, Reclaim: w.Reclaim,
			Sessions: w.DB.Sessions(), Keys: w.DB, SCIM: &scim.Service{Ledger: w.Svc, Store: w.DB.SCIM(), Directory: w.Dir}, InsecureCookies: true})
		s := &site{t: t, srv: httptest.NewServer(h), svc: w.Svc, dir: w.Dir, accounts: w.Accounts, w: w, ids: map[string]int64{}}
		t.Cleanup(s.srv.Close)
		f(t, s)
	})
}

// file is a file a form sends.
type file struct {
	name string
	data []byte
}

// send posts a multipart form to path, with its files in the field
// "attachments", as a browser sends a form with a file input.
func (c *client) send(path string, fields url.Values, files ...file) (*http.Response, string) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		part, err := mw.CreateFormFile("attachments", f.name)
		if err != nil {
			c.t.Fatal(err)
		}
		part.Write(f.data)
	}
	mw.Close()
	req, err := http.NewRequest("POST", c.s.srv.URL+path, &buf)
	if err == nil {
		req.Header.Set("Content-Type", mw.FormDataContentType())
	}
	return c.do(req, err)
}

// openRequest opens a request from the form and returns its ID and the
// page that follows, failing unless it is the request's.
func (c *client) openRequest(fields url.Values, files ...file) (int64, string) {
	c.t.Helper()
	res, body := c.send("/support/requests", fields, files...)
	m := regexp.MustCompile(`^/support/requests/(\d+)$`).FindStringSubmatch(res.Request.URL.Path)
	if res.StatusCode != http.StatusOK || m == nil {
		c.t.Fatalf("open a request: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, body
}

// request is the form of a request about signing in.
func request(subject, priority string) url.Values {
	return url.Values{"subject": {subject}, "body": {"The page says I have no seat."}, "category": {"member_access"},
		"priority": {priority}}
}

// status fails the test unless res has status want.
func status(t *testing.T, what string, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Errorf("%s: status %d, want %d", what, res.StatusCode, want)
	}
}

// TestSupportRequests: a learner opens a request with a file from the
// form and reads it; their manager sees the company's requests; nobody
// else reads them or their files.
func TestSupportRequests(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		learner := s.signIn(t, "learner@acme.test")
		_, body := learner.get("/support/new")
		expect(t, "the form", body, []string{"<h1>New support request</h1>", `<option value="member_access">Member access and invitations</option>`,
			`name="priority" value="normal" checked`, "Urgent: work has stopped", "Urgent means work has stopped",
			"Up to 5 files of at most 2 MB each", `data-suggest="/help/suggest" aria-controls="suggestions"`, `id="suggestions" aria-live="polite"`,
			`name="go" value="search"`, `<a href="/support">Support</a>`},
			[]string{"copy_success", "company_id", `<a href="/desk">`})

		id, body := learner.openRequest(request("Cannot sign in", "normal"), file{"notes.txt", []byte("the page said: no seat\n")})
		expect(t, "the request", body, []string{fmt.Sprintf("Your request #%d was sent to the Support team. They answer by 3 Mar 2026 08:00 UTC.", id),
			fmt.Sprintf("#%d Cannot sign in", id), "The page says I have no seat.", "notes.txt", "text/plain, 1 KB", "due by 3 Mar 2026 08:00 UTC"}, nil)
		th := world.Must(s.w.Support.Get(s.w.Ctx(t, "agent"), id))(t)
		file := th.Messages[0].Attachments[0]

		res, body := learner.get(fmt.Sprintf("/support/attachments/%d", file.ID))
		status(t, "the learner's file", res, http.StatusOK)
		if h := res.Header; h.Get("Content-Disposition") != `attachment; filename=notes.txt` || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Type") != "text/plain" || body != "the page said: no seat\n" {
			t.Errorf("the file: %v\n%q", h, body)
		}

		cm := s.signIn(t, "cm@acme.test")
		cmID, _ := cm.openRequest(request("Reports are empty", "high"))
		_, body = cm.get("/support")
		expect(t, "the company's requests", body, []string{"2 requests", "Cannot sign in", "learner@acme.test", "Reports are empty", "due in 12 h"}, nil)
		_, body = learner.get("/support")
		expect(t, "the learner's own", body, []string{"1 request", "Cannot sign in", "These are your requests"}, []string{"Reports are empty"})
		res, _ = learner.get(fmt.Sprintf("/support/requests/%d", cmID))
		status(t, "the learner, their manager's request", res, http.StatusNotFound)

		globex := s.signIn(t, "cm@globex.test")
		for _, path := range []string{fmt.Sprintf("/support/requests/%d", id), fmt.Sprintf("/support/attachments/%d", file.ID)} {
			res, body := globex.get(path)
			status(t, "another company: "+path, res, http.StatusNotFound)
			expect(t, "another company: "+path, body, nil, []string{"Cannot sign in", "the page said"})
		}
		res, _ = globex.post(fmt.Sprintf("/support/requests/%d/messages", id), url.Values{"body": {"mine now"}})
		status(t, "another company writes", res, http.StatusNotFound)
		_, body = globex.get("/support")
		expect(t, "another company's list", body, []string{"No request yet"}, []string{"Cannot sign in"})

		// A partner's managers follow their customers' requests, and open
		// one for a customer or for the partner itself.
		pm := s.signIn(t, "pm@channel.test")
		_, body = pm.get("/support")
		expect(t, "the partner's customers'", body, []string{"2 requests", "Cannot sign in", "Reports are empty"}, nil)
		_, body = pm.get("/support/new")
		expect(t, "the partner's form", body, []string{`<option value="">Your partner account</option>`,
			fmt.Sprintf(`<option value="%d">Acme</option>`, s.w.Acme.Company.ID)}, []string{"Globex"})
		own, _ := pm.openRequest(request("Our own question", "low"))
		forBeta := request("For Beta", "low")
		forBeta.Set("company_id", fmt.Sprint(s.w.Beta.Company.ID))
		beta, _ := pm.openRequest(forBeta)
		res, _ = pm.send("/support/requests", url.Values{"subject": {"For Globex"}, "body": {"x"}, "category": {"technical"},
			"company_id": {fmt.Sprint(s.w.Globex.Company.ID)}})
		status(t, "a partner's request for another partner's customer", res, http.StatusNotFound)
		_, body = s.signIn(t, "pm2@channel2.test").get("/support")
		expect(t, "another partner's list", body, []string{"No request yet"}, []string{"Cannot sign in", "Our own question", "For Beta"})
		for id, company := range map[int64]int64{own: 0, beta: s.w.Beta.Company.ID} {
			if r := world.Must(s.w.Support.Get(s.w.Ctx(t, "agent"), id))(t).Request; r.CompanyID != company || r.PartnerID != s.w.Partner.ID {
				t.Errorf("request %d is of company %d, partner %d; want %d, %d", id, r.CompanyID, r.PartnerID, company, s.w.Partner.ID)
			}
		}
	})
}

// TestSupportFormErrors: what is wrong is said beside its field, tied to
// it, with what was typed kept; a file over the limit is refused with its
// message.
func TestSupportFormErrors(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		learner := s.signIn(t, "learner@acme.test")
		for _, c := range []struct {
			name   string
			form   url.Values
			files  []file
			field  string
			errMsg string
		}{
			{"no subject", url.Values{"subject": {" "}, "body": {"Typed text"}, "category": {"technical"}}, nil, "subject",
				"say in a few words what the request is about"},
			{"no category", url.Values{"subject": {"Typed subject"}, "body": {"Typed text"}}, nil, "category",
				`choose one of the categories offered; "" is not one`},
			{"no description", url.Values{"subject": {"Typed subject"}, "category": {"technical"}}, nil, "body",
				"describe what happened and what you expected"},
			{"a file too large", url.Values{"subject": {"Typed subject"}, "body": {"Typed text"}, "category": {"technical"}},
				[]file{{"huge.png", make([]byte, support.MaxAttachmentSize+1)}}, "attachments",
				"huge.png is larger than 2 MB, the most a file may have: send a smaller one"},
			{"a file of a type refused", url.Values{"subject": {"Typed subject"}, "body": {"Typed text"}, "category": {"technical"}},
				[]file{{"run.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")}}, "attachments",
				"run.exe is application/octet-stream: send images (PNG, JPEG, GIF, WebP), PDF or plain text"},
		} {
			res, body := learner.send("/support/requests", c.form, c.files...)
			status(t, c.name, res, http.StatusUnprocessableEntity)
			want := []string{`<p class="field-error" id="` + c.field + `-error">` + c.errMsg + "</p>",
				`aria-invalid="true"`, c.field + `-error"`}
			if v := c.form.Get("subject"); strings.TrimSpace(v) != "" {
				want = append(want, `value="`+v+`"`)
			}
			if v := c.form.Get("body"); v != "" {
				want = append(want, ">"+v+"</textarea>")
			}
			expect(t, c.name, body, want, nil)
		}
		if list, total, _ := s.w.Support.Requests(s.w.Ctx(t, "agent"), support.RequestFilter{}); total != 0 {
			t.Errorf("%d requests were opened by forms with errors: %+v", total, list)
		}

		// Without a script, the help centre is searched for the subject
		// on the form's page, which keeps what was typed.
		res, body := learner.send("/support/requests", url.Values{"subject": {"zzzz qqqq"}, "body": {"Typed text"}, "go": {"search"}})
		status(t, "search first", res, http.StatusOK)
		expect(t, "search first", body, []string{"No article matches this subject.", `value="zzzz qqqq"`, ">Typed text</textarea>",
			"Choose your files again after a search."}, []string{"field-error"})
	})
}

// TestSupportCopyContact: the copy box shows only when the company has a
// customer success contact, and copies them.
func TestSupportCopyContact(t *testing.T) {
	onEverySupportSite(t, func(t *testing.T, s *site) {
		success := s.w.Users["success"]
		world.Must(s.w.Support.SetAccount(s.w.Ctx(t, "admin"), support.Account{CompanyID: s.w.Acme.Company.ID, SuccessID: success.ID}))(t)
		acme := s.signIn(t, "cm@acme.test")
		_, body := acme.get("/support/new")
		expect(t, "Acme's form", body, []string{`name="copy_success" value="1"`, "Copy our customer success contact, success@vendor.test"}, nil)
		_, body = s.signIn(t, "cm@globex.test").get("/support/new")
		expect(t, "Globex's form", body, nil, []string{"copy_success", "success@vendor.test"})

		form := request("Plan the rollout", "normal")
		form.Set("copy_success", "1")
		id, _ := acme.openRequest(form)
		th := world.Must(s.w.Support.Get(s.w.Ctx(t, "agent"), id))(t)
		if len(th.Request.Copies) != 1 || th.Request.Copies[0] != success.ID {
			t.Errorf("copies %v, want the success manager", th.Request.Copies)
		}
		_, body = acme.get(fmt.Sprintf("/support/requests/%d", id))
		expect(t, "copied already", body, nil, []string{"/copy"})

		other, _ := acme.openRequest(request("Another", "low"))
		_, body = acme.get(fmt.Sprintf("/support/requests/%d", other))
		expect(t, "not copied yet", body, []string{fmt.Sprintf(`action="/support/requests/%d/copy"`, other)}, nil)
		_, body = acme.post(fmt.Sprintf("/support/requests/%d/copy", other), nil)
		expect(t, "copied", body, []string{fmt.Sprintf("Your customer success contact is copied on request #%d.", other)}, nil)
	})
}
