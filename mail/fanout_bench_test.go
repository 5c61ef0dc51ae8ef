package mail_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/jobs"
	"allot/mail"
	"allot/programme"
	"allot/store"
	"allot/storetest"
)

// BenchmarkReminderFanout measures reminder mail along its whole path: the
// sweep queues a reminder to each manager of every pool that ends in 72
// hours, and jobs workers deliver them, each mail written, sent to the
// in-process SMTP server over a connection of its own, and recorded. One
// operation is one mail; the timer covers the sweep and the delivery. It
// runs with one worker, as allot serve has, and with four sharing the
// store, as four replicas would; on every backend:
//
//	go test -run '^$' -bench ReminderFanout -benchtime 2000x -v ./mail/
func BenchmarkReminderFanout(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		srv, sender := benchServer(b)
		for _, workers := range []int{1, 4} {
			b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
				b.StopTimer()
				f := newFanout(b, be, sender, b.N)
				sent, _ := srv.accepted()
				b.StartTimer()
				f.deliver(b, workers)
				b.StopTimer()
				if n, _ := srv.accepted(); n-sent != b.N {
					b.Fatalf("the server accepted %d messages, want %d", n-sent, b.N)
				}
				checkDone(b, f.svc.Store)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
			})
		}
	})
}

// BenchmarkInvitationFanout measures invitation mail along its whole path:
// invitations confirmed earlier come due at one instant, and jobs workers
// deliver them, each mail asked of the programmes whether it is still owed
// (marking its invitation sent), given a new sign-in link, written, sent
// to the in-process SMTP server over a connection of its own, and
// recorded. One operation is one mail; the timer covers the delivery. With
// one worker and with four, on every backend, beside the reminders of the
// same run:
//
//	go test -run '^$' -bench 'ReminderFanout|InvitationFanout' -benchtime 10000x -v ./mail/
func BenchmarkInvitationFanout(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		srv, sender := benchServer(b)
		for _, workers := range []int{1, 4} {
			b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
				b.StopTimer()
				f := newInvitationFanout(b, be, sender, b.N)
				sent, _ := srv.accepted()
				b.StartTimer()
				f.clock.Set(f.due)
				work(b, f.db, f.clock, f.deliverer, workers)
				b.StopTimer()
				if n, _ := srv.accepted(); n-sent != b.N {
					b.Fatalf("the server accepted %d messages, want %d", n-sent, b.N)
				}
				checkDone(b, f.db)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
			})
		}
	})
}

// invitationFanout is a store where mails people invited to a programme
// are owed their invitation once the clock reaches due.
type invitationFanout struct {
	db        *store.DB
	clock     *allot.ManualClock
	deliverer *mail.Deliverer
	due       time.Time
}

// newInvitationFanout makes a fresh store of kind be with a company whose
// manager invited mails new people into a subscription, a quarter in each
// language allot writes (or as many as one invitation may), each asked for
// due on the clocks of a zone of its own, and a Deliverer sending with
// sender.
func newInvitationFanout(b *testing.B, be storetest.Backend, sender *mail.SMTP, mails int) *invitationFanout {
	b.Helper()
	f := &invitationFanout{clock: allot.NewManualClock(time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)), db: be.Open(b),
		due: time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC)}
	svc := allot.NewService(f.db, f.clock, nil)
	programs := &programme.Service{Ledger: svc, Store: f.db.Programme()}
	f.deliverer = &mail.Deliverer{Store: f.db, Clock: f.clock, Sender: sender, BaseURL: "https://allot.example",
		Links: &account.Service{Ledger: svc, Store: f.db.Account()}, Invitations: programs}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		b.Fatal(err)
	}
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Heron Ltd"})
	if err != nil {
		b.Fatal(err)
	}
	o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: mails})
	if err != nil {
		b.Fatal(err)
	}
	_, pool, err := svc.AssignOrder(sys, o.ID)
	if err != nil {
		b.Fatal(err)
	}
	// The manager arrives after the assignment, and is owed no mail of it.
	cm, err := svc.AddUser(sys, allot.NewUser{Email: "cm@heron.test", Role: allot.RoleCompanyManager, CompanyID: c.ID})
	if err != nil {
		b.Fatal(err)
	}
	ctx := allot.WithPrincipal(context.Background(), cm.Principal())
	pg, err := programs.Create(ctx, programme.NewProgramme{CompanyID: c.ID, Name: "Onboarding", Products: []string{"premium"}})
	if err != nil {
		b.Fatal(err)
	}
	per := min((mails+len(fanoutManagers)-1)/len(fanoutManagers), programme.MaxInvite)
	for i := 0; i < mails; i += per {
		g := fanoutManagers[i/per%len(fanoutManagers)]
		loc, err := time.LoadLocation(g.zone)
		if err != nil {
			b.Fatal(err)
		}
		at := f.due.In(loc)
		var emails strings.Builder
		for j := i; j < min(i+per, mails); j++ {
			fmt.Fprintf(&emails, "member%d@heron.test\n", j)
		}
		done, err := programs.Confirm(ctx, programme.Invite{ProgrammeID: pg.ID, PoolID: pool.ID, Emails: emails.String(), Lang: g.lang,
			Zone: g.zone, At: programme.Wall{Year: at.Year(), Month: at.Month(), Day: at.Day(), Hour: at.Hour(), Minute: at.Minute()}})
		if err != nil {
			b.Fatal(err)
		}
		if !done.Send.At.Equal(f.due) {
			b.Fatalf("invitations in %s go out at %s, want %s", g.zone, done.Send.At, f.due)
		}
	}
	return f
}

