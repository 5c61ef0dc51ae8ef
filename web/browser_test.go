package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/csvio"
	"allot/demo"
	"allot/directory"
	"allot/jobs"
	"allot/offline"
	"allot/programme"
	"allot/reclaim"
	"allot/report"
	"allot/scim"
	"allot/server"
	"allot/storetest"
	"allot/support"
	"allot/webhook"

	"github.com/chromedp/chromedp"
)

// browser is a real Chromium driving a fresh allot server, with its own
// SQLite database holding the demo world as of demoNow.
type browser struct {
	t        *testing.T
	ctx      context.Context
	base     string
	svc      *allot.Service
	dir      *directory.Service
	accounts *account.Service
	programs *programme.Service
	support  *support.Service
	reports  *report.Service
	reclaim  *reclaim.Service
	clock    *allot.ManualClock
	demo     demo.Summary
}

// demoNow is the browser tests' "now".
var demoNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// browserZone is the browser's time zone.
const browserZone = "Europe/Berlin"

// newBrowser starts a server and a browser for one test. Without Debian's
// chromium the test is skipped, saying how to run it. When the test fails,
// a screenshot of the page is saved in testdata/failures.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("browser tests need Chromium: apt-get install chromium (.ci/run does)")
	}
	db := storetest.Backends[0].Open(t)
	b := &browser{t: t, clock: allot.NewManualClock(demoNow)}
	b.svc = allot.NewService(db, b.clock, nil)
	b.svc.Passwords = allot.PasswordParams{Time: 1, Memory: 64, Threads: 1}
	b.dir = &directory.Service{Ledger: b.svc, Store: db.Directory(), Files: csvio.Files{}}
	b.accounts = &account.Service{Ledger: b.svc, Store: db.Account()}
	b.programs = &programme.Service{Ledger: b.svc, Store: db.Programme()}
	b.support = &support.Service{Ledger: b.svc, Store: db.Support()}
	b.reports = &report.Service{Ledger: b.svc, Store: db.Report()}
	b.reclaim = &reclaim.Service{Ledger: b.svc, Store: db.Reclaim()}
	if b.demo, err = demo.Load(context.Background(), db, demoNow, b.svc.Passwords); err != nil {
		t.Fatal(err)
	}
	handler := server.New(server.Config{Ledger: b.svc, Directory: b.dir, Accounts: b.accounts, Programs: b.programs, Support: b.support, Reports: b.reports, Reclaim: b.reclaim, Webhooks: &webhook.Service{Ledger: b.svc, Store: db.Webhook()},
		Tokens: &offline.Service{Ledger: b.svc, Store: db.Offline()}, SCIM: &scim.Service{Ledger: b.svc, Store: db.SCIM(), Directory: b.dir}, Sessions: db.Sessions(), Keys: db, InsecureCookies: true})
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	b.base = srv.URL

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
		// The viewer is an hour ahead of UTC: pages show dates in the
		// viewer's zone, the same day as in UTC at demoNow.
		chromedp.Env("TZ=" + browserZone),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	b.ctx = ctx
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot()
		}
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return b
}

// runJobs runs the import jobs in the background until the test ends, as
// the server's worker does.
func (b *browser) runJobs() {
	b.work(map[string]jobs.Handler{directory.JobImport: b.dir.RunImport})
}

// work runs the jobs of the handlers' kinds in the background until the
// test ends.
func (b *browser) work(handlers map[string]jobs.Handler) {
	ctx, cancel := context.WithCancel(context.Background())
	w := &jobs.Worker{Store: b.svc.Store, Clock: b.clock, Handlers: handlers, Poll: 50 * time.Millisecond}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.Run(ctx)
	}()
	b.t.Cleanup(func() {
		cancel()
		<-done
	})
}

