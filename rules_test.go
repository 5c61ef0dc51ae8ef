package allot_test

import (
	"fmt"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// day returns midnight UTC of a date, plus the given hour.
func day(y int, m time.Month, d, hour int) time.Time {
	return time.Date(y, m, d, hour, 0, 0, 0, time.UTC)
}

// TestTerm checks that assignment starts the clock: a pool runs from the
// instant its order is assigned for the order's term, in calendar months
// (clamped to the end of a shorter month) or in days, and a seat given
// later ends with the pool, never a term after its own allocation.
func TestTerm(t *testing.T) {
	cases := []struct {
		name       string
		assignedAt time.Time
		months     int
		days       int
		wantEnd    time.Time
	}{
		{"default 12 months from 31 January", day(2027, 1, 31, 10), 0, 0, day(2028, 1, 31, 10)},
		{"12 months from 31 January", day(2027, 1, 31, 10), 12, 0, day(2028, 1, 31, 10)},
		{"1 month from 31 January", day(2027, 1, 31, 10), 1, 0, day(2027, 2, 28, 10)},
		{"1 month from 31 January in a leap year", day(2028, 1, 31, 10), 1, 0, day(2028, 2, 29, 10)},
		{"12 months from 29 February", day(2028, 2, 29, 10), 12, 0, day(2029, 2, 28, 10)},
		{"48 months from 29 February", day(2028, 2, 29, 10), 48, 0, day(2032, 2, 29, 10)},
		{"6 months from 31 August", day(2027, 8, 31, 10), 6, 0, day(2028, 2, 29, 10)},
		{"6 months from 15 March", day(2027, 3, 15, 10), 6, 0, day(2027, 9, 15, 10)},
		{"45 days from 31 January", day(2027, 1, 31, 10), 0, 45, day(2027, 3, 17, 10)},
		{"365 days from 1 March before a leap day", day(2027, 3, 1, 10), 0, 365, day(2028, 2, 29, 10)},
		{"1 day", day(2027, 12, 31, 23), 0, 1, day(2028, 1, 1, 23)},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				at := tc.assignedAt.Add(1234 * time.Microsecond)
				f.Clock.Set(at)
				p := f.Assigned(allot.NewOrder{Quantity: 2, TermMonths: tc.months, TermDays: tc.days})
				wantEnd := tc.wantEnd.Add(1234 * time.Microsecond)
				if !p.StartsAt.Equal(at) || !p.EndsAt.Equal(wantEnd) {
					t.Errorf("pool runs %s to %s, want %s to %s", p.StartsAt, p.EndsAt, at, wantEnd)
				}
				if got := f.Reload(p); !got.StartsAt.Equal(at) || !got.EndsAt.Equal(wantEnd) {
					t.Errorf("stored pool runs %s to %s, want %s to %s", got.StartsAt, got.EndsAt, at, wantEnd)
				}

				// A learner added later gets what remains of the pool.
				later := at.Add(wantEnd.Sub(at) / 2)
				f.Clock.Set(later)
				seat := f.Seat(f.Learner(f.Company, "late@acme.test"), "premium")
				if seat.PoolID != p.ID || !seat.StartsAt.Equal(later) || !seat.EndsAt.Equal(wantEnd) {
					t.Errorf("seat of pool %d runs %s to %s, want pool %d from %s to %s",
						seat.PoolID, seat.StartsAt, seat.EndsAt, p.ID, later, wantEnd)
				}
			})
		}
	})
}

