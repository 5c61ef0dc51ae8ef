package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"allot"
)

var seatTests = []test{
	{"RoundTrip", testSeatRoundTrip},
	{"Give", testGiveSeats},
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

// createSeat returns the error of giving a seat like st, in a transaction
// of its own, and sets its ID.
func createSeat(t *testing.T, s allot.Store, st *allot.Seat) error {
	t.Helper()
	return writeErr(t, s, func(tx allot.Tx) error { return giveSeat(tx, st) })
}

func testSeatRoundTrip(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(300*day))
	held := allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, UserID: us[0].ID,
		StartsAt: t0.Add(time.Hour).In(elsewhere), EndsAt: t0.Add(90 * day).In(elsewhere), CreatedAt: t0.In(elsewhere)}
	released := allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, UserID: us[1].ID,
		StartsAt: t0.Add(-day), EndsAt: t0.Add(300 * day), CreatedAt: t0.Add(-day)}
	for _, st := range []*allot.Seat{&held, &released} {
		if err := createSeat(t, s, st); err != nil {
			t.Fatalf("GiveSeats: %v", err)
		}
	}
	released.ReleasedAt, released.ReleaseReason = t0.Add(-time.Hour), allot.ReasonNeverLoggedIn
	write(t, s, func(tx allot.Tx) error {
		return tx.ReleaseSeat(released.ID, released.ReleasedAt, released.ReleaseReason)
	})
	want := held
	want.StartsAt, want.EndsAt, want.CreatedAt = t0.Add(time.Hour), t0.Add(90*day), t0
	same(t, "held Seat", seat(t, s, held.ID), want)
	same(t, "released Seat", seat(t, s, released.ID), released)
	wantCode(t, "Seat of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.Seat(released.ID + 100)
		return err
	}), allot.ENOTFOUND)
}

func testOneHeldSeat(t *testing.T, s Stores) {
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
	if err := createSeat(t, s, newSeat(pc, a)); err != nil {
		t.Errorf("a seat of another product: %v", err)
	}
	if err := createSeat(t, s, newSeat(p, b)); err != nil {
		t.Errorf("a seat of another user: %v", err)
	}
	seats := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) {
		return tx.Seats(allot.SeatFilter{UserID: a.ID, ProductID: w.premium.ID})
	})
	sameIDs(t, "a's seats of the product", seats, seatID, first.ID)

	write(t, s, func(tx allot.Tx) error { return tx.ReleaseSeat(first.ID, t0.Add(time.Hour), allot.ReasonLeft) })
	second := newSeat(p2, a)
	if err := createSeat(t, s, second); err != nil {
		t.Fatalf("a new seat after the release: %v", err)
	}
	wantCode(t, "a third seat while the second is held", createSeat(t, s, newSeat(p, a)), allot.ECONFLICT)
}

