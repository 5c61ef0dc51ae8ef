package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	goldap "github.com/go-ldap/ldap/v3"

	"allot"
	"allot/directory"
	"allot/ldap"
	"allot/ldap/ldaptest"
	"allot/storetest"
	"allot/world"
)

// The directory of the LDAP sync test, on a real slapd. Acme's people are
// the 1,200 below ou=people, more than a search without paging returns
// (500): u0000–u1199, mailed uNNNN@acme.test, in five departments; u0007 is
// locked; u1199 changed last, at the mark of a full read. The group coaches
// holds u0000–u0299 and the group mentors (u1100–u1149). Globex's people
// are the 20 below ou=globex, g000–g019, mailed gNNN@globex.test.
const (
	syncPeople = 1200
	syncGlobex = 20
	syncLoaded = "20240101000000Z"
	syncLatest = "20240101010000Z"
)

var (
	coachesDN = ldaptest.GroupDN("coaches")
	globexOU  = "ou=globex," + ldaptest.Suffix
)

func syncUID(i int) string  { return fmt.Sprintf("u%04d", i) }
func syncDN(i int) string   { return "uid=" + syncUID(i) + "," + ldaptest.People }
func syncMail(i int) string { return syncUID(i) + "@acme.test" }

func syncLDIF() string {
	var b strings.Builder
	b.WriteString(ldaptest.OU("globex", ldaptest.Suffix) + ldaptest.OU("contractors", ldaptest.Suffix))
	var coaches, mentors []string
	for i := range syncPeople {
		p := ldaptest.Person{UID: syncUID(i), Mail: syncMail(i), Department: fmt.Sprintf("D%d", i%5), Locked: i == 7,
			ModifiedAt: syncLoaded}
		if i > 0 {
			p.Manager = syncDN(0)
		}
		if i == syncPeople-1 {
			p.ModifiedAt = syncLatest
		}
		switch {
		case i < 300:
			coaches = append(coaches, p.DN())
		case i >= 1100 && i < 1150:
			mentors = append(mentors, p.DN())
		}
		b.WriteString(p.LDIF())
	}
	for i := range syncGlobex {
		uid := fmt.Sprintf("g%03d", i)
		b.WriteString(ldaptest.Person{UID: uid, Parent: globexOU, Mail: uid + "@globex.test", ModifiedAt: syncLoaded}.LDIF())
	}
	b.WriteString(ldaptest.Group{CN: "coaches", Members: append(coaches, ldaptest.GroupDN("mentors")), ModifiedAt: syncLoaded}.LDIF())
	b.WriteString(ldaptest.Group{CN: "mentors", Members: mentors, MemberOf: []string{coachesDN}, ModifiedAt: syncLoaded}.LDIF())
	return b.String()
}

