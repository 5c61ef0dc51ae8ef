package web_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot/programme"
	"allot/world"
)

// scheduleTwo invites ana and bo to Leaders for 9:00 on 10 March 2026 in
// Paris, each with a seat of Acme's coaching subscription, and returns
// their invitations by e-mail.
func (s *site) scheduleTwo(t *testing.T, pg programme.Programme) map[string]programme.Invitation {
	t.Helper()
	cm := s.w.As(s.w.Acme.CM)
	world.Must(s.w.Programs.Confirm(cm, programme.Invite{ProgrammeID: pg.ID, PoolID: s.w.Acme.Coaching.ID,
		Emails: "ana@acme.test bo@acme.test", Zone: "Europe/Paris", At: programme.Wall{Year: 2026, Month: time.March, Day: 10, Hour: 9}}))(t)
	out := map[string]programme.Invitation{}
	for _, inv := range world.Must(s.w.Programs.Scheduled(cm, s.w.Acme.Company.ID))(t) {
		out[inv.Email] = inv
	}
	return out
}

// TestScheduledInvitations lists the invitations waiting to go out, each
// at its time in its zone, and changes, sends and cancels them from their
// rows: a change that cannot be made says why beside its field, and a
// cancellation frees the seat at once.
func TestScheduledInvitations(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/invitations")
		expect(t, "none", body, []string{"No invitation is scheduled.", `<a href="/company/invitations" aria-current="page">Invitations</a>`}, nil)

		invs := s.scheduleTwo(t, s.leaders(t))
		ana, bo := strconv.FormatInt(invs["ana@acme.test"].ID, 10), strconv.FormatInt(invs["bo@acme.test"].ID, 10)
		_, body = cm.get("/company/invitations")
		expect(t, "the list", body, []string{"<td>ana@acme.test</td>", "<td>bo@acme.test</td>", "10 Mar 2026 09:00 Europe/Paris",
			`<time datetime="2026-03-10T08:00:00Z">10 Mar 2026 08:00 UTC</time>`, "<td>de</td>", "Coaching until 2 Mar 2027",
			`<form method="post" action="/company/invitations/` + ana + `/cancel"`}, []string{"does not exist", "No invitation"})

		// 30 February: refused beside the date, in ana's row, what was
		// typed kept.
		res, body := cm.post("/company/invitations/"+ana, url.Values{"date": {"2026-02-30"}, "time": {"09:00"}, "zone": {"Europe/Paris"}, "lang": {"de"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("30 February: status %d, want 422", res.StatusCode)
		}
		expect(t, "30 February", body, []string{`<p class="field-error" id="date-error">February 2026 has 28 days, not 30</p>`,
			`value="2026-02-30" aria-invalid="true"`, `<details class="menu" open><summary aria-label="Actions for the invitation of ana@acme.test">`}, nil)

		// Moved into the night Berlin's clocks go forward, in Spanish.
		res, body = cm.post("/company/invitations/"+ana, url.Values{"date": {"2026-03-29"}, "time": {"02:30"}, "zone": {"Europe/Berlin"}, "lang": {"es"}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/invitations" {
			t.Fatalf("reschedule: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "rescheduled", body, []string{"The invitation of ana@acme.test was changed. 2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.",
			"29 Mar 2026 03:00 Europe/Berlin", "2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.", "<td>es</td>"}, nil)

		// Bo's goes out now: he leaves the list and joins the users.
		res, body = cm.post("/company/invitations/"+bo+"/send", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("send now: status %d", res.StatusCode)
		}
		expect(t, "sent now", body, []string{"The invitation of bo@acme.test is being sent now."}, []string{"<td>bo@acme.test</td>"})
		_, body = cm.get("/company/users")
		expect(t, "the users", body, []string{"bo@acme.test"}, []string{"ana@acme.test"})

		// Another company's manager cannot cancel ana's.
		globex := s.signIn(t, "cm@globex.test")
		if res, _ := globex.post("/company/invitations/"+ana+"/cancel", nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager cancelling Acme's invitation: status %d, want 404", res.StatusCode)
		}
		_, body = globex.get("/company/invitations")
		expect(t, "Globex's list", body, []string{"No invitation is scheduled."}, []string{"ana@acme.test"})

		// Cancelled: her seat is free at once.
		res, body = cm.post("/company/invitations/"+ana+"/cancel", nil)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("cancel: status %d", res.StatusCode)
		}
		expect(t, "cancelled", body, []string{"The invitation of ana@acme.test was cancelled: its seat is free again.", "No invitation is scheduled."}, nil)
		if used := s.w.Reload(s.w.Acme.Coaching).Used; used != 1 {
			t.Errorf("the pool has %d seats used, want bo's alone", used)
		}
		res, body = cm.post("/company/invitations/"+ana+"/send", nil)
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "the invitation of ana@acme.test is cancelled: only a scheduled one changes") {
			t.Errorf("sending a cancelled invitation: status %d\n%s", res.StatusCode, body)
		}
		if res, _ := s.signIn(t, "learner@acme.test").get("/company/invitations"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a learner: status %d, want 403", res.StatusCode)
		}
	})
}

