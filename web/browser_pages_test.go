package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/chromedp/chromedp"
)

// The widths the dashboard's pages are checked at: a phone's and a laptop's.
const (
	phoneWidth, phoneHeight   = 390, 844
	laptopWidth, laptopHeight = 1366, 900
)

// A tour is what one demo person visits: every page of their menu (read
// from the page, so that a page added to a menu is checked too), and more
// that the menu does not list. Follow names pages whose first link
// matching a selector leads to one more page: a request, an article.
type tour struct {
	who, email string
	more       []string
	follow     [][2]string // page, CSS selector of the link on it
}

// TestBrowserEveryPage visits each demo role's pages at a phone's width
// and a laptop's. No page is wider than the screen, nor an open menu,
// and axe-core finds no serious or critical violation. Without ALLOT_AXE
// the widths are still checked, and the test is then skipped, saying how
// to have axe-core. Each role has a browser of its own, so that one
// role's tour fits in a browser test's time.
func TestBrowserEveryPage(t *testing.T) {
	axe := axeSource(t)
	tours := []tour{
		{who: "signed out", more: []string{"/login", "/password/forgot"}},
		{who: "vendor admin", email: "admin@allot.demo",
			more:   []string{"/customers/new", "/help/edit", "/help/edit/new", "/desk/settings", "/webhooks/new"},
			follow: [][2]string{{"/webhooks", `main td a[href^="/webhooks/"]`}, {"/webhooks/1", `main a[href^="/webhooks/deliveries/"]`}}},
		{who: "partner manager", email: "manager@northwind.demo",
			more:   []string{"/customers/new", "/support/new", "/webhooks/new"},
			follow: [][2]string{{"/support", `main a[href^="/support/requests/"]`}, {"/webhooks/2", `main a[href^="/webhooks/deliveries/"]`}}},
		{who: "company manager", email: "manager@umbrella.demo",
			more: []string{"/support/new", "/company/users/import", "/company/expired/import", "/company/invite",
				"/company/directory", "/company/scim", "/company/sso"},
			follow: [][2]string{{"/company/programmes", `main a[href^="/company/programmes/"]`},
				{"/help", `main a[href^="/help/"]:not([href^="/help/edit"])`}}},
		{who: "learner", email: "active", more: []string{"/support/new"}}, // the demo learner whose licence is active
		{who: "support agent", email: "support@allot.demo",
			follow: [][2]string{{"/desk", `main a[href^="/desk/requests/"]`}}},
	}
	for _, tr := range tours {
		t.Run(tr.who, func(t *testing.T) {
			b := newBrowser(t)
			for i, path := range b.tour(tr) {
				if i > 0 && i%pagesPerBrowser == 0 {
					b = newBrowser(t)
					b.signInAs(tr.email)
				}
				b.checkPage(path, axe)
			}
		})
	}
	if axe == "" {
		t.Skip("the pages' widths were checked, not their accessibility: npm install axe-core@4.14.1 and set ALLOT_AXE to the path of its axe.min.js")
	}
}

// pagesPerBrowser is how many pages one browser checks before the next
// takes over, well within a browser test's time.
const pagesPerBrowser = 6

// tour signs in as tr's person and returns the pages to check.
func (b *browser) tour(tr tour) []string {
	b.t.Helper()
	pages := tr.more
	if tr.email != "" {
		b.signInAs(tr.email)
		pages = append(eval[[]string](b, `Array.from(document.querySelectorAll("header nav a, header .who a"), a => a.getAttribute("href"))`), pages...)
	}
	for _, f := range tr.follow {
		b.open(f[0])
		href := eval[string](b, fmt.Sprintf(`(a => a ? a.getAttribute("href") : "")(document.querySelector(%s))`, jsString(f[1])))
		if href == "" {
			b.t.Errorf("%s has no link %s", f[0], f[1])
			continue
		}
		pages = append(pages, href)
	}
	var once []string
	seen := map[string]bool{}
	for _, p := range pages {
		if !seen[p] {
			seen[p] = true
			once = append(once, p)
		}
	}
	return once
}

// signInAs signs in as the demo person with e-mail email, or as the demo
// learner whose licence has the status email; "" stays signed out.
func (b *browser) signInAs(email string) {
	b.t.Helper()
	if email == "" {
		return
	}
	for _, a := range b.demo.Learners {
		if a.What == email {
			email = a.Email
		}
	}
	b.setPassword(email)
	b.signIn(email)
}

