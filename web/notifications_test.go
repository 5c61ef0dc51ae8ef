package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot"
)

// assign assigns order key as the partner manager pm, through the orders
// page; the company's managers are owed a mail.
func (s *site) assign(t *testing.T, pm *client, key string) {
	t.Helper()
	res, body := pm.post("/orders/"+s.id(key)+"/assign", url.Values{"back": {"/orders"}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "assigned") {
		t.Fatalf("assign %s: status %d\n%s", key, res.StatusCode, body)
	}
}

// recordMail records a mail as the mail job does once it went out.
func (s *site) recordMail(t *testing.T, m allot.SentMail) {
	t.Helper()
	err := s.svc.Store.Write(context.Background(), func(tx allot.Tx) error { _, err := tx.RecordMail(&m); return err })
	if err != nil {
		t.Fatal(err)
	}
}

// count returns how many times the pattern matches body.
func count(body, pattern string) int {
	return len(regexp.MustCompile(pattern).FindAllString(body, -1))
}

func TestNotificationsPage(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		cm.zone("Pacific/Auckland")
		res, body := cm.get("/company/notifications")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, body)
		}
		expect(t, "before any mail", body,
			[]string{"<title>Notifications", `href="/company/notifications" aria-current="page">Notifications</a>`,
				`href="/company/settings">Settings</a>`, "No mail is waiting", "No mail has been sent yet",
				"72 hours before the end, on the last day"},
			[]string{"No reminder is to come"})
		// Acme's pool of Premium ends on 2 Mar 2027 at 20:00 UTC: the viewer in
		// Auckland is told 72 hours before, and at the start of the last day
		// in UTC.
		for _, row := range []string{
			`<time datetime="2027-02-27T20:00:00Z">28 Feb 2027 09:00 NZDT</time></td>\s*<td>72 hours before the end</td>\s*<td>10 × Premium</td>`,
			`<time datetime="2027-03-02T00:00:00Z">2 Mar 2027 13:00 NZDT</time></td>\s*<td>on the last day</td>\s*<td>10 × Premium</td>`,
		} {
			if n := count(body, row); n != 1 {
				t.Errorf("reminder to come %q: %d rows, want 1\n%s", row, n, body)
			}
		}

		s.assign(t, s.signIn(t, "pm@channel.test"), "a1")
		_, body = cm.get("/company/notifications")
		queued := `<time datetime="2026-03-02T20:00:00Z">3 Mar 2026 09:00 NZDT</time></td>\s*<td>cm@acme.test</td>\s*` +
			`<td>Assigned: Premium until 3 Mar 2027</td>\s*<td class="num">0 of 8</td>\s*<td><span class="badge pending">Queued</span></td>\s*<td>—</td>`
		if count(body, queued) != 1 {
			t.Errorf("the assignment mail is not listed as queued\n%s", body)
		}
		if n := count(body, `<td>(72 hours before the end|on the last day)</td>\s*<td>5 × Premium</td>`); n != 2 {
			t.Errorf("the new licences have %d reminders to come, want 2", n)
		}

		ctx := context.Background()
		jobs, err := s.svc.Store.ClaimJobs(ctx, t0, time.Minute, 10)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claim the mail job: %v, %v", jobs, err)
		}
		if err := s.svc.Store.FinishJob(ctx, jobs[0], t0, errors.New("smtp: 550 mailbox unavailable"), time.Time{}); err != nil {
			t.Fatal(err)
		}
		s.recordMail(t, allot.SentMail{JobKey: "mail/expired/test", CompanyID: s.ids["acme"], Kind: allot.MailExpired,
			To: "cm@acme.test", Subject: "Your Premium licences expired", Text: "They ended.", Status: allot.MailKept, At: t0})
		s.recordMail(t, allot.SentMail{JobKey: "mail/expired/globex", CompanyID: s.ids["globex"], Kind: allot.MailExpired,
			To: "cm@globex.test", Subject: "Globex licences expired", Status: allot.MailSent, At: t0})
		_, body = cm.get("/company/notifications")
		failed := `<td class="num">1 of 8</td>\s*<td><span class="badge failed">Failed</span></td>\s*<td><span class="field-error">smtp: 550 mailbox unavailable</span></td>`
		if count(body, failed) != 1 {
			t.Errorf("the failed mail and its error are not shown\n%s", body)
		}
		sent := `<time datetime="2026-03-02T20:00:00Z">3 Mar 2026 09:00 NZDT</time> · Expired to <span class="mail-to">cm@acme.test</span>\s*` +
			`<span class="badge kept"[^>]*>Kept</span></p>\s*<details class="mail-open">\s*<summary>Your Premium licences expired</summary>` +
			`[^<]*<details[^>]*>\s*<summary>Text</summary>\s*<pre class="mail-body">They ended.</pre>`
		if count(body, sent) != 1 {
			t.Errorf("the kept mail is not listed as sent\n%s", body)
		}
		expect(t, "another company's mail", body, nil, []string{"Globex licences expired", "No mail has been sent yet", "No mail is waiting"})

		// Every company of the world has licences: Channel Two gets one
		// without.
		sys := allot.WithPrincipal(context.Background(), allot.System)
		hooli, _, err := s.svc.CreateCompany(sys, allot.NewCompany{Name: "Hooli", PartnerID: s.ids["channel2"]})
		if err != nil {
			t.Fatal(err)
		}
		pm := s.signIn(t, "pm2@channel2.test")
		if res, _ := pm.post(fmt.Sprintf("/manage/%d", hooli.ID), nil); res.StatusCode != http.StatusOK {
			t.Fatalf("enter Hooli: status %d", res.StatusCode)
		}
		_, body = pm.get("/company/notifications")
		expect(t, "a company without licences", body,
			[]string{"Notifications of Hooli", "No mail is waiting", "No reminder is to come"},
			[]string{"cm@acme.test", "Premium until"})
	})
}

