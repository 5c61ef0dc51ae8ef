package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/directory"
	"allot/offline"
	"allot/scim"
	"allot/server"
	"allot/storetest"
	"allot/webhook"
	"allot/world"
)

// password is every test person's password.
const password = world.Password

// t0 is the seed's time: evening in UTC, already the next morning in
// Auckland, so that dates show which zone they were written in.
var t0 = time.Date(2026, 3, 2, 20, 0, 0, 0, time.UTC)

// site is the real dashboard behind the real API over the shared test
// world (package world), started at t0 with pools of 10 seats.
//
// People (e-mails): the world's, such as admin@vendor.test, am@vendor.test,
// pm@channel.test (Channel One's manager), pm2@channel2.test (Channel
// Two's), cm@acme.test and cm@globex.test; and pm@east.test, the manager of
// East Partners, a partner of the account manager's without customers yet.
// Companies: Acme (Channel One's; 10 seats of Premium and 10 of Coaching
// assigned, 3 of Premium allocated, to learner@acme.test, learner0@acme.test
// and learner1@acme.test; requested orders PO-A1 and PO-B2 besides the
// world's), Beta (Channel One's), Globex (Channel Two's; a requested order
// PO-G1), Solo (direct). No mail waits. Keys of ids: channel1, channel2,
// east, acme, beta, globex, solo, the orders a1, b2, g1, and start, the
// order of Acme's pool of Premium.
type site struct {
	t        *testing.T
	srv      *httptest.Server
	svc      *allot.Service
	dir      *directory.Service
	accounts *account.Service
	webhooks *webhook.Service
	w        *world.World
	ids      map[string]int64
}

// onEverySite runs f on a fresh site over each backend.
func onEverySite(t *testing.T, f func(t *testing.T, s *site)) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		f(t, newSite(t, b))
	})
}

func newSite(t *testing.T, b storetest.Backend) *site {
	t.Helper()
	w := world.NewWith(t, b, world.Options{Start: t0, Seats: 10})
	hooks := &webhook.Service{Ledger: w.Svc, Store: w.DB.Webhook()}
	h := server.New(server.Config{Ledger: w.Svc, Directory: w.Dir, Accounts: w.Accounts, Programs: w.Programs, Reports: w.Reports, Reclaim: w.Reclaim, Webhooks: hooks, Tokens: &offline.Service{Ledger: w.Svc, Store: w.DB.Offline()}, Sessions: w.DB.Sessions(), Keys: w.DB,
		SCIM: &scim.Service{Ledger: w.Svc, Store: w.DB.SCIM(), Directory: w.Dir}, InsecureCookies: true})
	s := &site{t: t, srv: httptest.NewServer(h), svc: w.Svc, dir: w.Dir, accounts: w.Accounts, webhooks: hooks, w: w, ids: map[string]int64{}}
	t.Cleanup(s.srv.Close)
	for key, c := range map[string]world.Customer{"acme": w.Acme, "beta": w.Beta, "globex": w.Globex, "solo": w.Solo} {
		s.ids[key] = c.Company.ID
	}
	s.ids["channel1"], s.ids["channel2"], s.ids["start"] = w.Partner.ID, w.Partner2.ID, w.Acme.Pool.OrderID

	sys := w.As(w.Admin)
	east := world.Must(w.Svc.CreatePartner(sys, allot.Partner{Name: "East Partners", AccountManagerID: w.Users["am"].ID}))(t)
	s.ids["east"] = east.ID
	world.Must(w.Svc.CreateStaff(sys, allot.NewUser{Email: "pm@east.test", Role: allot.RolePartnerManager, PartnerID: east.ID,
		Password: password}))(t)
	for i := range 2 {
		w.Learner(w.Acme.Company, fmt.Sprintf("learner%d@acme.test", i))
	}
	order := func(key string, c world.Customer, quantity int, po string) {
		t.Helper()
		s.ids[key] = world.Must(w.Svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.Company.ID, ProductCode: "premium",
			Quantity: quantity, PORef: po}))(t).ID
	}
	order("a1", w.Acme, 5, "PO-A1")
	order("b2", w.Acme, 7, "PO-B2")
	order("g1", w.Globex, 4, "PO-G1")
	s.finishJobs(t)
	return s
}