// axeSource is axe-core's script, read from the file ALLOT_AXE names; ""
// without one.
func axeSource(t *testing.T) string {
	t.Helper()
	name := os.Getenv("ALLOT_AXE")
	if name == "" {
		return ""
	}
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatalf("ALLOT_AXE: %v", err)
	}
	return string(src)
}

// checkPage opens path at a laptop's width and at a phone's, and fails
// the test when the page is wider than the screen, when one of its menus
// opens beyond it, or when axe-core (with its source axe, unless "") finds
// a serious or critical violation.
func (b *browser) checkPage(path, axe string) {
	b.t.Helper()
	b.do(chromedp.EmulateViewport(laptopWidth, laptopHeight))
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(b.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	if resp.Status != http.StatusOK {
		b.t.Errorf("%s: status %d, want 200; the page shows:\n%s", path, resp.Status, b.text("body"))
		return
	}
	if axe != "" {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](axe+";true")); err != nil {
			b.t.Fatalf("%s: load axe-core: %v", path, err)
		}
	}
	for _, w := range []struct {
		width, height int64
		rules         []string
	}{{laptopWidth, laptopHeight, nil}, {phoneWidth, phoneHeight, narrowRules}} {
		b.do(chromedp.EmulateViewport(w.width, w.height))
		at := fmt.Sprintf("%s at %d px", path, w.width)
		for _, p := range eval[[]string](b, fitScript) {
			b.t.Errorf("%s: %s", at, p)
		}
		if axe != "" {
			for _, v := range b.axe(w.rules) {
				b.t.Errorf("%s: axe-core: %s", at, v)
			}
		}
	}
}

// narrowRules are the rules of axe-core whose findings may change when a
// page narrows: colours and sizes that media queries change, and frames
// that start to scroll. The others are about the page's markup, the same
// at every width, and are checked at the laptop's width only, which
// halves the time the tour takes.
var narrowRules = []string{"color-contrast", "scrollable-region-focusable", "target-size", "meta-viewport", "css-orientation-lock", "link-in-text-block"}

// fitScript lists what goes beyond the screen's width: the page, then,
// one by one, each of its closed disclosures (menus, filters) once opened.
const fitScript = `(() => {
	const width = () => document.documentElement.scrollWidth;
	const over = () => Array.from(document.querySelectorAll("body *"))
		.filter(e => e.getBoundingClientRect().right > innerWidth + 1 && e.parentElement.getBoundingClientRect().right <= innerWidth + 1)
		.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).trim().replace(/\s+/g, ".") : "")).join(", ");
	const problems = [];
	if (width() > innerWidth) {
		problems.push("the page is " + width() + " px wide, the screen " + innerWidth + " px (beyond it: " + over() + ")");
		return problems;
	}
	for (const d of document.querySelectorAll("details:not([open])")) {
		d.open = true;
		const panel = d.querySelector(":scope > :not(summary)");
		const r = panel ? panel.getBoundingClientRect() : null;
		const what = "the disclosure " + JSON.stringify(d.querySelector("summary").textContent.trim());
		if (width() > innerWidth) {
			problems.push(what + " opened makes the page " + width() + " px wide (beyond the screen: " + over() + ")");
		} else if (r && (r.left < 0 || r.right > innerWidth)) {
			problems.push(what + " opens from " + Math.round(r.left) + " to " + Math.round(r.right) + " px, beyond the screen");
		}
		d.open = false;
	}
	return problems;
})()`

// axeViolation is what axe-core says of one violated rule.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct{ Target []any }
}

func (v axeViolation) String() string {
	target := "?"
	if len(v.Nodes) > 0 {
		t, _ := json.Marshal(v.Nodes[0].Target)
		target = string(t)
	}
	return fmt.Sprintf("%s (%s): %s; at %s and %d more", v.ID, v.Impact, v.Help, target, len(v.Nodes)-1)
}

// axe runs axe-core, loaded in the page, and returns its serious and
// critical violations: of the rules named, or of all its rules for none.
func (b *browser) axe(rules []string) []axeViolation {
	b.t.Helper()
	options := map[string]any{"resultTypes": []string{"violations"}}
	if rules != nil {
		options["runOnly"] = map[string]any{"type": "rule", "values": rules}
	}
	js, _ := json.Marshal(options)
	found, err := chromedp.Run(b.ctx, chromedp.Evaluate[[]axeViolation](`axe.run(document, `+string(js)+`).then(r =>
		r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => ({target: n.target}))})))`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("axe-core: %v", err)
	}
	return found
}
