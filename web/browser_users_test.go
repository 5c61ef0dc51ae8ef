package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"allot"

	"github.com/chromedp/chromedp"
)

// Stark's manager, at a laptop's width and a phone's: gives a seat to the
// released learner from their menu, releases one seat after the question
// that names the person and the product, selects two people and releases
// their seats after the question that counts them, edits a person and
// opens their page with the seat history and the events. No page is wider
// than the screen.
func TestBrowserUsers(t *testing.T) {
	b := newBrowser(t)
	var released string
	for _, a := range b.demo.Learners {
		if a.What == "released" {
			released = a.Email
		}
	}
	if !strings.HasSuffix(released, "@stark.demo") {
		t.Fatalf("the demo's released learner is %q, want one of Stark", released)
	}
	const product = "Premium awareness training"
	b.signIn("manager@stark.demo")

	for _, w := range listWidths {
		b.atWidth(w.width, w.height, "/company/users")
		b.heading("Users", "Users of Stark Studios")
		b.noError()
		if got := b.text(`.users-count`); !strings.HasSuffix(got, "people · licences of "+product) {
			t.Errorf("at %d px the count says %q", w.width, got)
		}
		// An open menu stays within the screen too.
		b.do(chromedp.Click(inRow("Released", "details.menu summary")))
		if px := eval[int](b, `document.documentElement.scrollWidth`); px > int(w.width) {
			t.Errorf("the users list at %d px with a menu open is %d px wide", w.width, px)
		}
	}
	b.do(chromedp.EmulateViewport(1366, 900))

	// Give a seat from the menu of the released learner; the list comes
	// back with its filter.
	b.open("/company/users?status=released")
	b.do(chromedp.Click(inRow(released, "details.menu summary")),
		chromedp.WaitVisible(inRow(released, `form[action$="/seat"] button`)))
	equal(t, "give a seat", strings.TrimSpace(eval[string](b, string(inRow(released, `form[action$="/seat"] button`))+"[0].innerText")),
		"Give a seat of "+product)
	if status := follow(b, inRow(released, `form[action$="/seat"] button`)); status != 200 {
		t.Fatalf("give a seat: status %d", status)
	}
	b.at("/company/users?status=released")
	b.noError()
	if got := b.flash(); !strings.HasPrefix(got, released+" was given a seat of "+product+" until ") {
		t.Errorf("flash %q", got)
	}

	// Release one seat from its menu: the question names the person and
	// the product.
	b.open("/company/users?sort=name")
	equal(t, "sorted by name", b.count(`th[aria-sort="ascending"]`), 1)
	row := eval[string](b, `document.querySelector("tbody tr .badge.active").closest("tr").querySelector("td .muted").innerText`)
	name := eval[string](b, fmt.Sprintf(`Array.from(document.querySelectorAll("tbody tr")).find(r => r.textContent.includes(%s)).querySelector("td a").innerText`, jsString(row)))
	b.do(chromedp.Click(inRow(row, "details.menu summary")), chromedp.WaitVisible(inRow(row, `form[action$="/release"] button`)))
	asked := b.confirmNext()
	if status := follow(b, inRow(row, `form[action$="/release"] button`)); status != 200 {
		t.Fatalf("release: status %d", status)
	}
	select {
	case msg := <-asked:
		equal(t, "question", msg, "Release the seat of "+product+" held by "+name+"? It goes back to the pool.")
	default:
		t.Error("releasing asked nothing")
	}
	equal(t, "flash", b.flash(), "The seat was released and is free again.")
	b.at("/company/users?sort=name")

	// Select two people with a seat and release both: asked first, with
	// the count.
	chosen := eval[[]string](b, `Array.from(document.querySelectorAll("tbody tr")).filter(r => r.querySelector(".badge.active")).slice(0, 2).map(r => {
		r.querySelector("input[name=ids]").click(); return r.querySelector("td .muted").innerText; })`)
	if len(chosen) != 2 {
		t.Fatalf("chose %v", chosen)
	}
	b.click(`form#bulk button[name=action][value=release]`)
	b.heading("Release 2 seats", "Release 2 seats of "+product+"?")
	b.see(chosen...)
	b.do(chromedp.SetValue(css(`select[name=reason]`), allot.ReasonNeverLoggedIn))
	b.click(`form[action="/company/users/bulk"] button:not(.secondary)`)
	b.at("/company/users?sort=name")
	b.noError()
	equal(t, "flash", b.flash(), "2 seats of "+product+" released: free again.")
	for _, e := range chosen {
		equal(t, e, b.cells(e)[2], "Released")
	}

	// Edit a person, then read their page.
	u, err := b.svc.UserByEmail(allot.WithPrincipal(context.Background(), allot.System), chosen[0])
	if err != nil {
		t.Fatal(err)
	}
	page := "/company/users/" + strconv.FormatInt(u.ID, 10)
	b.do(chromedp.Click(inRow(chosen[0], "details.menu summary")))
	b.click(`details.menu[open] a[href="` + page + `/edit"]`)
	b.heading("Edit "+u.Name(), "Edit "+u.Name())
	b.do(chromedp.SetValue(css(`input[name=department]`), "Research"), chromedp.SetValue(css(`select[name=role]`), "company_manager"))
	b.click(`form[action="` + page + `"] button`)
	b.at(page)
	b.noError()
	equal(t, "flash", b.flash(), "Saved: "+u.Name()+"'s details are up to date.")
	b.see("Research", "Company manager")

	for _, w := range listWidths {
		b.atWidth(w.width, w.height, page)
		b.heading(u.Name(), u.Name())
		seats := b.cells("Released")
		equal(t, "seat product", seats[0], product)
		if !strings.Contains(seats[1], "Never logged in") {
			t.Errorf("the released seat says %q", seats[1])
		}
		for _, what := range []string{"Changed a person's details", "Released a seat", "Gave a seat", "Added a person"} {
			if b.count(`main table`) < 2 || !strings.Contains(b.text(`main`), what) {
				t.Errorf("at %d px the events lack %q", w.width, what)
			}
		}
	}

	// The list, a person's page and its form, at both widths with their
	// menus open, and to axe-core when ALLOT_AXE names it.
	for _, p := range []string{"/company/users?sort=status", page, page + "/edit"} {
		b.checkPage(p, axeSource(t))
	}
}
