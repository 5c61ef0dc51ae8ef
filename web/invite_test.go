package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"allot/programme"
	"allot/world"
)

// leaders makes Acme's programme Leaders, offering coaching, with its
// invitations in German.
func (s *site) leaders(t *testing.T) programme.Programme {
	t.Helper()
	return world.Must(s.w.Programs.Create(s.w.As(s.w.Acme.CM), programme.NewProgramme{CompanyID: s.w.Acme.Company.ID,
		Name: "Leaders", Products: []string{"coaching"}, Lang: "de"}))(t)
}

// wizard is the form of a step of the invite wizard: the choices so far.
func wizardForm(pg programme.Programme, pairs ...string) url.Values {
	v := url.Values{"programme": {strconv.FormatInt(pg.ID, 10)}}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v
}

// reviewed is the fingerprint the review last showed, as its form carries
// it.
var reviewed = regexp.MustCompile(`name="reviewed" value="([^"]*)"`)

// TestInviteWizard walks the wizard's steps as a company manager does: each
// step says what is wrong beside its field, the e-mails name each problem
// with its address, the review warns of an access cut short and says when
// a scheduled invitation goes out, a confirmation of choices not reviewed
// is refused, and the confirmation reserves the seats and says how many
// invitations were sent and scheduled.
func TestInviteWizard(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/invite")
		expect(t, "no programme", body, []string{"Acme has no programme yet", `href="/company/programmes"`}, nil)

		pg := s.leaders(t)
		_, body = cm.get("/company/programmes")
		expect(t, "the programmes' links", body, []string{`href="/company/invite?programme=` + strconv.FormatInt(pg.ID, 10) + `"`,
			`<a class="button" href="/company/invite">Invite members</a>`}, nil)
		_, body = cm.get("/company/invite")
		expect(t, "the programme step", body, []string{`<li aria-current="step">Programme</li>`, `name="programme" value="` +
			strconv.FormatInt(pg.ID, 10) + `" required`, "<strong>Leaders</strong>"}, nil)

		// The seats: Acme's coaching subscription, chosen as the only one.
		pool := strconv.FormatInt(s.w.Acme.Coaching.ID, 10)
		res, body := cm.post("/company/invite", wizardForm(pg, "go", "seats"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the seats step: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "the seats step", body, []string{`<li aria-current="step">Seats</li>`, `<li class="done">Programme</li>`,
			`value="` + pool + `" required checked`, "10 free seats of 10", "A member invited now gets 12 months of access.",
			"Add another experience", `<input type="date" name="starts" min="2026-03-02"`}, []string{"Premium"})

		// An experience of a custom length without its days, then one more.
		res, body = cm.post("/company/invite", wizardForm(pg, "go", "emails", "mode", "experiences",
			"product", "coaching", "length", "days", "days", ""))
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("an experience without its days: status %d, want 422", res.StatusCode)
		}
		expect(t, "no days", body, []string{`<li aria-current="step">Seats</li>`,
			`<p class="field-error" id="experiences[0].days-error">give the access's length as a number of days, 1 to 1095</p>`,
			`name="days" min="1" max="1095" value="" aria-invalid="true"`}, nil)
		_, body = cm.post("/company/invite", wizardForm(pg, "go", "add", "mode", "experiences",
			"product", "coaching", "length", "6", "days", ""))
		if n := strings.Count(body, `<select name="product"`); n != 2 {
			t.Errorf("after adding an experience, %d rows; want 2\n%s", n, body)
		}
		_, body = cm.post("/company/invite", wizardForm(pg, "go", "emails", "mode", "experiences",
			"product", "coaching", "length", "6", "days", "", "product", "coaching", "length", "3", "days", ""))
		expect(t, "a product twice", body, []string{"Coaching is in two experiences: a person holds one seat of a product"}, nil)

		// The e-mails: each problem with its address, a duplicate merged.
		seats := wizardForm(pg, "mode", "subscription", "pool_id", pool, "starts", "2026-03-02")
		seats.Set("go", "emails")
		_, body = cm.post("/company/invite", seats)
		expect(t, "the e-mails step", body, []string{`<li aria-current="step">E-mails</li>`, `<textarea name="emails"`,
			`<input type="hidden" name="pool_id" value="` + pool + `">`, `<input type="hidden" name="mode" value="subscription">`}, nil)
		seats.Set("emails", "ana@acme.test, not-an-address\nANA@acme.test cm@globex.test")
		seats.Set("go", "review")
		res, body = cm.post("/company/invite", seats)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("addresses with problems: status %d, want 422", res.StatusCode)
		}
		expect(t, "the problems", body, []string{`<li aria-current="step">E-mails</li>`, "2 addresses cannot be invited",
			"<li><strong>not-an-address</strong> ", "<li><strong>cm@globex.test</strong> has an account outside Acme</li>",
			"Given more than once, invited once: ana@acme.test.", "Leave them out and invite 1 person",
			`<p class="field-error" id="emails-error">2 addresses cannot be invited: correct them, or leave them out</p>`}, []string{"Schedule 1 invitation"})

		// Left out: the review, sent now by default, in the programme's
		// language.
		seats.Set("go", "leave")
		res, body = cm.post("/company/invite", seats)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the review: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "the review", body, []string{`<li aria-current="step">Review</li>`, "<strong>1 member</strong> of Leaders: ana@acme.test.",
			`<option value="de" selected>Deutsch</option>`, `name="send" value="now" checked`, "Send 1 invitation now",
			`<input type="hidden" name="emails" value="ana@acme.test">`, "<td>Coaching</td>", "<td>2 Mar 2027</td>"},
			[]string{"not-an-address", `class="warning short"`})

		// Scheduled in Berlin for 2:30 on the night the clocks go forward.
		review := wizardForm(pg, "mode", "subscription", "pool_id", pool, "starts", "2026-03-02", "emails", "ana@acme.test",
			"lang", "fr", "send", "later", "date", "2026-03-29", "time", "02:30", "zone", "Europe/Berlin", "go", "review")
		_, body = cm.post("/company/invite", review)
		expect(t, "the scheduled review", body, []string{"Schedule 1 invitation",
			`<p id="send-sentence" class="warning">2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.</p>`},
			nil)
		fingerprint := reviewed.FindStringSubmatch(body)
		if fingerprint == nil {
			t.Fatalf("the review carries no fingerprint\n%s", body)
		}

		// Confirming another time than the one reviewed shows the review
		// again, and reserves nothing.
		review.Set("reviewed", fingerprint[1])
		review.Set("time", "04:00")
		review.Set("go", "confirm")
		res, body = cm.post("/company/invite", review)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/invite" {
			t.Errorf("a confirmation of another time: status %d at %s", res.StatusCode, res.Request.URL)
		}
		expect(t, "not reviewed", body, []string{"The language or the sending changed since the review was shown",
			"It is sent at 4:00 on 29 March 2026 in Europe/Berlin."}, nil)
		if used := s.w.Reload(s.w.Acme.Coaching).Used; used != 0 {
			t.Fatalf("a confirmation not reviewed used %d seats", used)
		}

		review.Set("time", "02:30")
		review.Set("reviewed", fingerprint[1])
		res, body = cm.post("/company/invite", review)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/invitations" {
			t.Fatalf("confirm: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "the scheduled invitations", body, []string{`<p class="flash" role="status">0 invitations sent, 1 scheduled.</p>`,
			"<td>ana@acme.test</td>", ">Leaders</a></td>", "29 Mar 2026 03:00 Europe/Berlin", "2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.",
			"<td>fr</td>", "Coaching until 2 Mar 2027"}, nil)
		if used := s.w.Reload(s.w.Acme.Coaching).Used; used != 1 {
			t.Errorf("the coaching pool has %d seats used, want the 1 reserved", used)
		}
		_, body = cm.get("/company/licences")
		expect(t, "the licences", body, []string{`<a class="reserved" href="/company/invitations">1 reserved for scheduled invitations</a>`}, nil)
		_, body = cm.get("/company/users")
		expect(t, "the users", body, nil, []string{"ana@acme.test"})

		// Confirming again: ana is invited already, named on the e-mails
		// step.
		res, body = cm.post("/company/invite", review)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("inviting ana twice: status %d, want 422", res.StatusCode)
		}
		expect(t, "invited twice", body, []string{`<li aria-current="step">E-mails</li>`,
			"<li><strong>ana@acme.test</strong> is invited to Leaders already, on 29 March 2026 03:00 CEST</li>"}, nil)
	})
}