// TestLDAPSync connects companies to a real slapd through the ldap source
// and syncs them: Acme maps the group coaches to coaching, Globex maps
// nothing and gets its default product. A full run adds everyone, paged;
// an incremental run touches exactly what changed, and seats follow;
// deletions and moves out of scope are seen by full runs only; a run over
// the safety limit is held until confirmed; bad credentials are a failed
// run that changes nothing; and Acme's runs never touch Globex's people.
func TestLDAPSync(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		s := ldaptest.Start(t, syncLDIF())
		w := world.NewWith(t, b, world.Options{Seats: 2000})
		w.Dir.Sources = sources
		acme, globex := w.Acme.Company.ID, w.Globex.Company.ID
		cm := w.As(w.Acme.CM)
		coaching := w.ProductByCode("coaching").ID
		premium := w.ProductByCode("premium").ID

		// Globex reads its own OU, and gets its default product.
		gcfg := s.Config()
		gcfg.BaseDN = globexOU
		gconn := connectLDAP(t, w, w.Globex.CM, gcfg, ldaptest.ReaderPassword)
		r := world.Must(w.Dir.SyncNow(w.As(w.Globex.CM), gconn.ID, false, false))(t)
		wantRun(t, "Globex's first run", r, directory.SyncApplied, true, runCounts{add: syncGlobex})
		globexBefore := companyState(t, w, globex)
		if n := countSeats(globexBefore, premium); n != syncGlobex+1 {
			t.Errorf("Globex holds %d premium seats, want one for each of its %d people and its learner", n, syncGlobex)
		}

		conn := connectLDAP(t, w, w.Acme.CM, s.Config(), ldaptest.ReaderPassword)
		world.Must(w.Dir.MapGroup(cm, acme, coachesDN, "coaching"))(t)
		if _, err := w.Dir.SyncNow(w.As(w.Globex.CM), conn.ID, true, false); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("Globex's manager syncing Acme's directory: %v, want not found", err)
		}

		// The preview reads everyone, page by page, and changes nothing.
		before := companyState(t, w, acme)
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, true, true))(t)
		wantRun(t, "the preview", r, directory.SyncPreviewed, true, runCounts{add: syncPeople})
		wantChanged(t, "the preview", before, companyState(t, w, acme))

		// Sync now, full: everyone added; the coaches and mentors, but the
		// locked u0007, hold a coaching seat; no one a premium one.
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, true, false))(t)
		wantRun(t, "the first full run", r, directory.SyncApplied, true, runCounts{add: syncPeople})
		state := companyState(t, w, acme)
		wantChanged(t, "the first full run", before, state, allUIDs(syncPeople)...)
		if n := countSeats(state, coaching); n != 349 {
			t.Errorf("%d coaching seats, want 349: the 300 coaches and 50 mentors but the locked u0007", n)
		}
		if n := countSeats(state, premium); n != 1 {
			t.Errorf("%d premium seats, want Acme's learner's alone: a mapping decides the directory's seats", n)
		}
		u5 := user(t, w, syncMail(5))
		if u5.FirstName != "Given-u0005" || u5.LastName != "Family-u0005" || u5.Department != "D0" ||
			u5.ExternalID != s.EntryUUID(t, syncDN(5)) || u5.Manager != s.EntryUUID(t, syncDN(0)) {
			t.Errorf("u0005 added as %+v", u5)
		}
		for _, tc := range []struct {
			i     int
			holds bool
		}{{0, true}, {7, false}, {299, true}, {300, false}, {1120, true}, {1150, false}} {
			if got := holds(state, user(t, w, syncMail(tc.i)).ID, coaching); got != tc.holds {
				t.Errorf("%s holds a coaching seat: %t, want %t", syncUID(tc.i), got, tc.holds)
			}
		}

		// Nothing changed since: an incremental run reads u1199 alone,
		// changed at the mark's own second.
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, false, false))(t)
		wantRun(t, "an incremental run of no change", r, directory.SyncApplied, false, runCounts{unchanged: 1})

		// Changes: three people modified (one's e-mail), two added, one
		// whose e-mail is a Globex person's, one disabled, two joining the
		// coaches and one leaving them. Joining changes the group's entry,
		// whose members an incremental run reads again; leaving changes no
		// entry of the people in scope: only a full run sees it.
		seat12 := seatOf(t, w, syncMail(12), coaching)
		s.Modify(t, syncDN(10), func(m *goldap.ModifyRequest) { m.Replace("departmentNumber", []string{"D7"}) })
		s.Modify(t, syncDN(11), func(m *goldap.ModifyRequest) { m.Replace("sn", []string{"Newname"}) })
		s.Modify(t, syncDN(12), func(m *goldap.ModifyRequest) { m.Replace("mail", []string{"renamed12@acme.test"}) })
		s.Modify(t, syncDN(20), func(m *goldap.ModifyRequest) { m.Add("pwdAccountLockedTime", []string{"000001010000Z"}) })
		s.Add(t, ldaptest.Person{UID: "n0001", Mail: "n0001@acme.test"}.LDIF()+ldaptest.Person{UID: "n0002", Mail: "n0002@acme.test"}.LDIF()+
			ldaptest.Person{UID: "n0003", Mail: "g003@globex.test"}.LDIF())
		s.Modify(t, coachesDN, func(m *goldap.ModifyRequest) {
			m.Add("member", []string{syncDN(500), "uid=n0001," + ldaptest.People})
			m.Delete("member", []string{syncDN(1)})
		})
		read := readsNext(t, w, conn)
		before = state
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, false, false))(t)
		wantRun(t, "the incremental run", r, directory.SyncApplied, false,
			runCounts{add: 2, update: 5, unchanged: read - 2 - 5 - 1, problems: 1})
		if !strings.Contains(r.Problems[0].Message, "outside Acme") || r.Problems[0].Email != "g003@globex.test" {
			t.Errorf("the problem %+v: an e-mail of Globex's", r.Problems[0])
		}
		state = companyState(t, w, acme)
		wantChanged(t, "the incremental run", before, state, "u0010", "u0011", "u0012", "u0020", "u0500", "n0001", "n0002")
		if u := user(t, w, "renamed12@acme.test"); u.ID != seat12.UserID || seatOf(t, w, u.Email, coaching).ID != seat12.ID {
			t.Errorf("u0012's new e-mail: user %d, want %d keeping seat %d", u.ID, seat12.UserID, seat12.ID)
		}
		for _, tc := range []struct {
			mail   string
			holds  bool
			reason string // of the seat released
		}{{syncMail(20), false, allot.ReasonDeprovisioned}, {syncMail(1), true, ""},
			{syncMail(500), true, ""}, {"n0001@acme.test", true, ""}, {"n0002@acme.test", false, ""}} {
			u := user(t, w, tc.mail)
			if got := holds(state, u.ID, coaching); got != tc.holds {
				t.Errorf("%s holds a coaching seat: %t, want %t", tc.mail, got, tc.holds)
			}
			if seats := w.Seats(u, "coaching"); tc.reason != "" && (len(seats) == 0 || seats[len(seats)-1].ReleaseReason != tc.reason) {
				t.Errorf("%s's coaching seats %+v: want the last released as %s", tc.mail, seats, tc.reason)
			}
		}
		if n := countSeats(state, coaching); n != 350 {
			t.Errorf("%d coaching seats, want 350: two given, one released", n)
		}

		// Bad credentials: a failed run, recorded, that changes nothing.
		connectLDAP(t, w, w.Acme.CM, s.Config(), "not-the-password")
		before = state
		_, err := w.Dir.SyncNow(cm, conn.ID, false, false)
		if allot.ErrorCode(err) != allot.ECONFLICT || !strings.Contains(allot.ErrorMessage(err), "refused the bind DN and password") {
			t.Errorf("a run with a wrong password: %v, want a conflict about the credentials", err)
		}
		runs := world.Must(w.Dir.SyncRuns(cm, acme, 1))(t)
		if runs[0].Status != directory.SyncFailed || !strings.Contains(runs[0].Error, "refused the bind DN and password") {
			t.Errorf("the run recorded %+v, want failed on the credentials", runs[0])
		}
		wantChanged(t, "a failed run", before, companyState(t, w, acme))
		// The right password again: a new config reads whole, and sees
		// that u0001 left the coaches.
		connectLDAP(t, w, w.Acme.CM, s.Config(), ldaptest.ReaderPassword)
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, false, false))(t)
		wantRun(t, "the full run after a new config", r, directory.SyncApplied, true,
			runCounts{update: 1, unchanged: syncPeople + 1, problems: 1})
		state = companyState(t, w, acme)
		wantChanged(t, "the full run after a new config", before, state, "u0001")
		if seats := w.Seats(user(t, w, syncMail(1)), "coaching"); seats[len(seats)-1].ReleaseReason != allot.ReasonDeprovisioned {
			t.Errorf("u0001 left the coaches, holds %+v", seats)
		}
		before = state

		// Deleted, and moved out of the base DN: an incremental run cannot
		// see it, a full run deprovisions them, seats released.
		s.Delete(t, syncDN(30), syncDN(31), syncDN(700))
		s.Move(t, syncDN(40), "uid="+syncUID(40), "ou=contractors,"+ldaptest.Suffix)
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, false, false))(t)
		if r.Full || r.Deprovision != 0 {
			t.Errorf("an incremental run after deletions: %+v, want nothing deprovisioned", r)
		}
		wantChanged(t, "an incremental run after deletions", before, companyState(t, w, acme))
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, true, false))(t)
		wantRun(t, "the full run after deletions", r, directory.SyncApplied, true,
			runCounts{unchanged: syncPeople + 2 - 4, deprovision: 4, problems: 1})
		state = companyState(t, w, acme)
		wantChanged(t, "the full run after deletions", before, state, "u0030", "u0031", "u0040", "u0700")
		for _, i := range []int{30, 31, 40} {
			if seats := w.Seats(user(t, w, syncMail(i)), "coaching"); seats[len(seats)-1].ReleaseReason != allot.ReasonDeprovisioned {
				t.Errorf("%s deprovisioned, holds %+v", syncUID(i), seats)
			}
		}

		// Deleting 200 of some 1,200 learners is over the safety limit:
		// held, nothing changed, until a manager confirms it.
		var gone []string
		for i := 800; i < 1000; i++ {
			gone = append(gone, syncDN(i))
		}
		s.Delete(t, gone...)
		before = state
		r = world.Must(w.Dir.SyncNow(cm, conn.ID, true, false))(t)
		wantRun(t, "a run deprovisioning 200", r, directory.SyncHeld, true,
			runCounts{unchanged: syncPeople + 2 - 4 - 200, deprovision: 200, problems: 1})
		wantChanged(t, "a held run", before, companyState(t, w, acme))
		if _, err := w.Dir.ConfirmSync(w.As(w.Globex.CM), r.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("Globex's manager confirming Acme's run: %v, want not found", err)
		}
		done := world.Must(w.Dir.ConfirmSync(cm, r.ID))(t)
		if done.Status != directory.SyncApplied || done.Deprovision != 200 {
			t.Errorf("confirmed: %+v", done)
		}
		var deprovisioned []string
		for i := 800; i < 1000; i++ {
			deprovisioned = append(deprovisioned, syncUID(i))
		}
		wantChanged(t, "the confirmed run", before, companyState(t, w, acme), deprovisioned...)

		// Acme's learner, whom no directory provisioned, and Globex's
		// people were never touched.
		if seat := w.Seat(w.Acme.Learner, "premium"); !seat.ReleasedAt.IsZero() {
			t.Errorf("Acme's learner's seat was released: %+v", seat)
		}
		wantChanged(t, "Acme's runs, in Globex", globexBefore, companyState(t, w, globex))
	})
}