func testReleaseSeat(t *testing.T, s Stores) {
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

// testCloseEndedSeats checks that CloseEndedSeats closes the users' held
// seats of the product that ended by its instant, and those only, so that
// a new seat may be given.
func testCloseEndedSeats(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "a@acme.test"), learner(w.acme, "b@acme.test"))
	a, b := us[0], us[1]
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-100*day), t0.Add(300*day))
	pc := addPool(t, s, w.acme, w.coaching, 5, t0.Add(-100*day), t0.Add(300*day))
	ends := t0.Add(-day)
	sa := addSeat(t, s, p, a, t0.Add(-90*day), ends)
	sac := addSeat(t, s, pc, a, t0.Add(-90*day), ends)
	addSeat(t, s, p, b, t0.Add(-90*day), ends)
	next := func(u allot.User, pool allot.Pool, at time.Time) *allot.Seat {
		return &allot.Seat{PoolID: pool.ID, CompanyID: w.acme.ID, ProductID: pool.ProductID, UserID: u.ID,
			StartsAt: at, EndsAt: pool.EndsAt, CreatedAt: at}
	}

	give := func(st *allot.Seat) error { // without closing first
		return writeErr(t, s, func(tx allot.Tx) error {
			ids, err := tx.GiveSeats(allot.GiveSeatsParams{Seat: *st, UserIDs: []int64{st.UserID}, Event: allot.Event{At: st.CreatedAt, After: "{}"}})
			if len(ids) == 1 {
				st.ID = ids[0]
			}
			return err
		})
	}
	wantCode(t, "a new seat with the ended one held", give(next(a, p, t0)), allot.ECONFLICT)
	write(t, s, func(tx allot.Tx) error {
		return tx.CloseEndedSeats(allot.CloseEndedSeatsParams{UserIDs: []int64{a.ID}, ProductID: w.premium.ID, Now: ends.Add(-time.Microsecond)})
	})
	wantCode(t, "a new seat after closing before the end", give(next(a, p, t0)), allot.ECONFLICT)
	write(t, s, func(tx allot.Tx) error {
		return tx.CloseEndedSeats(allot.CloseEndedSeatsParams{UserIDs: []int64{a.ID}, ProductID: w.premium.ID, Now: ends})
	})
	na := next(a, p, ends)
	if err := give(na); err != nil {
		t.Fatalf("a new seat after closing at the end: %v", err)
	}
	// Closing is not releasing: the ended seat stays as it was, expired.
	same(t, "closed Seat", seat(t, s, sa.ID), sa)
	held := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) {
		return tx.Seats(allot.SeatFilter{UserID: a.ID, HeldOnly: true})
	})
	sameIDs(t, "a's seats not released", held, seatID, sa.ID, sac.ID, na.ID)
	// Closing a's seat of premium closed neither b's nor a's of coaching.
	wantCode(t, "b's new seat", give(next(b, p, t0)), allot.ECONFLICT)
	wantCode(t, "a's new coaching seat", give(next(a, pc, t0)), allot.ECONFLICT)
	write(t, s, func(tx allot.Tx) error {
		return tx.CloseEndedSeats(allot.CloseEndedSeatsParams{UserIDs: []int64{a.ID, b.ID}, ProductID: w.premium.ID, Now: t0.Add(day)})
	})
	if err := give(next(b, p, t0)); err != nil {
		t.Errorf("b's new seat after closing it with a's: %v", err)
	}
	// A live seat is not closed.
	wantCode(t, "a seat besides a live one", give(next(a, p, t0.Add(day))), allot.ECONFLICT)
}