// TestInviteShortAccess: an experience whose length the subscription
// cannot serve in full is warned of on the review, with the end the
// member gets; more people than free seats is said beside the e-mails.
func TestInviteShortAccess(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		pg := s.leaders(t)
		form := wizardForm(pg, "mode", "experiences", "product", "coaching", "length", "12", "days", "",
			"starts", "2026-09-02", "emails", "bo@acme.test kim@acme.test", "go", "review")
		res, body := cm.post("/company/invite", form)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("the review: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "a short access", body, []string{"Access starts on 2 Sep 2026.", "<td>Coaching · 12 months</td>",
			`<p class="warning short">12 months of Coaching cannot be given in full: the subscription ends on 2 Mar 2027. 2 members get access until 2 Mar 2027.</p>`},
			nil)

		var many []string
		for i := range 11 {
			many = append(many, "p"+strconv.Itoa(i)+"@acme.test")
		}
		form.Set("emails", strings.Join(many, " "))
		res, body = cm.post("/company/invite", form)
		if res.StatusCode != http.StatusConflict {
			t.Errorf("11 people for 10 seats: status %d, want 409", res.StatusCode)
		}
		expect(t, "too few seats", body, []string{`<li aria-current="step">E-mails</li>`,
			`<p class="field-error" id="emails-error">11 people invited but only 10 free seats of Coaching</p>`}, nil)
	})
}