// TestManualClock checks that the test clock tells time to the microsecond
// that the stores keep, however it is moved, so that what a call returns is
// what was stored.
func TestManualClock(t *testing.T) {
	c := allot.NewManualClock(world.T0.Add(1500 * time.Nanosecond))
	if got, want := c.Now(), world.T0.Add(time.Microsecond); !got.Equal(want) {
		t.Errorf("new clock at %s, want %s", got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	}
	c.Advance(2500 * time.Nanosecond)
	if got, want := c.Now(), world.T0.Add(3*time.Microsecond); !got.Equal(want) {
		t.Errorf("advanced clock at %s, want %s", got.Format(time.RFC3339Nano), want.Format(time.RFC3339Nano))
	}
	c.Set(world.T0.Add(999 * time.Nanosecond))
	if got := c.Now(); !got.Equal(world.T0) {
		t.Errorf("set clock at %s, want %s", got.Format(time.RFC3339Nano), world.T0.Format(time.RFC3339Nano))
	}

	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Clock.Advance(1500 * time.Nanosecond)
		p := f.Pool(f.Company, 1)
		if got := f.Reload(p); !got.StartsAt.Equal(p.StartsAt) || !got.EndsAt.Equal(p.EndsAt) {
			t.Errorf("assigned pool runs %s to %s, stored %s to %s",
				p.StartsAt.Format(time.RFC3339Nano), p.EndsAt.Format(time.RFC3339Nano),
				got.StartsAt.Format(time.RFC3339Nano), got.EndsAt.Format(time.RFC3339Nano))
		}
	})
}

func TestAddMonths(t *testing.T) {
	cases := []struct {
		in   time.Time
		n    int
		want time.Time
	}{
		{day(2027, 1, 31, 8), 1, day(2027, 2, 28, 8)},
		{day(2028, 1, 31, 8), 1, day(2028, 2, 29, 8)},
		{day(2028, 2, 29, 8), 12, day(2029, 2, 28, 8)},
		{day(2027, 3, 31, 8), 1, day(2027, 4, 30, 8)},
		{day(2027, 10, 31, 8), 3, day(2028, 1, 31, 8)},
		{day(2027, 5, 15, 8), 0, day(2027, 5, 15, 8)},
		{time.Date(2027, 1, 31, 23, 0, 0, 0, time.FixedZone("UTC+2", 2*3600)), 1, day(2027, 2, 28, 21)},
	}
	for _, tc := range cases {
		if got := allot.AddMonths(tc.in, tc.n); !got.Equal(tc.want) || got.Location() != time.UTC {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tc.in, tc.n, got, tc.want)
		}
	}
}

// TestExpiry checks the instant a seat and its pool expire and the 72 hours
// before it in which they are expiring, through the entitlement check too.
func TestExpiry(t *testing.T) {
	cases := []struct {
		name        string
		beforeEnd   time.Duration
		wantStatus  allot.Status
		wantAllowed bool
		wantReason  string
	}{
		{"a day before the expiring window", 96 * time.Hour, allot.StatusActive, true, ""},
		{"just before the expiring window", allot.ExpiringWindow + time.Microsecond, allot.StatusActive, true, ""},
		{"start of the expiring window", allot.ExpiringWindow, allot.StatusExpiring, true, ""},
		{"last instant", time.Microsecond, allot.StatusExpiring, true, ""},
		{"end", 0, allot.StatusExpired, false, allot.DenyExpired},
		{"after the end", -time.Hour, allot.StatusExpired, false, allot.DenyExpired},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				p := f.Pool(f.Company, 3)
				ann := f.Learner(f.Company, "ann@acme.test")
				f.Clock.Set(p.EndsAt.Add(-tc.beforeEnd))
				now := f.Clock.Now()

				if got := f.Reload(p).Status(now); got != tc.wantStatus {
					t.Errorf("pool status = %s, want %s", got, tc.wantStatus)
				}
				seat := f.Seat(ann, "premium")
				if got := seat.Status(now); got != tc.wantStatus {
					t.Errorf("seat status = %s, want %s", got, tc.wantStatus)
				}
				d := f.Check(ann, "premium")
				if d.Allowed != tc.wantAllowed || d.Status != tc.wantStatus || !d.Until.Equal(p.EndsAt) {
					t.Errorf("decision: allowed %v, status %s, until %s; want %v, %s, %s",
						d.Allowed, d.Status, d.Until, tc.wantAllowed, tc.wantStatus, p.EndsAt)
				}
				if d.Reason != tc.wantReason {
					t.Errorf("reason = %q, want %q", d.Reason, tc.wantReason)
				}
			})
		}
	})
}

