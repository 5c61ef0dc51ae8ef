package mail_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/account"
	"allot/programme"
	"allot/store"
	"allot/storetest"
)

// invT is when the invitations of TestInvitationsAfterAKill are due.
var invT = time.Date(2026, 6, 10, 7, 0, 0, 0, time.UTC)

// invPeople are the people invited, in four groups of one language each,
// each asked for the same instant on the clocks of a zone of its own.
const invPeople = 1000

var invGroups = []struct {
	lang, zone string
	hour       int // invT on the zone's clocks
}{
	{"en", "Europe/London", 8}, {"fr", "Europe/Paris", 9}, {"de", "Europe/Berlin", 9}, {"es", "America/New_York", 3},
}

// invProgramme is the name of the programme they are invited to.
const invProgramme = "Onboarding 2026"

// buildInvitations fills db with a company whose manager invited
// invPeople people to a programme a week before invT, for invT, and
// returns the mail owed at invT, by job key: one invitation to each.
func buildInvitations(t *testing.T, db *store.DB) map[string]owed {
	t.Helper()
	svc := allot.NewService(db, allot.NewManualClock(invT.AddDate(0, 0, -7)), nil)
	programs := &programme.Service{Ledger: svc, Store: db.Programme()}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		t.Fatal(err)
	}
	c, _, err := svc.CreateCompany(sys, allot.NewCompany{Name: "Heron Ltd"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: invPeople})
	if err != nil {
		t.Fatal(err)
	}
	_, pool, err := svc.AssignOrder(sys, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The manager arrives after the assignment, and is owed no mail of it.
	cm, err := svc.AddUser(sys, allot.NewUser{Email: "cm@heron.test", Role: allot.RoleCompanyManager, CompanyID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	asCM := allot.WithPrincipal(context.Background(), cm.Principal())
	pg, err := programs.Create(asCM, programme.NewProgramme{CompanyID: c.ID, Name: invProgramme, Products: []string{"premium"}})
	if err != nil {
		t.Fatal(err)
	}
	per := invPeople / len(invGroups)
	for g, group := range invGroups {
		var emails []string
		for i := range per {
			emails = append(emails, fmt.Sprintf("member%d@heron.test", g*per+i))
		}
		done, err := programs.Confirm(asCM, programme.Invite{ProgrammeID: pg.ID, PoolID: pool.ID, Emails: strings.Join(emails, "\n"),
			Lang: group.lang, Zone: group.zone, At: programme.Wall{Year: 2026, Month: time.June, Day: 10, Hour: group.hour}})
		if err != nil {
			t.Fatal(err)
		}
		if done.Scheduled != per || !done.Send.At.Equal(invT) {
			t.Fatalf("%s in %s: %d scheduled at %s, want %d at %s", group.lang, group.zone, done.Scheduled, done.Send.At, per, invT)
		}
	}
	invited, err := programs.Members(asCM, pg.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]owed{}
	for _, inv := range invited {
		want[allot.Mail{Kind: allot.MailInvitation, InvitationID: inv.ID, DueAt: invT}.Key()] = owed{allot.MailInvitation, inv.Email}
	}
	if len(want) != invPeople || dueJobs(t, db, invT) != invPeople {
		t.Fatalf("%d invitations and %d jobs due at %s, want %d of each", len(want), dueJobs(t, db, invT), invT, invPeople)
	}
	return want
}

// TestInvitationsAfterAKill sends invPeople invitations due at one instant
// with three worker processes on one database, one of them killed
// (SIGKILL) while it sends: the SMTP server has read its message and not
// answered, and drops the message once the process is dead. The killed
// process had marked that invitation sent, and held the claims of a few
// more; it is started again, as a supervisor would, its clock past its
// lease. Every member gets exactly one invitation mail, with a sign-in
// link that works for them; every invitation is marked sent and its
// member listed.
//
// The first process works alone until the server holds its message, so
// that the process killed is the one whose message is held; the others
// then join it, their clocks a second on, so that their claims outlast the
// first's: the restarted process takes over the first's claims, never
// theirs. A message
// the server accepted after its sender died is the window no SMTP client
// can close (see TestDeliveryAfterAKill): its mail goes out again, with a
// new link, and is not what this test is about.
func TestInvitationsAfterAKill(t *testing.T) {
	if os.Getenv(workerEnv) != "" {
		mailWorker(t)
		return
	}
	const test = "TestInvitationsAfterAKill"
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		url := b.URL(t)
		db := storetest.OpenURL(t, url)
		want := buildInvitations(t, db)
		srv := startServer(t)
		killAt := len(want) / 4
		held, release := srv.hold(t, killAt)
		deadline := time.Now().Add(workerLimit)

		first := startWorker(t, test, 0, url, invT, srv)
		select {
		case <-held:
		case err := <-first.done:
			t.Fatalf("the first worker ended (%v) before its message %d was held; its output:\n%s", err, killAt, first.out)
		case <-time.After(workerLimit):
			t.Fatalf("the server received %d messages, never held message %d", len(srv.received()), killAt)
		}
		var workers []*child
		for k := 1; k <= 2; k++ {
			workers = append(workers, startWorker(t, test, k, url, invT.Add(time.Second), srv))
		}
		// Kill the first once the others are sending.
		for len(srv.received()) < killAt+invPeople/20 {
			for _, w := range workers {
				select {
				case err := <-w.done:
					t.Fatalf("worker %d ended (%v) before the kill; its output:\n%s", w.k, err, w.out)
				default:
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("the server received %d messages, want %d before the kill", len(srv.received()), killAt+invPeople/20)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := first.cmd.Process.Kill(); err != nil {
			t.Fatalf("kill the first worker: %v", err)
		}
		if err := <-first.done; err == nil || strings.Contains(first.out.String(), workerLine) {
			t.Fatalf("the first worker ended by itself (%v) before the kill; its output:\n%s", err, first.out)
		}
		release(false)
		workers = append(workers, startWorker(t, test, 3, url, invT.Add(workerLease), srv))
		for _, w := range workers {
			rep := w.finish(t)
			t.Logf("worker %d: %d ticks, ran %d mail jobs", rep.Worker, rep.Ticks, rep.Runs[allot.JobMail])
			if rep.Worker == 3 && rep.Runs[allot.JobMail] == 0 {
				t.Errorf("the restarted worker ran no mail job: the held one was the first's")
			}
		}
		for srv.openSessions() > 0 {
			if time.Now().After(deadline) {
				t.Fatalf("%d SMTP sessions still open after every worker ended", srv.openSessions())
			}
			time.Sleep(2 * time.Millisecond)
		}
		if t.Failed() {
			return
		}
		checkInvitationMail(t, db, want, read(t, srv.received()))
		checkInvitationJobs(t, db, want)
		checkInvited(t, db)
	})
}

// linkRE finds the token of a sign-in link in a mail's text.
var linkRE = regexp.MustCompile(regexp.QuoteMeta(workerBase) + `/link/(link_[A-Z0-9]+)`)

// checkInvitationMail checks that the server received exactly one mail
// for each invitation owed, to its member, about the programme, with a
// link that signs the member in, and nothing else.
func checkInvitationMail(t *testing.T, db *store.DB, want map[string]owed, in inbox) {
	t.Helper()
	members := map[string]int{}
	for _, w := range want {
		members[w.To] = 0
	}
	accounts := &account.Service{Ledger: allot.NewService(db, allot.NewManualClock(invT.Add(workerLease)), nil), Store: db.Account()}
	for id, copies := range in.byID {
		m := copies[0]
		to := m.To[0].Address
		n, owed := members[to]
		if !owed || len(copies) != 1 || n != 0 {
			t.Errorf("Message-ID %s to %s: %d copies, %d mails before it (owed an invitation: %v)", id, to, len(copies), n, owed)
		}
		members[to] = n + 1
		if !strings.Contains(m.Subject, invProgramme) {
			t.Errorf("the mail to %s is about %q, not the programme", to, m.Subject)
		}
		token := linkRE.FindStringSubmatch(m.Text)
		if token == nil {
			t.Errorf("the mail to %s has no sign-in link:\n%s", to, m.Text)
			continue
		}
		u, _, err := accounts.Linked(context.Background(), token[1])
		if err != nil || u.Email != to {
			t.Errorf("the link of the mail to %s: %s (%v)", to, u.Email, err)
		}
	}
	for to, n := range members {
		if n != 1 {
			t.Errorf("%s received %d invitation mails, want one", to, n)
		}
	}
	if len(in.ids) != len(want) {
		t.Errorf("the server received %d messages, want the %d invitations once each", len(in.ids), len(want))
	}
	rec := recorded(t, db)
	for key, w := range want {
		if m, ok := rec[key]; !ok || m.To != w.To || m.Kind != w.Kind || m.Status != allot.MailSent {
			t.Errorf("mail %s: recorded %v as %+v, want sent to %s", key, ok, m, w.To)
		}
	}
	if len(rec) != len(want) {
		t.Errorf("%d mails recorded, want the %d invitations", len(rec), len(want))
	}
}

// checkInvitationJobs checks that each mail job is done, after one claim
// or, for the few the killed process held, two.
func checkInvitationJobs(t *testing.T, db *store.DB, want map[string]owed) {
	t.Helper()
	reclaimed, mails := 0, 0
	for _, j := range storedJobs(t, db) {
		if j.Kind != allot.JobMail {
			continue
		}
		mails++
		_, owed := want[j.Key]
		switch {
		case !owed || j.Status != allot.JobDone || j.Attempts > 2:
			t.Errorf("job %s: %s after %d attempts (owed: %v), want done after one or two", j.Key, j.Status, j.Attempts, owed)
		case j.Attempts == 2:
			reclaimed++
		}
	}
	if mails != len(want) || reclaimed == 0 || reclaimed > workerBatch {
		t.Errorf("%d mail jobs, %d claimed twice: want %d, and from 1 to the %d the killed worker held", mails, reclaimed, len(want), workerBatch)
	}
}

// checkInvited checks that every invitation is marked sent, once its mail
// went out, and that its member is listed in the company.
func checkInvited(t *testing.T, db *store.DB) {
	t.Helper()
	var (
		invs  []programme.Invitation
		users []allot.User
	)
	err := db.Programme().Read(context.Background(), func(tx programme.Tx) error {
		var err error
		if invs, err = tx.Invitations(programme.InvitationFilter{}); err != nil {
			return err
		}
		users, err = tx.Users(allot.UserFilter{Roles: []allot.Role{allot.RoleLearner}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		if inv.SentAt.Before(invT) || !inv.CancelledAt.IsZero() {
			t.Errorf("the invitation of %s: sent %s, cancelled %s; want sent at %s or after", inv.Email, inv.SentAt, inv.CancelledAt, invT)
		}
	}
	if len(invs) != invPeople || len(users) != invPeople {
		t.Errorf("%d invitations and %d members listed, want %d of each", len(invs), len(users), invPeople)
	}
}