// finishJobs finishes every job waiting, as if it had been done: the
// world's assignments owe the managers a mail, which the pages would list
// as waiting.
func (s *site) finishJobs(t *testing.T) {
	t.Helper()
	ctx, now := context.Background(), s.svc.Clock.Now()
	for {
		jobs, err := s.svc.Store.ClaimJobs(ctx, now, time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			return
		}
		for _, j := range jobs {
			if err := s.svc.Store.FinishJob(ctx, j, now, nil, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// client is a browser signed in as one person: it keeps cookies and
// follows redirects.
type client struct {
	t    *testing.T
	s    *site
	http *http.Client
}

// signIn signs in through the sign-in form.
func (s *site) signIn(t *testing.T, email string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, s: s, http: &http.Client{Jar: jar}}
	res, body := c.post("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" {
		t.Fatalf("sign in as %s: status %d at %s\n%s", email, res.StatusCode, res.Request.URL, body)
	}
	return c
}

// welcomed checks that a welcome mail waits for email, and follows its link
// as its recipient would: the link the mail would carry sets their
// password and signs them in.
func (s *site) welcomed(t *testing.T, email string) *client {
	t.Helper()
	queued := s.w.Mails(allot.MailWelcome)[email]
	if len(queued) == 0 {
		t.Fatalf("no welcome mail waits for %s", email)
	}
	token, _ := world.Must2(s.accounts.IssueLink(context.Background(), queued[0].UserID, allot.MailWelcome))(t)
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, s: s, http: &http.Client{Jar: jar}}
	res, body := c.post("/link/"+token, url.Values{"new_password": {password}, "confirm_password": {password}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password is set. Welcome!") {
		t.Fatalf("the welcome link of %s: status %d at %s\n%s", email, res.StatusCode, res.Request.URL, body)
	}
	return c
}

// zone makes the browser report a time zone, as the page's script does.
func (c *client) zone(name string) {
	u, _ := url.Parse(c.s.srv.URL)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "tz", Value: url.QueryEscape(name), Path: "/"}})
}

// redirect sends GET path without following a redirect.
func (c *client) redirect(path string) *http.Response {
	c.t.Helper()
	no := &http.Client{Jar: c.http.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := no.Get(c.s.srv.URL + path)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	return c.do(http.NewRequest("GET", c.s.srv.URL+path, nil))
}

func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.s.srv.URL+path, strings.NewReader(form.Encode()))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.do(req, err)
}

func (c *client) do(req *http.Request, err error) (*http.Response, string) {
	c.t.Helper()
	if err != nil {
		c.t.Fatal(err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res, html.UnescapeString(string(b))
}

// id returns the id named key as text.
func (s *site) id(key string) string {
	id, ok := s.ids[key]
	if !ok {
		s.t.Fatalf("no id named %s", key)
	}
	return strconv.FormatInt(id, 10)
}

// expect fails the test unless body holds every want and no unwanted.
func expect(t *testing.T, what, body string, want, unwanted []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: want %q in the page\n%s", what, w, body)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s: do not want %q in the page\n%s", what, u, body)
		}
	}
}