// TestProgrammeMembers lists a programme's members with their status and
// access, filtered by status, and sends an invitation again to a member
// who has not signed in since.
func TestProgrammeMembers(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		pg := s.leaders(t)
		page := "/company/programmes/" + strconv.FormatInt(pg.ID, 10)
		_, body := cm.get(page)
		expect(t, "no member", body, []string{"<h1>Leaders</h1>", "No member yet.", `href="/company/invite?programme=` + strconv.FormatInt(pg.ID, 10) + `"`}, nil)

		invs := s.scheduleTwo(t, pg)
		world.Must(s.w.Programs.SendNow(s.w.As(s.w.Acme.CM), invs["bo@acme.test"].ID))(t)
		world.Must(s.w.Programs.Cancel(s.w.As(s.w.Acme.CM), invs["ana@acme.test"].ID))(t)
		cy := s.w.As(s.w.Acme.CM)
		world.Must(s.w.Programs.Confirm(cy, programme.Invite{ProgrammeID: pg.ID, PoolID: s.w.Acme.Coaching.ID, Emails: "cy@acme.test"}))(t)
		s.w.Clock.Advance(time.Hour)
		if err := s.svc.RecordLogin(s.w.As(s.w.Admin), world.Must(s.svc.UserByEmail(s.w.As(s.w.Admin), "cy@acme.test"))(t).ID); err != nil {
			t.Fatal(err)
		}

		_, body = cm.get(page)
		for email, status := range map[string]string{"ana@acme.test": "cancelled", "bo@acme.test": "invited", "cy@acme.test": "active"} {
			row := rowOf(body, email)
			expect(t, email, row, []string{`<span class="badge ` + status + `">`}, nil)
		}
		expect(t, "bo's row", rowOf(body, "bo@acme.test"), []string{`<form method="post" action="/company/invitations/` +
			strconv.FormatInt(invs["bo@acme.test"].ID, 10) + `/resend">`, `<time datetime="2026-03-02T20:00:00Z">2 Mar 2026</time> – <time datetime="2027-03-02T20:00:00Z">2 Mar 2027</time>`}, nil)
		expect(t, "cy's row", rowOf(body, "cy@acme.test"), nil, []string{"/resend"})

		_, body = cm.get(page + "?status=invited")
		expect(t, "the invited", body, []string{`<a href="` + page + `?status=invited" aria-current="page">Invited</a>`, "bo@acme.test"},
			[]string{"ana@acme.test", "cy@acme.test"})
		res, body := cm.get(page + "?status=lost")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "a member's status is one of scheduled, invited, accepted, active, expired, cancelled") {
			t.Errorf("an unknown status: status %d\n%s", res.StatusCode, body)
		}

		res, body = cm.post("/company/invitations/"+strconv.FormatInt(invs["bo@acme.test"].ID, 10)+"/resend",
			url.Values{"programme": {strconv.FormatInt(pg.ID, 10)}})
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != page {
			t.Fatalf("resend: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "sent again", body, []string{"The invitation was sent again to bo@acme.test."}, nil)
		res, body = cm.post("/company/invitations/"+strconv.FormatInt(invs["ana@acme.test"].ID, 10)+"/resend",
			url.Values{"programme": {strconv.FormatInt(pg.ID, 10)}})
		if res.StatusCode != http.StatusConflict || !strings.Contains(body, "the invitation of ana@acme.test is cancelled: only one not answered is sent again") {
			t.Errorf("resending a cancelled invitation: status %d\n%s", res.StatusCode, body)
		}

		if res, _ := s.signIn(t, "cm@globex.test").get(page); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager: status %d, want 404", res.StatusCode)
		}
	})
}

// rowOf returns the table row of the page that holds text, "" for none.
func rowOf(body, text string) string {
	for _, row := range strings.Split(body, "<tr>") {
		if strings.Contains(row, text) {
			return row[:strings.Index(row+"</tr>", "</tr>")]
		}
	}
	return ""
}