// fanoutManagers are the managers of each company in a fan-out: one per
// language allot writes, each in a time zone of their own.
var fanoutManagers = []struct{ lang, zone string }{
	{"en", "Europe/London"}, {"fr", "Europe/Paris"}, {"de", "Europe/Berlin"}, {"es", "America/Mexico_City"},
}

// fanout is a store where mails managers are owed a reminder, four to a
// company with a pool of its own, once the clock reaches remindAt.
type fanout struct {
	svc       *allot.Service
	clock     *allot.ManualClock
	deliverer *mail.Deliverer
	remindAt  time.Time
	mails     int
}

// newFanout makes a fresh store of kind be with companies enough for mails
// reminders, their pools assigned before their managers arrive so that no
// assignment mail is owed, and a Deliverer sending with sender.
func newFanout(b *testing.B, be storetest.Backend, sender *mail.SMTP, mails int) *fanout {
	b.Helper()
	start := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	f := &fanout{clock: allot.NewManualClock(start), mails: mails}
	db := be.Open(b)
	f.svc = allot.NewService(db, f.clock, nil)
	f.deliverer = &mail.Deliverer{Store: db, Clock: f.clock, Sender: sender, BaseURL: "https://allot.example"}
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := f.svc.CreateProduct(ctx, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < mails; i += len(fanoutManagers) {
		c, _, err := f.svc.CreateCompany(ctx, allot.NewCompany{Name: fmt.Sprintf("Company %d", i/len(fanoutManagers)+1)})
		if err != nil {
			b.Fatal(err)
		}
		o, err := f.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: 25})
		if err != nil {
			b.Fatal(err)
		}
		_, p, err := f.svc.AssignOrder(ctx, o.ID)
		if err != nil {
			b.Fatal(err)
		}
		f.remindAt = allot.ReminderDue(p.EndsAt, allot.ExpiringWindow)
		for j, m := range fanoutManagers[:min(len(fanoutManagers), mails-i)] {
			if _, err := f.svc.AddUser(ctx, allot.NewUser{Email: fmt.Sprintf("manager%d@company%d.test", j+1, c.ID),
				FirstName: "Manager", LastName: fmt.Sprint(j + 1), Role: allot.RoleCompanyManager, CompanyID: c.ID,
				Lang: m.lang, Zone: m.zone}); err != nil {
				b.Fatal(err)
			}
		}
	}
	return f
}

// deliver moves the clock to the reminders' time, sweeps, and runs workers
// jobs workers until none finds a job to run.
func (f *fanout) deliver(b *testing.B, workers int) {
	b.Helper()
	f.clock.Set(f.remindAt)
	res, err := f.svc.Sweep(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if res.Reminders != f.mails {
		b.Fatalf("the sweep queued %d reminders, want %d", res.Reminders, f.mails)
	}
	work(b, f.svc.Store, f.clock, f.deliverer, workers)
}

// work runs workers jobs workers delivering mail through d until none
// finds a job to run.
func work(b *testing.B, db allot.Store, clock allot.Clock, d *mail.Deliverer, workers int) {
	b.Helper()
	var wg sync.WaitGroup
	for range workers {
		w := &jobs.Worker{Store: db, Clock: clock, Handlers: map[string]jobs.Handler{allot.JobMail: d.Handle}}
		wg.Go(func() {
			for {
				n, err := w.Tick(context.Background())
				if err != nil {
					b.Error(err)
					return
				}
				if n == 0 {
					return
				}
			}
		})
	}
	wg.Wait()
}

// checkDone fails the benchmark unless every mail job of db is done: none
// is pending, to be tried again, or failed.
func checkDone(b *testing.B, db allot.Store) {
	b.Helper()
	err := db.Read(context.Background(), func(tx allot.Tx) error {
		left, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail, Statuses: []allot.JobStatus{allot.JobPending, allot.JobFailed}, Limit: 10})
		if err != nil {
			return err
		}
		if len(left) > 0 {
			return fmt.Errorf("%d or more mail jobs are not done, the first: %+v", len(left), left[0])
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
