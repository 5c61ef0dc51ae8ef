package allot_test

import (
	"slices"
	"strings"
	"testing"

	"allot"
	"allot/directory"
	"allot/storetest"
	"allot/world"
)

func ptr(s string) *string { return &s }

// updates returns the user.update events of the learner's company about
// them, newest first.
func updates(t *testing.T, w *world.World, c world.Customer, id int64) []allot.Event {
	t.Helper()
	var out []allot.Event
	for _, e := range world.Must(w.Svc.Events(w.As(w.Admin), allot.EventFilter{CompanyID: c.Company.ID}))(t) {
		if e.Action == "user.update" && e.SubjectID == id {
			out = append(out, e)
		}
	}
	return out
}

func TestUpdatePerson(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.New(t, b)
		ann := w.Acme.Learner
		cm := w.As(w.Acme.CM)

		got := world.Must(w.Svc.UpdatePerson(cm, ann.ID, allot.PersonChange{FirstName: ptr("  Ann "), LastName: ptr("Lee"),
			Department: ptr("Sales")}))(t)
		if got.FirstName != "Ann" || got.LastName != "Lee" || got.Department != "Sales" || got.Role != allot.RoleLearner {
			t.Fatalf("updated: %+v", got)
		}
		if again := world.Must(w.Svc.User(cm, ann.ID))(t); again.Name() != "Ann Lee" || again.Department != "Sales" {
			t.Errorf("read again: %+v", again)
		}
		events := updates(t, w, w.Acme, ann.ID)
		if len(events) != 1 || !strings.Contains(events[0].Before, `"FirstName":""`) || !strings.Contains(events[0].After, `"FirstName":"Ann"`) ||
			strings.Contains(events[0].After, "PasswordHash") {
			t.Fatalf("events: %+v", events)
		}
		// The same again changes nothing and records nothing; a nil field
		// stays as it is.
		world.Must(w.Svc.UpdatePerson(cm, ann.ID, allot.PersonChange{FirstName: ptr("Ann")}))(t)
		if n := len(updates(t, w, w.Acme, ann.ID)); n != 1 {
			t.Errorf("%d update events after changing nothing, want 1", n)
		}

		// Bad text, each beside its field.
		for _, c := range []struct {
			name  string
			ch    allot.PersonChange
			code  string
			field string
		}{
			{"a line break", allot.PersonChange{FirstName: ptr("Ann\r\nBcc: x")}, allot.EINVALID, "first_name"},
			{"too long", allot.PersonChange{Department: ptr(strings.Repeat("d", allot.MaxPersonField+1))}, allot.EINVALID, "department"},
			{"a direction control", allot.PersonChange{LastName: ptr("Lee\u202e")}, allot.EINVALID, "last_name"},
			{"a role of the vendor", allot.PersonChange{Role: allot.RoleVendorAdmin}, allot.EINVALID, "role"},
		} {
			_, err := w.Svc.UpdatePerson(cm, ann.ID, c.ch)
			world.WantError(t, err, c.code, c.field)
		}

		// Roles: a manager makes a learner a manager and back; nobody
		// changes their own.
		world.Must(w.Svc.UpdatePerson(cm, ann.ID, allot.PersonChange{Role: allot.RoleCompanyManager}))(t)
		if u := world.Must(w.Svc.User(cm, ann.ID))(t); u.Role != allot.RoleCompanyManager {
			t.Errorf("role %s, want company manager", u.Role)
		}
		_, err := w.Svc.UpdatePerson(cm, w.Acme.CM.UserID, allot.PersonChange{Role: allot.RoleLearner})
		world.WantError(t, err, allot.ECONFLICT, "role")
		world.Must(w.Svc.UpdatePerson(cm, w.Acme.CM.UserID, allot.PersonChange{FirstName: ptr("Cam")}))(t)
		world.Must(w.Svc.UpdatePerson(w.Ctx(t, "pm@acme"), ann.ID, allot.PersonChange{Role: allot.RoleLearner}))(t)

		// Who may: the permission table's manage users, and a foreign
		// person reads as not found.
		for _, c := range []struct {
			who  string
			id   int64
			want string
		}{
			{"acme learner", ann.ID, allot.ENOTFOUND},
			{"pm", ann.ID, allot.EFORBIDDEN}, // outside manage-company mode
			{"globex cm", ann.ID, allot.ENOTFOUND},
			{"pm2", ann.ID, allot.ENOTFOUND},
			{"acme cm", w.Globex.Learner.ID, allot.ENOTFOUND},
			{"acme cm", w.Users["pm"].ID, allot.ENOTFOUND},
			{"admin@acme", ann.ID, ""},
		} {
			_, err := w.Svc.UpdatePerson(w.Ctx(t, c.who), c.id, allot.PersonChange{Department: ptr("By " + c.who)})
			if allot.ErrorCode(err) != c.want {
				t.Errorf("%s updating %d: %v, want %q", c.who, c.id, err, c.want)
			}
		}
	})
}

