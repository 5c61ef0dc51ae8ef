package directory_test

import (
	"fmt"
	"testing"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// TestSyncRuns: a run is previewed as a diff, applied whole, incremental
// runs touch only what they carry, a full run deprovisions whom the
// directory no longer holds, and one that would deprovision more than the
// safety limit is held until a manager confirms it.
func TestSyncRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		var people []directory.Person
		for i := range 20 {
			people = append(people, directory.Person{ExternalID: fmt.Sprintf("guid-%02d", i), Email: fmt.Sprintf("p%02d@acme.test", i),
				FirstName: "P", LastName: fmt.Sprint(i), Active: true})
		}
		bad := append(people, directory.Person{ExternalID: "guid-x", Email: "no address", Active: true},
			directory.Person{ExternalID: "guid-00", Email: "twin@acme.test", Active: true})

		r := world.Must(w.Dir.Sync(ctx, acme, bad, directory.SyncOptions{Full: true, Preview: true}))(t)
		if r.Status != directory.SyncPreviewed || r.Add != 20 || len(r.Problems) != 2 || r.Problems[0].Email != "no address" {
			t.Errorf("preview %+v", r)
		}
		if users := world.Must(w.Svc.Users(w.As(w.Acme.CM), allot.UserFilter{CompanyID: acme, Search: "p0"}))(t); len(users) != 0 {
			t.Fatalf("a preview added %d people", len(users))
		}
		r = world.Must(w.Dir.Sync(ctx, acme, people, directory.SyncOptions{Full: true}))(t)
		if r.Status != directory.SyncApplied || r.Add != 20 || r.Deprovision != 0 {
			t.Errorf("first full run %+v", r)
		}

		// An incremental run of two changes touches those two.
		changed := []directory.Person{people[3], people[4]}
		changed[0].Department, changed[1].Active = "Finance", false
		r = world.Must(w.Dir.Sync(ctx, acme, changed, directory.SyncOptions{}))(t)
		if r.Update != 2 || r.Add != 0 || r.Deprovision != 0 {
			t.Errorf("incremental run %+v", r)
		}
		p04 := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "p04@acme.test"))(t)
		if seats := w.Seats(p04, "premium"); seats[len(seats)-1].ReleaseReason != allot.ReasonDeprovisioned {
			t.Errorf("p04 disabled holds %+v", seats)
		}
		people[3], people[4] = changed[0], changed[1]

		// A full run without one person deprovisions them: 1 of 21
		// learners, under the limit.
		r = world.Must(w.Dir.Sync(ctx, acme, people[1:], directory.SyncOptions{Full: true}))(t)
		if r.Status != directory.SyncApplied || r.Deprovision != 1 || r.Unchanged != 19 {
			t.Errorf("full run without p00: %+v", r)
		}
		// Without seven more (7 of 21 learners): held, nothing changed,
		// until confirmed.
		r = world.Must(w.Dir.Sync(ctx, acme, people[9:], directory.SyncOptions{Full: true}))(t)
		if r.Status != directory.SyncHeld || r.Deprovision != 7 || r.Counted != 21 {
			t.Fatalf("a run deprovisioning 7 of 21: %+v", r)
		}
		p05 := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "p05@acme.test"))(t)
		if seats := w.Seats(p05, "premium"); !seats[len(seats)-1].ReleasedAt.IsZero() {
			t.Errorf("a held run released p05's seat")
		}
		if _, err := w.Dir.ConfirmSync(w.As(w.Globex.CM), r.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager confirming: %v, want not found", err)
		}
		done := world.Must(w.Dir.ConfirmSync(w.As(w.Acme.CM), r.ID))(t)
		if done.Status != directory.SyncApplied || done.Deprovision != 7 {
			t.Errorf("confirmed %+v", done)
		}
		if seats := w.Seats(p05, "premium"); seats[len(seats)-1].ReleaseReason != allot.ReasonDeprovisioned {
			t.Errorf("confirmed, p05 holds %+v", seats)
		}
		if _, err := w.Dir.ConfirmSync(w.As(w.Acme.CM), r.ID); allot.ErrorCode(err) != allot.ECONFLICT {
			t.Errorf("confirming twice: %v", err)
		}
		runs := world.Must(w.Dir.SyncRuns(w.As(w.Acme.CM), acme, 10))(t)
		if len(runs) != 5 || runs[0].Status != directory.SyncApplied || runs[4].Status != directory.SyncPreviewed {
			t.Errorf("%d runs recorded: %+v", len(runs), runs)
		}
	})
}

// TestSyncGroups: the groups a directory gives with its people decide
// their seats, as a mapping says, and a run that moves a person out of a
// group gives the seat back.
func TestSyncGroups(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "ldap"))
		world.Must(w.Dir.MapGroup(w.As(w.Acme.CM), acme, "cn=coaches,ou=groups", "coaching"))(t)
		eve := directory.Person{ExternalID: "e", Email: "eve@acme.test", Active: true, Groups: []string{"cn=coaches,ou=groups", "cn=all"}}
		world.Must(w.Dir.Sync(ctx, acme, []directory.Person{eve}, directory.SyncOptions{}))(t)
		u := world.Must(w.Svc.UserByEmail(w.As(w.Admin), "eve@acme.test"))(t)
		if seats := w.Seats(u, "coaching"); len(seats) != 1 || !seats[0].ReleasedAt.IsZero() {
			t.Fatalf("eve in the coaches holds %+v", seats)
		}
		r := world.Must(w.Dir.Sync(ctx, acme, []directory.Person{eve}, directory.SyncOptions{}))(t)
		if r.Unchanged != 1 {
			t.Errorf("the same groups again: %+v", r)
		}
		eve.Groups = []string{"cn=all"}
		r = world.Must(w.Dir.Sync(ctx, acme, []directory.Person{eve}, directory.SyncOptions{}))(t)
		if seats := w.Seats(u, "coaching"); r.Update != 1 || seats[0].ReleaseReason != allot.ReasonDeprovisioned {
			t.Errorf("out of the coaches (%+v), eve holds %+v", r, seats)
		}
	})
}