func TestCustomersList(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		pm.zone("Pacific/Auckland")
		res, body := pm.get("/customers")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, body)
		}
		expect(t, "partner's customers", body,
			[]string{"<title>Customers", "Acme", "<td>Premium", `<td class="num">10</td><td class="num">3</td><td class="num">7</td>`,
				"<td>Coaching", `<td class="num">10</td><td class="num">0</td><td class="num">10</td>`, "3 Mar 2027", `action="/manage/` + s.id("acme") + `"`, "Manage company"},
			[]string{"Globex", "Solo"})

		_, body = pm.get("/customers?q=zzz")
		expect(t, "search without match", body, []string{"No customer matches"}, []string{"Acme"})

		_, body = s.signIn(t, "pm@east.test").get("/customers")
		expect(t, "partner without customers", body, []string{"Create your first customer", `href="/customers/new"`}, nil)

		admin := s.signIn(t, "admin@vendor.test")
		_, body = admin.get("/customers")
		expect(t, "vendor's customers", body, []string{"Acme", "Globex", "Solo", "Channel One", "Direct customers"}, nil)
		_, body = admin.get("/customers?direct=1")
		expect(t, "direct customers", body, []string{"Solo"}, []string{"Acme", "Globex"})

		sys := allot.WithPrincipal(context.Background(), allot.System)
		for i := range 52 {
			if _, _, err := s.svc.CreateCompany(sys, allot.NewCompany{Name: fmt.Sprintf("Bulk %02d", i), PartnerID: s.ids["channel1"]}); err != nil {
				t.Fatal(err)
			}
		}
		_, body = pm.get("/customers?q=bulk")
		next := regexp.MustCompile(`<a href="([^"]*)">Next page</a>`).FindStringSubmatch(body)
		if n := strings.Count(body, `"customer-name">Bulk `); n != 50 || next == nil || !strings.Contains(next[1], "q=bulk") || !strings.Contains(body, `"customer-name">Bulk 49`) {
			t.Fatalf("first page: %d customers, next %v", n, next)
		}
		_, body = pm.get(html.UnescapeString(next[1]))
		if n := strings.Count(body, `"customer-name">Bulk `); n != 2 || !strings.Contains(body, `"customer-name">Bulk 51`) || strings.Contains(body, "Next page") ||
			!strings.Contains(body, "First page") {
			t.Errorf("second page: %d customers, want Bulk 50 and 51, a first page and no next page\n%s", n, body)
		}
	})
}