// screenshot saves what the browser shows as testdata/failures/TEST.png.
func (b *browser) screenshot() {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(b.ctx), 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Logf("no screenshot: %v", err)
		return
	}
	name := filepath.Join("testdata", "failures", strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name())+".png")
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err == nil && os.WriteFile(name, buf, 0o644) == nil {
		b.t.Logf("screenshot of the failure: %s", name)
	}
}

// do runs browser actions, failing the test on error.
func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// css selects the first element matching a CSS selector. (A plain string
// would be a DOM search, which also matches text.)
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// inRow selects the elements matching sel in the table rows whose text
// holds row, the first row first: the button of one company, the menu of
// one order.
func inRow(row, sel string) chromedp.JSPath {
	return chromedp.JSPath(fmt.Sprintf(`Array.from(document.querySelectorAll("tbody tr")).filter(r => r.textContent.includes(%s)).map(r => r.querySelector(%s)).filter(Boolean)`,
		jsString(row), jsString(sel)))
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// visit goes to path on the server and waits for its heading. It returns
// the HTTP status of the page shown, after any redirect.
func (b *browser) visit(path string) int64 {
	b.t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	b.do(chromedp.WaitVisible(css("h1")))
	return resp.Status
}

// open goes to path on the server, which must answer 200, and waits for
// its heading.
func (b *browser) open(path string) {
	b.t.Helper()
	if status := b.visit(path); status != http.StatusOK {
		b.t.Fatalf("open %s: status %d, want 200; the page shows:\n%s", path, status, b.text("main"))
	}
}

// follow clicks sel (a link, or a button that sends a form) like a person
// and waits for the page it leads to. It returns that page's HTTP status.
func follow[S chromedp.Selectable](b *browser, sel S) int64 {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(sel))
	if err != nil {
		b.t.Fatalf("click %v: %v", sel, err)
	}
	if resp == nil {
		b.t.Fatalf("click %v: no page loaded", sel)
	}
	b.do(chromedp.WaitVisible(css("h1")))
	return resp.Status
}

// click follows the element matching the CSS selector sel; the page it
// leads to must answer 200.
func (b *browser) click(sel string) {
	b.t.Helper()
	if status := follow(b, css(sel)); status != http.StatusOK {
		b.t.Fatalf("click %s: status %d, want 200; the page shows:\n%s", sel, status, b.text("main"))
	}
}

