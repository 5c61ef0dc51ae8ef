package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/mail"
)

// deliverMails writes out every mail about licences that waits, as the
// worker would with links to the site, finishes the other jobs, and
// returns the mails recorded so far.
func (s *site) deliverMails(t *testing.T) []allot.SentMail {
	t.Helper()
	ctx, now := context.Background(), s.svc.Clock.Now()
	d := &mail.Deliverer{Store: s.svc.Store, Clock: s.svc.Clock, BaseURL: s.srv.URL + "/"}
	for {
		jobs, err := s.svc.Store.ClaimJobs(ctx, now, time.Minute, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(jobs) == 0 {
			break
		}
		for _, j := range jobs {
			if j.Kind == allot.JobMail && !strings.Contains(j.Key, "/"+allot.MailWelcome+"/") && !strings.Contains(j.Key, "/"+allot.MailReset+"/") {
				if err := d.Handle(ctx, j); err != nil {
					t.Fatalf("deliver %s: %v", j.Key, err)
				}
			}
			if err := s.svc.Store.FinishJob(ctx, j, now, nil, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var out []allot.SentMail
	if err := s.svc.Store.Read(ctx, func(tx allot.Tx) error {
		var err error
		out, err = tx.Mails(allot.MailFilter{Limit: allot.MaxLimit})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMailLinksOpenForTheirReaders sends every kind of mail about licences,
// orders and seats to every reader it has (a company's managers; its
// partner's managers; the vendor's staff who requested or assign an order;
// a learner) and follows the link of each, signed in as its reader: each
// opens a page that works for them, and the wording speaks of the reader's
// learners or of their customer's.
func TestMailLinksOpenForTheirReaders(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		w := s.w
		// Orders requested by a partner's manager and by an account
		// manager, so that the assigned mail goes to them too.
		for _, who := range []struct {
			name    string
			company allot.Company
		}{{"pm", w.Acme.Company}, {"am", w.Solo.Company}} {
			ctx := w.Ctx(t, who.name)
			o, err := s.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: who.company.ID, ProductCode: "premium", Quantity: 3})
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := s.svc.AssignOrder(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		// An order requested by a company's manager and rejected by the
		// partner's; one requested by the partner's and cancelled by the
		// vendor; a learner's seat released and given again.
		ctx := w.Ctx(t, "acme cm")
		o, err := s.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 2})
		if err == nil {
			_, err = s.svc.RejectOrder(w.Ctx(t, "pm"), o.ID, "Ordered twice")
		}
		if err == nil {
			o, err = s.svc.RequestOrder(w.Ctx(t, "pm"), allot.NewOrder{CompanyID: w.Acme.Company.ID, ProductCode: "premium", Quantity: 2})
		}
		if err == nil {
			_, err = s.svc.CancelOrder(w.Ctx(t, "admin"), o.ID)
		}
		if err == nil {
			_, err = s.svc.Release(ctx, w.Acme.Seat.ID, allot.ReasonOther)
		}
		if err == nil {
			_, err = s.svc.Allocate(ctx, w.Acme.Learner.ID, "premium", 0)
		}
		if err != nil {
			t.Fatal(err)
		}
		s.deliverMails(t)
		end := w.Acme.Pool.EndsAt
		w.Clock.Set(end.Add(-allot.ExpiringWindow + time.Minute))
		if _, err := s.svc.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		s.deliverMails(t)
		w.Clock.Set(end.Add(time.Hour))
		if _, err := s.svc.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		mails := s.deliverMails(t)

		roles := map[string]allot.Role{}
		for _, u := range w.Users {
			roles[u.Email] = u.Role
		}
		roles["pm@channel.test"] = allot.RolePartnerManager
		link := regexp.MustCompile(regexp.QuoteMeta(s.srv.URL) + `(/\S*)`)
		clients := map[string]*client{}
		seen := map[string]bool{} // kind and role
		for _, m := range mails {
			role, ok := roles[m.To]
			if !ok {
				t.Fatalf("a %s mail to %s, who is nobody of the world", m.Kind, m.To)
			}
			seen[m.Kind+" "+string(role)] = true
			found := link.FindStringSubmatch(m.Text)
			if found == nil {
				t.Fatalf("the %s mail to %s has no link to the site:\n%s", m.Kind, m.To, m.Text)
			}
			if partner := strings.Contains(m.Text, "your customer"); partner != (role != allot.RoleCompanyManager && role != allot.RoleLearner) {
				t.Errorf("the %s mail to %s (%s) speaks of their customer: %v\n%s", m.Kind, m.To, role, partner, m.Text)
			}
			c, ok := clients[m.To]
			if !ok {
				c = s.signIn(t, m.To)
				clients[m.To] = c
			}
			res, body := c.get(found[1])
			if res.StatusCode != http.StatusOK || res.Request.URL.Path == "/login" {
				t.Errorf("the %s mail's link %s, followed by %s (%s): status %d at %s\n%s", m.Kind, found[1], m.To, role,
					res.StatusCode, res.Request.URL, body)
				continue
			}
			pool := m.Kind == allot.MailAssigned || m.Kind == allot.MailReminder || m.Kind == allot.MailExpired
			if pool && role != allot.RoleCompanyManager && !strings.Contains(body, `action="/manage/`) {
				t.Errorf("the %s mail's link %s offers %s no way to manage the company:\n%s", m.Kind, found[1], m.To, body)
			}
			// Managing the company from there leads to the page the mail is
			// about: the licences, or the expired learners.
			if then := regexp.MustCompile(`<form method="post" action="(/manage/\d+)"><input type="hidden" name="next" value="([^"]+)">`).
				FindStringSubmatch(body); pool && role == allot.RolePartnerManager {
				want := map[string]string{allot.MailAssigned: "/company/licences", allot.MailReminder: "/company/expired",
					allot.MailExpired: "/company/expired"}[m.Kind]
				if then == nil || then[2] != want {
					t.Errorf("the %s mail's page offers %s to manage the company leading to %v, want %s", m.Kind, m.To, then, want)
					continue
				}
				if res, _ := c.post(then[1], url.Values{"next": {then[2]}}); res.Request.URL.Path != want {
					t.Errorf("managing the company from the %s mail lands at %s, want %s", m.Kind, res.Request.URL.Path, want)
				}
				c.post("/manage/exit", nil)
			}
		}
		for _, want := range []string{
			"assigned company_manager", "assigned partner_manager", "assigned account_manager",
			"reminder company_manager", "reminder partner_manager",
			"expired company_manager", "expired partner_manager",
			"requested partner_manager", "requested vendor_admin",
			"rejected company_manager", "cancelled partner_manager",
			"seat_given learner", "seat_released learner",
		} {
			if !seen[want] {
				t.Errorf("no %s mail was sent; sent: %v", want, seen)
			}
		}
	})
}

// TestOneCustomersRow checks the customers page narrowed to one company:
// its row alone for its partner's managers, in manage mode or not, and for
// the vendor; another partner's customer is not found; a company manager is
// sent to their own licences.
func TestOneCustomersRow(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		pm := s.signIn(t, "pm@channel.test")
		res, body := pm.get("/customers?company=" + s.id("acme"))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status %d\n%s", res.StatusCode, body)
		}
		expect(t, "one row", body, []string{"Acme", `action="/manage/` + s.id("acme") + `"`}, []string{"Beta"})
		pm.post("/manage/"+s.id("beta"), nil)
		_, body = pm.get("/customers?company=" + s.id("acme"))
		expect(t, "in manage mode of another", body, []string{`action="/manage/` + s.id("acme") + `"`}, nil)
		if res, _ := pm.get("/customers?company=" + s.id("globex")); res.StatusCode != http.StatusNotFound {
			t.Errorf("another partner's customer: status %d, want 404", res.StatusCode)
		}
		admin := s.signIn(t, "admin@vendor.test")
		_, body = admin.get("/customers?company=" + s.id("globex"))
		expect(t, "the vendor", body, []string{"Globex", "Channel Two"}, []string{"Acme"})
		cm := s.signIn(t, "cm@acme.test")
		if res := cm.redirect("/customers?company=" + s.id("acme")); res.Header.Get("Location") != "/company/licences" {
			t.Errorf("a company manager goes to %q", res.Header.Get("Location"))
		}
	})
}

