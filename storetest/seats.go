package storetest

import (
	"testing"
	"time"

	"allot"
)

var seatTests = []test{
	{"RoundTrip", testSeatRoundTrip},
	{"OneHeldSeat", testOneHeldSeat},
	{"Release", testReleaseSeat},
	{"CloseEnded", testCloseEndedSeats},
	{"Filter", testSeatFilter},
	{"ExpiredLearners", testExpiredLearners},
}

// seat returns seat id as stored.
func seat(t *testing.T, s allot.Store, id int64) allot.Seat {
	t.Helper()
	return read(t, s, func(tx allot.Tx) (allot.Seat, error) { return tx.Seat(id) })
}

// createSeat returns the error of CreateSeat, in a transaction of its own.
func createSeat(t *testing.T, s allot.Store, st *allot.Seat) error {
	t.Helper()
	return writeErr(t, s, func(tx allot.Tx) error { return tx.CreateSeat(st) })
}

func testSeatRoundTrip(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(300*day))
	held := allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, UserID: us[0].ID,
		StartsAt: t0.Add(time.Hour).In(elsewhere), EndsAt: t0.Add(90 * day).In(elsewhere), CreatedAt: t0.In(elsewhere)}
	released := allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, UserID: us[1].ID,
		StartsAt: t0.Add(-day), EndsAt: t0.Add(300 * day), CreatedAt: t0.Add(-day),
		ReleasedAt: t0.Add(-time.Hour), ReleaseReason: allot.ReasonNeverLoggedIn}
	for _, st := range []*allot.Seat{&held, &released} {
		if err := createSeat(t, s, st); err != nil {
			t.Fatalf("CreateSeat: %v", err)
		}
	}
	want := held
	want.StartsAt, want.EndsAt, want.CreatedAt = t0.Add(time.Hour), t0.Add(90*day), t0
	same(t, "held Seat", seat(t, s, held.ID), want)
	same(t, "released Seat", seat(t, s, released.ID), released)
	wantCode(t, "Seat of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.Seat(released.ID + 100)
		return err
	}), allot.ENOTFOUND)
}

func testOneHeldSeat(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	a, b := us[0], us[1]
	p := addPool(t, s, w.acme, w.premium, 10, t0.Add(-day), t0.Add(300*day))
	p2 := addPool(t, s, w.acme, w.premium, 10, t0.Add(-day), t0.Add(200*day))
	pc := addPool(t, s, w.acme, w.coaching, 10, t0.Add(-day), t0.Add(300*day))
	newSeat := func(p allot.Pool, u allot.User) *allot.Seat {
		return &allot.Seat{PoolID: p.ID, CompanyID: p.CompanyID, ProductID: p.ProductID, UserID: u.ID,
			StartsAt: t0, EndsAt: p.EndsAt, CreatedAt: t0}
	}
	first := newSeat(p, a)
	if err := createSeat(t, s, first); err != nil {
		t.Fatalf("the first seat: %v", err)
	}
	wantCode(t, "a second seat of the product", createSeat(t, s, newSeat(p, a)), allot.ECONFLICT)
	wantCode(t, "a second seat of the product from another pool", createSeat(t, s, newSeat(p2, a)), allot.ECONFLICT)
	// A seat created released holds nothing.
	old := newSeat(p2, a)
	old.ReleasedAt, old.ReleaseReason = t0, allot.ReasonOther
	if err := createSeat(t, s, old); err != nil {
		t.Errorf("a released seat besides a held one: %v", err)
	}
	if err := createSeat(t, s, newSeat(pc, a)); err != nil {
		t.Errorf("a seat of another product: %v", err)
	}
	if err := createSeat(t, s, newSeat(p, b)); err != nil {
		t.Errorf("a seat of another user: %v", err)
	}
	seats := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) {
		return tx.Seats(allot.SeatFilter{UserID: a.ID, ProductID: w.premium.ID})
	})
	sameIDs(t, "a's seats of the product", seats, seatID, first.ID, old.ID)

	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(first.ID, t0.Add(time.Hour), allot.ReasonLeft) })
	second := newSeat(p2, a)
	if err := createSeat(t, s, second); err != nil {
		t.Fatalf("a new seat after the release: %v", err)
	}
	wantCode(t, "a third seat while the second is held", createSeat(t, s, newSeat(p, a)), allot.ECONFLICT)
}

