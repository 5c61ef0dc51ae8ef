package demo

import (
	"time"

	"allot"
	"allot/directory"
	"allot/programme"
	"allot/reclaim"
	"allot/scim"
	"allot/support"
	"allot/webhook"
)

// Store is what the demo fills: the ledger, with the programmes, the
// directories, SCIM, the support desk, reclaim rules and webhooks beside
// it.
type Store interface {
	allot.Store
	Programme() programme.Store
	Directory() directory.Store
	SCIM() scim.Store
	Support() support.Store
	Reclaim() reclaim.Store
	Webhook() webhook.Store
}

// programmes gives Umbrella a coaching programme with members in every
// status, invited as its manager would: some long ago, one whose access
// starts next month, one whose invitation goes out next Monday at 9:00 in
// Paris, and one cancelled.
func (l *loader) programmes(store Store, c allot.Company) {
	svc := &programme.Service{Ledger: l.svc, Store: store.Programme()}
	var manager allot.User
	l.do(func() (err error) {
		manager, err = l.svc.UserByEmail(l.ctx, "manager@umbrella.demo")
		return err
	})
	ctx := l.as(manager)
	var pg programme.Programme
	l.do(func() (err error) {
		pg, err = svc.Create(ctx, programme.NewProgramme{CompanyID: c.ID, Name: "Store leaders", Products: []string{"coaching"}})
		return err
	})
	coaching := programme.Experience{Product: "coaching", Months: 3}
	invite := func(emails string, in programme.Invite) {
		in.ProgrammeID, in.Emails, in.Zone = pg.ID, emails, "Europe/Paris"
		if len(in.Experiences) == 0 {
			in.Experiences = []programme.Experience{coaching}
		}
		l.do(func() error { _, err := svc.Confirm(ctx, in); return err })
	}
	signIn := func(email string) {
		l.do(func() error {
			u, err := l.svc.UserByEmail(l.ctx, email)
			if err != nil {
				return err
			}
			return l.svc.RecordLogin(l.ctx, u.ID)
		})
	}
	day := 24 * time.Hour

	// A 10-day trial three weeks ago: expired.
	l.at(l.now.Add(-21 * day))
	invite("ola.trial@umbrella.demo", programme.Invite{Experiences: []programme.Experience{{Product: "coaching", Days: 10}}})
	l.clock.Advance(time.Hour)
	signIn("ola.trial@umbrella.demo")
	// Two weeks ago: two members signed in and are active; one never did.
	l.at(l.now.Add(-14 * day))
	invite("ravi.lead@umbrella.demo mia.lead@umbrella.demo theo.lead@umbrella.demo", programme.Invite{RemindDays: 7})
	l.clock.Advance(2 * time.Hour)
	signIn("ravi.lead@umbrella.demo")
	signIn("mia.lead@umbrella.demo")
	// Yesterday: one whose access starts next month, who has signed in.
	l.at(l.now.Add(-day))
	next := l.now.AddDate(0, 1, 0)
	invite("sana.next@umbrella.demo", programme.Invite{Starts: programme.Wall{Year: next.Year(), Month: next.Month(), Day: 1}})
	l.clock.Advance(time.Hour)
	signIn("sana.next@umbrella.demo")
	l.at(l.now)
	// Next Monday at 9:00 in Paris: one scheduled, one cancelled.
	days := (8 - int(l.now.Weekday())) % 7
	if days == 0 {
		days = 7
	}
	monday := l.now.AddDate(0, 0, days)
	at := programme.Wall{Year: monday.Year(), Month: monday.Month(), Day: monday.Day(), Hour: 9}
	invite("lou.soon@umbrella.demo kim.maybe@umbrella.demo", programme.Invite{At: at, Lang: "fr"})
	l.do(func() error {
		scheduled, err := svc.Scheduled(ctx, c.ID)
		for _, inv := range scheduled {
			if inv.Email == "kim.maybe@umbrella.demo" {
				_, err = svc.Cancel(ctx, inv.ID)
			}
		}
		return err
	})
}
