package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"allot"

	"github.com/chromedp/chromedp"
)

// TestBrowserSupportRequest: a member searches the help centre and finds
// no answer; they open a request, the help centre suggesting articles as
// they type its subject. The support agent finds it in the desk's queue,
// reads it with the member's licences beside it, notes and answers it. The
// member signs in again and reads the answer, not the note. Nothing on the
// way breaks the Content-Security-Policy.
func TestBrowserSupportRequest(t *testing.T) {
	b := newBrowser(t)
	refused := b.refusals()
	sys := allot.WithPrincipal(context.Background(), allot.System)
	var member string
	for _, a := range b.demo.Learners {
		if a.What == "active" {
			member = a.Email
		}
	}
	u, err := b.svc.UserByEmail(sys, member)
	if err != nil {
		t.Fatal(err)
	}
	company, err := b.svc.Company(sys, u.CompanyID)
	if err != nil {
		t.Fatal(err)
	}
	b.setPassword(member)
	b.setPassword("support@allot.demo")

	// The help centre has no article holding every word searched.
	const search, subject = "quantum seat teleport", "Quantum seat teleport fails"
	b.signIn(member)
	equal(t, "support in the menu", b.count(`header nav a[href="/support"]`), 1)
	equal(t, "no desk in the menu", b.count(`header nav a[href="/desk"]`), 0)
	if status := b.visit("/help?q=" + url.QueryEscape(search)); status != http.StatusOK {
		t.Fatalf("the help centre's search: status %d", status)
	}
	b.noError()
	hits, err := b.support.Search(allot.WithPrincipal(context.Background(), u.Principal()), search, 10)
	if err != nil || len(hits) != 0 {
		t.Fatalf("the search found %d articles (%v), want none", len(hits), err)
	}

	// A request: its subject typed, the help centre suggests articles.
	b.click(`header nav a[href="/support"]`)
	b.heading("Support", "Support requests")
	b.click(`a[href="/support/new"]`)
	b.heading("New support request", "New support request")
	b.noError()
	equal(t, "priority by default", eval[string](b, `document.querySelector("input[name=priority]:checked").value`), "normal")
	b.do(chromedp.SendKeys(css(`input[name=subject]`), subject))
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(css(`#suggestions a[href^="/help/"]`))); err != nil {
		t.Fatalf("no article was suggested for %q: %v; the suggestions show:\n%s", subject, err, b.text("#suggestions"))
	}
	suggested := eval[string](b, `document.querySelector("#suggestions a[href^='/help/']").textContent`)
	if strings.TrimSpace(suggested) == "" {
		t.Error("a suggestion has no title")
	}
	b.do(
		chromedp.SetValue(css(`select[name=category]`), "member_access"),
		chromedp.SendKeys(css(`textarea[name=body]`), "The product says my seat moved, but it did not."),
	)
	b.click(`button[name=go][value=send]`)
	b.noError()
	if !strings.HasPrefix(b.flash(), "Your request #") {
		t.Errorf("flash %q, want the request's number", b.flash())
	}
	id := strings.TrimPrefix(eval[string](b, `location.pathname`), "/support/requests/")
	b.heading("Request #"+id, "#"+id+" "+subject)
	b.see("The product says my seat moved, but it did not.", "due by")
	b.signOut()

	// The agent finds it in the queue and answers it, its licences beside.
	b.signIn("support@allot.demo")
	b.click(`header nav a[href="/desk"]`)
	b.heading("Desk", "Desk")
	b.noError()
	row := b.cells(subject)
	equal(t, "request", row[0], "#"+id)
	equal(t, "company", row[2], company.Name)
	equal(t, "status", row[4], "New")
	if !strings.Contains(row[7], "due in 12 h") {
		t.Errorf("due %q, want due in 12 h", row[7])
	}
	if status := follow(b, inRow(subject, `a[href^="/desk/requests/"]`)); status != http.StatusOK {
		t.Fatalf("the request: status %d", status)
	}
	b.heading("Request #"+id, "#"+id+" "+subject)
	b.noError()
	equal(t, "licences", b.text(`#licences-h`), "Licences of "+company.Name)
	if b.count(`.licence-context table.pools tbody tr`) == 0 || b.count(`.licence-context ul.seats li`) == 0 {
		t.Errorf("the licence context shows no pool or seat:\n%s", b.text(".licence-context"))
	}
	b.see("Seats of ", "First response")

	b.do(chromedp.SendKeys(css(`form[action$="/note"] textarea[name=body]`), "Checked: the seat is active."))
	b.click(`form[action$="/note"] button[type=submit]`)
	b.noError()
	equal(t, "flash", b.flash(), "Your note was added. The customer does not see it.")
	b.do(
		chromedp.SendKeys(css(`form[action$="/reply"] textarea[name=body]`), "Your seat is active: sign out and in again."),
		chromedp.SetValue(css(`form[action$="/reply"] select[name=status]`), "solved"),
	)
	b.click(`form[action$="/reply"] button[type=submit]`)
	b.noError()
	equal(t, "flash", b.flash(), "Your reply was sent.")
	b.see("Internal note", "Checked: the seat is active.", "Your seat is active: sign out and in again.")
	b.signOut()

	// The member reads the answer, and not the note.
	b.signIn(member)
	b.click(`header nav a[href="/support"]`)
	equal(t, "status", b.cells(subject)[2], "Solved")
	if status := follow(b, inRow(subject, `a[href^="/support/requests/"]`)); status != http.StatusOK {
		t.Fatalf("the request: status %d", status)
	}
	b.heading("Request #"+id, "#"+id+" "+subject)
	b.noError()
	b.see("Your seat is active: sign out and in again.", "support@allot.demo")
	b.notSee("Checked: the seat is active.", "Internal note")
	equal(t, "messages", b.count(`.conversation li.message`), 2)
	equal(t, "the reply", b.text(`.conversation li.message.reply .body`), "Your seat is active: sign out and in again.")
	if r := refused(); len(r) > 0 {
		t.Errorf("the browser refused what the policy forbids:\n%s", strings.Join(r, "\n"))
	}
}