func TestCreateCustomerWithOrder(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		for _, c := range []struct {
			name  string
			form  url.Values
			field string // the field the error is next to
			want  string
		}{
			{"no name", url.Values{"product": {"premium"}, "quantity": {"5"}}, "name", "a name is required"},
			{"no quantity", url.Values{"name": {"Initech"}, "product": {"premium"}}, "quantity", "the quantity is 1 to"},
			{"custom term without days", url.Values{"name": {"Initech"}, "product": {"premium"}, "quantity": {"5"}, "term": {"custom"}},
				"term_days", "give the term as a number of days"},
			{"unknown product", url.Values{"name": {"Initech"}, "product": {"nope"}, "quantity": {"5"}}, "product", `no product "nope"`},
			{"no manager", url.Values{"name": {"Initech"}, "product": {"premium"}, "quantity": {"5"}}, "manager_email", "e-mail is required"},
			{"a manager with a bad e-mail", url.Values{"name": {"Initech"}, "product": {"premium"}, "quantity": {"5"},
				"manager_email": {"bill@initech"}}, "manager_email", "is not a valid e-mail address"},
		} {
			res, body := pm.post("/customers", c.form)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", c.name, res.StatusCode)
			}
			near := regexp.MustCompile(`name="` + c.field + `"[^>]*aria-invalid="true"[^<]*>(?s:.*?)<p class="field-error"[^>]*>([^<]*)</p>`)
			if m := near.FindStringSubmatch(body); m == nil || !strings.Contains(m[1], c.want) {
				t.Errorf("%s: want %q next to %s\n%s", c.name, c.want, c.field, body)
			}
		}
		_, body := pm.get("/orders?status=requested")
		expect(t, "after failed forms", body, nil, []string{"Initech"})

		res, body := pm.post("/customers", url.Values{"name": {"Initech"}, "default_product": {"premium"}, "product": {"coaching"},
			"quantity": {"25"}, "po_ref": {"PO-77"}, "note": {"from the signed PO"}, "term": {"6"},
			"manager_email": {"Bill@Initech.test"}, "manager_first_name": {"Bill"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.RequestURI() != "/orders?status=requested" {
			t.Fatalf("create: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "requested orders", body,
			[]string{`<p class="flash" role="status">Initech was created with order`, "25 licences of Coaching for 6 months",
				"<td>Initech</td>", "PO-77", "6 months", "A welcome mail to Bill@Initech.test has a link to choose their password."}, nil)
		_, body = pm.get("/customers")
		expect(t, "customers", body, []string{"Initech"}, nil)

		// The first manager gets in through the welcome mail, to the new
		// company's pages.
		_, body = s.welcomed(t, "bill@initech.test").get("/company/licences")
		expect(t, "the first manager's licences", body, []string{"Licences of Initech"}, nil)
	})
}

// assignForm is the assign form of an order's row menu.
var assignForm = regexp.MustCompile(`<form method="post" action="(/orders/(\d+)/assign)"[^>]*>\s*<input type="hidden" name="back" value="([^"]*)">`)

func TestAssignFromRowMenu(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		_, body := pm.get("/orders?status=requested&po_ref=PO-A1")
		m := assignForm.FindStringSubmatch(body)
		if m == nil || m[2] != s.id("a1") {
			t.Fatalf("no assign form for order %s in the row menu\n%s", s.id("a1"), body)
		}
		res, body := pm.post(m[1], url.Values{"back": {m[3]}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/orders" {
			t.Fatalf("assign: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "after assigning", body, []string{"Order " + s.id("a1") + " for Acme assigned: 5 seats of Premium until 2 Mar 2027."}, nil)

		_, body = pm.get("/orders?status=assigned")
		expect(t, "assigned tab", body, []string{"#" + s.id("a1") + "<", `<span class="badge assigned">`}, nil)
		_, body = pm.get("/orders?status=requested")
		expect(t, "requested tab", body, []string{"#" + s.id("b2") + "<"}, []string{"#" + s.id("a1") + "<"})

		res, body = pm.post(m[1], url.Values{"back": {m[3]}})
		if res.StatusCode != http.StatusConflict {
			t.Errorf("assign twice: status %d, want 409", res.StatusCode)
		}
		expect(t, "assign twice", body, []string{`<p class="error" role="alert">Order ` + s.id("a1") + ": order " + s.id("a1") + " is assigned, not requested"}, nil)

		res, body = pm.post("/orders/"+s.id("b2")+"/reject", url.Values{"back": {"/orders?status=requested"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("reject without reason: status %d, want 422", res.StatusCode)
		}
		expect(t, "reject without reason", body, []string{`<details class="menu" open>`, "say why the order is rejected"}, nil)
		_, body = pm.post("/orders/"+s.id("b2")+"/reject", url.Values{"reason": {"Twice the same PO"}, "back": {"/orders?status=requested"}})
		expect(t, "rejected", body, []string{"Order " + s.id("b2") + " for Acme rejected: Twice the same PO"}, nil)
		_, body = pm.get("/orders?status=cancelled,rejected")
		expect(t, "cancelled and rejected tab", body, []string{"#" + s.id("b2") + "<", "Twice the same PO"}, nil)
	})
}

func TestForeignOrdersAreNotFound(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		for _, action := range []string{"assign", "reject", "cancel"} {
			res, body := pm.post("/orders/"+s.id("g1")+"/"+action, url.Values{"reason": {"no"}})
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s another partner's order: status %d, want 404\n%s", action, res.StatusCode, body)
			}
		}
		res, _ := pm.post("/orders/999999/assign", nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("assign a missing order: status %d, want 404", res.StatusCode)
		}
		_, body := pm.get("/orders?status=requested&company=" + s.id("globex"))
		expect(t, "another partner's company as a filter", body, []string{"No order matches"}, []string{"PO-G1"})
		for _, path := range []string{"/audit?company=" + s.id("globex")} {
			if res, _ := pm.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s: status %d, want 404", path, res.StatusCode)
			}
		}
		if res, _ := pm.post("/partners/"+s.id("channel2")+"/managers", url.Values{"email": {"x@channel2.test"}, "password": {password}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("add a manager to another partner: status %d, want 404", res.StatusCode)
		}
		o, err := s.svc.Order(allot.WithPrincipal(context.Background(), allot.System), s.ids["g1"])
		if err != nil || o.Status != allot.OrderRequested {
			t.Errorf("another partner's order after the attempts: %v, %v", o.Status, err)
		}
	})
}

func TestOrdersFilters(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		for _, c := range []struct {
			name           string
			query          string
			status         int
			want, unwanted []string
		}{
			{"all requested", "status=requested", 200, []string{"PO-A1", "PO-B2"}, []string{"PO-G1", "#" + s.id("start") + "<"}},
			{"PO reference", "status=requested&po_ref=PO-A1", 200, []string{"PO-A1"}, []string{"PO-B2"}},
			{"text", "status=requested&q=b2", 200, []string{"PO-B2"}, []string{"PO-A1"}},
			{"requester by e-mail", "status=requested&requester=pm@channel.test", 200, []string{"No order matches"}, []string{"PO-A1"}},
			{"unknown requester", "status=requested&requester=nobody@x.test", 422,
				[]string{"no one among your people has the e-mail or number nobody@x.test"}, []string{"PO-A1"}},
			{"dates around the seed, in the viewer's zone", "status=requested&from=2026-03-03&to=2026-03-03", 200, []string{"PO-A1"}, nil},
			{"dates before the seed", "status=requested&from=2026-03-01&to=2026-03-02", 200, []string{"No order matches"}, []string{"PO-A1"}},
			{"bad date", "status=requested&from=tomorrow", 422, []string{"give a date such as"}, []string{"PO-A1"}},
			{"assigned tab", "status=assigned", 200, []string{"#" + s.id("start") + "<"}, []string{"PO-A1"}},
		} {
			pm.zone("Pacific/Auckland")
			res, body := pm.get("/orders?" + c.query)
			if res.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
			}
			expect(t, c.name, body, c.want, c.unwanted)
		}

		sys := allot.WithPrincipal(context.Background(), allot.System)
		for range 52 {
			if _, err := s.svc.RequestOrder(sys, allot.NewOrder{CompanyID: s.ids["acme"], ProductCode: "premium", Quantity: 1, PORef: "BULK"}); err != nil {
				t.Fatal(err)
			}
		}
		_, body := pm.get("/orders?status=requested&po_ref=BULK")
		next := regexp.MustCompile(`<a href="([^"]*)">Next page</a>`).FindStringSubmatch(body)
		if strings.Count(body, ">BULK</td>") != 50 || next == nil || !strings.Contains(next[1], "po_ref=BULK") {
			t.Fatalf("first page: %d orders, next %v", strings.Count(body, ">BULK</td>"), next)
		}
		_, body = pm.get(next[1])
		if n := strings.Count(body, ">BULK</td>"); n != 2 || strings.Contains(body, "Next page") {
			t.Errorf("second page: %d orders, want 2 and no next page", n)
		}
	})
}

