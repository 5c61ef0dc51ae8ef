package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"allot"
)

// recordMails records mails as the mail job does once they went out, and
// returns them with their IDs.
func (s *site) recordMails(t *testing.T, ms ...allot.SentMail) []allot.SentMail {
	t.Helper()
	err := s.svc.Store.Write(t.Context(), func(tx allot.Tx) error {
		for i := range ms {
			if _, err := tx.RecordMail(&ms[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestOutboxFilters(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		acme, globex := s.ids["acme"], s.ids["globex"]
		var ms []allot.SentMail
		for i := range 52 {
			ms = append(ms, allot.SentMail{JobKey: fmt.Sprintf("mail/reminder/%d", i), CompanyID: acme, Kind: allot.MailReminder,
				To: "cm@acme.test", Subject: fmt.Sprintf("Reminder %d", i), Text: "Renew.", HTML: "<p>Renew.</p>", Status: allot.MailSent,
				At: t0.Add(time.Duration(i) * time.Minute)})
		}
		ms = append(ms,
			allot.SentMail{JobKey: "mail/expired/globex", CompanyID: globex, Kind: allot.MailExpired, To: "Billing@Globex.test",
				Subject: "Globex licences expired", Text: "They ended.", HTML: "<p>They ended.</p>", Status: allot.MailSent, At: t0},
			allot.SentMail{JobKey: "mail/expired/acme", CompanyID: acme, Kind: allot.MailExpired, To: "cm@acme.test",
				Subject: "Acme licences expired", Text: "They ended too.", HTML: `<p lang="en">They ended too.</p>`, Status: allot.MailSent, At: t0})
		ms = s.recordMails(t, ms...)
		admin := s.signIn(t, "admin@vendor.test")

		res, body := admin.get("/outbox")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("outbox: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "every mail", body, []string{"54 mails, newest first: 50 on this page.", "Older →", "Acme licences expired",
			`<option value="expired">Expired</option>`, `<iframe class="mail-frame" sandbox loading="lazy" src="/outbox/mails/`},
			[]string{"Reminder 1<", "match these filters", "Clear filters"})
		if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") {
			t.Errorf("the outbox's policy frames no mail: %q", csp)
		}

		for _, tc := range []struct {
			name, query    string
			want, unwanted []string
		}{
			{"by kind", "?kind=expired", []string{"2 mails match these filters", "Globex licences expired", "Acme licences expired",
				`<option value="expired" selected>Expired</option>`, `href="/outbox">Clear filters</a>`}, []string{"Reminder 5<", "Older"}},
			{"by recipient, in any case", "?to=BILLING%40globex", []string{"1 mail matches these filters", "Globex licences expired",
				`value="BILLING@globex"`}, []string{"Acme licences expired", "Reminder 5<"}},
			{"by company and kind", "?kind=expired&company=" + s.id("acme"), []string{"1 mail matches these filters", "Acme licences expired",
				`<option value="` + s.id("acme") + `" selected>Acme</option>`}, []string{"Globex licences expired"}},
			{"a page further, filters kept", "?kind=reminder&before=" + strconv.FormatInt(ms[2].ID, 10),
				[]string{"52 mails match these filters", "Reminder 1<", "Reminder 0<", `href="/outbox?kind=reminder">← Newest</a>`},
				[]string{"Reminder 2<", "licences expired"}},
			{"nothing", "?to=nobody", []string{"No recorded mail matches these filters."}, []string{"Reminder 5<"}},
		} {
			res, body := admin.get("/outbox" + tc.query)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", tc.name, res.StatusCode)
			}
			expect(t, tc.name, body, tc.want, tc.unwanted)
		}
		if _, body := admin.get("/outbox?kind=reminder"); !strings.Contains(body, `href="/outbox?before=`+strconv.FormatInt(ms[2].ID, 10)+`&kind=reminder">Older →</a>`) {
			t.Errorf("the next page of reminders loses the filter\n%s", body)
		}
		res, body = admin.get("/outbox?kind=gossip")
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is not a kind of mail allot sends") {
			t.Errorf("an unknown kind: status %d, want 422 saying why\n%s", res.StatusCode, body)
		}

		res, body = admin.get("/outbox/mails/" + strconv.FormatInt(ms[53].ID, 10))
		if res.StatusCode != http.StatusOK || body != `<p lang="en">They ended too.</p>` {
			t.Errorf("a mail's HTML: status %d, body %q", res.StatusCode, body)
		}
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox;") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("a mail's HTML runs under %q, want the sandboxed mail policy", csp)
		}
		if res, _ := admin.get("/outbox/mails/999999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("a missing mail's HTML: status %d, want 404", res.StatusCode)
		}
		cm := s.signIn(t, "cm@acme.test")
		if res, _ := cm.get("/outbox/mails/" + strconv.FormatInt(ms[53].ID, 10)); res.StatusCode != http.StatusForbidden {
			t.Errorf("a company manager opens the outbox's mail: status %d, want 403", res.StatusCode)
		}
	})
}

