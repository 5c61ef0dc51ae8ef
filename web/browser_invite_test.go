package web_test

import (
	"cmp"
	"net/http"
	"strings"
	"testing"
	"time"

	"allot/programme"

	"github.com/chromedp/chromedp"
)

// TestBrowserInviteMembers: Umbrella's manager invites two new members to
// the Store leaders programme with the wizard, from a subscription, past
// a bad address and a duplicate, scheduled for Monday morning in Berlin in
// German after seeing what a time in a change of the clocks would do and
// the exact mail; the invitations wait in the scheduled list, their seats
// reserved. When the time comes the mail arrives in German with a link;
// the member chooses a password there, and is among Umbrella's users and
// the programme's members.
func TestBrowserInviteMembers(t *testing.T) {
	b := newBrowser(t)
	refused := b.refusals()
	inbox := b.mailing()
	b.signIn("manager@umbrella.demo")
	b.click(`header nav a[href="/company/programmes"]`)
	b.heading("Programmes", "Programmes of Umbrella Retail")
	if status := follow(b, inRow("Store leaders", `a[href^="/company/invite?programme="]`)); status != http.StatusOK {
		t.Fatalf("invite members: status %d", status)
	}

	// The seats: Umbrella's one coaching subscription, chosen already.
	b.heading("Invite members", "Invite members to Store leaders")
	b.noError()
	equal(t, "step", b.text(`.steps li[aria-current=step]`), "Seats")
	const subscription = `form:has(input[name=mode][value=subscription]) `
	equal(t, "subscriptions", b.count(subscription+`input[name=pool_id]`), 1)
	equal(t, "chosen", eval[bool](b, `document.querySelector("input[name=pool_id]").checked`), true)
	b.see("ends 21 Apr 2027", "A member invited now gets 5 months of access.")
	equal(t, "access starts", eval[string](b, `document.querySelector("`+subscription+`input[name=starts]").value`), "2026-11-21")
	b.click(subscription + `button[name=go][value=emails]`)

	// The e-mails: a bad one and a duplicate.
	equal(t, "step", b.text(`.steps li[aria-current=step]`), "E-mails")
	b.do(chromedp.SendKeys(css(`textarea[name=emails]`), "nina.new@umbrella.demo, not-an-address\nNINA.NEW@umbrella.demo omar.new@umbrella.demo"))
	equal(t, "continue", follow(b, css(`button[name=go][value=review]`)), http.StatusUnprocessableEntity)
	equal(t, "step", b.text(`.steps li[aria-current=step]`), "E-mails")
	equal(t, "problems", b.text(`.problems h2`), "1 address cannot be invited")
	if problem := b.text(`.problems li`); !strings.HasPrefix(problem, "not-an-address ") {
		t.Errorf("the problem is %q, want the bad address named", problem)
	}
	b.see("Given more than once, invited once: nina.new@umbrella.demo.")
	b.click(`button[name=go][value=leave]`)

	// The review: German, scheduled. First a time the clocks skip.
	equal(t, "step", b.text(`.steps li[aria-current=step]`), "Review")
	b.noError()
	b.see("2 members of Store leaders: nina.new@umbrella.demo, omar.new@umbrella.demo.")
	equal(t, "zone", eval[string](b, `document.querySelector("input[name=zone]").value`), browserZone)
	b.do(chromedp.SetValue(css(`select[name=lang]`), "de"), chromedp.Click(css(`input[name=send][value=later]`)),
		chromedp.SetValue(css(`input[name=date]`), "2027-03-28"), chromedp.SetValue(css(`input[name=time]`), "02:30"))
	b.click(`button[name=go][value=review]`)
	b.noError()
	equal(t, "the send rule", b.text(`#send-sentence`),
		"2:30 does not exist on 28 March 2027 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.")
	equal(t, "a warning", eval[string](b, `document.querySelector("#send-sentence").className`), "warning")

	// Monday at 9:00, and the mail as it will go out.
	b.do(chromedp.SetValue(css(`input[name=date]`), "2026-11-23"), chromedp.SetValue(css(`input[name=time]`), "09:00"))
	b.click(`button[name=go][value=preview]`)
	b.noError()
	equal(t, "the send time", b.text(`#send-sentence`), "It is sent at 9:00 on 23 November 2026 in Europe/Berlin.")
	equal(t, "subject", b.text(`.mail-subject`), "Umbrella Retail lädt Sie zu Store leaders ein")
	equal(t, "sandboxed", eval[string](b, `document.querySelector("iframe.mail-preview").getAttribute("sandbox")`), "")
	text := eval[string](b, `document.querySelector("pre.mail-text").textContent`)
	for _, want := range []string{"Umbrella Retail lädt Sie zu Store leaders ein, mit Zugang zu Coaching programme", "Einladung annehmen", b.base + "/link/…"} {
		if !strings.Contains(text, want) {
			t.Errorf("the preview's text lacks %q:\n%s", want, text)
		}
	}
	// The frame's document, opened in a tab of its own, is the mail's HTML.
	frame := eval[string](b, `document.querySelector("iframe.mail-preview").src`)
	tab, closeTab := chromedp.NewContext(b.ctx)
	err := chromedp.Do(tab, chromedp.Navigate(frame))
	html, terr := chromedp.Run(tab, chromedp.Text(css("body")))
	closeTab()
	if err = cmp.Or(err, terr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "Umbrella Retail lädt Sie zu Store leaders ein") || !strings.Contains(html, "Einladung annehmen") {
		t.Errorf("the framed mail shows:\n%s", html)
	}
	equal(t, "confirm", b.text(`button[name=go][value=confirm]`), "Schedule 2 invitations")
	b.click(`button[name=go][value=confirm]`)

	// The scheduled list: both, their seats reserved and off the users.
	b.at("/company/invitations")
	b.heading("Scheduled invitations", "Scheduled invitations of Umbrella Retail")
	b.noError()
	equal(t, "flash", b.flash(), "0 invitations sent, 2 scheduled.")
	row := b.cells("nina.new@umbrella.demo")
	for i, want := range []string{"nina.new@umbrella.demo", "Store leaders", "23 Nov 2026 09:00 Europe/Berlin", "23 Nov 2026 09:00 CET", "de",
		"Coaching programme until 21 Apr 2027"} {
		equal(t, "scheduled cell "+string(rune('0'+i)), row[i], want)
	}
	b.cells("omar.new@umbrella.demo")
	b.click(`header nav a[href="/company/licences"]`)
	b.see("3 reserved for scheduled invitations") // these two, and the demo's for Monday
	b.open("/company/users?q=new%40umbrella.demo")
	b.notSee("nina.new@umbrella.demo")
	b.signOut()

	// The time comes: the mail arrives in German, with a link that works.
	b.clock.Set(time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC))
	m := inbox.WaitFor(t, "nina.new@umbrella.demo", "Umbrella Retail lädt Sie zu Store leaders ein", 60*time.Second)
	if !strings.Contains(m.Text, "Einladung annehmen") || !strings.Contains(m.Text, "Coaching programme") {
		t.Errorf("the mail is not the German invitation:\n%s", m.Text)
	}
	b.choosePassword(inbox, "nina.new@umbrella.demo", "Umbrella Retail lädt Sie zu Store leaders ein", "nina's own password")
	b.at("/me")
	b.see("Coaching programme")
	b.signOut()

	// Signing in through the link accepted the invitation: Umbrella's
	// manager finds her among the users and the members, active.
	b.signIn("manager@umbrella.demo")
	b.open("/company/users?q=nina.new%40umbrella.demo")
	equal(t, "user", b.cells("nina.new@umbrella.demo")[2], "Active")
	b.open("/company/programmes")
	if status := follow(b, inRow("Store leaders", `a[href^="/company/programmes/"]`)); status != http.StatusOK {
		t.Fatalf("the programme: status %d", status)
	}
	b.heading("Store leaders", "Store leaders")
	b.noError()
	equal(t, "nina", b.cells("nina.new@umbrella.demo")[1], labelOf(programme.StatusActive))
	equal(t, "omar", b.cells("omar.new@umbrella.demo")[1], labelOf(programme.StatusInvited))
	b.click(`nav.tabs a[href$="status=active"]`)
	b.cells("nina.new@umbrella.demo")
	b.notSee("omar.new@umbrella.demo")
	b.open("/company/invitations")
	b.notSee("nina.new@umbrella.demo", "omar.new@umbrella.demo")

	if r := refused(); len(r) > 0 {
		t.Errorf("the browser refused what the policies forbid:\n%s", strings.Join(r, "\n"))
	}
}

// labelOf is a member's status as the members' page writes it.
func labelOf(status string) string { return strings.ToUpper(status[:1]) + status[1:] }