func TestPagesByRole(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		for _, c := range []struct {
			name, who, path string
			status          int
			to              string // where a redirect ends
			want, unwanted  []string
		}{
			{"partner's audit log", "pm@channel.test", "/audit", 200, "/audit", []string{"Requested an order", "Acme"}, []string{"Globex"}},
			{"vendor's audit log", "admin@vendor.test", "/audit", 200, "/audit", []string{"Created a partner", "Globex"}, nil},
			{"partners", "am@vendor.test", "/partners", 200, "/partners", []string{"Channel One", "<td>am@vendor.test</td>", "mailto:pm@channel.test", "Create a partner"}, nil},
			{"staff", "admin@vendor.test", "/staff", 200, "/staff", []string{"am@vendor.test", "East Partners", "Add a person to the staff"}, nil},
			{"staff for a partner", "pm@channel.test", "/staff", 403, "/staff", nil, []string{"am@vendor.test"}},
			{"products", "admin@vendor.test", "/products", 200, "/products", []string{"premium", "Coaching", "Add a product"}, nil},
			{"products for an account manager", "am@vendor.test", "/products", 200, "/products", []string{"premium"}, []string{"Add a product"}},
			{"all orders for the vendor", "am@vendor.test", "/orders", 200, "/orders", []string{"PO-A1", "PO-G1"}, nil},
			{"new customer for the vendor", "am@vendor.test", "/customers/new", 200, "/customers/new", []string{"None: a direct customer", "Channel One"}, nil},
		} {
			res, body := s.signIn(t, c.who).get(c.path)
			if res.StatusCode != c.status || res.Request.URL.Path != c.to {
				t.Errorf("%s: status %d at %s, want %d at %s", c.name, res.StatusCode, res.Request.URL.Path, c.status, c.to)
			}
			expect(t, c.name, body, c.want, c.unwanted)
		}
	})
}