// TestAutomaticAllocation checks that a learner added to a company gets a
// seat of its default product from the live pool with a free seat that
// expires first, and that learners beyond the free seats are added
// unlicensed.
func TestAutomaticAllocation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		// A pool that ends first but has expired by the time learners come.
		gone := f.Assigned(allot.NewOrder{Quantity: 5, TermDays: 10})
		f.Clock.Advance(11 * 24 * time.Hour)
		long := f.Assigned(allot.NewOrder{Quantity: 2, TermMonths: 12})
		short := f.Assigned(allot.NewOrder{Quantity: 1, TermMonths: 6})

		wantPools := []struct {
			email string
			pool  allot.Pool
		}{
			{"ann@acme.test", short},
			{"bob@acme.test", long},
			{"cat@acme.test", long},
			{"dan@acme.test", allot.Pool{}},
			{"eve@acme.test", allot.Pool{}},
		}
		users := map[string]allot.User{}
		for _, w := range wantPools {
			f.Clock.Advance(time.Hour)
			u := f.Learner(f.Company, w.email)
			users[w.email] = u
			seats := f.Seats(u, "premium")
			switch {
			case w.pool.ID == 0 && len(seats) != 0:
				t.Errorf("%s got seat %+v, want none", w.email, seats[0])
			case w.pool.ID == 0:
				if d := f.Check(u, "premium"); d.Allowed || d.Reason != allot.DenyUnlicensed || d.Status != allot.StatusUnlicensed {
					t.Errorf("%s: allowed %v, reason %q, status %q; want refused, %q, %q",
						w.email, d.Allowed, d.Reason, d.Status, allot.DenyUnlicensed, allot.StatusUnlicensed)
				}
			case len(seats) != 1:
				t.Errorf("%s holds %d seats, want 1", w.email, len(seats))
			case seats[0].PoolID != w.pool.ID || !seats[0].EndsAt.Equal(w.pool.EndsAt):
				t.Errorf("%s got a seat of pool %d ending %s, want pool %d ending %s",
					w.email, seats[0].PoolID, seats[0].EndsAt, w.pool.ID, w.pool.EndsAt)
			}
		}
		for _, c := range []struct {
			pool allot.Pool
			used int
		}{{gone, 0}, {long, 2}, {short, 1}} {
			if got := f.Reload(c.pool).Used; got != c.used {
				t.Errorf("pool %d uses %d seats, want %d", c.pool.ID, got, c.used)
			}
		}
		// The unlicensed learners belong to the company all the same.
		listed := world.Must(f.Svc.Users(f.As(f.CM), allot.UserFilter{CompanyID: f.Company.ID, Roles: []allot.Role{allot.RoleLearner}}))(t)
		if got, want := len(listed), len(wantPools); got != want {
			t.Errorf("company lists %d learners (%v), want %d", got, world.Emails(listed), want)
		}
	})
}

// TestWaitingLearnersGetSeats checks that assigning a new order gives seats
// to the learners waiting for one, oldest first, as many as it has.
func TestWaitingLearnersGetSeats(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		f.Pool(f.Company, 1)
		var learners []allot.User
		for _, email := range []string{"ann@acme.test", "bob@acme.test", "cat@acme.test", "dan@acme.test"} {
			f.Clock.Advance(time.Hour)
			learners = append(learners, f.Learner(f.Company, email))
		}
		f.Clock.Advance(24 * time.Hour)
		p := f.Pool(f.Company, 2)
		if p.Used != 2 {
			t.Errorf("new pool uses %d seats, want 2", p.Used)
		}
		if got := f.Reload(p).Used; got != 2 {
			t.Errorf("stored pool uses %d seats, want 2", got)
		}
		for _, u := range learners[1:3] {
			s := f.Seat(u, "premium")
			if s.PoolID != p.ID || !s.StartsAt.Equal(p.StartsAt) || !s.EndsAt.Equal(p.EndsAt) {
				t.Errorf("%s: seat of pool %d from %s to %s, want pool %d from %s to %s",
					u.Email, s.PoolID, s.StartsAt, s.EndsAt, p.ID, p.StartsAt, p.EndsAt)
			}
			if d := f.Check(u, "premium"); !d.Allowed {
				t.Errorf("%s refused: %s", u.Email, d.Reason)
			}
		}
		dan := learners[3]
		if got := f.Seats(dan, "premium"); len(got) != 0 {
			t.Errorf("%s got a seat of pool %d, want none", dan.Email, got[0].PoolID)
		}
		if d := f.Check(dan, "premium"); d.Reason != allot.DenyUnlicensed {
			t.Errorf("%s: reason %q, want %q", dan.Email, d.Reason, allot.DenyUnlicensed)
		}

		// The last one gets the next seat that comes.
		f.Pool(f.Company, 1)
		if d := f.Check(dan, "premium"); !d.Allowed {
			t.Errorf("%s refused after a second pool: %s", dan.Email, d.Reason)
		}
	})
}

