package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserReclaim follows Stark Studios' manager to the demo's reclaim
// rule from the settings, at a laptop's width and a phone's: the page is
// no wider than the screen and previews the four idle learners; switching
// the rule on asks first, naming what it does now.
func TestBrowserReclaim(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@stark.demo")
	for _, size := range []struct{ width, height int64 }{{1366, 900}, {390, 844}} {
		b.do(chromedp.EmulateViewport(size.width, size.height))
		b.open("/company/settings")
		b.click(`a[href="/company/reclaim"]`)
		b.heading("Reclaim rules", "Reclaim rules of Stark Studios")
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(size.width) {
			t.Errorf("the page at %d px is %d px wide", size.width, w)
		}
		b.see("Would be warned now: 4 learners", "Would be reclaimed now: 0 seats", "Changed by manager@stark.demo")
		if n := b.count(".reclaim-rule tbody tr"); n != 4 {
			t.Errorf("%d learners listed, want 4", n)
		}
	}
	eval[bool](b, `window.confirm = (m) => { sessionStorage.setItem("asked", m); return true; }; true`)
	b.click(`form[action$="/on"] button`)
	if asked := eval[string](b, `sessionStorage.getItem("asked") || ""`); asked != "Switch on the rule of every product? It releases 0 seats now and warns 4 learners by e-mail." {
		t.Errorf("the page asked %q", asked)
	}
	if f := b.flash(); !strings.Contains(f, "is on") {
		t.Errorf("flash %q", f)
	}
	b.see("Warned at the next run: 4 learners")
}