// TestInviteShowsTheSendRule: the review tells the manager when a
// scheduled invitation goes out, and why then when the clocks change over
// the time asked for: after a gap, the first time in an overlap, as asked
// elsewhere; a time that does not exist on any clock is refused beside its
// field.
func TestInviteShowsTheSendRule(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		pg := s.leaders(t)
		for _, c := range []struct {
			name, date, clock, zone string
			status                  int
			want                    string
		}{
			{"a gap in Berlin", "2026-03-29", "02:30", "Europe/Berlin", http.StatusOK,
				`<p id="send-sentence" class="warning">2:30 does not exist on 29 March 2026 in Europe/Berlin: clocks go forward; it is sent at 3:00, when they do.</p>`},
			{"a gap in New York", "2026-03-08", "02:15", "America/New_York", http.StatusOK,
				`<p id="send-sentence" class="warning">2:15 does not exist on 8 March 2026 in America/New_York: clocks go forward; it is sent at 3:00, when they do.</p>`},
			{"an overlap in Berlin", "2026-10-25", "02:30", "Europe/Berlin", http.StatusOK,
				`<p id="send-sentence" class="warning">2:30 happens twice on 25 October 2026 in Europe/Berlin: it is sent the first time.</p>`},
			{"an overlap in Lord Howe, of 30 minutes", "2026-04-05", "01:45", "Australia/Lord_Howe", http.StatusOK,
				`<p id="send-sentence" class="warning">1:45 happens twice on 5 April 2026 in Australia/Lord_Howe: it is sent the first time.</p>`},
			{"Tokyo, without a change", "2026-03-29", "02:30", "Asia/Tokyo", http.StatusOK,
				`<p id="send-sentence" class="muted">It is sent at 2:30 on 29 March 2026 in Asia/Tokyo.</p>`},
			{"31 April", "2026-04-31", "09:00", "Europe/Paris", http.StatusUnprocessableEntity,
				`<p class="field-error" id="date-error">April 2026 has 30 days, not 31</p>`},
			{"a time passed", "2026-03-01", "09:00", "Europe/Paris", http.StatusUnprocessableEntity,
				`<p class="field-error" id="time-error">2026-03-01 09:00 in Europe/Paris has passed: choose a later time, or send now</p>`},
			{"no such zone", "2026-04-01", "09:00", "Mars/Olympus", http.StatusUnprocessableEntity,
				`<p class="field-error" id="zone-error">"Mars/Olympus" is not a time zone such as Europe/Paris</p>`},
		} {
			t.Run(c.name, func(t *testing.T) {
				res, body := cm.post("/company/invite", wizardForm(pg, "mode", "subscription", "pool_id",
					strconv.FormatInt(s.w.Acme.Coaching.ID, 10), "emails", "ana@acme.test", "send", "later",
					"date", c.date, "time", c.clock, "zone", c.zone, "go", "review"))
				if res.StatusCode != c.status {
					t.Errorf("status %d, want %d", res.StatusCode, c.status)
				}
				expect(t, c.name, body, []string{`<li aria-current="step">Review</li>`, c.want}, nil)
			})
		}
	})
}