// connectLDAP connects the company of manager cm to the directory cfg
// says, or changes its connection, binding with secret.
func connectLDAP(t *testing.T, w *world.World, cm allot.Principal, cfg ldap.Config, secret string) directory.Connection {
	t.Helper()
	config, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return world.Must(w.Dir.Connect(w.As(cm), directory.NewConnection{CompanyID: cm.CompanyID, Kind: "ldap",
		Config: string(config), Secret: secret}))(t)
}

// readsNext returns how many people the next incremental run of
// connection c will read: what its reader gives from the mark kept.
func readsNext(t *testing.T, w *world.World, c directory.Connection) int {
	t.Helper()
	var kept directory.Connection
	err := w.Dir.Store.Read(context.Background(), func(tx directory.Tx) error {
		var err error
		kept, err = tx.DirectoryConnection(c.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := sources["ldap"].Open(kept.Config, kept.Secret)
	if err != nil {
		t.Fatal(err)
	}
	people, _, err := rd.Read(context.Background(), kept.Mark)
	if err != nil {
		t.Fatal(err)
	}
	return len(people)
}

// runCounts are a run's counts.
type runCounts struct{ add, update, deprovision, unchanged, problems int }

func wantRun(t *testing.T, what string, r directory.SyncRun, status directory.SyncStatus, full bool, want runCounts) {
	t.Helper()
	got := runCounts{r.Add, r.Update, r.Deprovision, r.Unchanged, len(r.Problems)}
	if r.Status != status || r.Full != full || got != want {
		t.Errorf("%s: %s (full %t) %+v, problems %+v; want %s (full %t) %+v", what, r.Status, r.Full, got, r.Problems, status, full, want)
	}
}

// companyState describes each person of company companyID, removed or
// not, by user ID: their fields, whether the directory holds them active,
// and their live seats (product:seat).
func companyState(t *testing.T, w *world.World, companyID int64) map[int64]string {
	t.Helper()
	out := map[int64]string{}
	err := w.Dir.Store.Read(context.Background(), func(tx directory.Tx) error {
		users, err := tx.Users(allot.UserFilter{CompanyID: companyID, IncludeRemoved: true, IncludePending: true})
		if err != nil {
			return err
		}
		active, err := tx.ProvisionedPeople(companyID)
		if err != nil {
			return err
		}
		held := map[int64]bool{}
		for _, p := range active {
			held[p.UserID] = true
		}
		seats, err := tx.Seats(allot.SeatFilter{CompanyID: companyID, LiveAt: w.Clock.Now()})
		if err != nil {
			return err
		}
		bySeat := map[int64][]string{}
		for _, st := range seats {
			bySeat[st.UserID] = append(bySeat[st.UserID], fmt.Sprintf("%d:%d", st.ProductID, st.ID))
		}
		for _, u := range users {
			out[u.ID] = fmt.Sprintf("%s|%s|%s|%s|%s|%s|removed %t|active %t|seats %s", u.Email, u.FirstName, u.LastName,
				u.Department, u.Manager, u.ExternalID, !u.RemovedAt.IsZero(), held[u.ID], strings.Join(bySeat[u.ID], ","))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// wantChanged checks that exactly the people of the uids (the local part
// of their e-mail, before or after) differ between two companyStates.
func wantChanged(t *testing.T, what string, before, after map[int64]string, uids ...string) {
	t.Helper()
	var got []string
	for id, a := range after {
		if before[id] != a {
			got = append(got, localPart(before[id], a))
		}
	}
	for id, b := range before {
		if _, ok := after[id]; !ok {
			got = append(got, localPart(b, ""))
		}
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(uids))
	if !slices.Equal(got, want) {
		t.Errorf("%s changed %d people %.20q…, want %d %.20q…", what, len(got), got, len(want), want)
	}
}

// localPart returns the local part of the e-mail a state starts with, that
// of before when there is one: u0012 for a person whose e-mail changed.
func localPart(before, after string) string {
	s := before
	if s == "" {
		s = after
	}
	local, _, _ := strings.Cut(s, "@")
	return local
}

func allUIDs(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = syncUID(i)
	}
	return out
}

// countSeats counts the live seats of a product in a companyState.
func countSeats(state map[int64]string, productID int64) int {
	n := 0
	for _, s := range state {
		_, seats, _ := strings.Cut(s, "|seats ")
		for _, seat := range strings.Split(seats, ",") {
			if strings.HasPrefix(seat, fmt.Sprintf("%d:", productID)) {
				n++
			}
		}
	}
	return n
}

// holds says whether user id holds a live seat of a product in a
// companyState.
func holds(state map[int64]string, id, productID int64) bool {
	return countSeats(map[int64]string{id: state[id]}, productID) == 1
}

func user(t *testing.T, w *world.World, email string) allot.User {
	t.Helper()
	return world.Must(w.Svc.UserByEmail(w.As(w.Admin), email))(t)
}

// seatOf returns the live seat of a product the user of the e-mail holds.
func seatOf(t *testing.T, w *world.World, email string, productID int64) allot.Seat {
	t.Helper()
	u := user(t, w, email)
	for _, st := range world.Must(w.Svc.Seats(w.As(w.Admin), allot.SeatFilter{UserID: u.ID, ProductID: productID, LiveAt: w.Clock.Now()}))(t) {
		return st
	}
	t.Fatalf("%s holds no seat of product %d", email, productID)
	return allot.Seat{}
}
