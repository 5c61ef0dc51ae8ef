package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"allot/report"

	"github.com/chromedp/chromedp"
)

// The widths the reports are seen at: a laptop's and a phone's.
const (
	reportsLaptop = 1366
	reportsPhone  = 390
)

// TestReportsInBrowser opens the reports of the demo as the vendor admin,
// a partner manager and a company manager, at a laptop's width and a
// phone's: each shows its chart, with its title, beside a table of its
// figures, and no page is wider than the phone's screen.
func TestReportsInBrowser(t *testing.T) {
	b := newBrowser(t)
	for _, who := range []string{"admin@allot.demo", "manager@northwind.demo", "manager@acme.demo"} {
		b.signIn(who)
		b.open("/reports")
		if n := b.count(`.report-list h2 a[href^="/reports/"]`); n != len(report.Kinds) {
			t.Errorf("%s: the reports page links %d reports, want %d", who, n, len(report.Kinds))
		}
		for _, k := range report.Kinds {
			for _, width := range []int64{reportsLaptop, reportsPhone} {
				b.do(chromedp.EmulateViewport(width, 900))
				b.open("/reports/" + k.Name)
				at := fmt.Sprintf("%s, %s at %d px", who, k.Name, width)
				b.heading(k.Title, k.Title)
				b.noError()
				if b.count(`svg.chart[role="img"] > title`) != 1 || b.count(`svg.chart rect[class^="s"]`) == 0 {
					t.Errorf("%s: no chart with a title and bars", at)
				}
				if b.count(`table.report thead th`) < 2 || b.count(`table.report tbody tr`) == 0 {
					t.Errorf("%s: no table of figures", at)
				}
				visible := eval[bool](b, `(() => { const r = document.querySelector("svg.chart").getBoundingClientRect(),
					t = document.querySelector("table.report").getBoundingClientRect(); return r.width > 200 && r.height > 20 && t.height > 20; })()`)
				if !visible {
					t.Errorf("%s: the chart or the table is not shown", at)
				}
				if sw := eval[int64](b, `document.documentElement.scrollWidth`); width == reportsPhone && sw > width {
					t.Errorf("%s: the page is %d px wide", at, sw)
				}
			}
		}
		b.do(chromedp.EmulateViewport(reportsLaptop, 900))
		b.signOut()
	}
}

// TestReportFiltersInBrowser narrows a report with its filter form, as a
// person would without any script, and follows its downloads.
func TestReportFiltersInBrowser(t *testing.T) {
	b := newBrowser(t)
	b.signIn("manager@northwind.demo")
	b.open("/reports/seats")
	if got := b.text(`table.report thead th`); got != "Company" {
		t.Errorf("the partner's report is by %q, not by company", got)
	}
	b.do(chromedp.SetValue(css(`select[name=company]`), companyOption(b, "Acme Logistics")))
	b.click(`form[role=search] button[type=submit]`)
	if got := b.text(`table.report tbody`); b.text(`table.report thead th`) != "Pool" || !strings.Contains(got, "Premium awareness training, pool") {
		t.Errorf("narrowed to Acme, the table is not of its pools:\n%s", got)
	}
	if !strings.Contains(b.text(".list-total"), "Covers Acme Logistics") {
		t.Errorf("the report says it covers: %s", b.text(".list-total"))
	}
	for _, ext := range []string{"csv", "xlsx"} {
		href := eval[string](b, fmt.Sprintf(`document.querySelector('a[href*=".%s"]').href`, ext))
		kind := eval[string](b, fmt.Sprintf(`(() => { const x = new XMLHttpRequest(); x.open("GET", %s, false); x.send();
			return x.status + " " + x.getResponseHeader("Content-Type"); })()`, jsString(href)))
		if !strings.HasPrefix(kind, fmt.Sprint(http.StatusOK)) || !strings.Contains(kind, map[string]string{"csv": "text/csv", "xlsx": "spreadsheetml"}[ext]) {
			t.Errorf("%s: %s", href, kind)
		}
	}
	if status := b.visit("/reports/seats?days=nine"); status != http.StatusUnprocessableEntity ||
		b.count(`select[name=days][aria-invalid="true"][aria-describedby="days-error"]`) != 1 {
		t.Errorf("a filter that cannot be used: status %d, the page shows:\n%s", status, b.text("main"))
	}
}

// companyOption returns the value of the company filter's option named
// name.
func companyOption(b *browser, name string) string {
	return eval[string](b, fmt.Sprintf(`Array.from(document.querySelectorAll("select[name=company] option")).find(o => o.textContent == %s).value`, jsString(name)))
}