func testReleaseSeat(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(300*day))
	sa := addSeat(t, s, p, us[0], t0, p.EndsAt)
	sb := addSeat(t, s, p, us[1], t0, p.EndsAt)

	write(t, s, func(tx allot.Tx) error {
		return tx.ReleaseSeat(sa.ID, t0.Add(time.Hour).In(elsewhere), allot.ReasonLeft)
	})
	want := sa
	want.ReleasedAt, want.ReleaseReason = t0.Add(time.Hour), allot.ReasonLeft
	same(t, "released Seat", seat(t, s, sa.ID), want)
	same(t, "the other seat", seat(t, s, sb.ID), sb)

	wantCode(t, "ReleaseSeat twice", writeErr(t, s, func(tx allot.Tx) error {
		return tx.ReleaseSeat(sa.ID, t0.Add(2*time.Hour), allot.ReasonOther)
	}), allot.ECONFLICT)
	same(t, "Seat released twice", seat(t, s, sa.ID), want)
	if n := used(t, s, p.ID); n != 2 {
		t.Errorf("Used = %d after ReleaseSeat, want 2: returning the seat is ReturnSeat's", n)
	}
	err := writeErr(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(sb.ID+100, t0, allot.ReasonOther) })
	if c := allot.ErrorCode(err); c != allot.ECONFLICT && c != allot.ENOTFOUND {
		t.Errorf("ReleaseSeat of a missing seat: %v (code %q), want a conflict or not found", err, c)
	}
}

func testCloseEndedSeats(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	a, b := us[0], us[1]
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-100*day), t0.Add(300*day))
	pc := addPool(t, s, w.acme, w.coaching, 5, t0.Add(-100*day), t0.Add(300*day))
	ends := t0.Add(-day)
	sa := addSeat(t, s, p, a, t0.Add(-90*day), ends)
	sac := addSeat(t, s, pc, a, t0.Add(-90*day), ends)
	addSeat(t, s, p, b, t0.Add(-90*day), ends)
	retry := func(u allot.User) *allot.Seat {
		return &allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, UserID: u.ID,
			StartsAt: t0, EndsAt: p.EndsAt, CreatedAt: t0}
	}
	closeSeats := func(u allot.User, product allot.Product, now time.Time) {
		t.Helper()
		write(t, s, func(tx allot.Tx) error { return tx.CloseEndedSeats(u.ID, product.ID, now) })
	}

	closeSeats(a, w.premium, ends.Add(-time.Microsecond))
	wantCode(t, "a new seat after closing before the end", createSeat(t, s, retry(a)), allot.ECONFLICT)
	closeSeats(a, w.coaching, t0)
	wantCode(t, "a new seat after closing another product", createSeat(t, s, retry(a)), allot.ECONFLICT)
	closeSeats(b, w.premium, t0)
	wantCode(t, "a new seat after closing another user's", createSeat(t, s, retry(a)), allot.ECONFLICT)

	closeSeats(a, w.premium, ends)
	next := retry(a)
	if err := createSeat(t, s, next); err != nil {
		t.Fatalf("a new seat after closing at the end: %v", err)
	}
	// Closing is not releasing: the ended seat stays as it was, expired.
	same(t, "closed Seat", seat(t, s, sa.ID), sa)
	held := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) {
		return tx.Seats(allot.SeatFilter{UserID: a.ID, HeldOnly: true})
	})
	sameIDs(t, "a's seats not released", held, seatID, sa.ID, sac.ID, next.ID)
	if err := createSeat(t, s, &allot.Seat{PoolID: pc.ID, CompanyID: w.acme.ID, ProductID: w.coaching.ID, UserID: a.ID,
		StartsAt: t0, EndsAt: pc.EndsAt, CreatedAt: t0}); err != nil {
		t.Errorf("a new seat of the other product after closing it: %v", err)
	}
	if err := createSeat(t, s, retry(b)); err != nil {
		t.Errorf("b's new seat after closing: %v", err)
	}
	// Closing a live seat does nothing.
	closeSeats(a, w.premium, t0.Add(day))
	wantCode(t, "a seat besides a live one after closing", createSeat(t, s, retry(a)), allot.ECONFLICT)
}

