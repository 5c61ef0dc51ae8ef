package mail_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

// killT is when the mail of TestDeliveryAfterAKill is owed.
var killT = time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)

// Its batch: every manager of one company hears of each of its pools.
const (
	killManagers = 60
	killPools    = 5
)

// buildBatch fills db with a company of killManagers managers and
// killPools pools assigned at killT, and returns the mail owed, by job key:
// killManagers × killPools assignment mails, each with a subject of its own
// for its recipient.
func buildBatch(t *testing.T, db allot.Store) map[string]owed {
	t.Helper()
	svc := allot.NewService(db, allot.NewManualClock(killT), nil)
	sys := allot.WithPrincipal(context.Background(), allot.System)
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Kestrel Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	var managers []allot.User
	for i := range killManagers {
		u, err := svc.AddUser(sys, allot.NewUser{Email: fmt.Sprintf("m%d@kestrel.test", i), FirstName: "Manager", LastName: fmt.Sprint(i),
			Role: allot.RoleCompanyManager, CompanyID: c.ID, Lang: []string{"en", "fr", "de", "es"}[i%4]})
		if err != nil {
			t.Fatal(err)
		}
		managers = append(managers, u)
	}
	want := map[string]owed{}
	for i := range killPools {
		code := fmt.Sprintf("product-%d", i)
		if _, err := svc.CreateProduct(sys, allot.Product{Code: code, Name: fmt.Sprintf("Product %d", i)}); err != nil {
			t.Fatal(err)
		}
		o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: code, Quantity: 10})
		if err != nil {
			t.Fatal(err)
		}
		_, pool, err := svc.AssignOrder(sys, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range managers {
			want[allot.Mail{Kind: allot.MailAssigned, PoolID: pool.ID, DueAt: killT, UserID: u.ID}.Key()] = owed{allot.MailAssigned, u.Email}
		}
	}
	return want
}

// TestDeliveryAfterAKill kills a worker process (SIGKILL) while it delivers
// a batch of mail, then starts another, whose clock is past the lease of the
// first, to finish the batch. The first is killed while the SMTP server
// holds a message whose data it read and has not yet answered, which the
// server then accepts ("accepted in flight") or drops ("dropped in
// flight") once the process is dead; or as soon as a third of the batch is
// in, wherever the process then is, the server being slow to answer ("at
// random").
//
// What is guaranteed, and checked: every mail is delivered, and recorded
// once. A mail whose acceptance its sender never heard of is sent again: it
// is not lost when the server had dropped it, and reaches the server twice
// when the server had accepted it. Only the mail the killed process had in
// flight can reach it twice: a worker sends its jobs one after another and
// records each before it sends the next, and the next worker skips every
// mail recorded. The copy sent again carries the same Message-ID, derived
// from the job key, so a receiver that drops repeated Message-IDs reads it
// once; it is never a new mail for the same job key. No SMTP server lets a
// client take back a message it accepted, so this window cannot be closed:
// recording before sending would turn the duplicate into a mail lost when
// the process dies between the two, which "dropped in flight" would catch.
func TestDeliveryAfterAKill(t *testing.T) {
	if os.Getenv(workerEnv) != "" {
		mailWorker(t)
		return
	}
	tests := []struct {
		name   string
		hold   bool // kill while the server holds the message killAt
		accept bool // and accept it once the process is dead, or drop it
	}{
		{"accepted in flight", true, true},
		{"dropped in flight", true, false},
		{"at random", false, false},
	}
	for _, b := range storetest.Backends {
		for _, tt := range tests {
			t.Run(b.Name+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				url := b.URL(t)
				db := storetest.OpenURL(t, url)
				want := buildBatch(t, db)
				killAt := len(want) / 3
				var srv *server
				var held <-chan struct{}
				var release func(bool)
				if tt.hold {
					srv = startServer(t)
					held, release = srv.hold(t, killAt)
				} else {
					// The delay comes after the server read a message and
					// before it answers: most kills land there.
					srv = startServer(t, slowed(5*time.Millisecond))
				}

				first := startWorker(t, "TestDeliveryAfterAKill", 0, url, killT, srv)
				deadline := time.Now().Add(workerLimit)
				for wait := true; wait; {
					select {
					case <-held:
						wait = false
					case err := <-first.done:
						t.Fatalf("the first worker ended (%v) before it could be killed; its output:\n%s", err, first.out)
					case <-time.After(2 * time.Millisecond):
						wait = tt.hold || len(srv.received()) < killAt
					}
					if time.Now().After(deadline) {
						t.Fatalf("the server received %d messages, want %d before the kill", len(srv.received()), killAt)
					}
				}
				if err := first.cmd.Process.Kill(); err != nil {
					t.Fatalf("kill the first worker: %v", err)
				}
				if err := <-first.done; err == nil || strings.Contains(first.out.String(), workerLine) {
					t.Fatalf("the first worker ended by itself (%v) before the kill; its output:\n%s", err, first.out)
				}
				if tt.hold {
					release(tt.accept)
				}
				// The server finishes with the dead process's connection: a
				// message it had read is accepted now.
				for srv.openSessions() > 0 {
					if time.Now().After(deadline) {
						t.Fatalf("%d SMTP sessions still open after the kill", srv.openSessions())
					}
					time.Sleep(2 * time.Millisecond)
				}
				before := len(srv.received())
				if tt.hold && tt.accept && before != killAt || tt.hold && !tt.accept && before != killAt-1 {
					t.Fatalf("the server accepted %d messages from the killed worker, having read %d and accepting the last: %v", before, killAt, tt.accept)
				}

				// The second worker's clock is past every lease of the first.
				second := startWorker(t, "TestDeliveryAfterAKill", 1, url, killT.Add(workerLease), srv)
				rep := second.finish(t)
				if t.Failed() {
					return
				}
				in := read(t, srv.received())
				t.Logf("the server had %d of %d mails when the first worker died; the second ran %d mail jobs", before, len(want), rep.Runs[allot.JobMail])

				// Every mail was delivered and recorded once, under one
				// Message-ID.
				if len(in.byID) != len(want) {
					t.Errorf("the server received %d Message-IDs, want %d: every mail", len(in.byID), len(want))
				}
				checkRecorded(t, db, want, in)

				resent := resends(t, in, before)
				if len(in.ids) != len(want)+resent {
					t.Errorf("%d messages received for %d mails and %d sent again", len(in.ids), len(want), resent)
				}
				// The held message's sender died before it heard the answer,
				// and never recorded it: it goes out again, a second time
				// when the server had accepted it after all, and not lost
				// when it had dropped it.
				switch {
				case tt.hold && tt.accept && resent != 1:
					t.Errorf("%d mails sent again, want the one in flight at the kill", resent)
				case tt.hold && !tt.accept && resent != 0:
					t.Errorf("%d mails sent again, want none: the server dropped the one in flight", resent)
				}
				reclaimed := 0
				for _, j := range storedJobs(t, db) {
					switch {
					case j.Kind != allot.JobMail:
					case j.Status != allot.JobDone || j.Attempts > 2:
						t.Errorf("job %s: %s after %d attempts, want done after one or two", j.Key, j.Status, j.Attempts)
					case j.Attempts == 2:
						reclaimed++
					}
				}
				if reclaimed > workerBatch {
					t.Errorf("%d jobs were claimed twice; the first worker held at most %d", reclaimed, workerBatch)
				}
				t.Logf("%d mails sent again after the kill, under their Message-ID; %d jobs claimed again", resent, reclaimed)
			})
		}
	}
}

