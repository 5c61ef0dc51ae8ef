package directory_test

import (
	"strings"
	"testing"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

// TestProvision: a directory's person is added with a seat, found again by
// their anchor when their e-mail changes, gives the seat back when
// deactivated and gets one again when reactivated, and leaves when
// deleted; another company's directory finds nobody.
func TestProvision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "scim"))
		held := func(u allot.User, code string) []allot.Seat {
			var live []allot.Seat
			for _, s := range w.Seats(u, code) {
				if s.Live(w.Clock.Now()) {
					live = append(live, s)
				}
			}
			return live
		}

		ann := directory.Person{ExternalID: "a-1", Email: "Ann@Acme.test", FirstName: "Ann", Department: "Sales", Active: true}
		u := world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if u.Email != "ann@acme.test" || u.ExternalID != "a-1" || u.Department != "Sales" || len(held(u, "premium")) != 1 {
			t.Fatalf("provisioned %+v with %d premium seats, want ann with one", u, len(held(u, "premium")))
		}
		seat := held(u, "premium")[0]

		ann.Email, ann.LastName = "ann.smith@acme.test", "Smith"
		again := world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if again.ID != u.ID || again.Email != "ann.smith@acme.test" || len(held(again, "premium")) != 1 || held(again, "premium")[0].ID != seat.ID {
			t.Errorf("a new e-mail made %+v; want the same person with the same seat", again)
		}

		ann.Active = false
		world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if seats := w.Seats(again, "premium"); len(held(again, "premium")) != 0 || seats[len(seats)-1].ReleaseReason != allot.ReasonDeprovisioned {
			t.Errorf("deactivated, ann holds %+v", seats)
		}
		ann.Active = true
		world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if len(held(again, "premium")) != 1 {
			t.Errorf("reactivated, ann holds no seat")
		}
		world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if n := len(w.Seats(again, "premium")); n != 2 {
			t.Errorf("provisioned again unchanged, ann has %d seats in all, want 2", n)
		}

		_, err := w.Dir.Provision(ctx, acme, directory.Person{ExternalID: "x", Email: "learner@globex.test", Active: true})
		world.WantError(t, err, allot.ECONFLICT, "email")
		_, err = w.Dir.Provision(ctx, acme, directory.Person{ExternalID: "y", Email: "not an address", Active: true})
		world.WantError(t, err, allot.EINVALID, "email")
		_, err = w.Dir.Provision(ctx, acme, directory.Person{Email: "z@acme.test", Active: true})
		world.WantError(t, err, allot.EINVALID, "external_id")

		globex := w.As(directory.Principal(w.Globex.Company.ID, "scim"))
		if _, err := w.Dir.Provision(globex, acme, ann); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's directory provisioning into Acme: %v, want not found", err)
		}
		if err := w.Dir.Deprovision(globex, w.Globex.Company.ID, u.ID); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's directory deleting ann: %v, want not found", err)
		}

		if err := w.Dir.Deprovision(ctx, acme, u.ID); err != nil {
			t.Fatal(err)
		}
		gone := world.Must(w.Svc.User(w.As(w.Admin), u.ID))(t)
		if gone.RemovedAt.IsZero() || len(held(gone, "premium")) != 0 {
			t.Errorf("deleted, ann is %+v holding %d seats", gone, len(held(gone, "premium")))
		}
		back := world.Must(w.Dir.Provision(ctx, acme, ann))(t)
		if back.ID != u.ID || !back.RemovedAt.IsZero() || len(held(back, "premium")) != 1 {
			t.Errorf("created again, ann is %+v", back)
		}
	})
}