// TestInvitePreview shows the exact mail under the review, in the
// language chosen: its subject and text on the page, its HTML framed from
// a document of its own that is sandboxed and may only be framed by the
// dashboard.
func TestInvitePreview(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		pg := s.leaders(t)
		res, body := cm.post("/company/invite", wizardForm(pg, "mode", "subscription", "pool_id",
			strconv.FormatInt(s.w.Acme.Coaching.ID, 10), "emails", "new.one@acme.test, two@acme.test", "lang", "es", "go", "preview"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("preview: status %d\n%s", res.StatusCode, body)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasSuffix(csp, "; frame-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("the review's policy %q does not let it frame the preview, or lets it be framed", csp)
		}
		expect(t, "the preview", body, []string{"The e-mail, as new.one@acme.test will get it",
			`<span class="mail-subject">Acme le invita a Leaders</span>`, `<iframe class="mail-preview" sandbox src="/company/invite/mail?`,
			s.srv.URL + "/link/…"}, nil)
		src := regexp.MustCompile(`<iframe class="mail-preview" sandbox src="([^"]+)"`).FindStringSubmatch(body)
		if src == nil {
			t.Fatal("no frame")
		}
		res, html := cm.get(src[1])
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(html, "<!DOCTYPE html>") || !strings.Contains(html, `<html lang="es">`) {
			t.Fatalf("the framed mail: status %d\n%s", res.StatusCode, html)
		}
		csp := res.Header.Get("Content-Security-Policy")
		for _, want := range []string{"sandbox", "default-src 'none'", "style-src 'unsafe-inline'", "frame-ancestors 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("the framed mail's policy %q lacks %q", csp, want)
			}
		}
		if strings.Contains(csp, "script-src") || res.Header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("the framed mail: policy %q, X-Frame-Options %q", csp, res.Header.Get("X-Frame-Options"))
		}
		expect(t, "the framed mail", html, []string{"new.one@acme.test", "Leaders"}, []string{"two@acme.test"})

		// Another company's manager sees nothing of it.
		globex := s.signIn(t, "cm@globex.test")
		if res, _ := globex.get(src[1]); res.StatusCode != http.StatusNotFound {
			t.Errorf("Globex's manager previewing Acme's invitation: status %d, want 404", res.StatusCode)
		}
		res, body = globex.post("/company/invite", wizardForm(pg, "go", "seats"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "choose one of the programmes of Globex") {
			t.Errorf("Globex's manager choosing Acme's programme: status %d\n%s", res.StatusCode, body)
		}
		if res, _ := s.signIn(t, "learner@acme.test").get("/company/invite"); res.StatusCode != http.StatusForbidden {
			t.Errorf("a learner: status %d, want 403", res.StatusCode)
		}
		if used := s.w.Reload(s.w.Acme.Coaching).Used; used != 0 {
			t.Errorf("previews used %d seats", used)
		}
	})
}