// testGiveSeats gives seats to several users at once: each member of the
// pool's company gets one, in the users' order, with its event.
func testGiveSeats(t *testing.T, s Stores) {
	w := seed(t, s)
	us := addUsers(t, s, learner(w.acme, "s1@acme.test"), learner(w.acme, "s2@acme.test"), learner(w.acme, "s3@acme.test"),
		learner(w.acme, "s4@acme.test"), learner(w.acme, "gone@acme.test"), learner(w.direct, "other@direct.test"),
		allot.User{Email: "cm@acme.test", Role: allot.RoleCompanyManager, CompanyID: w.acme.ID, CreatedAt: t0})
	gone := us[4]
	gone.RemovedAt = t0.Add(-day)
	write(t, s, func(tx allot.Tx) error { return tx.UpdateUser(gone) })
	p := addPool(t, s, w.acme, w.premium, 10, t0.Add(-day), t0.Add(100*day))
	at := t0.Add(time.Hour).In(elsewhere)
	terms := allot.Seat{PoolID: p.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID,
		StartsAt: at.Add(day), EndsAt: t0.Add(50 * day), CreatedAt: at}
	e := allot.Event{At: at, ActorID: 7, ActorEmail: "cm@acme.test", CompanyID: w.acme.ID, PartnerID: w.partner.ID,
		Action: "seat.assign", SubjectType: "seat", After: fmt.Sprintf(`{"PoolID":%d,"Note":"given"}`, p.ID)}
	// The users in an order other than their IDs', with one of another
	// company and one removed, who get none, and a company manager.
	order := []allot.User{us[2], us[0], us[5], us[4], us[6], us[1]}
	var userIDs []int64
	for _, u := range order {
		userIDs = append(userIDs, u.ID)
	}
	var ids []int64
	write(t, s, func(tx allot.Tx) error {
		var err error
		ids, err = tx.GiveSeats(allot.GiveSeatsParams{Seat: terms, UserIDs: userIDs, Event: e})
		return err
	})
	members := []allot.User{us[2], us[0], us[6], us[1]}
	if len(ids) != len(members) || !slices.IsSorted(ids) {
		t.Fatalf("GiveSeats returned %v, want %d IDs ascending", ids, len(members))
	}
	for i, u := range members {
		want := terms
		want.ID, want.UserID, want.StartsAt, want.EndsAt, want.CreatedAt = ids[i], u.ID, t0.Add(time.Hour+day), t0.Add(50*day), t0.Add(time.Hour)
		same(t, "seat of "+u.Email, seat(t, s, ids[i]), want)
	}
	given := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(allot.SeatFilter{PoolID: p.ID}) })
	sameIDs(t, "the pool's seats", given, seatID, ids...)
	for _, u := range []allot.User{us[3], us[4], us[5]} {
		got := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(allot.SeatFilter{UserID: u.ID}) })
		sameIDs(t, "seats of "+u.Email, got, seatID)
	}
	if n := used(t, s, p.ID); n != 0 {
		t.Errorf("Used = %d after GiveSeats, want 0: taking the seats is TakeSeats'", n)
	}
	events := read(t, s, func(tx allot.Tx) ([]allot.Event, error) { return tx.Events(allot.EventFilter{}) })
	sameIDSet(t, "subjects of the events", events, func(ev allot.Event) int64 { return ev.SubjectID }, ids...)
	for _, ev := range events {
		st := seat(t, s, ev.SubjectID)
		want := e
		want.ID, want.At, want.SubjectID, want.After = ev.ID, t0.Add(time.Hour), st.ID, ev.After
		same(t, "seat event", ev, want)
		after := afterJSON(t, ev)
		if after["ID"] != float64(st.ID) || after["UserID"] != float64(st.UserID) || after["PoolID"] != float64(p.ID) || after["Note"] != "given" {
			t.Errorf("seat event's After %s, want the seat's ID %d and UserID %d added to the event's", ev.After, st.ID, st.UserID)
		}
	}

	// A user who holds a seat of the product makes the whole list fail.
	wantCode(t, "GiveSeats to one who holds a seat", writeErr(t, s, func(tx allot.Tx) error {
		_, err := tx.GiveSeats(allot.GiveSeatsParams{Seat: terms, UserIDs: []int64{us[3].ID, us[0].ID}, Event: e})
		return err
	}), allot.ECONFLICT)
	got := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(allot.SeatFilter{UserID: us[3].ID}) })
	sameIDs(t, "seats of "+us[3].Email+" after the refused list", got, seatID)

	// One statement takes a list longer than SQLite takes parameters.
	long := []int64{us[3].ID}
	for i := range 40_000 {
		long = append(long, 1_000_000+int64(i))
	}
	write(t, s, func(tx allot.Tx) error {
		ids, err := tx.GiveSeats(allot.GiveSeatsParams{Seat: terms, UserIDs: long, Event: e})
		if err == nil && len(ids) != 1 {
			err = fmt.Errorf("GiveSeats of a long list gave %d seats, want 1", len(ids))
		}
		return err
	})
	found := read(t, s, func(tx allot.Tx) ([]allot.Seat, error) { return tx.Seats(allot.SeatFilter{UserIDs: long}) })
	sameIDs(t, "Seats of a long list", found, func(st allot.Seat) int64 { return st.UserID }, us[3].ID)
}

func testSeatFilter(t *testing.T, s Stores) {
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

func testExpiredLearners(t *testing.T, s Stores) {
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

	ended(us[11])
	write(t, s, func(tx allot.Tx) error { // closed, as by the sweep, while the others are not yet
		_, err := tx.CloseAllEndedSeats(now)
		return err
	})
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

	expired := func(c allot.Company, pr allot.Product, now time.Time) []allot.User {
		t.Helper()
		return read(t, s, func(tx allot.Tx) ([]allot.User, error) {
			return tx.ExpiredLearners(allot.ExpiredLearnersParams{CompanyID: c.ID, ProductID: pr.ID, Now: now})
		})
	}
	got := expired(w.acme, w.premium, now)
	sameIDs(t, "ExpiredLearners now", got, userID, us[0].ID, us[9].ID, us[10].ID, us[11].ID)
	if len(got) > 0 {
		same(t, "expired learner", got[0], us[0])
	}
	got = expired(w.acme, w.premium, now.Add(-time.Microsecond))
	sameIDs(t, "ExpiredLearners just before now", got, userID, us[0].ID, us[10].ID, us[11].ID)
	got = expired(w.acme, w.coaching, now)
	sameIDs(t, "ExpiredLearners of another product", got, userID, us[7].ID)
	got = expired(w.direct, w.premium, now)
	sameIDs(t, "ExpiredLearners of another company", got, userID, us[8].ID)
}
