package web_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// The dashboard works under its Content-Security-Policy: the browser
// refuses nothing on its pages (no inline style or script is left), the
// usage bars still show how full each pool is, and the script still runs
// (a destructive form asks first).
func TestBrowserContentSecurityPolicy(t *testing.T) {
	b := newBrowser(t)
	refused := b.refusals()

	b.signIn("manager@bluebird.demo")
	b.open("/customers")
	if status := follow(b, inRow("Umbrella Retail", `form[action^="/manage/"] button`)); status != http.StatusOK {
		t.Fatalf("manage company: status %d", status)
	}
	b.heading("Licences", "Licences of Umbrella Retail")
	bars := eval[[]float64](b, `Array.from(document.querySelectorAll("meter.usage")).map(m => m.getBoundingClientRect().width * m.value / m.max)`)
	if len(bars) == 0 {
		t.Fatal("the licences show no usage bar")
	}
	filled := false
	for _, w := range bars {
		filled = filled || w > 0
	}
	if !filled {
		t.Errorf("no usage bar shows a used seat: %v", bars)
	}
	for _, path := range []string{"/company/users", "/company/orders", "/company/expired", "/company/audit", "/company/settings",
		"/company/notifications", "/company/users/import", "/company/programmes", "/company/invitations", "/company/invite", "/company/directory",
		"/company/scim", "/account"} {
		b.open(path)
		b.noError()
	}
	// The script asks before a destructive form is sent: dismissing the
	// question keeps the page.
	b.open("/company/users")
	eval[bool](b, `window.confirm = () => { window.asked = true; return false; }; true`)
	eval[bool](b, `document.querySelector("form[data-confirm]").requestSubmit(); true`)
	if !eval[bool](b, `window.asked === true`) {
		t.Error("the script did not ask before removing a user")
	}
	b.at("/company/users")

	b.open("/docs")
	if r := refused(); len(r) > 0 {
		t.Errorf("the browser refused what the policy forbids:\n%s", strings.Join(r, "\n"))
	}
}

// refusals collects what the browser refuses under the pages' policies
// from now until the test ends.
func (b *browser) refusals() func() []string {
	var (
		mu      sync.Mutex
		refused []string
	)
	messages := chromedp.Console(b.ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Source == "security" || strings.Contains(m.Text, "Content Security Policy") || strings.Contains(m.Text, "Refused") {
				mu.Lock()
				refused = append(refused, m.URL+": "+m.Text)
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), refused...)
	}
}
