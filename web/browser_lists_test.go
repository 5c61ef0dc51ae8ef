package web_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// listWidths are the widths the lists are seen at: a laptop's and a phone's.
var listWidths = []struct{ width, height int64 }{{1366, 900}, {390, 844}}

// atWidth shows the page at width and fails the test when it is wider.
func (b *browser) atWidth(width, height int64, path string) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(width, height))
	b.open(path)
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(width) {
		b.t.Errorf("%s at %d px is %d px wide", path, width, w)
	}
}

// visible returns the texts of the elements matching sel that are shown.
func (b *browser) visible(sel string) []string {
	b.t.Helper()
	return eval[[]string](b, fmt.Sprintf(`Array.from(document.querySelectorAll(%s)).filter(e => {
		const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0;
	}).map(e => e.innerText.trim())`, jsString(sel)))
}

// confirmNext accepts the next dialog the page opens, through the browser's
// own dialog handling, and returns its message once it was shown.
func (b *browser) confirmNext() <-chan string {
	ctx, cancel := context.WithCancel(b.ctx)
	b.t.Cleanup(cancel)
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening)
	out := make(chan string, 1)
	go func() {
		defer cancel()
		for e, err := range opening {
			if err != nil {
				return
			}
			out <- e.Message
			chromedp.Do(b.ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				return err
			}))
			return
		}
	}()
	return out
}

// The demo's partner Northwind sees its customers per product with what
// needs acting on, Globex's manager sees its expired licences apart and
// what is on order, the audit log reads in words and filters, and the
// partner assigns Globex's renewal after saying yes to a question that
// names the licences, the product and the company; at a laptop's width and
// a phone's, no page wider than the screen.
func TestBrowserLists(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@northwind.demo")
	for _, w := range listWidths {
		b.atWidth(w.width, w.height, "/customers")
		b.heading("Customers", "Customers")
		b.see("2 customers")
		badges := strings.Join(b.visible(`.customer-badges .badge`), " | ")
		for _, want := range []string{"Expires in 2 days", "1 pending order", "40 expired learners"} {
			if !strings.Contains(badges, want) {
				t.Errorf("customers at %d px: badges %q, want %q shown", w.width, badges, want)
			}
		}
		if n := len(b.visible(`a[href^="/transfer?from="]`)); n != 2 {
			t.Errorf("customers at %d px: %d links to transfer seats shown, want 2", w.width, n)
		}

		b.atWidth(w.width, w.height, "/orders")
		b.heading("Orders", "Orders")
		equal(t, "requested tab", b.text(`nav.tabs a[aria-current="page"]`), "Requested (1)")

		b.atWidth(w.width, w.height, "/audit")
		b.heading("Audit log", "Audit log")
		b.see("Requested an order", "Assigned an order")
		b.notSee("order.request", "order.assign")
	}

	// The audit log narrowed to order requests with its filter bar.
	b.do(chromedp.EmulateViewport(390, 844))
	b.do(chromedp.SetValue(css(`form[role=search] select[name=action]`), "order.request"))
	b.click(`form[role=search] button[type=submit]`)
	b.noError()
	if got := eval[string](b, `location.search`); !strings.Contains(got, "action=order.request") {
		t.Errorf("the filter is not in the query: %s", got)
	}
	whats := eval[[]string](b, `Array.from(document.querySelectorAll("table.audit tbody tr"), r => r.cells[3].innerText.trim())`)
	if len(whats) == 0 {
		t.Error("no order requests in the filtered log")
	}
	for _, what := range whats {
		equal(t, "filtered entry", what, "Requested an order")
	}
	if w := eval[int](b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the filtered log at 390 px is %d px wide", w)
	}

	// Globex's manager: the expired pool apart, the renewal on order.
	b.signOut()
	b.signIn("manager@globex.demo")
	for _, w := range listWidths {
		b.atWidth(w.width, w.height, "/company/licences")
		b.heading("Licences", "Licences of Globex Health")
		b.see("Premium awareness training: no live licences; 40 on order, requested 19 Nov 2026.", "Expired")
		equal(t, "pools counted", b.count(`main > .table-wrap tbody tr`), 0)
		equal(t, "expired pools", b.count(`.expired-pools tbody tr`), 1)

		b.atWidth(w.width, w.height, "/company/expired")
		b.see("40 licences of Premium awareness training are on order (requested 19 Nov 2026); they can be renewed once the order is assigned.")
		b.notSee("Request more licences")
	}

	// The partner assigns the renewal: the question names what it does.
	b.signOut()
	b.signIn("manager@northwind.demo")
	b.do(chromedp.EmulateViewport(1366, 900))
	b.open("/orders")
	b.do(chromedp.Click(inRow("Globex Health", "details.menu summary")))
	asked := b.confirmNext()
	b.click(`details.menu[open] form[action$="/assign"] button`)
	select {
	case msg := <-asked:
		equal(t, "question", msg, "Assign 40 licences of Premium awareness training to Globex Health? Their term of 12 months starts today.")
	default:
		t.Error("assigning asked nothing")
	}
	b.noError()
	if f := b.flash(); !strings.Contains(f, "for Globex Health assigned: 40 seats of Premium awareness training") {
		t.Errorf("flash %q", f)
	}
	equal(t, "requested tab", b.text(`nav.tabs a[href*="status=requested"]`), "Requested (0)")
}
