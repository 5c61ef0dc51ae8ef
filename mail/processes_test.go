package mail_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"allot"
	"allot/storetest"
)

const day = 24 * time.Hour

// ledgerT is when the workers of TestRemindersOnceAcrossProcesses run:
// every pool of the ledger has a reminder or its expiry due, or nothing yet.
var ledgerT = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// ledgerPools are the pools each company of the ledger holds, one per
// product so that every mail has a subject of its own: each was assigned
// for 60 days, to end at T plus ends.
var ledgerPools = []struct {
	product string
	ends    time.Duration
}{
	{"atlas", 20 * day},         // 30 days before the end is past
	{"beacon", 5 * day},         // 7 days before
	{"compass", 2 * day},        // 72 hours before
	{"delta", 6 * time.Hour},    // the last day has begun
	{"echo", -day},              // ended yesterday: expired
	{"falcon", 60 * day},        // no reminder due yet
	{"granite", 40 * time.Hour}, // 72 hours before; its last day not begun
}

// ledgerCompanies are the companies of the ledger and, for each, the
// reminder offset due at T by product: the latest offset whose time has
// come, earlier ones being never sent late.
var ledgerCompanies = []struct {
	name     string
	partner  bool   // a customer of Cedar Partners, whose managers hear of expiries too
	offsets  string // "" keeps the default: 72h and 0
	managers int
	want     map[string]time.Duration
}{
	{"Amber Ltd", false, "30d, 7d, 72h, 0", 3, map[string]time.Duration{
		"atlas": 30 * day, "beacon": 7 * day, "compass": 72 * time.Hour, "delta": 0, "granite": 72 * time.Hour}},
	{"Birch GmbH", true, "30d, 7d, 72h, 0", 2, map[string]time.Duration{
		"atlas": 30 * day, "beacon": 7 * day, "compass": 72 * time.Hour, "delta": 0, "granite": 72 * time.Hour}},
	{"Dune SA", false, "", 2, map[string]time.Duration{"compass": 72 * time.Hour, "delta": 0, "granite": 72 * time.Hour}},
	{"Ember Oy", true, "7d", 1, map[string]time.Duration{"beacon": 7 * day, "compass": 7 * day, "delta": 7 * day, "granite": 7 * day}},
}

// buildLedger fills db with the ledger and returns the mail it owes at T, by
// job key: each pool's assignment mail to its company's managers, and the
// reminder or expiry due at T to them and to the partner's managers.
func buildLedger(t *testing.T, db allot.Store) map[string]owed {
	t.Helper()
	clock := allot.NewManualClock(ledgerT)
	svc := allot.NewService(db, clock, nil)
	sys := allot.WithPrincipal(context.Background(), allot.System)
	partner, err := svc.CreatePartner(sys, allot.Partner{Name: "Cedar Partners"})
	if err != nil {
		t.Fatal(err)
	}
	var partnerManagers []allot.User
	for i := range 2 {
		u, err := svc.CreateStaff(sys, allot.NewUser{Email: fmt.Sprintf("pm%d@cedar.test", i), FirstName: "Pat", LastName: fmt.Sprint(i),
			Role: allot.RolePartnerManager, PartnerID: partner.ID, Lang: "fr", Zone: "Europe/Paris"})
		if err != nil {
			t.Fatal(err)
		}
		partnerManagers = append(partnerManagers, u)
	}
	for _, p := range ledgerPools {
		if _, err := svc.CreateProduct(sys, allot.Product{Code: p.product, Name: "Product " + p.product}); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]owed{}
	owe := func(kind string, pool allot.Pool, due time.Time, to []allot.User) {
		for _, u := range to {
			want[allot.Mail{Kind: kind, PoolID: pool.ID, DueAt: due, UserID: u.ID}.Key()] = owed{kind, u.Email}
		}
	}
	langs := []string{"en", "fr", "de", "es"}
	for ci, lc := range ledgerCompanies {
		clock.Set(ledgerT)
		in := allot.NewCompany{Name: lc.name}
		if lc.partner {
			in.PartnerID = partner.ID
		}
		c, _, err := svc.CreateCompany(sys, in)
		if err != nil {
			t.Fatal(err)
		}
		if lc.offsets != "" {
			if _, err := svc.SetReminderOffsets(sys, c.ID, lc.offsets); err != nil {
				t.Fatal(err)
			}
		}
		var managers []allot.User
		for i := range lc.managers {
			u, err := svc.AddUser(sys, allot.NewUser{Email: fmt.Sprintf("m%d@company%d.test", i, ci), FirstName: "Manager", LastName: fmt.Sprint(i),
				Role: allot.RoleCompanyManager, CompanyID: c.ID, Lang: langs[(ci+i)%len(langs)], Zone: "America/New_York"})
			if err != nil {
				t.Fatal(err)
			}
			managers = append(managers, u)
		}
		told := managers // who hears of reminders and expiries
		if lc.partner {
			told = append(append([]allot.User(nil), managers...), partnerManagers...)
		}
		for pi, lp := range ledgerPools {
			end := ledgerT.Add(lp.ends)
			start := end.AddDate(0, 0, -60)
			clock.Set(start)
			o, err := svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: lp.product, Quantity: 5 + pi, TermDays: 60})
			if err != nil {
				t.Fatal(err)
			}
			if lc.partner { // a partner's customer's order waits for the partner's managers
				for _, u := range partnerManagers {
					want[allot.Mail{Kind: allot.MailRequested, OrderID: o.ID, UserID: u.ID}.Key()] = owed{allot.MailRequested, u.Email}
				}
			}
			_, pool, err := svc.AssignOrder(sys, o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !pool.EndsAt.Equal(end) {
				t.Fatalf("pool %s of %s ends %v, want %v", lp.product, lc.name, pool.EndsAt, end)
			}
			owe(allot.MailAssigned, pool, start, managers)
			if offset, ok := lc.want[lp.product]; ok {
				owe(allot.MailReminder, pool, allot.ReminderDue(end, offset), told)
			}
			if lp.ends < 0 {
				owe(allot.MailExpired, pool, end, told)
			}
		}
	}
	return want
}

