package web_test

import (
	"math"
	"net/http"
	"testing"

	"allot/demo"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserSkipLinkAndBadgeContrast: the first Tab on a page reaches a
// visible link to its content, which moves the focus there; and the amber
// badge's text stands out from its background by WCAG AA's 4.5:1, measured
// on the colours the browser computes.
func TestBrowserSkipLinkAndBadgeContrast(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@acme.demo")
	b.open("/company/licences")
	b.do(chromedp.KeyEvent(kb.Tab))
	equal(t, "first focus", eval[string](b, `document.activeElement.textContent`), "Skip to content")
	equal(t, "skip link shown", eval[bool](b, `(r => r.left >= 0 && r.width > 0)(document.activeElement.getBoundingClientRect())`), true)
	b.do(chromedp.KeyEvent(kb.Enter))
	equal(t, "focus after the skip", eval[string](b, `document.activeElement.id`), "main")

	colours := eval[[]float64](b, `(() => {
		const el = document.createElement("span");
		el.className = "badge expiring";
		document.body.appendChild(el);
		const s = getComputedStyle(el);
		const rgb = c => c.match(/\d+/g).slice(0, 3).map(Number);
		return rgb(s.color).concat(rgb(s.backgroundColor));
	})()`)
	if len(colours) != 6 {
		t.Fatalf("computed colours %v", colours)
	}
	if ratio := contrast(colours[:3], colours[3:]); ratio < 4.5 {
		t.Errorf("the amber badge's contrast is %.2f:1, want at least 4.5:1", ratio)
	}
}

// contrast is the WCAG 2 contrast ratio of two sRGB colours given as 0–255
// components.
func contrast(a, b []float64) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// luminance is the relative luminance of an sRGB colour.
func luminance(c []float64) float64 {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c[0]) + 0.7152*lin(c[1]) + 0.0722*lin(c[2])
}

// A form sent with mistakes comes back with the focus on the first field
// in error, which names its message; a page's own error takes the focus
// when no field is in error.
func TestBrowserFocusOnFirstError(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@acme.demo")
	b.open("/account")
	b.do(chromedp.SendKeys(css(`input[name=current_password]`), demo.Password),
		chromedp.SendKeys(css(`input[name=new_password]`), "a-new-password-1"),
		chromedp.SendKeys(css(`input[name=confirm_password]`), "a-new-password-2"))
	if status := follow(b, css(`form[action="/account/password"] button[type=submit]`)); status != http.StatusUnprocessableEntity {
		t.Fatalf("two new passwords that differ: status %d, want 422", status)
	}
	equal(t, "focus", eval[string](b, `document.activeElement.name`), "confirm_password")
	equal(t, "its description", eval[string](b, `document.getElementById(document.activeElement.getAttribute("aria-describedby")).textContent`),
		"the two new passwords differ")

	if status := b.visit("/company/programmes/999999"); status != http.StatusNotFound {
		t.Fatalf("a programme that is not there: status %d, want 404", status)
	}
	equal(t, "focus", eval[string](b, `document.activeElement.className`), "error")
}

// At a phone's width the partner's orders keep each row's actions in view,
// and a row's menu opens within the screen without widening the page.
func TestBrowserPhoneWidthTableActions(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@northwind.demo")
	b.do(chromedp.EmulateViewport(phoneWidth, phoneHeight))
	b.open("/orders?status=requested")
	if !eval[bool](b, `(w => w.scrollWidth > w.clientWidth)(document.querySelector(".table-wrap"))`) {
		t.Fatal("the orders fit a phone's width: this test wants a table that scrolls")
	}
	equal(t, "actions in view", eval[bool](b, `Array.from(document.querySelectorAll("tbody details.menu summary"), s => s.getBoundingClientRect()).every(r => r.left >= 0 && r.right <= innerWidth)`), true)
	b.do(chromedp.Click(css(`tbody details.menu summary`)), chromedp.WaitVisible(css(`details.menu[open] > div`)))
	equal(t, "page width", eval[int](b, `document.documentElement.scrollWidth`), phoneWidth)
	equal(t, "menu within the screen", eval[bool](b, `(r => r.left >= 0 && r.right <= innerWidth && r.top >= 0 && r.bottom <= innerHeight)(document.querySelector("details.menu[open] > div").getBoundingClientRect())`), true)
}
