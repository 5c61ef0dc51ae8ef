package allot_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/storetest"
	"allot/world"
)

// waiters returns who waits for premium in company c, longest first.
func waiters(t *testing.T, f *world.Fixture, c allot.Company) []int64 {
	t.Helper()
	var out []int64
	err := f.DB.Read(context.Background(), func(tx allot.Tx) error {
		ws, err := tx.WaitingList(allot.WaitingListParams{CompanyID: c.ID, ProductID: f.Product.ID})
		for _, w := range ws {
			out = append(out, w.UserID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// holds reports whether u holds a live premium seat.
func holds(t *testing.T, f *world.Fixture, u allot.User) bool {
	t.Helper()
	for _, s := range f.Seats(u, "premium") {
		if s.Live(f.Clock.Now()) {
			return true
		}
	}
	return false
}

// TestFillWaiting checks that a freed seat goes at once to the learner who
// has waited longest, as the company's setting says, and that FillWaiting
// gives every free seat to whoever waits.
func TestFillWaiting(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		pool := f.Pool(f.Company, 2)
		ann := f.Learner(f.Company, "ann@acme.test")
		bob := f.Learner(f.Company, "bob@acme.test")
		f.Clock.Advance(time.Hour)
		cat := f.Learner(f.Company, "cat@acme.test") // waits first
		f.Clock.Advance(time.Hour)
		dan := f.Learner(f.Company, "dan@acme.test") // waits next
		if got, want := waiters(t, f, f.Company), []int64{cat.ID, dan.ID}; !slices.Equal(got, want) {
			t.Fatalf("waiting %v, want %v", got, want)
		}
		cm := f.As(f.CM)

		// A release gives the seat to cat, who waited longest, and tells her.
		world.Must(f.Svc.Release(cm, f.Seat(ann, "premium").ID, allot.ReasonLeft))(t)
		if !holds(t, f, cat) || holds(t, f, dan) {
			t.Errorf("after a release cat holds a seat: %v, dan: %v; want true, false", holds(t, f, cat), holds(t, f, dan))
		}
		if got := f.Reload(pool).Used; got != 2 {
			t.Errorf("pool uses %d seats, want 2", got)
		}
		if got, want := waiters(t, f, f.Company), []int64{dan.ID}; !slices.Equal(got, want) {
			t.Errorf("waiting %v, want %v", got, want)
		}
		if got := len(f.Mails(allot.MailSeatGiven)["cat@acme.test"]); got != 1 {
			t.Errorf("cat got %d seat mails, want 1", got)
		}
		given := world.Must(f.Svc.Events(f.As(f.Admin), allot.EventFilter{CompanyID: f.Company.ID, Action: "seat.allocate"}))(t)
		if !slices.ContainsFunc(given, func(e allot.Event) bool { return e.ActorID == f.CM.UserID && e.SubjectID == f.Seat(cat, "premium").ID }) {
			t.Errorf("no event of the seat given to cat by the manager among %d", len(given))
		}

		// Turned off, a removal's seat stays free.
		c := world.Must(f.Svc.SetFillWaiting(cm, f.Company.ID, false))(t)
		if c.FillsWaiting() || world.Must(f.Svc.Company(cm, f.Company.ID))(t).FillsWaiting() {
			t.Fatal("the company still fills its waiting list")
		}
		world.Must(f.Svc.RemoveUser(cm, bob.ID))(t)
		if holds(t, f, dan) || f.Reload(pool).Used != 1 {
			t.Errorf("with the setting off, dan holds a seat: %v, the pool uses %d; want false, 1", holds(t, f, dan), f.Reload(pool).Used)
		}

		// FillWaiting gives it all the same.
		if got := world.Must(f.Svc.FillWaiting(cm, f.Company.ID))(t); got != (allot.FillResult{Given: 1, Waiting: 0}) {
			t.Errorf("FillWaiting %+v, want 1 given, 0 waiting", got)
		}
		if !holds(t, f, dan) || f.Reload(pool).Used != 2 {
			t.Errorf("after FillWaiting dan holds a seat: %v, the pool uses %d; want true, 2", holds(t, f, dan), f.Reload(pool).Used)
		}
		if got := world.Must(f.Svc.FillWaiting(cm, f.Company.ID))(t); got != (allot.FillResult{}) {
			t.Errorf("FillWaiting again %+v, want nothing", got)
		}

		// A reallocation's seat goes to the learner chosen, not to who waits.
		world.Must(f.Svc.SetFillWaiting(cm, f.Company.ID, true))(t)
		f.Clock.Advance(time.Hour)
		eve := f.Learner(f.Company, "eve@acme.test")
		f.Clock.Advance(time.Hour)
		fay := f.Learner(f.Company, "fay@acme.test")
		world.Must(f.Svc.Reallocate(cm, f.Seat(cat, "premium").ID, fay.ID))(t)
		if !holds(t, f, fay) || holds(t, f, eve) {
			t.Errorf("after a reallocation fay holds a seat: %v, eve: %v; want true, false", holds(t, f, fay), holds(t, f, eve))
		}
		if got := world.Must(f.Svc.FillWaiting(cm, f.Company.ID))(t); got != (allot.FillResult{Given: 0, Waiting: 1}) {
			t.Errorf("FillWaiting with no free seat %+v, want 0 given, 1 waiting", got)
		}

		// Who may not give seats may not fill the list; another company's is not found.
		_, err := f.Svc.FillWaiting(f.As(f.PM), f.Company.ID)
		world.WantError(t, err, allot.EFORBIDDEN, "")
		_, err = f.Svc.FillWaiting(f.As(ann.Principal()), f.Company.ID)
		world.WantError(t, err, allot.ENOTFOUND, "")
		_, err = f.Svc.SetFillWaiting(f.As(f.PM), f.Company.ID, false)
		world.WantError(t, err, allot.EFORBIDDEN, "")
	})
}

// TestFillWaitingPools checks that the waiting list is filled from live
// pools only: an ended pool's free seats give nobody a seat.
func TestFillWaitingPools(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		short := f.Assigned(allot.NewOrder{Quantity: 1, TermDays: 10})
		f.Learner(f.Company, "ann@acme.test")
		bob := f.Learner(f.Company, "bob@acme.test") // waits
		f.Clock.Advance(11 * 24 * time.Hour)         // the pool ended
		if got := world.Must(f.Svc.FillWaiting(f.As(f.CM), f.Company.ID))(t); got != (allot.FillResult{Given: 0, Waiting: 1}) {
			t.Errorf("FillWaiting over an ended pool %+v, want 0 given, 1 waiting", got)
		}
		if holds(t, f, bob) || f.Reload(short).Used != 1 {
			t.Errorf("bob holds a seat of an ended pool")
		}
	})
}

// The waiting invariant: when many seats are released at once while more
// learners wait, every freed seat goes to exactly one of those who waited
// longest, and no pool gives more seats than it has, on every backend.
const (
	waitPools    = 3  // pools of the product, that end at different times
	waitPerPool  = 12 // seats of each, all given before the releases
	waitLearners = 50 // learners who wait for one
)

func TestWaitingInvariant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		f := world.Setup(t, b)
		var pools []allot.Pool
		for i := range waitPools {
			pools = append(pools, f.Assigned(allot.NewOrder{Quantity: waitPerPool, TermMonths: 12 + i}))
		}
		var holders []allot.User
		for i := range waitPools * waitPerPool {
			holders = append(holders, f.Learner(f.Company, fmt.Sprintf("holder%d@acme.test", i)))
		}
		var waiting []allot.User
		for i := range waitLearners {
			f.Clock.Advance(time.Minute)
			waiting = append(waiting, f.Learner(f.Company, fmt.Sprintf("waiter%d@acme.test", i)))
		}
		if got := len(waiters(t, f, f.Company)); got != waitLearners {
			t.Fatalf("%d learners wait, want %d", got, waitLearners)
		}
		seats := make([]allot.Seat, len(holders))
		for i, u := range holders {
			seats[i] = f.Seat(u, "premium")
		}

		// Every holder's seat is released at once, half by removal.
		var wg sync.WaitGroup
		errs := make(chan error, len(seats))
		cm := f.As(f.CM)
		for i := range seats {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, err = f.Svc.Release(cm, seats[i].ID, allot.ReasonLeft)
				} else {
					_, err = f.Svc.RemoveUser(cm, holders[i].ID)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("release: %v", err)
			}
		}

		freed := len(seats)
		for _, p := range pools {
			if got := f.Reload(p); got.Used != got.Quantity {
				t.Errorf("pool %d uses %d of %d seats, want all", p.ID, got.Used, got.Quantity)
			}
		}
		for i, u := range waiting {
			live := 0
			for _, s := range f.Seats(u, "premium") {
				if s.Live(f.Clock.Now()) {
					live++
				}
			}
			if want := min(1, max(0, freed-i)); live != want {
				t.Errorf("waiter %d holds %d live seats, want %d", i, live, want)
			}
		}
		want := make([]int64, 0, waitLearners-freed)
		for _, u := range waiting[freed:] {
			want = append(want, u.ID)
		}
		if got := waiters(t, f, f.Company); !slices.Equal(got, want) {
			t.Errorf("%d still wait, want the %d who came last", len(got), len(want))
		}
	})
}