// TestRelease checks that a released seat goes back to its pool, for the
// pool's remaining validity, and cannot be released twice.
func TestRelease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 2)
		ann := f.Learner(f.Company, "ann@acme.test")
		f.Learner(f.Company, "bob@acme.test")
		if got := f.Reload(p).Used; got != 2 {
			t.Fatalf("pool uses %d seats, want 2", got)
		}

		f.Clock.Advance(40 * 24 * time.Hour)
		released := world.Must(f.Svc.Release(f.As(f.CM), f.Seat(ann, "premium").ID, allot.ReasonLeft))(t)
		now := f.Clock.Now()
		if !released.ReleasedAt.Equal(now) || released.ReleaseReason != allot.ReasonLeft || released.Status(now) != allot.StatusReleased {
			t.Errorf("released seat: at %s, reason %q, status %s; want %s, %q, released",
				released.ReleasedAt, released.ReleaseReason, released.Status(now), now, allot.ReasonLeft)
		}
		if got := f.Seat(ann, "premium"); !got.ReleasedAt.Equal(now) || got.ReleaseReason != allot.ReasonLeft {
			t.Errorf("stored seat: released at %s for %q, want %s for %q", got.ReleasedAt, got.ReleaseReason, now, allot.ReasonLeft)
		}
		if got := f.Reload(p); got.Used != 1 || !got.EndsAt.Equal(p.EndsAt) {
			t.Errorf("pool after release: %d used, ends %s; want 1, %s", got.Used, got.EndsAt, p.EndsAt)
		}
		_, err := f.Svc.Release(f.As(f.CM), released.ID, allot.ReasonOther)
		world.WantError(t, err, allot.ECONFLICT, "")

		// The seat given back serves a new learner until the pool ends.
		f.Clock.Advance(24 * time.Hour)
		cat := f.Seat(f.Learner(f.Company, "cat@acme.test"), "premium")
		if cat.PoolID != p.ID || !cat.EndsAt.Equal(p.EndsAt) {
			t.Errorf("next seat: pool %d ending %s, want pool %d ending %s", cat.PoolID, cat.EndsAt, p.ID, p.EndsAt)
		}
		if got := f.Reload(p).Used; got != 2 {
			t.Errorf("pool uses %d seats, want 2", got)
		}

		// An expired seat is no longer the manager's to release.
		f.Clock.Set(p.EndsAt)
		_, err = f.Svc.Release(f.As(f.CM), cat.ID, allot.ReasonOther)
		world.WantError(t, err, allot.ECONFLICT, "")
	})
}

func TestReleaseReasons(t *testing.T) {
	cases := []struct {
		reason string
		valid  bool
	}{
		{allot.ReasonLeft, true},
		{allot.ReasonNeverLoggedIn, true},
		{allot.ReasonOther, true},
		{"", false},
		{allot.ReasonReallocated, false},
		{allot.ReasonRemoved, false},
		{"Left_Company", false},
		{"holiday", false},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%q", tc.reason), func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				p := f.Pool(f.Company, 1)
				ann := f.Learner(f.Company, "ann@acme.test")
				_, err := f.Svc.Release(f.As(f.CM), f.Seat(ann, "premium").ID, tc.reason)
				wantCode, wantField, wantUsed := "", "", 0
				if !tc.valid {
					wantCode, wantField, wantUsed = allot.EINVALID, "reason", 1
				}
				world.WantError(t, err, wantCode, wantField)
				if got := f.Reload(p).Used; got != wantUsed {
					t.Errorf("pool uses %d seats, want %d", got, wantUsed)
				}
			})
		}
	})
}

