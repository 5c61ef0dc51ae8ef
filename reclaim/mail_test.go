package reclaim_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/mail"
	"allot/reclaim"
	"allot/storetest"
	"allot/world"
)

// TestMailsGoOut delivers the mails of a rule's runs as the worker does,
// without an SMTP server: the learner's warning, in their language, says
// when the seat goes back and links to their access; the managers' summary
// counts the seats and links to the rules' page.
func TestMailsGoOut(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 5)
		learner := world.Must(f.Svc.AddUser(f.As(f.Managing(f.Company)), allot.NewUser{Email: "lea@acme.test", CompanyID: f.Company.ID,
			Lang: "fr", Zone: "Europe/Paris"}))(t)
		world.Must(f.Reclaim.SetRule(f.As(f.CM), f.Company.ID, reclaim.RuleInput{Days: 30, WarnDays: 7, Enabled: true}))(t)
		f.Clock.Advance(23 * 24 * time.Hour)
		world.Must(f.Reclaim.Run(system))(t)
		f.Clock.Advance(7 * 24 * time.Hour)
		world.Must(f.Reclaim.Run(system))(t)

		d := &mail.Deliverer{Store: f.DB, Clock: f.Clock, BaseURL: "https://allot.example"}
		ctx := context.Background()
		jobs := world.Must(f.DB.ClaimJobs(ctx, f.Clock.Now(), time.Minute, 100))(t)
		for _, j := range jobs {
			if err := d.Handle(ctx, j); err != nil {
				t.Fatalf("job %s: %v", j.Key, err)
			}
		}
		sent := map[string]allot.SentMail{}
		err := f.DB.Read(ctx, func(tx allot.Tx) error {
			ms, err := tx.Mails(allot.MailFilter{Limit: allot.MaxLimit})
			for _, m := range ms {
				sent[m.Kind+" "+m.To] = m
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		w := sent[allot.MailReclaimWarning+" "+learner.Email]
		if w.Subject != "Utilisez Premium pour garder votre licence" || !strings.Contains(w.Text, "1er avril 2026 à 11:00 (Europe/Paris)") ||
			!strings.Contains(w.Text, "https://allot.example/me") {
			t.Errorf("the warning reads %q:\n%s", w.Subject, w.Text)
		}
		s := sent[allot.MailReclaimed+" cm@acme.test"]
		if s.Subject != "Acme: 1 unused licence taken back" || !strings.Contains(s.Text, "https://allot.example/company/reclaim") {
			t.Errorf("the managers' mail reads %q:\n%s", s.Subject, s.Text)
		}
	})
}