var (
	formRe     = regexp.MustCompile(`(?s)<form method="post" action="/company/invite"[^>]*>(.*?)</form>`)
	inputRe    = regexp.MustCompile(`<input ([^>]*)>`)
	attrRe     = regexp.MustCompile(`([a-z_-]+)(?:="([^"]*)")?`)
	selectRe   = regexp.MustCompile(`(?s)<select name="([^"]+)"[^>]*>(.*?)</select>`)
	selectedRe = regexp.MustCompile(`<option value="([^"]*)"[^>]* selected`)
	textareaRe = regexp.MustCompile(`(?s)<textarea name="([^"]+)"[^>]*>(.*?)</textarea>`)
)

// wizardPage returns what a browser sends with the wizard's form on the
// page, as its fields show: each input's value (a radio's when checked),
// each select's selected option and each textarea's text. The button
// pressed is for the caller to add.
func wizardPage(t *testing.T, body string) url.Values {
	t.Helper()
	form := formRe.FindStringSubmatch(body)
	if form == nil {
		t.Fatalf("no wizard form on the page\n%s", body)
	}
	v := url.Values{}
	for _, in := range inputRe.FindAllStringSubmatch(form[1], -1) {
		attrs := map[string]string{}
		for _, a := range attrRe.FindAllStringSubmatch(in[1], -1) {
			attrs[a[1]] = a[2]
		}
		_, checked := attrs["checked"]
		if attrs["name"] != "" && (attrs["type"] != "radio" || checked) {
			v.Add(attrs["name"], attrs["value"])
		}
	}
	for _, sel := range selectRe.FindAllStringSubmatch(form[1], -1) {
		if opt := selectedRe.FindStringSubmatch(sel[2]); opt != nil {
			v.Add(sel[1], opt[1])
		}
	}
	for _, ta := range textareaRe.FindAllStringSubmatch(form[1], -1) {
		v.Add(ta[1], ta[2])
	}
	return v
}

// TestInviteConfirmAsReviewed confirms from the review as a browser sends
// its form, without changing anything: sent now, at once; and scheduled,
// after the review of the time chosen. The review's fields are those the
// confirmation checks it against.
func TestInviteConfirmAsReviewed(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		pg := s.leaders(t)
		_, body := cm.post("/company/invite", wizardForm(pg, "mode", "subscription", "pool_id",
			strconv.FormatInt(s.w.Acme.Coaching.ID, 10), "emails", "ana@acme.test", "go", "review"))
		form := wizardPage(t, body)
		form.Set("go", "confirm")
		res, body := cm.post("/company/invite", form)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/programmes/"+strconv.FormatInt(pg.ID, 10) {
			t.Fatalf("confirm as reviewed: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "sent now", body, []string{`<p class="flash" role="status">1 invitation sent, 0 scheduled.</p>`, "ana@acme.test",
			`<span class="badge invited">Invited</span>`}, nil)

		_, body = cm.post("/company/invite", wizardForm(pg, "mode", "subscription", "pool_id",
			strconv.FormatInt(s.w.Acme.Coaching.ID, 10), "emails", "bo@acme.test", "go", "review"))
		form = wizardPage(t, body)
		form.Set("send", "later")
		form.Set("date", "2026-03-04")
		form.Set("go", "confirm")
		_, body = cm.post("/company/invite", form)
		expect(t, "a time not reviewed", body, []string{"The language or the sending changed since the review was shown",
			`It is sent at 9:00 on 4 March 2026 in UTC.`}, []string{"flash"})
		form = wizardPage(t, body)
		form.Set("go", "confirm")
		res, body = cm.post("/company/invite", form)
		if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/invitations" {
			t.Fatalf("confirm as reviewed: status %d at %s\n%s", res.StatusCode, res.Request.URL, body)
		}
		expect(t, "scheduled", body, []string{`<p class="flash" role="status">0 invitations sent, 1 scheduled.</p>`,
			"4 Mar 2026 09:00 UTC"}, nil)
	})
}
