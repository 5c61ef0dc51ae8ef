package directory_test

import (
	"context"
	"slices"
	"testing"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// TestSyncTakesOverByEmail: a run finds a person the company added by
// hand by their e-mail, keeps them and their seat, and knows them by
// their anchor from then on, in incremental runs as in full ones.
func TestSyncTakesOverByEmail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		seat := w.Acme.Seat
		lea := directory.Person{ExternalID: "guid-lea", Email: "Learner@Acme.test", FirstName: "Lea", Active: true}

		r := world.Must(w.Dir.Sync(ctx, acme, []directory.Person{lea}, directory.SyncOptions{}))(t)
		if r.Update != 1 || r.Add != 0 {
			t.Fatalf("the learner given by the directory: %+v, want one updated", r)
		}
		u := world.Must(w.Svc.User(w.As(w.Admin), w.Acme.Learner.ID))(t)
		if u.FirstName != "Lea" || u.ExternalID != "guid-lea" {
			t.Errorf("the learner became %+v", u)
		}
		if got := w.Seat(u, "premium"); got.ID != seat.ID || !got.ReleasedAt.IsZero() {
			t.Errorf("the learner holds %+v, want their seat %d kept", got, seat.ID)
		}

		// Known by the anchor now: a new e-mail is the same person.
		lea.Email = "lea@acme.test"
		r = world.Must(w.Dir.Sync(ctx, acme, []directory.Person{lea}, directory.SyncOptions{}))(t)
		if u := world.Must(w.Svc.User(w.As(w.Admin), w.Acme.Learner.ID))(t); r.Update != 1 || u.Email != "lea@acme.test" {
			t.Errorf("a new e-mail: %+v, the learner %s", r, u.Email)
		}
		r = world.Must(w.Dir.Sync(ctx, acme, []directory.Person{lea}, directory.SyncOptions{Full: true}))(t)
		if r.Unchanged != 1 || r.Add+r.Update+r.Deprovision != 0 {
			t.Errorf("a full run of the same: %+v", r)
		}
	})
}

// TestSyncOneReadingTwice: a reading that gives one e-mail to two people,
// new or known, takes the first and says why not the second.
func TestSyncOneReadingTwice(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		people := []directory.Person{
			{ExternalID: "1", Email: "ann@acme.test", Active: true},
			{ExternalID: "2", Email: "ANN@acme.test", Active: true},
			{ExternalID: "3", Email: "learner@acme.test", Active: true},
			{ExternalID: "4", Email: "learner@acme.test", Active: true},
			{ExternalID: "5", Email: "bob@acme.test", Active: true},
		}
		r := world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{}))(t)
		var twice []string
		for _, p := range r.Problems {
			twice = append(twice, p.Anchor)
		}
		if r.Add != 2 || r.Update != 1 || !slices.Equal(twice, []string{"2", "4"}) {
			t.Fatalf("%+v: want ann and bob added, the learner updated, 2 and 4 refused", r)
		}
		if r.Problems[0].Message != "the directory holds two people with this e-mail" {
			t.Errorf("the problem says %q", r.Problems[0].Message)
		}
		if u := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "ann@acme.test"))(t); u.ExternalID != "1" {
			t.Errorf("ann is known as %q, want the first anchor", u.ExternalID)
		}
	})
}

// TestSyncKeepsValuesAsGiven: names and groups with quotes, backslashes
// and characters beyond ASCII are kept as the directory gives them, so
// that the next run finds them unchanged.
func TestSyncKeepsValuesAsGiven(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		var people []directory.Person
		for i, name := range []string{`O'Brien "Bob"`, `back\slash`, "Zoë Ångström", "名前 🙂"} {
			people = append(people, directory.Person{ExternalID: "x-" + string(rune('a'+i)), Email: string(rune('a'+i)) + "@acme.test",
				FirstName: name, LastName: name, Department: name, Manager: name, Active: true,
				Groups: []string{`cn=a "quoted" group`, `cn=back\\slash`, "cn=Öffentlich"}})
		}
		r := world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		if r.Add != len(people) || len(r.Problems) != 0 {
			t.Fatalf("first run %+v", r)
		}
		for _, p := range people {
			u := world.Must(w.Svc.UserByEmail(w.As(w.Admin), p.Email))(t)
			if u.FirstName != p.FirstName || u.LastName != p.LastName || u.Department != p.Department || u.Manager != p.Manager {
				t.Errorf("%s kept as %q %q %q %q, want %q", p.Email, u.FirstName, u.LastName, u.Department, u.Manager, p.FirstName)
			}
		}
		r = world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		if r.Unchanged != len(people) {
			t.Errorf("the same again: %+v, want every person unchanged, groups and all", r)
		}
	})
}

// TestSyncWaiting: people beyond the free seats wait once, however many
// runs hold them; one the directory disables or no longer holds stops
// waiting.
func TestSyncWaiting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.NewWith(t, b, world.Options{Seats: 2}) // Acme's learner holds one, one is free
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		people := []directory.Person{
			{ExternalID: "1", Email: "one@acme.test", Active: true},
			{ExternalID: "2", Email: "two@acme.test", Active: true},
			{ExternalID: "3", Email: "three@acme.test", Active: true},
		}
		world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		wantWaiting(t, w, "two@acme.test", "three@acme.test")
		if seats := w.Seats(world.Must(w.Svc.UserByEmail(w.As(w.Admin), "one@acme.test"))(t), "premium"); len(seats) != 1 {
			t.Errorf("the first person holds %d seats, want the free one", len(seats))
		}

		// A change of name gives the person what they are owed again:
		// they wait already, and are not put on the list twice.
		people[1].FirstName = "Two"
		r := world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		if r.Update != 1 {
			t.Fatalf("renamed: %+v", r)
		}
		wantWaiting(t, w, "two@acme.test", "three@acme.test")
		two := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "two@acme.test"))(t)
		unlicensed := 0
		for _, e := range world.Must(w.Svc.Events(w.As(w.Admin), allot.EventFilter{CompanyID: acme, Limit: allot.MaxLimit}))(t) {
			if e.Action == "user.unlicensed" && e.SubjectID == two.ID {
				unlicensed++
			}
		}
		if unlicensed != 1 {
			t.Errorf("two was left unlicensed %d times, want once", unlicensed)
		}

		people[1].Active = false
		world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		wantWaiting(t, w, "three@acme.test")
		// Three no longer held: one of four learners, held by the safety
		// limit until confirmed.
		r = world.Must(w.Dir.Sync(ctx, acme, people[:2], directory.SyncOptions{Full: true}))(t)
		if r.Status != directory.SyncHeld || r.Deprovision != 1 {
			t.Fatalf("three gone: %+v, want held", r)
		}
		wantWaiting(t, w, "three@acme.test")
		world.Must(w.Dir.ConfirmSync(w.As(w.Acme.CM), r.ID))(t)
		wantWaiting(t, w)
	})
}

// wantWaiting checks who waits for a seat of premium in Acme.
func wantWaiting(t *testing.T, w *world.World, emails ...string) {
	t.Helper()
	var got []string
	err := w.Dir.Store.Read(context.Background(), func(tx directory.Tx) error {
		list, err := tx.WaitingList(allot.WaitingListParams{CompanyID: w.Acme.Company.ID, ProductID: w.Product.ID})
		for _, wt := range list {
			u, err := tx.User(wt.UserID)
			if err != nil {
				return err
			}
			got = append(got, u.Email)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	if want := slices.Sorted(slices.Values(emails)); !slices.Equal(got, want) {
		t.Errorf("waiting: %q, want %q", got, want)
	}
}
