package web_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The widths the home pages are seen at: a laptop's and a phone's.
var homeWidths = []int64{1366, 390}

// ShotsEnv names the environment variable that, when set, is a folder the
// home pages' browser test saves a screenshot of each page into, to be
// looked at.
const ShotsEnv = "ALLOT_SHOTS"

// homeCase is a manager's home page of the demo and what it must show.
type homeCase struct {
	name, email string
	h1          string
	// counts are words of the counts that must be there and not zero,
	// each with the page it links to.
	counts map[string]string
	// links are further links the lists must hold, by their start.
	links []string
	// forms are the pages managing a customer from a list leads to.
	forms    []string
	notSee   []string
	sections int
}

// TestBrowserHomeCompany, TestBrowserHomePartner, TestBrowserHomeVendor
// and TestBrowserHomeDesk open each manager's home page of the demo at a
// laptop's width and a phone's: its counts come first, each linking to the
// page that deals with it (which opens), its lists link to the customers
// and to the company pages where the learners are dealt with, and no page
// is wider than the phone's screen.
func TestBrowserHomeCompany(t *testing.T) {
	b := homePage(t, homeCase{name: "company", email: "manager@initech.demo", h1: "Initech: what needs attention",
		counts: map[string]string{"within 7 days": "/company/licences", "rejected lately": "/company/orders",
			"waiting for a seat": "/company/users?status=unlicensed"},
		links:    []string{"/company/users?status=unlicensed&product=premium", "/company/orders", "/company/licences"},
		notSee:   []string{"Acme", "Globex", "Umbrella", "Stark", "support requests"},
		sections: 4})
	// A learner's / is their own page.
	b.signOut()
	b.signIn(b.demo.Learners[0].Email)
	b.at("/me")
}

func TestBrowserHomePartner(t *testing.T) {
	b := homePage(t, homeCase{name: "partner", email: "manager@northwind.demo", h1: "What needs your attention",
		counts: map[string]string{"within 7 days": "/renewals", "to assign": "/orders",
			"under 30 % used": "#use-low", "not renewed": "#expired"},
		links:    []string{"/customers?company=", "/orders?company=", "/renewals"},
		forms:    []string{"/company/expired?product=premium"},
		notSee:   []string{"Initech", "Umbrella", "Stark", "support requests"},
		sections: 6})
	// A customer is managed from the home page, straight to its expired
	// learners.
	b.open("/")
	if status := follow(b, chromedp.JSPath(`Array.from(document.querySelectorAll("#expired form button"))`)); status != http.StatusOK {
		t.Fatalf("managing from the home page: %d", status)
	}
	b.at("/company/expired?product=premium")
	b.see("Globex Health")
}

func TestBrowserHomeVendor(t *testing.T) {
	homePage(t, homeCase{name: "vendor", email: "admin@allot.demo", h1: "What needs your attention",
		counts: map[string]string{"within 30 days": "/renewals", "to assign": "/orders",
			"over 90 % used": "#use-high", "under 30 % used": "#use-low",
			"breached": "/desk?breached=1"},
		links:    []string{"/customers?company=", "/desk/requests/", "/renewals", "/orders?company="},
		notSee:   []string{"Initech: 10"}, // a partner's customer's waiting learners are the partner's
		sections: 7})
}

func TestBrowserHomeDesk(t *testing.T) {
	homePage(t, homeCase{name: "desk", email: "support@allot.demo", h1: "What needs your attention",
		counts:   map[string]string{"breached": "/desk?breached=1", "within 7 days": "/renewals"},
		links:    []string{"/desk/requests/"},
		notSee:   []string{"to assign"},
		sections: 6})
}