// TestSettingsMails checks the settings' notifications: every kind is on at
// first; a company's manager turns some off, the page shows them off and
// the company's new learner gets no mail of a seat given; an unknown kind
// is refused beside the form.
func TestSettingsMails(t *testing.T) {
	onEverySite(t, func(t *testing.T, s *site) {
		cm := s.signIn(t, "cm@acme.test")
		_, body := cm.get("/company/settings")
		expect(t, "settings", body, []string{`name="mail" value="seat_given" checked`, `name="mail" value="requested" checked`}, nil)
		form := url.Values{"mail": {allot.MailAssigned, allot.MailReminder, allot.MailExpired, allot.MailRejected}}
		res, body := cm.post("/company/settings/mails", form)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("save: status %d\n%s", res.StatusCode, body)
		}
		expect(t, "saved", body, []string{"Notifications saved: nobody is told of", "seat given", `name="mail" value="assigned" checked`,
			`name="mail" value="seat_given">`}, []string{`name="mail" value="seat_given" checked`})
		u, err := s.svc.AddUser(s.w.Ctx(t, "acme cm"), allot.NewUser{Email: "new@acme.test", CompanyID: s.ids["acme"]})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(s.w.Mails(allot.MailSeatGiven)[u.Email]); n != 0 {
			t.Errorf("a seat given in Acme is told %d times, want none", n)
		}
		res, body = cm.post("/company/settings/mails", url.Values{"mail": {allot.MailWelcome}})
		if res.StatusCode != http.StatusUnprocessableEntity && res.StatusCode != http.StatusBadRequest {
			t.Errorf("an unknown kind: status %d", res.StatusCode)
		}
		expect(t, "refused", body, []string{`no kind of mail is called "welcome"`}, nil)
	})
}