func TestUpdatePersonOwnedByTheDirectory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		dee := world.Must(w.Dir.Provision(cm, w.Acme.Company.ID, directory.Person{ExternalID: "dee-1", Email: "dee@acme.test",
			FirstName: "Dee", LastName: "Day", Department: "Ops", Active: true}))(t)

		_, err := w.Svc.UpdatePerson(cm, dee.ID, allot.PersonChange{FirstName: ptr("Deedee")})
		world.WantError(t, err, allot.EINVALID, "first_name")
		if !strings.Contains(allot.ErrorMessage(err), "directory owns the first name of dee@acme.test") {
			t.Errorf("message: %v", err)
		}
		// Sending what the directory says is no change; the role is not the
		// directory's.
		world.Must(w.Svc.UpdatePerson(cm, dee.ID, allot.PersonChange{FirstName: ptr("Dee"), LastName: ptr("Day"),
			Department: ptr("Ops"), Role: allot.RoleCompanyManager}))(t)

		world.Must(w.Dir.SetOwned(cm, w.Acme.Company.ID, []string{directory.FieldEmail, directory.FieldDepartment}))(t)
		u := world.Must(w.Svc.UpdatePerson(cm, dee.ID, allot.PersonChange{FirstName: ptr("Deedee")}))(t)
		if u.FirstName != "Deedee" {
			t.Errorf("first name %q once the directory owns it no more", u.FirstName)
		}
		_, err = w.Svc.UpdatePerson(cm, dee.ID, allot.PersonChange{Department: ptr("Sales")})
		world.WantError(t, err, allot.EINVALID, "department")
		p := world.Must(w.Svc.Person(cm, dee.ID))(t)
		if strings.Join(p.Owned, ",") != "email,department" {
			t.Errorf("owned %v", p.Owned)
		}
		// A person added by hand is nobody's but the company's.
		if p := world.Must(w.Svc.Person(cm, w.Acme.Learner.ID))(t); len(p.Owned) != 0 {
			t.Errorf("a person added by hand: owned %v", p.Owned)
		}
	})
}

func TestPersonHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		w := world.New(t, b)
		cm := w.As(w.Acme.CM)
		ann := w.Acme.Learner
		world.Must(w.Svc.Release(cm, w.Acme.Seat.ID, allot.ReasonLeft))(t)
		coaching := world.Must(w.Svc.Allocate(cm, ann.ID, "coaching", 0))(t)
		again := world.Must(w.Svc.Allocate(cm, ann.ID, "premium", 0))(t)
		world.Must(w.Svc.UpdatePerson(cm, ann.ID, allot.PersonChange{Department: ptr("Sales")}))(t)
		other := w.NewSeat(t, w.Acme, "premium") // another learner's

		p := world.Must(w.Svc.Person(cm, ann.ID))(t)
		var ids []int64
		for _, s := range p.Seats {
			ids = append(ids, s.ID)
		}
		if want := []int64{again.ID, coaching.ID, w.Acme.Seat.ID}; !slices.Equal(ids, want) {
			t.Fatalf("seats %v, want %v newest first", ids, want)
		}
		if p.Seats[2].ReleaseReason != allot.ReasonLeft || p.Company.ID != w.Acme.Company.ID {
			t.Errorf("the first seat: %+v", p.Seats[2])
		}
		var actions []string
		for _, e := range p.Events {
			actions = append(actions, e.Action)
			if e.SubjectType == "seat" && e.SubjectID == other.ID {
				t.Errorf("another learner's seat in the history: %+v", e)
			}
		}
		if got := strings.Join(actions, " "); got != "user.update seat.allocate seat.allocate seat.release seat.allocate user.add" {
			t.Errorf("events %q", got)
		}

		for who, want := range map[string]string{"globex cm": allot.ENOTFOUND, "acme learner": allot.ENOTFOUND, "pm": "", "pm2": allot.ENOTFOUND} {
			_, err := w.Svc.Person(w.Ctx(t, who), ann.ID)
			if allot.ErrorCode(err) != want {
				t.Errorf("%s reading the person: %v, want %q", who, err, want)
			}
		}
		world.Must(w.Svc.RemoveUser(cm, ann.ID))(t)
		_, err := w.Svc.Person(cm, ann.ID)
		world.WantError(t, err, allot.ENOTFOUND, "")
	})
}

func TestMembersSortedAndCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		t.Parallel()
		f := world.Setup(t, b)
		f.Pool(f.Company, 3)
		cm := f.As(f.CM)
		add := func(email, first, last string) allot.User {
			return world.Must(f.Svc.AddUser(cm, allot.NewUser{CompanyID: f.Company.ID, Email: email, FirstName: first, LastName: last}))(t)
		}
		zed := add("zed@acme.test", "Zed", "Young")
		amy := add("amy@acme.test", "amy", "Zimmer")
		add("bob@acme.test", "", "") // named by his e-mail
		world.Must(f.Svc.Release(cm, f.Seat(amy, "premium").ID, allot.ReasonLeft))(t)
		add("cat@acme.test", "Cat", "Archer") // amy's seat
		add("dan@acme.test", "Dan", "Brown")  // none is free: he waits
		if err := f.Svc.RecordLogin(f.As(f.Admin), zed.ID); err != nil {
			t.Fatal(err)
		}

		emails := func(o allot.MemberOrder, extra ...func(*allot.MemberFilter)) string {
			t.Helper()
			mf := allot.MemberFilter{Order: o, UserFilter: allot.UserFilter{Roles: []allot.Role{allot.RoleLearner}}}
			for _, e := range extra {
				e(&mf)
			}
			var out []string
			for _, m := range world.Must(f.Svc.Members(cm, f.Company.ID, mf))(t) {
				out = append(out, m.Email[:3])
			}
			return strings.Join(out, " ")
		}
		for _, c := range []struct {
			o    allot.MemberOrder
			want string
		}{
			{allot.MemberOrder{}, "zed amy bob cat dan"},
			{allot.MemberOrder{By: "name"}, "amy bob cat dan zed"},
			{allot.MemberOrder{By: "name", Desc: true}, "zed dan cat bob amy"},
			{allot.MemberOrder{By: "email", Offset: 1}, "bob cat dan zed"},
			{allot.MemberOrder{By: "status"}, "zed bob cat amy dan"},
			{allot.MemberOrder{By: "last_login", Desc: true}, "zed dan cat bob amy"},
		} {
			if got := emails(c.o); got != c.want {
				t.Errorf("%+v: %s, want %s", c.o, got, c.want)
			}
		}
		if got := emails(allot.MemberOrder{}, func(mf *allot.MemberFilter) { mf.Seatless = true }); got != "amy dan" {
			t.Errorf("seatless: %s, want amy dan", got)
		}
		_, err := f.Svc.Members(cm, f.Company.ID, allot.MemberFilter{Order: allot.MemberOrder{By: "password"}})
		world.WantError(t, err, allot.EINVALID, "sort")

		for _, c := range []struct {
			f    allot.MemberFilter
			want int
		}{
			{allot.MemberFilter{}, 6}, // five learners and the manager
			{allot.MemberFilter{Status: allot.StatusActive}, 3},
			{allot.MemberFilter{Status: allot.StatusReleased}, 1},
			{allot.MemberFilter{UserFilter: allot.UserFilter{Search: "zim", Limit: 1, AfterID: 1}}, 1},
		} {
			if n := world.Must(f.Svc.CountMembers(cm, f.Company.ID, c.f))(t); n != c.want {
				t.Errorf("count %+v: %d, want %d", c.f, n, c.want)
			}
		}
	})
}
