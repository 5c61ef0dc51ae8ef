package mail_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/jobs"
	"allot/mail"
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
				f.checkDone(b)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mails/s")
			})
		}
	})
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
	var wg sync.WaitGroup
	for range workers {
		w := &jobs.Worker{Store: f.svc.Store, Clock: f.clock, Handlers: map[string]jobs.Handler{allot.JobMail: f.deliverer.Handle}}
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

// checkDone fails the benchmark unless every mail job is done: none is
// pending, to be tried again, or failed.
func (f *fanout) checkDone(b *testing.B) {
	b.Helper()
	err := f.svc.Store.Read(context.Background(), func(tx allot.Tx) error {
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