// TestGroupsDecideSeats: a group mapped to a product gives its members a
// seat of it; two mapped groups of one product give one seat; leaving the
// last of them gives it back; a seat given by hand stays; a deactivated
// member gets none.
func TestGroupsDecideSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		acme := w.Acme.Company.ID
		ctx := w.As(directory.Principal(acme, "scim"))
		live := func(u allot.User, code string) int {
			n := 0
			for _, s := range w.Seats(u, code) {
				if s.Live(w.Clock.Now()) {
					n++
				}
			}
			return n
		}
		world.Must(w.Dir.MapGroup(ctx, acme, "coaches", "coaching"))(t)
		world.Must(w.Dir.MapGroup(ctx, acme, "leaders", "coaching"))(t)
		_, err := w.Dir.MapGroup(ctx, acme, "leaders", "coaching")
		world.WantError(t, err, allot.ECONFLICT, "group")

		bo := world.Must(w.Dir.Provision(ctx, acme, directory.Person{ExternalID: "b", Email: "bo@acme.test", Active: true}))(t)
		cy := world.Must(w.Dir.Provision(ctx, acme, directory.Person{ExternalID: "c", Email: "cy@acme.test"}))(t)
		if live(bo, "premium") != 0 || live(bo, "coaching") != 0 {
			t.Errorf("with groups mapped, a person in none is owed nothing")
		}
		for _, g := range []string{"coaches", "leaders"} {
			if err := w.Dir.SetGroup(ctx, acme, g, []int64{bo.ID, cy.ID}); err != nil {
				t.Fatal(err)
			}
		}
		if live(bo, "coaching") != 1 || len(w.Seats(bo, "coaching")) != 1 || live(cy, "coaching") != 0 {
			t.Errorf("bo holds %d coaching seats (%d in all), inactive cy %d: want one, one, none",
				live(bo, "coaching"), len(w.Seats(bo, "coaching")), live(cy, "coaching"))
		}
		world.Must(w.Svc.Allocate(w.As(w.Acme.CM), bo.ID, "premium", 0))(t) // by hand
		if err := w.Dir.SetGroup(ctx, acme, "coaches", nil); err != nil {
			t.Fatal(err)
		}
		if live(bo, "coaching") != 1 {
			t.Errorf("still a leader, bo gave back the coaching seat")
		}
		if err := w.Dir.SetGroup(ctx, acme, "leaders", []int64{cy.ID}); err != nil {
			t.Fatal(err)
		}
		if live(bo, "coaching") != 0 || live(bo, "premium") != 1 {
			t.Errorf("out of both groups, bo holds %d coaching and %d premium seats: want none, and the one given by hand",
				live(bo, "coaching"), live(bo, "premium"))
		}
		if err := w.Dir.SetGroup(ctx, acme, "leaders", []int64{w.Globex.Learner.ID}); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("a group with another company's learner: %v, want not found", err)
		}
	})
}

// TestOwnedFields: a company's directory owns every person field until the
// company says which; another field is refused.
func TestOwnedFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		w := world.New(t, b)
		cm, acme := w.As(w.Acme.CM), w.Acme.Company.ID
		if owned := world.Must(w.Dir.OwnedFields(cm, acme))(t); len(owned) != len(directory.PersonFields) {
			t.Errorf("owned by default %v, want every person field", owned)
		}
		owned := world.Must(w.Dir.SetOwned(cm, acme, []string{directory.FieldDepartment, directory.FieldEmail}))(t)
		if got := world.Must(w.Dir.OwnedFields(cm, acme))(t); len(got) != 2 || got[0] != directory.FieldEmail || !owned.Owns(directory.FieldDepartment) {
			t.Errorf("owned %v, read back %v", owned, got)
		}
		_, err := w.Dir.SetOwned(cm, acme, []string{"salary"})
		world.WantError(t, err, allot.EINVALID, "owned")
		if _, err := w.Dir.SetOwned(w.As(w.Globex.CM), acme, nil); allot.ErrorCode(err) != allot.ENOTFOUND {
			t.Errorf("another company's manager: %v, want not found", err)
		}
	})
}

// TestImportKeepsOwnedFields: a file does not change a field the company's
// directory owns of a person it provisioned, and says so on the row; once
// the company gives the field up, the file changes it.
func TestImportKeepsOwnedFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		world.Must(f.Dir.Provision(f.As(directory.Principal(f.Company.ID, "scim")), f.Company.ID,
			directory.Person{ExternalID: "d-1", Email: "dee@acme.test", Department: "Sales", Active: true}))(t)
		csv := "email,department\ndee@acme.test,Finance\nnew@acme.test,Finance\n"
		imp := upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, csv)
		imp = preview(f, imp.ID, imp.Suggested)
		if got := reasons(f, imp.ID); len(got) != 1 || !strings.Contains(got[0], "directory owns the department of dee@acme.test") {
			t.Errorf("reasons %q, want the department owned", got)
		}
		world.Must(f.Dir.SetOwned(f.As(f.CM), f.Company.ID, []string{directory.FieldEmail}))(t)
		imp = upload(f, f.CM, directory.NewImport{Kind: directory.ImportUsers}, csv)
		imp = preview(f, imp.ID, imp.Suggested)
		if got := reasons(f, imp.ID); len(got) != 0 || imp.Counts.Update != 1 {
			t.Errorf("the department given up: reasons %q, counts %+v", got, imp.Counts)
		}
	})
}
