package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"allot"

	"github.com/chromedp/chromedp"
)

// A company manager renews expired learners from a file: picks the e-mail
// column from the file's own headers, sees who will be renewed and why the
// others will not, confirms, and finds the renewed learners active again
// while the refused one is still expired.
func TestBrowserRenewByCSV(t *testing.T) {
	b := newBrowser(t)
	b.runJobs()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	globex := b.companyID("Globex")
	// Two new seats for Globex, assigned now: one learner too many.
	o, err := b.svc.RequestOrder(sys, allot.NewOrder{CompanyID: globex, ProductCode: "premium", Quantity: 2, PORef: "PO-GLOBEX-TOPUP"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.svc.AssignOrder(sys, o.ID); err != nil {
		t.Fatal(err)
	}
	expired, err := b.svc.ExpiredLearners(sys, globex, "premium")
	if err != nil || len(expired) != 40 {
		t.Fatalf("Globex's expired learners: %d, %v", len(expired), err)
	}
	first, second, third := expired[0].Email, expired[1].Email, expired[2].Email

	// The file: private addresses under "Email", which allot suggests, and
	// the work addresses under "Work e-mail".
	file := filepath.Join(t.TempDir(), "renewals.csv")
	rows := []string{"Full name,Email,Work e-mail"}
	for i, e := range []string{first, second, third} {
		rows = append(rows, expired[i].Name()+",person"+string(rune('a'+i))+"@home.example,"+e)
	}
	if err := os.WriteFile(file, []byte(strings.Join(rows, "\r\n")+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	b.signIn("manager@globex.demo")
	b.click(`header nav a[href="/company/expired"]`)
	b.heading("Expired licences", "Expired licences of Globex Health")
	equal(t, "expired learners", b.count(`tbody input[name=user]`), 40)
	b.click(`button[formaction="/company/expired/import"]`)
	b.heading("Renew by CSV", "Renew Premium awareness training by CSV")
	b.noError()
	equal(t, "current step", b.text(`ol.steps li[aria-current=step]`), "Upload a file")
	equal(t, "pool choice", eval[string](b, `document.querySelector("select[name=pool_id]").selectedOptions[0].textContent`),
		"the licences that expire first (2 free)")
	b.see("Files that work", "CSV UTF-8", "Google Sheets")

	b.do(chromedp.SetUploadFiles(css(`input[type=file][name=file]`), []string{file}))
	b.click(`form[action="/company/imports"] button[type=submit]`)
	b.heading("Renew by CSV", "Renew Premium awareness training by CSV")
	b.noError()
	equal(t, "flash", b.flash(), "renewals.csv was uploaded. Choose the column that holds the e-mail; nothing changes until you confirm.")
	equal(t, "current step", b.text(`ol.steps li[aria-current=step]`), "Choose the columns")
	b.see("renewals.csv", "comma-separated", "3 columns")
	const email = `select[name="mapping.email"]`
	equal(t, "columns offered", strings.Join(eval[[]string](b, `Array.from(document.querySelectorAll('select[name="mapping.email"] option'), o => o.textContent)`), "|"),
		"— choose a column —|Full name|Email|Work e-mail")
	equal(t, "suggested", eval[string](b, `document.querySelector('select[name="mapping.email"]').value`), "Email")
	equal(t, "only the e-mail is mapped", b.count(`form select`), 1)
	b.do(chromedp.SetValue(css(email), "Work e-mail"))
	equal(t, "chosen", eval[string](b, `document.querySelector('select[name="mapping.email"]').selectedOptions[0].textContent`), "Work e-mail")
	b.click(`form[action$="/preview"] button[type=submit]`)
	b.heading("Renew by CSV", "Renew Premium awareness training by CSV")

	// The worker reads the file; the page updates itself.
	b.do(chromedp.WaitVisible(css(`p.summary`)))
	b.noError()
	equal(t, "current step", b.text(`ol.steps li[aria-current=step]`), "Check the preview")
	equal(t, "summary", b.text(`p.summary`), "2 will be renewed, 1 will not.")
	b.see("Seats of Premium awareness training come from the licences that expire first.")
	refused := b.cells(third)
	equal(t, "refused line", refused[0], "4")
	equal(t, "refused reason", refused[2], "no seat left: 2 free seats of Premium awareness training for 2 learners before this one")
	equal(t, "to renew", b.count(`table:not(.errors) tbody tr`), 2)
	b.cells(first)
	b.cells(second)
	equal(t, "error report", eval[string](b, `document.querySelector("a[href$='/errors.csv']").textContent`), "Download error report (CSV)")

	b.click(`form[action$="/confirm"] button`)
	b.heading("Renew by CSV", "Renew Premium awareness training by CSV")
	equal(t, "flash", b.flash(), "Renewal of 2 learners confirmed.")
	b.do(chromedp.WaitVisible(css(`a.button[href="/company/expired?product=premium"]`)))
	b.noError()
	equal(t, "current step", b.text(`ol.steps li[aria-current=step]`), "Renew")
	equal(t, "result", b.text(`section p.summary`), "2 learners renewed; 1 row was not.")
	b.see("Confirmed by manager@globex.demo on 21 Nov 2026 11:00 CET.")

	// The expired licences: the renewed two are gone, the refused one
	// is still there.
	b.click(`a.button[href="/company/expired?product=premium"]`)
	b.heading("Expired licences", "Expired licences of Globex Health")
	equal(t, "expired learners", b.count(`tbody input[name=user]`), 38)
	b.notSee(first, second)
	b.see(third)

	// Their seats: of the new licences, until they end.
	for _, e := range []string{first, second} {
		b.open("/company/users?q=" + e)
		row := b.cells(e)
		equal(t, e+" licence", row[2], "Active")
		equal(t, e+" until", row[3], "21 Nov 2027")
	}
	b.open("/company/users?q=" + third)
	equal(t, third+" licence", b.cells(third)[2], "Expired")
	b.click(`header nav a[href="/company/licences"]`)
	row := b.cells("Active")
	for i, w := range []string{"Premium awareness training", "2", "2", "0"} {
		equal(t, "new pool cell", row[i], w)
	}
}