// offsetsField matches the reminder offsets field and its value.
var offsetsField = regexp.MustCompile(`<input name="reminder_offsets" value="([^"]*)"`)

func TestReminderSettings(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		res, body := cm.get("/company/settings")
		if m := offsetsField.FindStringSubmatch(body); res.StatusCode != http.StatusOK || m == nil || m[1] != "72h, 0" {
			t.Fatalf("settings: status %d, field %v\n%s", res.StatusCode, m, body)
		}
		expect(t, "default settings", body, []string{"72 hours before the end, on the last day (the default)", "30d, 7d, 72h, 0"}, nil)

		for _, c := range []struct {
			name, offsets, want, flash string
		}{
			{"two offsets", "30d, 72h", "30d, 72h", "Reminders saved: managers hear of an expiry 30 days before the end, 72 hours before the end."},
			{"unordered, repeated, without spaces", "72h,30d,72h", "30d, 72h", "30 days before the end, 72 hours before the end."},
			{"days under a week in hours", "3d 14d 0", "14d, 72h, 0", "14 days before the end, 72 hours before the end, on the last day."},
		} {
			res, body := cm.post("/company/settings", url.Values{"reminder_offsets": {c.offsets}})
			if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/company/settings" {
				t.Fatalf("%s: status %d at %s\n%s", c.name, res.StatusCode, res.Request.URL, body)
			}
			if m := offsetsField.FindStringSubmatch(body); m == nil || m[1] != c.want {
				t.Errorf("%s: field %v, want %q", c.name, m, c.want)
			}
			expect(t, c.name, body, []string{`<p class="flash" role="status">`, c.flash}, []string{"(the default)"})
		}

		cm.post("/company/settings", url.Values{"reminder_offsets": {"30d, 72h"}})
		_, body = cm.get("/company/notifications")
		for _, row := range []string{
			`<time datetime="2027-01-31T20:00:00Z">31 Jan 2027 20:00 UTC</time></td>\s*<td>30 days before the end</td>\s*<td>10 × Premium</td>`,
			`<time datetime="2027-02-27T20:00:00Z">27 Feb 2027 20:00 UTC</time></td>\s*<td>72 hours before the end</td>\s*<td>10 × Premium</td>`,
		} {
			if n := count(body, row); n != 1 {
				t.Errorf("reminder to come %q: %d rows, want 1\n%s", row, n, body)
			}
		}
		expect(t, "reminders after the change", body, []string{"30 days before the end, 72 hours before the end)"}, []string{"<td>on the last day</td>"})

		for _, bad := range []struct{ offsets, want string }{
			{"30d, soon", `"soon" is not an offset`},
			{"400d", `"400d" is not an offset`},
			{"-3h", `"-3h" is not an offset`},
		} {
			res, body := cm.post("/company/settings", url.Values{"reminder_offsets": {bad.offsets}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s: status %d, want 422", bad.offsets, res.StatusCode)
			}
			near := regexp.MustCompile(`name="reminder_offsets" value="([^"]*)"[^>]*aria-invalid="true"[^<]*>(?s:.*?)<p class="field-error">([^<]*)</p>`)
			if m := near.FindStringSubmatch(body); m == nil || m[1] != bad.offsets || !strings.Contains(m[2], bad.want) {
				t.Errorf("%s: want the input kept and %q next to the field\n%s", bad.offsets, bad.want, body)
			}
		}
		_, body = cm.get("/company/settings")
		if m := offsetsField.FindStringSubmatch(body); m == nil || m[1] != "30d, 72h" {
			t.Errorf("after bad offsets: field %v, want the saved 30d, 72h", m)
		}

		_, body = cm.post("/company/settings", url.Values{"reminder_offsets": {" "}})
		expect(t, "back to the default", body,
			[]string{"Reminders are back to the default: 72 hours before the end, on the last day.", `value="72h, 0"`, "(the default)"}, nil)
		_, body = cm.get("/company/audit")
		expect(t, "audit log", body, []string{"Changed when reminders are sent"}, nil)
	})
}