func TestNotificationsMailBodies(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		acme, globex := s.ids["acme"], s.ids["globex"]
		ms := s.recordMails(t,
			allot.SentMail{JobKey: "mail/assigned/acme", CompanyID: acme, Kind: allot.MailAssigned, To: "cm@acme.test",
				Subject: "Premium is ready", Text: "Allocate <now> at https://allot.test/company/licences?tab=a&b=1", HTML: "<p>Allocate</p>", Status: allot.MailSent, At: t0},
			allot.SentMail{JobKey: "mail/welcome/acme", CompanyID: acme, Kind: allot.MailWelcome, To: "new@acme.test",
				Subject: "Welcome to allot", Text: "Choose a password: https://allot.test/link/SECRET", HTML: "<p>SECRET</p>", Status: allot.MailKept, At: t0},
			allot.SentMail{JobKey: "mail/invitation/acme", CompanyID: acme, Kind: allot.MailInvitation, To: "guest@acme.test",
				Subject: "You are invited", Text: "Join: https://allot.test/link/TOKEN", HTML: "<p>TOKEN</p>", Status: allot.MailKept, At: t0},
			allot.SentMail{JobKey: "mail/assigned/globex", CompanyID: globex, Kind: allot.MailAssigned, To: "cm@globex.test",
				Subject: "Globex is ready", Text: "Globex.", HTML: "<p>Globex</p>", Status: allot.MailSent, At: t0},
		)
		id := func(i int) string { return strconv.FormatInt(ms[i].ID, 10) }
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/notifications")
		expect(t, "notifications", body,
			[]string{"3 mails, newest first.", "Premium is ready",
				`src="/company/notifications/mails/` + id(0) + `"`, "Welcome to allot", "You are invited", "its text is for its recipient only"},
			[]string{"SECRET", "TOKEN", "Globex", `<select name="company">`})
		// The page as sent, not unescaped: the body's markup is escaped, and its
		// address may break at its slashes and the separators of its query.
		res, err := cm.http.Get(s.srv.URL + "/company/notifications")
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(res.Body)
		res.Body.Close()
		if want := `<pre class="mail-body">Allocate &lt;now&gt; at https://allot.test/<wbr>company/<wbr>licences?<wbr>tab=<wbr>a&amp;<wbr>b=<wbr>1</pre>`; err != nil || !strings.Contains(string(raw), want) {
			t.Errorf("the mail's body: want %q in the page (%v)\n%s", want, err, raw)
		}
		_, body = cm.get("/company/notifications?kind=welcome&to=NEW")
		expect(t, "filtered", body, []string{"1 mail matches these filters", "Welcome to allot", `href="/company/notifications">Clear filters</a>`},
			[]string{"Premium is ready"})

		res, body = cm.get("/company/notifications/mails/" + id(0))
		if res.StatusCode != http.StatusOK || body != "<p>Allocate</p>" {
			t.Errorf("own mail's HTML: status %d, body %q", res.StatusCode, body)
		}
		for _, i := range []int{1, 2, 3} {
			if res, body := cm.get("/company/notifications/mails/" + id(i)); res.StatusCode != http.StatusNotFound || strings.Contains(body, ms[i].HTML) {
				t.Errorf("the HTML of %s: status %d, want 404\n%s", ms[i].JobKey, res.StatusCode, body)
			}
		}
	})
}