func TestCompanyManagersHaveTheirOwnPages(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		for path, to := range map[string]string{"/orders": "/company/orders", "/audit": "/company/audit", "/customers": "/company/licences"} {
			if res := cm.redirect(path); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != to {
				t.Errorf("GET %s: status %d to %q, want 303 to %s", path, res.StatusCode, res.Header.Get("Location"), to)
			}
		}
	})
}

func TestVendorForms(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		admin := s.signIn(t, "admin@vendor.test")
		for _, c := range []struct {
			name, path string
			form       url.Values
			status     int
			want       string
		}{
			{"product", "/products", url.Values{"code": {"ai-coach"}, "name": {"AI Coach"}, "term_months": {"6"}}, 200,
				"AI Coach (ai-coach) was added"},
			{"bad product code", "/products", url.Values{"code": {"AI Coach"}, "name": {"AI Coach"}}, 422, "a product code is"},
			{"partner", "/partners", url.Values{"name": {"West Partners"}}, 200, "The partner West Partners was created"},
			{"partner without a name", "/partners", url.Values{"name": {" "}}, 422, "a name is required"},
			{"partner manager", "/partners/" + s.id("east") + "/managers",
				url.Values{"email": {"second@east.test"}, "first_name": {"Sam"}}, 200,
				"Sam now manages East Partners. A welcome mail to second@east.test has a link to choose their password."},
			{"partner manager taken", "/partners/" + s.id("east") + "/managers",
				url.Values{"email": {"pm@channel.test"}}, 409, "pm@channel.test already has an account"},
			{"staff", "/staff", url.Values{"email": {"new@vendor.test"}, "first_name": {"Nia"}, "role": {"support_agent"}}, 200,
				"Nia was added as a support agent. A welcome mail to new@vendor.test has a link to choose their password."},
			{"direct customer", "/customers", url.Values{"name": {"Direct Co"}, "product": {"premium"}, "quantity": {"3"},
				"manager_email": {"boss@direct.test"}}, 200, "Direct Co was created with order"},
		} {
			res, body := admin.post(c.path, c.form)
			if res.StatusCode != c.status {
				t.Errorf("%s: status %d, want %d", c.name, res.StatusCode, c.status)
			}
			expect(t, c.name, body, []string{c.want}, nil)
		}
		if _, body := s.welcomed(t, "second@east.test").get("/customers"); !strings.Contains(body, "Create your first customer") {
			t.Errorf("the new partner manager cannot reach their customers\n%s", body)
		}
		if _, body := admin.get("/customers?direct=1"); !strings.Contains(body, "Direct Co") {
			t.Errorf("the new direct customer is not listed\n%s", body)
		}
		am := strconv.FormatInt(s.w.Users["am"].ID, 10)
		res, body := admin.post("/users/"+am+"/welcome", url.Values{"back": {"/staff"}})
		if res.Request.URL.Path != "/staff" || !strings.Contains(body, "A new welcome mail is on its way to am@vendor.test") {
			t.Errorf("a new welcome from the staff page: status %d at %s", res.StatusCode, res.Request.URL)
		}
		if res, _ := s.signIn(t, "pm@channel.test").post("/users/"+am+"/welcome", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a partner manager welcoming vendor staff: status %d, want 404", res.StatusCode)
		}
		if _, body := s.welcomed(t, "new@vendor.test").get("/customers"); !strings.Contains(body, "Customers") {
			t.Errorf("the new support agent cannot reach the customers\n%s", body)
		}
	})
}
