package mail_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/jobs"
	"allot/mail"
	"allot/storetest"

	"github.com/emersion/go-smtp"
)

// world is a store with a partner's customer whose manager reads French in
// Paris, and a worker that delivers its mail through sender.
type world struct {
	svc     *allot.Service
	clock   *allot.ManualClock
	worker  *jobs.Worker
	company allot.Company
	order   allot.Order
}

var t0 = time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC)

func newWorld(t *testing.T, b storetest.Backend, sender mail.Sender) *world {
	t.Helper()
	w := &world{clock: allot.NewManualClock(t0)}
	db := b.Open(t)
	w.svc = allot.NewService(db, w.clock, nil)
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := w.svc.CreateProduct(ctx, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.company, _, err = w.svc.CreateCompany(ctx, allot.NewCompany{Name: "Acme", DefaultProductCode: "premium"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.AddUser(ctx, allot.NewUser{Email: "claire@acme.test", FirstName: "Claire", LastName: "Dupont",
		Role: allot.RoleCompanyManager, CompanyID: w.company.ID, Lang: "fr", Zone: "Europe/Paris"}); err != nil {
		t.Fatal(err)
	}
	if w.order, err = w.svc.RequestOrder(ctx, allot.NewOrder{CompanyID: w.company.ID, ProductCode: "premium", Quantity: 12}); err != nil {
		t.Fatal(err)
	}
	d := &mail.Deliverer{Store: db, Clock: w.clock, Sender: sender, BaseURL: "https://allot.example/"}
	w.worker = &jobs.Worker{Store: db, Clock: w.clock, Handlers: map[string]jobs.Handler{allot.JobMail: d.Handle}}
	return w
}

func (w *world) assign(t *testing.T) allot.Pool {
	t.Helper()
	_, p, err := w.svc.AssignOrder(allot.WithPrincipal(context.Background(), allot.System), w.order.ID)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) tick(t *testing.T) int {
	t.Helper()
	n, err := w.worker.Tick(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) recorded(t *testing.T) []allot.SentMail {
	t.Helper()
	var out []allot.SentMail
	if err := w.svc.Store.Read(context.Background(), func(tx allot.Tx) error {
		var err error
		out, err = tx.Mails(allot.MailFilter{})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDeliverAssignedMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		srv := startServer(t)
		w := newWorld(t, b, newSender(t, srv.config()))
		w.assign(t)
		if n := w.tick(t); n != 1 {
			t.Fatalf("the worker ran %d jobs, want the one assignment mail", n)
		}
		got := srv.received()
		if len(got) != 1 {
			t.Fatalf("the server received %d messages, want 1", len(got))
		}
		p := parse(t, got[0])
		if len(p.To) != 1 || p.To[0].Address != "claire@acme.test" {
			t.Errorf("to %v", p.To)
		}
		// Assigned on 31 January 23:30 UTC for 12 months: in Paris the
		// licences end on 1 February 2027, after midnight.
		for _, want := range []string{"Premium", "12", "1er février 2027", "https://allot.example/company/licences"} {
			if !strings.Contains(p.Text, want) {
				t.Errorf("the French text lacks %q:\n%s", want, p.Text)
			}
		}
		if p.Header.Get("Content-Language") != "fr" {
			t.Errorf("Content-Language %q, want fr", p.Header.Get("Content-Language"))
		}
		rec := w.recorded(t)
		if len(rec) != 1 || rec[0].Status != allot.MailSent || rec[0].Subject != p.Subject {
			t.Errorf("recorded %+v", rec)
		}
		if n := w.tick(t); n != 0 || len(srv.received()) != 1 {
			t.Errorf("a second tick ran %d jobs and the server has %d messages; want nothing more", n, len(srv.received()))
		}
	})
}

func TestMailKeptWithoutSMTP(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := newWorld(t, b, nil)
		w.assign(t)
		w.tick(t)
		rec := w.recorded(t)
		if len(rec) != 1 || rec[0].Status != allot.MailKept || !strings.Contains(rec[0].Text, "Premium") {
			t.Errorf("without SMTP the mail is %+v, want it kept", rec)
		}
	})
}

func TestDeliveryRetriesWhileTheServerRefuses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		srv := startServer(t)
		w := newWorld(t, b, newSender(t, srv.config()))
		srv.refuseAt("mail", &smtp.SMTPError{Code: 451, Message: "try again later"})
		w.assign(t)
		w.tick(t)
		var job allot.Job
		w.svc.Store.Read(context.Background(), func(tx allot.Tx) error {
			js, err := tx.Jobs(allot.JobFilter{Kind: allot.JobMail})
			if len(js) == 1 {
				job = js[0]
			}
			return err
		})
		if job.Status != allot.JobPending || job.Attempts != 1 || !strings.Contains(job.LastError, "451") ||
			!job.RunAt.Equal(t0.Add(allot.Backoff(1))) {
			t.Fatalf("after a 451: %+v, want pending with the error, retried after the backoff", job)
		}
		srv.refuseAt("mail", nil)
		if n := w.tick(t); n != 0 {
			t.Errorf("a tick before the backoff ran %d jobs", n)
		}
		w.clock.Advance(allot.Backoff(1))
		w.tick(t)
		if len(srv.received()) != 1 || len(w.recorded(t)) != 1 {
			t.Errorf("once the server is back: %d received, %d recorded; want 1 and 1", len(srv.received()), len(w.recorded(t)))
		}
	})
}