// TestReallocate checks that moving a seat gives the new learner a seat of
// the same pool until the pool's end, in one step that leaves the pool's
// count alone.
func TestReallocate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		p := f.Pool(f.Company, 1)
		ann := f.Learner(f.Company, "ann@acme.test")
		bob := f.Learner(f.Company, "bob@acme.test") // unlicensed: the pool is full
		from := f.Seat(ann, "premium")

		f.Clock.Advance(50 * 24 * time.Hour)
		now := f.Clock.Now()
		to := world.Must(f.Svc.Reallocate(f.As(f.CM), from.ID, bob.ID))(t)
		if to.UserID != bob.ID || to.PoolID != p.ID || !to.StartsAt.Equal(now) || !to.EndsAt.Equal(p.EndsAt) {
			t.Errorf("new seat: user %d, pool %d, %s to %s; want user %d, pool %d, %s to %s",
				to.UserID, to.PoolID, to.StartsAt, to.EndsAt, bob.ID, p.ID, now, p.EndsAt)
		}
		if got := f.Seat(bob, "premium"); got.ID != to.ID {
			t.Errorf("bob's newest seat is %d, want %d", got.ID, to.ID)
		}
		if got := f.Seat(ann, "premium"); got.ID != from.ID || got.ReleaseReason != allot.ReasonReallocated || !got.ReleasedAt.Equal(now) {
			t.Errorf("ann's seat %d: released at %s for %q, want seat %d released at %s for %q",
				got.ID, got.ReleasedAt, got.ReleaseReason, from.ID, now, allot.ReasonReallocated)
		}
		if got := f.Reload(p); got.Used != 1 || !got.EndsAt.Equal(p.EndsAt) {
			t.Errorf("pool: %d used, ends %s; want 1, %s", got.Used, got.EndsAt, p.EndsAt)
		}
		if d := f.Check(bob, "premium"); !d.Allowed || !d.Until.Equal(p.EndsAt) {
			t.Errorf("bob: allowed %v until %s, want allowed until %s", d.Allowed, d.Until, p.EndsAt)
		}
		if d := f.Check(ann, "premium"); d.Allowed || d.Reason != allot.DenyReleased {
			t.Errorf("ann: allowed %v, reason %q; want refused, %q", d.Allowed, d.Reason, allot.DenyReleased)
		}
	})
}

func TestReallocateRefused(t *testing.T) {
	cases := []struct {
		name      string
		to        func(f *world.Fixture, ann, bob allot.User) int64
		wantCode  string
		wantField string
	}{
		{"learner holding a live seat", func(f *world.Fixture, ann, bob allot.User) int64 { return bob.ID }, allot.ECONFLICT, ""},
		{"the seat's own learner", func(f *world.Fixture, ann, bob allot.User) int64 { return ann.ID }, allot.EINVALID, "user_id"},
		{"no such user", func(f *world.Fixture, ann, bob allot.User) int64 { return 1 << 40 }, allot.ENOTFOUND, ""},
		{"removed learner", func(f *world.Fixture, ann, bob allot.User) int64 {
			cat := f.Learner(f.Company, "cat@acme.test")
			world.Must(f.Svc.RemoveUser(f.As(f.CM), cat.ID))(f.T)
			return cat.ID
		}, allot.ENOTFOUND, ""},
		{"learner of another company", func(f *world.Fixture, ann, bob allot.User) int64 {
			other, _ := world.Must2(f.Svc.CreateCompany(f.As(f.PM), allot.NewCompany{Name: "Other", DefaultProductCode: "premium"}))(f.T)
			return f.Learner(other, "zed@other.test").ID
		}, allot.ENOTFOUND, ""},
	}
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				f := world.Setup(t, b)
				p := f.Pool(f.Company, 2)
				ann := f.Learner(f.Company, "ann@acme.test")
				bob := f.Learner(f.Company, "bob@acme.test")
				from := f.Seat(ann, "premium")
				_, err := f.Svc.Reallocate(f.As(f.CM), from.ID, tc.to(f, ann, bob))
				world.WantError(t, err, tc.wantCode, tc.wantField)
				if got := f.Seat(ann, "premium"); !got.ReleasedAt.IsZero() {
					t.Errorf("ann's seat was released at %s by a refused reallocation", got.ReleasedAt)
				}
				if got := f.Reload(p).Used; got != 2 {
					t.Errorf("pool uses %d seats, want 2", got)
				}
			})
		}
	})
}