// post sends an empty form to path from the page shown, as a person who
// forges a request would: for the pages no button leads to. It returns
// the status of the page the form leads to.
func (b *browser) post(path string) int64 {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		const f = document.createElement("form");
		f.method = "post"; f.action = %s; f.id = "forged";
		const button = document.createElement("button");
		button.textContent = "Send";
		f.append(button);
		document.querySelector("main").append(f);
		return true;
	})()`, jsString(path))))
	if err != nil {
		b.t.Fatal(err)
	}
	return follow(b, css("#forged button"))
}

// signIn signs in as email with the demo password, from the sign-in page.
func (b *browser) signIn(email string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys(css(`input[name=email]`), email), chromedp.SendKeys(css(`input[name=password]`), demo.Password))
	b.click(`form[action="/login"] button`)
	if n := b.count(`header nav a`); n == 0 {
		b.t.Fatalf("%s is not signed in; the page shows:\n%s", email, b.text("main"))
	}
	b.noError()
}

// signOut signs out with the header's button.
func (b *browser) signOut() {
	b.t.Helper()
	b.click(`form[action="/logout"] button`)
	b.heading("Sign in", "Sign in")
}

// setPassword gives the person with e-mail email the demo password, right
// in the store, for tests about something else than getting in (which
// browser_accounts_test.go follows through the mails).
func (b *browser) setPassword(email string) {
	b.t.Helper()
	hash, err := allot.HashPassword(demo.Password, b.svc.Passwords)
	if err != nil {
		b.t.Fatal(err)
	}
	err = b.svc.Store.Write(context.Background(), func(tx allot.Tx) error {
		u, err := tx.UserByEmail(email)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		return tx.UpdateUser(u)
	})
	if err != nil {
		b.t.Fatal(err)
	}
}

// text returns the visible text of the first element matching the CSS
// selector sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(css(sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return strings.TrimSpace(s)
}

// eval returns the value of a JavaScript expression on the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

// count returns how many elements match the CSS selector sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// at fails the test unless the page shown is path (with its query, if path
// has one).
func (b *browser) at(path string) {
	b.t.Helper()
	got := eval[string](b, `location.pathname`)
	if strings.Contains(path, "?") {
		got = eval[string](b, `location.pathname + location.search`)
	}
	if got != path {
		b.t.Errorf("the browser is at %s, want %s", got, path)
	}
}

// heading fails the test unless the page's title is title and its heading
// is h1.
func (b *browser) heading(title, h1 string) {
	b.t.Helper()
	if got := eval[string](b, `document.title`); got != title+" · allot" {
		b.t.Errorf("the page's title is %q, want %q", got, title+" · allot")
	}
	if got := b.text("h1"); got != h1 {
		b.t.Errorf("the page's heading is %q, want %q", got, h1)
	}
}

// noError fails the test if the page shows an error: for the page, or
// next to a field.
func (b *browser) noError() {
	b.t.Helper()
	if n := b.count(`main .error, main .field-error, [aria-invalid="true"]`); n > 0 {
		b.t.Errorf("the page shows %d errors:\n%s", n, b.text("main"))
	}
}

// flash returns the confirmation the page shows, "" for none.
func (b *browser) flash() string {
	b.t.Helper()
	if b.count(`main > p.flash`) == 0 {
		return ""
	}
	return b.text(`main > p.flash`)
}

// cells returns the text of each cell of the first table row whose text
// holds row, failing the test when there is none.
func (b *browser) cells(row string) []string {
	b.t.Helper()
	cells := eval[[]string](b, fmt.Sprintf(`(() => {
		const r = Array.from(document.querySelectorAll("tbody tr")).find(r => r.textContent.includes(%s));
		return r ? Array.from(r.cells, c => c.innerText.trim()) : [];
	})()`, jsString(row)))
	if len(cells) == 0 {
		b.t.Fatalf("no table row holds %q; the page shows:\n%s", row, b.text("main"))
	}
	return cells
}

// see fails the test unless the page's main content holds each of want.
func (b *browser) see(want ...string) {
	b.t.Helper()
	got := b.text("main")
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Errorf("the page does not show %q; it shows:\n%s", w, got)
		}
	}
}

// notSee fails the test if the page's main content holds any of unwanted.
func (b *browser) notSee(unwanted ...string) {
	b.t.Helper()
	got := b.text("main")
	for _, w := range unwanted {
		if strings.Contains(got, w) {
			b.t.Errorf("the page shows %q; it should not:\n%s", w, got)
		}
	}
}

// companyID returns the ID of the demo company named name.
func (b *browser) companyID(name string) int64 {
	b.t.Helper()
	list, err := b.svc.Companies(allot.WithPrincipal(context.Background(), allot.System), allot.CompanyFilter{Search: name})
	if err != nil || len(list) != 1 {
		b.t.Fatalf("company %s: %v %v", name, list, err)
	}
	return list[0].ID
}

// order returns the order with the purchase-order reference po.
func (b *browser) order(po string) allot.Order {
	b.t.Helper()
	list, err := b.svc.Orders(allot.WithPrincipal(context.Background(), allot.System), allot.OrderFilter{PORef: po})
	if err != nil || len(list) != 1 {
		b.t.Fatalf("order %s: %v %v", po, list, err)
	}
	return list[0]
}

// equal fails the test unless got equals want, saying what.
func equal[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

func TestBrowserCompanyLicences(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@stark.demo")
	b.open("/company/licences")
	b.heading("Licences", "Licences of Stark Studios")
	b.see("Premium awareness training", "Active")
	b.noError()
}

// A partner manager creates a customer with its first order, finds the
// order among the requested ones with the filter bar, assigns it from the
// row's menu, and sees the new pool on the company's licences page.
func TestBrowserPartnerCreatesCustomerAndAssignsItsOrder(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@northwind.demo")
	b.open("/customers")
	b.heading("Customers", "Customers")

	b.click(`a[href="/customers/new"]`)
	b.heading("New customer", "New customer")
	b.noError()
	b.do(
		chromedp.SendKeys(css(`input[name=name]`), "Wayne Freight"),
		chromedp.SendKeys(css(`input[name=manager_email]`), "bruce@wayne.demo"),
		chromedp.SetValue(css(`select[name=default_product]`), "premium"),
		chromedp.SetValue(css(`select[name=product]`), "premium"),
		chromedp.SendKeys(css(`input[name=quantity]`), "25"),
		chromedp.Click(css(`input[name=term][value="12"]`)),
		chromedp.SendKeys(css(`input[name=po_ref]`), "PO-WAYNE-1"),
		chromedp.SendKeys(css(`textarea[name=note]`), "first year of training"),
	)
	b.click(`form[action="/customers"] button[type=submit]`)
	b.at("/orders?status=requested")
	b.heading("Orders", "Orders")
	b.noError()
	order := b.order("PO-WAYNE-1")
	equal(t, "flash", b.flash(), fmt.Sprintf("Wayne Freight was created with order %d: 25 licences of Premium awareness training for 12 months, waiting to be assigned. "+
		"A welcome mail to bruce@wayne.demo has a link to choose their password.", order.ID))
	equal(t, "current tab", b.text(`nav.tabs a[aria-current=page]`), "Requested (2)")

	// The filter bar: the PO reference finds the one order.
	b.do(chromedp.SendKeys(css(`form[role=search] input[name=po_ref]`), "PO-WAYNE-1"))
	b.click(`form[role=search] button[type=submit]`)
	b.heading("Orders", "Orders")
	b.noError()
	equal(t, "current tab", b.text(`nav.tabs a[aria-current=page]`), "Requested (1)")
	equal(t, "rows", b.count(`tbody tr`), 1)
	row := b.cells("Wayne Freight")
	want := []string{fmt.Sprintf("#%d", order.ID), "Wayne Freight", "Premium awareness training", "25", "12 months", "PO-WAYNE-1", "Nadia North"}
	for i, w := range want {
		equal(t, "order row cell "+strconv.Itoa(i), row[i], w)
	}
	equal(t, "status", b.text(`tbody tr .badge`), "Requested")

	// The row's menu: assign.
	b.do(chromedp.Click(inRow("Wayne Freight", "details.menu summary")),
		chromedp.WaitVisible(inRow("Wayne Freight", `form[action$="/assign"] button`)))
	equal(t, "assign button", b.text(`details.menu[open] form[action$="/assign"] button`), "Assign 25 licences of Premium awareness training")
	asked := b.confirmNext()
	if status := follow(b, inRow("Wayne Freight", `form[action$="/assign"] button`)); status != http.StatusOK {
		t.Fatalf("assign: status %d", status)
	}
	equal(t, "question", <-asked, "Assign 25 licences of Premium awareness training to Wayne Freight? Their term of 12 months starts today.")
	b.heading("Orders", "Orders")
	b.noError()
	equal(t, "flash", b.flash(), fmt.Sprintf("Order %d for Wayne Freight assigned: 25 seats of Premium awareness training until 21 Nov 2027.", order.ID))
	equal(t, "filter kept", eval[string](b, `document.querySelector("form[role=search] input[name=po_ref]").value`), "PO-WAYNE-1")
	b.see("No order matches these filters.")

	// Under Assigned, with the same filter.
	b.click(`nav.tabs a[href*="status=assigned"]`)
	equal(t, "current tab", b.text(`nav.tabs a[aria-current=page]`), "Assigned (1)")
	equal(t, "rows", b.count(`tbody tr`), 1)
	equal(t, "status", b.text(`tbody tr .badge`), "Assigned")
	equal(t, "no menu", b.count(`tbody tr details.menu`), 0)

	// The customers list, then the company's licences.
	b.click(`header nav a[href="/customers"]`)
	b.heading("Customers", "Customers")
	row = b.cells("Wayne Freight")
	equal(t, "product", row[1], "Premium awareness training")
	equal(t, "bought", row[2], "25")
	equal(t, "allocated", row[3], "0")
	equal(t, "free", row[4], "25")
	if status := follow(b, inRow("Wayne Freight", `form[action^="/manage/"] button`)); status != http.StatusOK {
		t.Fatalf("manage company: status %d", status)
	}
	b.at("/company/licences")
	b.heading("Licences", "Licences of Wayne Freight")
	b.noError()
	equal(t, "flash", b.flash(), "You are now managing Wayne Freight.")
	row = b.cells("Premium awareness training")
	for i, w := range []string{"Premium awareness training", "25", "0", "25"} {
		equal(t, "pool cell "+strconv.Itoa(i), row[i], w)
	}
	equal(t, "start", row[5], "21 Nov 2026")
	equal(t, "end", row[6], "21 Nov 2027")
	equal(t, "status", row[7], "Active")
	equal(t, "pools", b.count(`tbody tr`), 1)
}

// A partner manager enters a customer in manage mode, adds a user there,
// who gets a seat at once, leaves manage mode, and finds what they did in
// the audit log: in their own name, in that company, in manage mode.
func TestBrowserPartnerManagesCompany(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@bluebird.demo")
	b.open("/customers")
	b.heading("Customers", "Customers")
	equal(t, "banners", b.count(`.banner`), 0)

	if status := follow(b, inRow("Umbrella Retail", `form[action^="/manage/"] button`)); status != http.StatusOK {
		t.Fatalf("manage company: status %d", status)
	}
	b.at("/company/licences")
	b.heading("Licences", "Licences of Umbrella Retail")
	b.noError()
	equal(t, "flash", b.flash(), "You are now managing Umbrella Retail.")
	equal(t, "banner", strings.Join(strings.Fields(b.text(`.banner`)), " "),
		"You are managing Umbrella Retail with its manager's rights. Everything you do is recorded in your name. Exit manage mode")
	equal(t, "partner menu", b.count(`header nav a[href="/customers"]`), 0)

	b.click(`header nav a[href="/company/users"]`)
	b.heading("Users", "Users of Umbrella Retail")
	b.noError()
	const add = `form[method=post][action="/company/users"]`
	b.do(chromedp.Click(css(`details.filters > summary`)), chromedp.WaitVisible(css(add+` input[name=email]`)),
		chromedp.SendKeys(css(add+` input[name=email]`), "nia.newman@umbrella.demo"),
		chromedp.SendKeys(css(add+` input[name=first_name]`), "Nia"),
		chromedp.SendKeys(css(add+` input[name=last_name]`), "Newman"),
		chromedp.SendKeys(css(add+` input[name=department]`), "Stores"))
	b.click(add + ` button[type=submit]`)
	b.at("/company/users")
	b.heading("Users", "Users of Umbrella Retail")
	b.noError()
	// Umbrella's six-month pool was assigned a month before demoNow.
	equal(t, "flash", b.flash(), "nia.newman@umbrella.demo was added and given a seat until 21 Apr 2027. "+
		"A welcome mail has a link to choose their password.")
	row := b.cells("nia.newman@umbrella.demo")
	equal(t, "user", row[0], "Nia Newman\nnia.newman@umbrella.demo")
	equal(t, "department", row[1], "Stores")
	equal(t, "licence", row[2], "Active")
	equal(t, "until", row[3], "21 Apr 2027")
	equal(t, "badge", eval[string](b, string(inRow("nia.newman@umbrella.demo", ".badge"))+"[0].className"), "badge active")
	if b.count(`.banner`) != 1 {
		t.Error("the manage-mode banner is gone")
	}

	// The company's audit log, still in manage mode.
	b.click(`header nav a[href="/company/audit"]`)
	b.heading("Audit log", "Audit log")
	b.noError()
	for i, action := range []string{"Gave a seat", "Added a person"} {
		row := b.cells(action)
		equal(t, "who "+strconv.Itoa(i), row[1], "Ben Blue\nmanager@bluebird.demo in manage mode")
	}

	// Exit manage mode: back to the customers, without the banner.
	b.click(`.banner form[action="/manage/exit"] button`)
	b.at("/customers")
	b.heading("Customers", "Customers")
	b.noError()
	equal(t, "flash", b.flash(), "You left manage mode.")
	equal(t, "banners", b.count(`.banner`), 0)
	equal(t, "partner menu", b.count(`header nav a[href="/customers"]`), 1)

	// The partner's audit log, narrowed to the company.
	u, err := b.svc.UserByEmail(allot.WithPrincipal(context.Background(), allot.System), "nia.newman@umbrella.demo")
	if err != nil {
		t.Fatal(err)
	}
	b.click(`header nav a[href="/audit"]`)
	b.heading("Audit log", "Audit log")
	b.do(chromedp.SetValue(css(`form[role=search] select[name=company]`), strconv.FormatInt(b.companyID("Umbrella"), 10)))
	b.click(`form[role=search] button[type=submit]`)
	b.heading("Audit log", "Audit log")
	b.noError()
	first := b.cells("Gave a seat")
	equal(t, "who", first[1], "Ben Blue\nmanager@bluebird.demo in manage mode")
	equal(t, "company", first[2], "Umbrella Retail")
	added := b.cells("Added a person")
	equal(t, "who", added[1], "Ben Blue\nmanager@bluebird.demo in manage mode")
	equal(t, "company", added[2], "Umbrella Retail")
	equal(t, "subject", added[4], u.Name())
	if first := b.cells("manager@bluebird.demo"); first[3] != "Gave a seat" {
		t.Errorf("the newest entry of the partner manager is %q, want the seat", first[3])
	}
}

// A company manager renews all expired learners in one step, once the
// partner has assigned the renewal order.
func TestBrowserCompanyManagerRenewsAllExpired(t *testing.T) {
	b := newBrowser(t)
	renewal := b.order("PO-GLOBEX-2026")

	// The partner assigns Globex's renewal order.
	b.signIn("manager@northwind.demo")
	b.click(`header nav a[href="/orders"]`)
	b.heading("Orders", "Orders")
	b.do(chromedp.SendKeys(css(`form[role=search] input[name=po_ref]`), "PO-GLOBEX-2026"))
	b.click(`form[role=search] button[type=submit]`)
	b.noError()
	equal(t, "rows", b.count(`tbody tr`), 1)
	row := b.cells("Globex Health")
	equal(t, "order", row[0], fmt.Sprintf("#%d", renewal.ID))
	equal(t, "seats", row[3], "40")
	b.do(chromedp.Click(inRow("Globex Health", "details.menu summary")),
		chromedp.WaitVisible(inRow("Globex Health", `form[action$="/assign"] button`)))
	b.confirmNext()
	if status := follow(b, inRow("Globex Health", `form[action$="/assign"] button`)); status != http.StatusOK {
		t.Fatalf("assign: status %d", status)
	}
	b.noError()
	equal(t, "flash", b.flash(), fmt.Sprintf("Order %d for Globex Health assigned: 40 seats of Premium awareness training until 21 Nov 2027.", renewal.ID))
	b.signOut()

	// Globex's manager sees the new pool, untouched.
	b.signIn("manager@globex.demo")
	b.open("/company/licences")
	b.heading("Licences", "Licences of Globex Health")
	equal(t, "pools", b.count(`tbody tr`), 2)
	row = b.cells("Active")
	for i, w := range []string{"Premium awareness training", "40", "0", "40"} {
		equal(t, "new pool cell "+strconv.Itoa(i), row[i], w)
	}
	old := eval[[]string](b, `Array.from(document.querySelector(".expired-pools tbody tr").cells, c => c.innerText.trim())`)
	for i, w := range []string{"Premium awareness training", "45", "40"} {
		equal(t, "old pool cell "+strconv.Itoa(i), old[i], w)
	}

	// Renew all 40 in one step.
	b.click(`header nav a[href="/company/expired"]`)
	b.heading("Expired licences", "Expired licences of Globex Health")
	b.noError()
	equal(t, "expired learners", b.count(`tbody input[name=user]`), 40)
	equal(t, "pool choice", eval[string](b, `document.querySelector("select[name=pool_id]").selectedOptions[0].textContent`), "the licences that expire first (40 free)")
	equal(t, "renew all", b.text(`button[name=all][value="1"]`), "Renew all 40")
	b.notSee("seats are free for")
	b.click(`button[name=all][value="1"]`)
	b.at("/company/expired?product=premium")
	b.heading("Expired licences", "Expired licences of Globex Health")
	b.noError()
	equal(t, "flash", b.flash(), "40 learners renewed.")
	equal(t, "expired learners", b.count(`tbody tr`), 0)
	b.see("No learner's Premium awareness training licence has expired.")

	// The new pool is full; the old one is as it was.
	b.click(`header nav a[href="/company/licences"]`)
	b.heading("Licences", "Licences of Globex Health")
	row = b.cells("Active")
	for i, w := range []string{"Premium awareness training", "40", "40", "0"} {
		equal(t, "new pool cell "+strconv.Itoa(i), row[i], w)
	}
	old = eval[[]string](b, `Array.from(document.querySelector(".expired-pools tbody tr").cells, c => c.innerText.trim())`)
	for i, w := range []string{"Premium awareness training", "45", "40"} {
		equal(t, "old pool cell "+strconv.Itoa(i), old[i], w)
	}

	// No user is left expired.
	b.open("/company/users?status=expired")
	b.heading("Users", "Users of Globex Health")
	b.see("No user matches these filters.")
}

// A learner whose seat expired sees it, since when, and whom to ask.
func TestBrowserLearnerSeesExpiredAccess(t *testing.T) {
	b := newBrowser(t)
	var email string
	for _, a := range b.demo.Learners {
		if a.What == "expired" {
			email = a.Email
		}
	}
	if !strings.HasSuffix(email, "@globex.demo") {
		t.Fatalf("the demo's expired learner is %q, want one of Globex", email)
	}
	b.setPassword(email)
	b.signIn(email)
	b.at("/me")
	b.heading("My access", "My access")
	b.noError()
	equal(t, "menu", b.text(`header nav`), "My access\nSupport")
	equal(t, "products", b.count(`li.card`), 1)
	equal(t, "product", b.text(`li.card h2`), "Premium awareness training")
	equal(t, "badge", b.text(`li.card .badge.expired`), "Expired")
	// Globex's pool was assigned 13 months before demoNow, for 12 months.
	b.see("Your access expired on 21 Oct 2026.",
		"To get access, contact Morgan Globex at manager@globex.demo.")
	equal(t, "contact link", eval[string](b, `document.querySelector("li.card a").getAttribute("href")`), "mailto:manager@globex.demo")
}

// A company manager cannot reach another company, and a learner cannot
// reach the managers' pages; nothing of anyone else shows.
func TestBrowserTenantIsolation(t *testing.T) {
	b := newBrowser(t)
	globex := b.companyID("Globex")
	order := b.order("PO-GLOBEX-2026")
	others := []string{"Globex", "globex", "PO-GLOBEX", "Initech", "Umbrella", "Stark", "Northwind", "Bluebird"}

	b.signIn("manager@acme.demo")
	b.open("/company/licences")
	b.heading("Licences", "Licences of Acme Logistics")
	b.notSee(others...)

	// Manage mode in Globex, by a forged form: not found.
	equal(t, "POST /manage/globex", b.post(fmt.Sprintf("/manage/%d", globex)), http.StatusNotFound)
	b.heading("Not Found", "Not Found")
	equal(t, "error", b.text(`main .error`), "company not found")
	equal(t, "banners", b.count(`.banner`), 0)
	b.notSee(others...)
	b.open("/company/licences")
	b.heading("Licences", "Licences of Acme Logistics")
	equal(t, "banners", b.count(`.banner`), 0)

	// Globex's order: not found, and unchanged.
	for _, action := range []string{"cancel", "assign", "reject"} {
		equal(t, "POST order "+action, b.post(fmt.Sprintf("/orders/%d/%s", order.ID, action)), http.StatusNotFound)
		b.heading("Not Found", "Not Found")
		equal(t, "error", b.text(`main .error`), "order not found")
		b.notSee(others...)
	}
	if o := b.order("PO-GLOBEX-2026"); o.Status != allot.OrderRequested {
		t.Errorf("Globex's order is %s after Acme's manager tried it", o.Status)
	}

	// The partner's pages, with Globex in the query, lead to Acme's own.
	for path, to := range map[string]string{
		fmt.Sprintf("/orders?company=%d&status=requested", globex): "/company/orders",
		fmt.Sprintf("/audit?company=%d", globex):                   "/company/audit",
		"/customers":                                               "/company/licences",
	} {
		b.open(path)
		b.at(to)
		b.noError()
		b.notSee(others...)
	}
	b.open("/company/orders")
	b.heading("Orders", "Orders of Acme Logistics")
	b.see("PO-ACME-2025")
	b.signOut()

	// A learner of Stark.
	var learner string
	for _, a := range b.demo.Learners {
		if a.What == "active" {
			learner = a.Email
		}
	}
	b.setPassword(learner)
	b.signIn(learner)
	b.at("/me")
	b.heading("My access", "My access")
	equal(t, "menu", b.text(`header nav`), "My access\nSupport")
	// The company pages, the partner's and the vendor's refuse, saying
	// what they are for.
	for _, c := range []struct {
		path    string
		status  int64
		message string
	}{
		{"/company/users", http.StatusForbidden, "companies are listed for managers only"},
		{"/company/licences", http.StatusForbidden, "companies are listed for managers only"},
		{"/company/orders", http.StatusForbidden, "companies are listed for managers only"},
		{"/company/expired", http.StatusForbidden, "companies are listed for managers only"},
		{"/company/audit", http.StatusForbidden, "companies are listed for managers only"},
		{"/customers", http.StatusForbidden, "companies are listed for managers only"},
		{"/customers/new", http.StatusForbidden, "customers are created by partners and by the vendor's account managers"},
		{"/orders", http.StatusForbidden, "companies are listed for managers only"},
		{"/audit", http.StatusForbidden, "companies are listed for managers only"},
		{"/partners", http.StatusForbidden, "partners are listed for the vendor and partners only"},
	} {
		equal(t, "GET "+c.path, b.visit(c.path), c.status)
		b.at(c.path)
		b.heading("No access", "No access")
		equal(t, c.path+" error", b.text(`main .error`), c.message)
		equal(t, c.path+" rows", b.count(`table`), 0)
		b.notSee(append(others, "Acme", "@")...)
	}
	// Nor do forged forms get through.
	equal(t, "POST /company/users", b.post("/company/users"), http.StatusForbidden)
	equal(t, "POST /manage/globex", b.post(fmt.Sprintf("/manage/%d", globex)), http.StatusNotFound)
	equal(t, "banners", b.count(`.banner`), 0)
	b.open("/")
	b.at("/me")
	b.heading("My access", "My access")
	b.noError()
	b.see("Active", "You may use it until")
}
