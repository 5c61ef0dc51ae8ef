package allot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// TestLastLogin checks that logins are recorded and that "never logged in"
// and "inactive for N days" find the right learners.
func TestLastLogin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 5)
		ann := f.Learner(f.Company, "ann@acme.test")
		bob := f.Learner(f.Company, "bob@acme.test")
		f.Learner(f.Company, "cat@acme.test")

		f.Clock.Set(world.T0.Add(24 * time.Hour))
		if err := f.Svc.RecordLogin(f.As(ann.Principal()), ann.ID); err != nil {
			t.Fatal(err)
		}
		f.Clock.Set(world.T0.Add(10 * 24 * time.Hour))
		if err := f.Svc.RecordLogin(f.As(f.Admin), bob.ID); err != nil { // the product's integration
			t.Fatal(err)
		}
		f.Clock.Set(world.T0.Add(40 * 24 * time.Hour))
		if got := world.Must(f.Svc.User(f.As(f.CM), ann.ID))(t).LastLoginAt; !got.Equal(world.T0.Add(24 * time.Hour)) {
			t.Errorf("ann's last login %s, want %s", got, world.T0.Add(24*time.Hour))
		}

		learners := []allot.Role{allot.RoleLearner}
		cases := []struct {
			name   string
			filter allot.UserFilter
			want   []string
		}{
			{"all", allot.UserFilter{}, []string{"ann@acme.test", "bob@acme.test", "cat@acme.test"}},
			{"never logged in", allot.UserFilter{NeverLoggedIn: true}, []string{"cat@acme.test"}},
			{"inactive for 30 days", allot.UserFilter{InactiveSince: f.Svc.InactiveSince(30)}, []string{"ann@acme.test", "cat@acme.test"}},
			{"inactive for 39 days", allot.UserFilter{InactiveSince: f.Svc.InactiveSince(39)}, []string{"cat@acme.test"}},
			{"inactive for 5 days", allot.UserFilter{InactiveSince: f.Svc.InactiveSince(5)}, []string{"ann@acme.test", "bob@acme.test", "cat@acme.test"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				tc.filter.CompanyID, tc.filter.Roles = f.Company.ID, learners
				got := world.Emails(world.Must(f.Svc.Users(f.As(f.CM), tc.filter))(t))
				if !slices.Equal(got, tc.want) {
					t.Errorf("users %v, want %v", got, tc.want)
				}
			})
		}

		// A new login takes ann off the inactive list.
		if err := f.Svc.RecordLogin(f.As(ann.Principal()), ann.ID); err != nil {
			t.Fatal(err)
		}
		filter := allot.UserFilter{CompanyID: f.Company.ID, Roles: learners, InactiveSince: f.Svc.InactiveSince(30)}
		if got, want := world.Emails(world.Must(f.Svc.Users(f.As(f.CM), filter))(t)), []string{"cat@acme.test"}; !slices.Equal(got, want) {
			t.Errorf("inactive after a new login: %v, want %v", got, want)
		}
	})
}

// TestRemoveUser checks that removing a learner gives their seat back and
// takes them off the waiting list.
func TestRemoveUser(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 2)
		ann := f.Learner(f.Company, "ann@acme.test")
		f.Learner(f.Company, "bob@acme.test")
		cat := f.Learner(f.Company, "cat@acme.test") // waits: the pool is full

		f.Clock.Advance(24 * time.Hour)
		removed := world.Must(f.Svc.RemoveUser(f.As(f.CM), ann.ID))(t)
		now := f.Clock.Now()
		if !removed.RemovedAt.Equal(now) {
			t.Errorf("removed at %s, want %s", removed.RemovedAt, now)
		}
		if s := f.Seat(ann, "premium"); !s.ReleasedAt.Equal(now) || s.ReleaseReason != allot.ReasonRemoved {
			t.Errorf("ann's seat released at %s for %q, want %s for %q", s.ReleasedAt, s.ReleaseReason, now, allot.ReasonRemoved)
		}
		// The seat freed goes to cat, who waited for one.
		if got := f.Reload(p).Used; got != 2 {
			t.Errorf("pool uses %d seats, want 2", got)
		}
		if s := f.Seat(cat, "premium"); !s.Live(now) {
			t.Errorf("cat's seat is %s, want live", s.Status(now))
		}
		listed := world.Emails(world.Must(f.Svc.Users(f.As(f.CM), allot.UserFilter{CompanyID: f.Company.ID, Roles: []allot.Role{allot.RoleLearner}}))(t))
		if want := []string{"bob@acme.test", "cat@acme.test"}; !slices.Equal(listed, want) {
			t.Errorf("learners %v, want %v", listed, want)
		}
		listed = world.Emails(world.Must(f.Svc.Users(f.As(f.CM), allot.UserFilter{CompanyID: f.Company.ID, Roles: []allot.Role{allot.RoleLearner}, IncludeRemoved: true}))(t))
		if want := []string{"ann@acme.test", "bob@acme.test", "cat@acme.test"}; !slices.Equal(listed, want) {
			t.Errorf("learners with the removed %v, want %v", listed, want)
		}

		_, err := f.Svc.RemoveUser(f.As(f.CM), ann.ID)
		world.WantError(t, err, allot.ENOTFOUND, "")
		_, err = f.Svc.RemoveUser(f.As(f.CM), f.CM.UserID)
		world.WantError(t, err, allot.ECONFLICT, "")

		// A removed learner no longer waits for a seat.
		dan := f.Learner(f.Company, "dan@acme.test") // waits: the pool is full
		world.Must(f.Svc.RemoveUser(f.As(f.CM), dan.ID))(t)
		if next := f.Pool(f.Company, 1); next.Used != 0 {
			t.Errorf("a new pool gave %d seats to removed learners", next.Used)
		}
	})
}

func TestAddUserInput(t *testing.T) {
	cases := []struct {
		name      string
		in        allot.NewUser
		wantCode  string
		wantField string
		wantEmail string
	}{
		{"e-mail made canonical", allot.NewUser{Email: "  Ann.Lee@Acme.TEST "}, "", "", "ann.lee@acme.test"},
		{"e-mail taken in another case", allot.NewUser{Email: "CM@acme.test"}, allot.ECONFLICT, "email", ""},
		{"e-mail taken by staff of another tenant", allot.NewUser{Email: "pm@channel.test"}, allot.ECONFLICT, "email", ""},
		{"no e-mail", allot.NewUser{}, allot.EINVALID, "email", ""},
		{"not an e-mail", allot.NewUser{Email: "ann at acme"}, allot.EINVALID, "email", ""},
		{"e-mail with a name", allot.NewUser{Email: "Ann <ann@acme.test>"}, allot.EINVALID, "email", ""},
		{"staff role", allot.NewUser{Email: "x@acme.test", Role: allot.RolePartnerManager}, allot.EINVALID, "role", ""},
		{"long department", allot.NewUser{Email: "x@acme.test", Department: strings.Repeat("d", 201)}, allot.EINVALID, "department", ""},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				in := tc.in
				in.CompanyID = f.Company.ID
				u, err := f.Svc.AddUser(f.As(f.CM), in)
				world.WantError(t, err, tc.wantCode, tc.wantField)
				if err == nil && u.Email != tc.wantEmail {
					t.Errorf("e-mail %q, want %q", u.Email, tc.wantEmail)
				}
			})
		}
	})
}