// TestMailRecordedBeforeADeath checks the other side of a death: a worker
// that sent and recorded a mail, and died before it could mark the job
// done. Its lease runs out, another worker claims the job, and finds the
// mail recorded: it is not sent again.
func TestMailRecordedBeforeADeath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		srv := startServer(t)
		w := newWorld(t, b, newSender(t, srv.config()))
		w.assign(t)
		ctx := context.Background()
		claimed, err := w.svc.Store.ClaimJobs(ctx, w.clock.Now(), time.Minute, 1)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim the mail job: %v, %v", claimed, err)
		}
		// The worker that dies: it sends and records, and stops there.
		if err := w.worker.Handlers[allot.JobMail](ctx, claimed[0]); err != nil {
			t.Fatal(err)
		}
		if n := w.tick(t); n != 0 {
			t.Fatalf("a tick within the lease ran %d jobs", n)
		}
		w.clock.Advance(time.Minute)
		if n := w.tick(t); n != 1 {
			t.Fatalf("a tick after the lease ran %d jobs, want the mail job again", n)
		}
		if got := len(srv.received()); got != 1 || len(w.recorded(t)) != 1 {
			t.Errorf("the server received %d messages and the store recorded %d, want the mail once", got, len(w.recorded(t)))
		}
		var j []allot.Job
		w.svc.Store.Read(ctx, func(tx allot.Tx) error {
			j, err = tx.Jobs(allot.JobFilter{Kind: allot.JobMail})
			return err
		})
		if len(j) != 1 || j[0].Status != allot.JobDone || j[0].Attempts != 2 {
			t.Errorf("the mail job: %+v, want done after two claims", j)
		}
	})
}

// resends returns how many messages of in, whose first before came from a
// process killed since, were sent again by the next one. Each process must
// have sent a mail at most once, and a mail both sent must be the last the
// killed one sent, again under its Message-ID.
func resends(t *testing.T, in inbox, before int) int {
	t.Helper()
	at := map[string][]int{} // where each Message-ID came, in the order received
	for i, id := range in.ids {
		at[id] = append(at[id], i)
	}
	n := 0
	for id, places := range at {
		fromFirst := 0
		for _, i := range places {
			if i < before {
				fromFirst++
			}
		}
		switch fromSecond := len(places) - fromFirst; {
		case fromFirst > 1 || fromSecond > 1:
			t.Errorf("Message-ID %s received at %v, %d before the kill: a process sent it twice", id, places, before)
		case fromFirst == 1 && fromSecond == 1 && places[0] != before-1:
			t.Errorf("Message-ID %s sent by both workers, the first's mail %d of %d: only its last may be sent again", id, places[0]+1, before)
		case fromFirst == 1 && fromSecond == 1:
			n++
			if c := in.byID[id]; c[0].Subject != c[1].Subject || c[0].Text != c[1].Text || c[0].To[0].Address != c[1].To[0].Address {
				t.Errorf("Message-ID %s sent again as another mail: %q to %s, then %q to %s", id, c[0].Subject, c[0].To[0].Address, c[1].Subject, c[1].To[0].Address)
			}
		}
	}
	return n
}