func testSeatFilter(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"), learner(w.direct, "c@direct.test"))
	a, b, c := us[0], us[1], us[2]
	p1 := addPool(t, s, w.acme, w.premium, 5, t0.Add(-100*day), t0.Add(300*day))
	p2 := addPool(t, s, w.acme, w.premium, 5, t0.Add(-100*day), t0.Add(200*day))
	pc := addPool(t, s, w.acme, w.coaching, 5, t0.Add(-100*day), t0.Add(300*day))
	pd := addPool(t, s, w.direct, w.premium, 5, t0.Add(-100*day), t0.Add(300*day))
	ss := []allot.Seat{
		addSeat(t, s, p1, a, t0.Add(-90*day), t0.Add(-day)), // 0: expired
		addSeat(t, s, p2, a, t0, p2.EndsAt),                 // 1: live
		addSeat(t, s, pc, a, t0.Add(day), pc.EndsAt),        // 2: scheduled
		addSeat(t, s, p1, b, t0.Add(-10*day), p1.EndsAt),    // 3: released below
		addSeat(t, s, pd, c, t0, pd.EndsAt),                 // 4
	}
	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(ss[3].ID, t0.Add(-time.Hour), allot.ReasonOther) })
	ss = append(ss, addSeat(t, s, p1, b, t0, p1.EndsAt)) // 5: live
	id := func(is ...int) []int64 {
		var out []int64
		for _, i := range is {
			out = append(out, ss[i].ID)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    allot.SeatFilter
		want []int64
	}{
		{"all, by ID", allot.SeatFilter{}, id(0, 1, 2, 3, 4, 5)},
		{"company", allot.SeatFilter{CompanyID: w.acme.ID}, id(0, 1, 2, 3, 5)},
		{"pool", allot.SeatFilter{PoolID: p1.ID}, id(0, 3, 5)},
		{"user", allot.SeatFilter{UserID: a.ID}, id(0, 1, 2)},
		{"product", allot.SeatFilter{ProductID: w.premium.ID}, id(0, 1, 3, 4, 5)},
		{"held only", allot.SeatFilter{HeldOnly: true}, id(0, 1, 2, 4, 5)},
		{"user and product", allot.SeatFilter{UserID: a.ID, ProductID: w.premium.ID}, id(0, 1)},
		{"users", allot.SeatFilter{UserIDs: []int64{b.ID, c.ID}}, id(3, 4, 5)},
		{"users and held only", allot.SeatFilter{UserIDs: []int64{a.ID, b.ID}, HeldOnly: true}, id(0, 1, 2, 5)},
		{"after ID", allot.SeatFilter{AfterID: ss[2].ID}, id(3, 4, 5)},
		{"limit", allot.SeatFilter{Limit: 4}, id(0, 1, 2, 3)},
		{"everything", allot.SeatFilter{CompanyID: w.acme.ID, PoolID: p1.ID, UserID: b.ID, ProductID: w.premium.ID,
			HeldOnly: true, AfterID: ss[0].ID, Limit: 1}, id(5)},
		{"nothing", allot.SeatFilter{CompanyID: w.direct.ID, ProductID: w.coaching.ID}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(tc.f) })
			sameIDs(t, "Seats", got, seatID, tc.want...)
		})
	}
	t.Run("found seats are whole", func(t *testing.T) {
		got := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(allot.SeatFilter{UserID: b.ID}) })
		want := ss[3]
		want.ReleasedAt, want.ReleaseReason = t0.Add(-time.Hour), allot.ReasonOther
		if len(got) != 2 {
			t.Fatalf("b's seats: %d, want 2", len(got))
		}
		same(t, "released seat", got[0], want)
		same(t, "live seat", got[1], ss[5])
	})
}