func TestNotificationsAndOutboxAccess(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		s.assign(t, s.signIn(t, "pm2@channel2.test"), "g1")
		s.recordMail(t, allot.SentMail{JobKey: "mail/assigned/test", CompanyID: s.ids["globex"], Kind: allot.MailAssigned,
			To: "cm@globex.test", Subject: "Your Premium licences are ready", Text: "4 seats of Premium until 2 Mar 2027.",
			Status: allot.MailSent, At: t0})

		cm := s.signIn(t, "cm@acme.test")
		if res, _ := cm.post("/manage/"+s.id("globex"), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a company manager enters another company: status %d, want 404", res.StatusCode)
		}
		res, body := cm.get("/company/notifications")
		if res.StatusCode != http.StatusOK {
			t.Errorf("own notifications: status %d", res.StatusCode)
		}
		expect(t, "own notifications", body, []string{"Notifications of Acme"}, []string{"cm@globex.test", "Globex", "4 × Premium"})
		acmeManager := allot.Principal{Role: allot.RoleCompanyManager, CompanyID: s.ids["acme"], Email: "cm@acme.test"}
		if _, err := s.svc.Notifications(allot.WithPrincipal(context.Background(), acmeManager), s.ids["globex"]); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's notifications for a company manager: %v, want not found", err)
		}
		if _, err := s.svc.SetReminderOffsets(allot.WithPrincipal(context.Background(), acmeManager), s.ids["globex"], "7d"); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's reminders for a company manager: %v, want not found", err)
		}

		pm := s.signIn(t, "pm2@channel2.test")
		if res, _ := pm.post("/manage/"+s.id("acme"), nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("a partner manager enters another partner's customer: status %d, want 404", res.StatusCode)
		}
		for _, path := range []string{"/company/notifications", "/company/settings"} {
			if res, _ := pm.get(path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s outside manage mode: status %d, want 404", path, res.StatusCode)
			}
		}
		if res, _ := pm.post("/company/settings", url.Values{"reminder_offsets": {"7d"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("POST /company/settings outside manage mode: status %d, want 404", res.StatusCode)
		}

		for _, who := range []string{"cm@acme.test", "pm@channel.test", "am@vendor.test"} {
			c := s.signIn(t, who)
			res, body := c.get("/outbox")
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("%s opens /outbox: status %d, want 403", who, res.StatusCode)
			}
			expect(t, who+" on /outbox", body, []string{"<title>No access", "the outbox is for the vendor admin"},
				[]string{"cm@globex.test", `href="/outbox"`})
		}

		admin := s.signIn(t, "admin@vendor.test")
		res, body = admin.get("/outbox")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("vendor admin's outbox: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "vendor admin's outbox", body,
			[]string{`href="/outbox" aria-current="page">Sent mail</a>`, "<title>Sent mail",
				"<summary>Your Premium licences are ready</summary>", `<pre class="mail-body">4 seats of Premium until 2 Mar 2027.</pre>`,
				`<span class="badge sent">Sent</span>`, "Assigned mail to cm@globex.test",
				`<span class="badge pending">Pending</span>`, "0 of 8"},
			[]string{"No mail has been recorded yet", "No job is waiting"})
	})
}
