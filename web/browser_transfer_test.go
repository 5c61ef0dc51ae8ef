package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTransferSeats has Northwind's manager move free seats of Acme
// Logistics to Globex Health on a phone: the form, its error at its field,
// the preview and the confirmation, each page within the screen's width
// (and, with axe-core, without a serious violation at either width).
func TestBrowserTransferSeats(t *testing.T) {
	axe := axeSource(t)
	b := newBrowser(t)
	b.signInAs("manager@northwind.demo")
	acme := b.companyID("Acme Logistics")
	b.checkPage(fmt.Sprintf("/transfer?from=%d", acme), axe)

	b.do(chromedp.EmulateViewport(phoneWidth, phoneHeight))
	fits := func(what string) {
		t.Helper()
		for _, p := range eval[[]string](b, fitScript) {
			t.Errorf("%s at %d px: %s", what, phoneWidth, p)
		}
	}
	b.open(fmt.Sprintf("/transfer?from=%d", acme))
	fits("the form")
	b.do(chromedp.SetValue(css(`select[name=to_company_id]`), fmt.Sprint(b.companyID("Globex Health"))),
		chromedp.SendKeys(css(`input[name=count]`), "100000"))
	follow(b, css(`button[value=preview]`))
	if got := b.text(`#count-error`); !strings.Contains(got, "free seat") {
		t.Errorf("too many seats: the count's error says %q", got)
	}
	if got := eval[string](b, `document.querySelector("input[name=count]").getAttribute("aria-describedby")`); got != "count-error" {
		t.Errorf("the count is described by %q, want its error", got)
	}
	fits("the form with an error")

	b.do(chromedp.SetValue(css(`input[name=count]`), "2"))
	b.click(`button[value=preview]`)
	preview := b.text(`.preview`)
	if !strings.HasPrefix(preview, "Move 2 seats of ") || !strings.HasSuffix(preview, " from Acme Logistics to Globex Health.") {
		t.Errorf("the preview says %q", preview)
	}
	fits("the preview")
	b.click(`button[value=confirm]`)
	if got := b.flash(); !strings.HasPrefix(got, "Moved 2 seats of ") {
		t.Errorf("the flash says %q", got)
	}
	fits("the page after")
}