// homePage signs in as c's manager and checks their home page at each
// width, then that each of its counts' pages opens.
func homePage(t *testing.T, c homeCase) *browser {
	b := newBrowser(t)
	b.signIn(c.email)
	b.at("/")
	for _, width := range homeWidths {
		b.do(chromedp.EmulateViewport(width, 900))
		b.open("/")
		at := fmt.Sprintf("%s's home at %d px", c.name, width)
		b.noError()
		if got := b.text("h1"); got != c.h1 {
			t.Errorf("%s: heading %q, want %q", at, got, c.h1)
		}
		b.notSee(c.notSee...)
		if n := b.count(".home-grid > section"); n != c.sections {
			t.Errorf("%s: %d sections, want %d", at, n, c.sections)
		}
		counts := eval[map[string]string](b, `Object.fromEntries(Array.from(document.querySelectorAll(".home-counts a")).map(a => [a.querySelector("span").textContent + "|" + a.querySelector("strong").textContent, a.getAttribute("href")]))`)
		for label, href := range c.counts {
			found := false
			for k, h := range counts {
				text, n, _ := strings.Cut(k, "|")
				if strings.Contains(text, label) {
					found = true
					if n == "0" || h != href {
						t.Errorf("%s: %q counts %s and links %s, want more than 0 and %s", at, label, n, h, href)
					}
				}
			}
			if !found {
				t.Errorf("%s: no count %q among %v", at, label, counts)
			}
		}
		for _, href := range counts {
			if strings.HasPrefix(href, "#") && b.count(href) != 1 {
				t.Errorf("%s: the count linking %s has no part", at, href)
			}
		}
		hrefs := eval[[]string](b, `Array.from(document.querySelectorAll("main a")).map(a => a.getAttribute("href"))`)
		for _, l := range c.links {
			if !slices.ContainsFunc(hrefs, func(h string) bool { return strings.HasPrefix(h, l) }) {
				t.Errorf("%s: no link to %s… among %v", at, l, hrefs)
			}
		}
		nexts := eval[[]string](b, `Array.from(document.querySelectorAll("main form[action^='/manage/'] input[name=next]")).map(i => i.value)`)
		for _, f := range c.forms {
			if !slices.Contains(nexts, f) {
				t.Errorf("%s: no button managing a customer to %s among %v", at, f, nexts)
			}
		}
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(width) {
			t.Errorf("%s: the page is %d px wide", at, w)
		}
		shoot(b, fmt.Sprintf("home-%s-%d.png", c.name, width))
	}
	b.do(chromedp.EmulateViewport(homeWidths[0], 900))
	// Every count's page opens.
	for _, href := range eval[[]string](b, `Array.from(document.querySelectorAll(".home-counts a")).map(a => a.getAttribute("href"))`) {
		if strings.HasPrefix(href, "#") {
			continue
		}
		if status := b.visit(href); status != http.StatusOK {
			t.Errorf("%s: %s answers %d", c.name, href, status)
		}
	}
	return b
}

// TestBrowserRenewals opens the renewal pipeline as a partner manager and
// as the vendor, at both widths: its lines link to the customers and to
// the orders to assign, the vendor filters by partner, and the page fits a
// phone.
func TestBrowserRenewals(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@bluebird.demo")
	for _, width := range homeWidths {
		b.do(chromedp.EmulateViewport(width, 900))
		b.open("/renewals")
		at := fmt.Sprintf("Bluebird's renewals at %d px", width)
		b.heading("Renewals", "Renewals")
		b.noError()
		b.see("Initech", "Requested")
		b.notSee("Acme", "Globex", "Stark")
		if b.count(`table.pipeline a[href^="/customers?company="]`) == 0 || b.count(`table.pipeline a[href^="/orders?company="]`) == 0 {
			t.Errorf("%s: no link to a customer and to its order to assign", at)
		}
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(width) {
			t.Errorf("%s: the page is %d px wide", at, w)
		}
		shoot(b, fmt.Sprintf("renewals-partner-%d.png", width))
	}
	b.do(chromedp.EmulateViewport(homeWidths[0], 900))
	if status := follow(b, css(`table.pipeline a[href^="/orders?company="]`)); status != http.StatusOK {
		t.Errorf("the order to assign: %d", status)
	}
	b.see("BB-3002")
	b.signOut()

	b.signIn("admin@allot.demo")
	b.open("/renewals")
	b.see("Initech", "Acme Logistics", "Bluebird MSP", "Northwind Resellers")
	b.do(chromedp.SetValue(css(`select[name=partner]`), "direct"))
	follow(b, css(`form[action="/renewals"] button[type=submit]`))
	b.at("/renewals?partner=direct")
	b.notSee("Initech", "Acme Logistics")
	for _, width := range homeWidths {
		b.do(chromedp.EmulateViewport(width, 900))
		b.open("/renewals")
		if w := eval[int](b, `document.documentElement.scrollWidth`); w > int(width) {
			t.Errorf("the vendor's renewals at %d px: the page is %d px wide", width, w)
		}
		shoot(b, fmt.Sprintf("renewals-vendor-%d.png", width))
	}
}

// shoot saves a screenshot of the whole page as name in the folder ShotsEnv
// names, when it names one.
func shoot(b *browser, name string) {
	dir := os.Getenv(ShotsEnv)
	if dir == "" {
		return
	}
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