// TestRemindersOnceAcrossProcesses runs three allot workers, each in a
// process of its own, on one database whose clock is past several reminders
// and expiries: one of them sweeps, and every mail owed goes out once. The
// sweep, the claims and the mail records are all that keeps the processes
// apart: their clocks are stopped, so no lease ever runs out.
func TestRemindersOnceAcrossProcesses(t *testing.T) {
	if os.Getenv(workerEnv) != "" {
		mailWorker(t)
		return
	}
	const processes = 3
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		db := storetest.OpenURL(t, url)
		want := buildLedger(t, db)
		orders := 0
		for _, w := range want {
			if w.Kind == allot.MailAssigned || w.Kind == allot.MailRequested {
				orders++
			}
		}
		if n := dueJobs(t, db, ledgerT); n != orders || n == len(want) {
			t.Fatalf("%d jobs due before the sweep, want the %d mails of requests and assignments only: the workers sweep", n, orders)
		}
		srv := startServer(t)
		var children []*child
		for k := range processes {
			children = append(children, startWorker(t, "TestRemindersOnceAcrossProcesses", k, url, ledgerT, srv))
		}
		runs := map[string]int{}
		for _, c := range children {
			rep := c.finish(t)
			t.Logf("worker %d: %d ticks, ran %d mail jobs and %d sweeps", rep.Worker, rep.Ticks, rep.Runs[allot.JobMail], rep.Runs[allot.JobSweep])
			for kind, n := range rep.Runs {
				runs[kind] += n
			}
		}
		if t.Failed() {
			return
		}
		if runs[allot.JobSweep] != 1 {
			t.Errorf("the sweep ran %d times across the processes, want once", runs[allot.JobSweep])
		}
		if runs[allot.JobMail] != len(want) {
			t.Errorf("mail jobs ran %d times, want %d: each once", runs[allot.JobMail], len(want))
		}
		in := read(t, srv.received())
		if len(in.ids) != len(want) || len(in.byID) != len(want) {
			t.Errorf("the server received %d messages with %d Message-IDs, want %d mails once each", len(in.ids), len(in.byID), len(want))
		}
		for id, copies := range in.byID {
			if len(copies) != 1 {
				t.Errorf("Message-ID %s received %d times, to %s: %q", id, len(copies), copies[0].To[0].Address, copies[0].Subject)
			}
		}
		for toSubject, ids := range in.byMail {
			if len(ids) != 1 {
				t.Errorf("%s received %d times", toSubject, len(ids))
			}
		}
		checkRecorded(t, db, want, in)
		mails := 0
		for _, j := range storedJobs(t, db) {
			if j.Kind != allot.JobMail {
				continue
			}
			mails++
			if _, ok := want[j.Key]; !ok || j.Status != allot.JobDone || j.Attempts != 1 {
				t.Errorf("job %s: %s after %d attempts (owed: %v), want done at the first", j.Key, j.Status, j.Attempts, ok)
			}
		}
		if mails != len(want) {
			t.Errorf("%d mail jobs, want %d", mails, len(want))
		}
		t.Logf("%d mails owed, delivered once each by %d processes", len(want), processes)
	})
}