func testExpiredLearners(t *testing.T, s allot.Store) {
	w := seed(t, s)
	us := addUsers(t, s,
		learner(w.acme, "ended@acme.test"),                                                      // 0: latest seat ended: expired
		learner(w.acme, "live@acme.test"),                                                       // 1: latest seat live
		learner(w.acme, "released@acme.test"),                                                   // 2: latest seat released
		learner(w.acme, "renewed@acme.test"),                                                    // 3: an ended seat, then a live one
		learner(w.acme, "removed@acme.test"),                                                    // 4: latest seat ended, but removed from the company
		allot.User{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID}, // 5: not a learner
		learner(w.acme, "never@acme.test"),                                                      // 6: no seat
		learner(w.acme, "coaching@acme.test"),                                                   // 7: only a seat of another product ended
		learner(w.direct, "other@direct.test"),                                                  // 8: another company
		learner(w.acme, "justnow@acme.test"),                                                    // 9: latest seat ends at now
		learner(w.acme, "again@acme.test"),                                                      // 10: a released seat, then an ended one
		learner(w.acme, "closed@acme.test"),                                                     // 11: latest seat ended and closed
		learner(w.acme, "scheduled@acme.test"),                                                  // 12: an ended seat, then one not started yet
		learner(w.acme, "releasedlate@acme.test"),                                               // 13: latest seat released after it ended
	)
	now := t0
	past := addPool(t, s, w.acme, w.premium, 20, now.Add(-400*day), now.Add(-30*day))
	live := addPool(t, s, w.acme, w.premium, 20, now.Add(-60*day), now.Add(300*day))
	coaching := addPool(t, s, w.acme, w.coaching, 20, now.Add(-400*day), now.Add(-30*day))
	direct := addPool(t, s, w.direct, w.premium, 20, now.Add(-400*day), now.Add(-30*day))
	ended := func(u allot.User) allot.Seat { return addSeat(t, s, past, u, now.Add(-300*day), past.EndsAt) }

	ended(us[0])
	addSeat(t, s, live, us[1], now.Add(-day), live.EndsAt)
	released := addSeat(t, s, live, us[2], now.Add(-10*day), live.EndsAt)
	ended(us[3])
	addSeat(t, s, live, us[3], now.Add(-day), live.EndsAt)
	ended(us[4])
	ended(us[5])
	addSeat(t, s, coaching, us[7], now.Add(-300*day), coaching.EndsAt)
	addSeat(t, s, direct, us[8], now.Add(-300*day), direct.EndsAt)
	addSeat(t, s, live, us[9], now.Add(-10*day), now)
	first := addSeat(t, s, past, us[10], now.Add(-300*day), past.EndsAt)
	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(first.ID, now.Add(-200*day), allot.ReasonOther) })
	ended(us[10])
	ended(us[11])
	write(t, s, func(tx allot.Tx) error { return tx.CloseEndedSeats(us[11].ID, w.premium.ID, now) })
	ended(us[12])
	addSeat(t, s, live, us[12], now.Add(day), live.EndsAt)
	late := ended(us[13])
	write(t, s, func(tx allot.Tx) error {
		if err := tx.ReleaseSeat(released.ID, now.Add(-day), allot.ReasonLeft); err != nil {
			return err
		}
		if err := tx.ReleaseSeat(late.ID, now.Add(-day), allot.ReasonLeft); err != nil {
			return err
		}
		removed := us[4]
		removed.RemovedAt = now.Add(-day)
		return tx.UpdateUser(removed)
	})

	got := read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.ExpiredLearners(w.acme.ID, w.premium.ID, now) })
	sameIDs(t, "ExpiredLearners now", got, userID, us[0].ID, us[9].ID, us[10].ID, us[11].ID)
	if len(got) > 0 {
		same(t, "expired learner", got[0], us[0])
	}
	got = read(t, s, func(tx allot.Tx) ([]allot.User, error) {
		return tx.ExpiredLearners(w.acme.ID, w.premium.ID, now.Add(-time.Microsecond))
	})
	sameIDs(t, "ExpiredLearners just before now", got, userID, us[0].ID, us[10].ID, us[11].ID)
	got = read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.ExpiredLearners(w.acme.ID, w.coaching.ID, now) })
	sameIDs(t, "ExpiredLearners of another product", got, userID, us[7].ID)
	got = read(t, s, func(tx allot.Tx) ([]allot.User, error) { return tx.ExpiredLearners(w.direct.ID, w.premium.ID, now) })
	sameIDs(t, "ExpiredLearners of another company", got, userID, us[8].ID)
}
