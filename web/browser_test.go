package web_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/api"
	"allot/demo"
	"allot/storetest"
	"allot/web"

	"github.com/chromedp/chromedp"
)

// browser is a real Chromium driving a fresh allot server, with its own
// SQLite database holding the demo world as of demoNow.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	svc   *allot.Service
	clock *allot.ManualClock
	demo  demo.Summary
}

// demoNow is the browser tests' "now".
var demoNow = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

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
	if b.demo, err = demo.Load(context.Background(), db, demoNow, b.svc.Passwords); err != nil {
		t.Fatal(err)
	}
	handler := api.New(b.svc, api.Options{Sessions: db.Sessions(), Keys: db, InsecureCookies: true})
	handler.Mount(web.New(b.svc, handler, nil))
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	b.base = srv.URL

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true),
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

// open goes to path on the server and waits for its heading.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base+path), chromedp.WaitVisible("h1"))
}

// signIn signs in as email with the demo password.
func (b *browser) signIn(email string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys(`input[name=email]`, email), chromedp.SendKeys(`input[name=password]`, demo.Password),
		chromedp.Click(`form[action="/login"] button`), chromedp.WaitVisible("nav"))
}

// text returns the text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
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

func TestBrowserCompanyLicences(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@stark.demo")
	b.open("/company/licences")
	b.see("Licences of Stark Studios", "Premium awareness training", "Active")
}
