package storetest

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"allot"
)

var poolTests = []test{
	{"RoundTrip", testPoolRoundTrip},
	{"Filter", testPoolFilter},
	{"ReturnSeat", testReturnSeat},
	{"TakeSeats", testTakeSeats},
	{"TakeSeatsConcurrently", testTakeSeatsConcurrently},
	{"UsedWithinQuantity", testUsedWithinQuantity},
}

// used returns how many seats of pool id are used.
func used(t *testing.T, s allot.Store, id int64) int {
	t.Helper()
	return read(t, s, func(tx allot.Tx) (allot.Pool, error) { return tx.Pool(id) }).Used
}

func testPoolRoundTrip(t *testing.T, s Stores) {
	w := seed(t, s)
	o := allot.Order{CompanyID: w.acme.ID, PartnerID: w.partner.ID, ProductID: w.premium.ID, Quantity: 10,
		TermMonths: 12, Status: allot.OrderAssigned, RequestedAt: t0, DecidedAt: t0}
	var p allot.Pool
	write(t, s, func(tx allot.Tx) error {
		if err := tx.CreateOrder(&o); err != nil {
			return err
		}
		p = allot.Pool{OrderID: o.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 10, Used: 2,
			StartsAt: t0.In(elsewhere), EndsAt: allot.AddMonths(t0, 12).In(elsewhere)}
		return tx.CreatePool(&p)
	})
	if p.ID == 0 {
		t.Fatal("CreatePool set no ID")
	}
	want := p
	want.StartsAt, want.EndsAt = t0, allot.AddMonths(t0, 12)
	got := read(t, s, func(tx allot.Tx) (allot.Pool, error) { return tx.Pool(p.ID) })
	same(t, "Pool", got, want)

	wantCode(t, "Pool of a missing ID", readErr(t, s, func(tx allot.Tx) error {
		_, err := tx.Pool(p.ID + 100)
		return err
	}), allot.ENOTFOUND)
	again := allot.Pool{OrderID: o.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 10, StartsAt: t0, EndsAt: t0.Add(day)}
	wantCode(t, "a second pool of the order", writeErr(t, s, func(tx allot.Tx) error { return tx.CreatePool(&again) }),
		allot.ECONFLICT)
	all := read(t, s, func(tx allot.Tx) ([]allot.Pool, error) { return tx.Pools(allot.PoolFilter{}) })
	sameIDs(t, "Pools", all, poolID, p.ID)
}

func testPoolFilter(t *testing.T, s Stores) {
	w := seed(t, s)
	expired := addPool(t, s, w.acme, w.premium, 5, t0.Add(-400*day), t0.Add(-35*day))
	full := addPool(t, s, w.acme, w.premium, 2, t0.Add(-30*day), t0.Add(200*day))
	live := addPool(t, s, w.acme, w.premium, 3, t0.Add(-10*day), t0.Add(60*day))
	future := addPool(t, s, w.acme, w.premium, 4, t0.Add(10*day), t0.Add(400*day))
	coaching := addPool(t, s, w.acme, w.coaching, 1, t0.Add(-day), t0.Add(30*day))
	direct := addPool(t, s, w.direct, w.premium, 1, t0.Add(-day), t0.Add(100*day))
	twin := addPool(t, s, w.acme, w.premium, 3, t0.Add(-5*day), t0.Add(60*day)) // ends with live
	write(t, s, func(tx allot.Tx) error {
		for _, take := range []int64{full.ID, full.ID, live.ID} {
			if err := tx.TakeSeats(take, 1, t0); err != nil {
				return err
			}
		}
		return nil
	})
	acmePremium := allot.PoolFilter{CompanyID: w.acme.ID, ProductID: w.premium.ID}
	with := func(f allot.PoolFilter, at time.Time, free bool) allot.PoolFilter {
		f.LiveAt, f.FreeOnly = at, free
		return f
	}
	for _, tc := range []struct {
		name string
		f    allot.PoolFilter
		want []int64
	}{
		{"all, soonest end first", allot.PoolFilter{}, []int64{expired.ID, coaching.ID, live.ID, twin.ID, direct.ID, full.ID, future.ID}},
		{"company", allot.PoolFilter{CompanyID: w.acme.ID}, []int64{expired.ID, coaching.ID, live.ID, twin.ID, full.ID, future.ID}},
		{"product", allot.PoolFilter{ProductID: w.premium.ID}, []int64{expired.ID, live.ID, twin.ID, direct.ID, full.ID, future.ID}},
		{"company and product", acmePremium, []int64{expired.ID, live.ID, twin.ID, full.ID, future.ID}},
		{"live now", with(acmePremium, t0, false), []int64{live.ID, twin.ID, full.ID}},
		{"live from the first instant", with(acmePremium, t0.Add(10*day), false), []int64{live.ID, twin.ID, full.ID, future.ID}},
		{"not live at the end", with(acmePremium, t0.Add(60*day), false), []int64{full.ID, future.ID}},
		{"live before the end", with(acmePremium, t0.Add(60*day-time.Microsecond), false), []int64{live.ID, twin.ID, full.ID, future.ID}},
		{"free", with(acmePremium, time.Time{}, true), []int64{expired.ID, live.ID, twin.ID, future.ID}},
		{"live and free", with(acmePremium, t0, true), []int64{live.ID, twin.ID}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := read(t, s, func(tx allot.Tx) ([]allot.Pool, error) { return tx.Pools(tc.f) })
			sameIDs(t, "Pools", got, poolID, tc.want...)
		})
	}
	t.Run("found pools are whole", func(t *testing.T) {
		got := read(t, s, func(tx allot.Tx) ([]allot.Pool, error) { return tx.Pools(allot.PoolFilter{CompanyID: w.direct.ID}) })
		if len(got) == 1 {
			same(t, "found pool", got[0], direct)
		}
		want := full
		want.Used = 2
		got = read(t, s, func(tx allot.Tx) ([]allot.Pool, error) {
			return tx.Pools(with(acmePremium, t0.Add(199*day), false))
		})
		if len(got) == 2 {
			same(t, "found full pool", got[0], want)
		}
	})
}

// testTakeSeatsConcurrently is the heart of the product: many writers at
// once never get more seats than the pool has, one seat each or several,
// and a writer whose seats do not all fit gets none.
func testTakeSeatsConcurrently(t *testing.T, s Stores) {
	w := seed(t, s)
	for _, tc := range []struct{ quantity, writers, each int }{{5, 16, 1}, {7, 12, 2}} {
		t.Run(fmt.Sprintf("%d writers taking %d of %d", tc.writers, tc.each, tc.quantity), func(t *testing.T) {
			p := addPool(t, s, w.acme, w.premium, tc.quantity, t0.Add(-day), t0.Add(day))
			var (
				wg   sync.WaitGroup
				mu   sync.Mutex
				errs = map[string]int{}
			)
			for range tc.writers {
				wg.Go(func() {
					err := s.Write(t.Context(), func(tx allot.Tx) error { return tx.TakeSeats(p.ID, tc.each, t0) })
					mu.Lock()
					defer mu.Unlock()
					errs[allot.ErrorCode(err)]++
					if c := allot.ErrorCode(err); c != "" && c != allot.ECONFLICT {
						t.Errorf("TakeSeats: %v", err)
					}
				})
			}
			wg.Wait()
			if fit := tc.quantity / tc.each; errs[""] != fit || errs[allot.ECONFLICT] != tc.writers-fit {
				t.Errorf("outcomes by error code %v, want %d successes and %d conflicts", errs, fit, tc.writers-fit)
			}
			if n, want := used(t, s, p.ID), tc.quantity/tc.each*tc.each; n != want {
				t.Errorf("Used = %d, want %d", n, want)
			}
		})
	}
}

func testReturnSeat(t *testing.T, s Stores) {
	w := seed(t, s)
	p := addPool(t, s, w.acme, w.premium, 3, t0.Add(-day), t0.Add(day))
	other := addPool(t, s, w.acme, w.premium, 3, t0.Add(-day), t0.Add(day))
	write(t, s, func(tx allot.Tx) error {
		for _, id := range []int64{p.ID, p.ID, other.ID} {
			if err := tx.TakeSeats(id, 1, t0); err != nil {
				return err
			}
		}
		return nil
	})
	write(t, s, func(tx allot.Tx) error { return tx.ReturnSeat(p.ID) })
	if n := used(t, s, p.ID); n != 1 {
		t.Errorf("Used = %d after returning one of 2 seats, want 1", n)
	}
	if n := used(t, s, other.ID); n != 1 {
		t.Errorf("the other pool's Used = %d, want 1", n)
	}
	write(t, s, func(tx allot.Tx) error { return tx.ReturnSeat(p.ID) })
	if err := writeErr(t, s, func(tx allot.Tx) error { return tx.ReturnSeat(p.ID) }); err == nil {
		t.Error("ReturnSeat of a pool with no seat used succeeded")
	}
	if n := used(t, s, p.ID); n != 0 {
		t.Errorf("Used = %d after returning every seat, want 0", n)
	}
	wantCode(t, "ReturnSeat of a missing pool", writeErr(t, s, func(tx allot.Tx) error { return tx.ReturnSeat(other.ID + 100) }),
		allot.ENOTFOUND)
}

func testTakeSeats(t *testing.T, s Stores) {
	w := seed(t, s)
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(day))
	other := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(day))
	take := func(pool allot.Pool, n int, at time.Time) error {
		return writeErr(t, s, func(tx allot.Tx) error { return tx.TakeSeats(pool.ID, n, at) })
	}
	for _, tc := range []struct {
		name string
		at   time.Time
	}{
		{"before the start", p.StartsAt.Add(-time.Microsecond)},
		{"at the end", p.EndsAt},
		{"after the end", p.EndsAt.Add(day)},
	} {
		t.Run("not live "+tc.name, func(t *testing.T) {
			wantCode(t, "TakeSeats", take(p, 2, tc.at), allot.ECONFLICT)
			if n := used(t, s, p.ID); n != 0 {
				t.Errorf("Used = %d after a refused TakeSeats, want 0", n)
			}
		})
	}
	t.Run("more than the pool has", func(t *testing.T) {
		wantCode(t, "TakeSeats of 6 from a pool of 5", take(p, 6, t0), allot.ECONFLICT)
		if n := used(t, s, p.ID); n != 0 {
			t.Errorf("Used = %d after a refused TakeSeats, want 0", n)
		}
	})
	t.Run("until full", func(t *testing.T) {
		if err := take(p, 3, p.StartsAt); err != nil {
			t.Fatalf("TakeSeats of 3 at the first instant: %v", err)
		}
		if n := used(t, s, p.ID); n != 3 {
			t.Errorf("Used = %d after taking 3, want 3", n)
		}
		wantCode(t, "TakeSeats of 3 with 2 free", take(p, 3, t0), allot.ECONFLICT)
		if n := used(t, s, p.ID); n != 3 {
			t.Errorf("Used = %d after a refused TakeSeats, want 3", n)
		}
		if err := take(p, 2, p.EndsAt.Add(-time.Microsecond)); err != nil {
			t.Fatalf("TakeSeats of the 2 free at the last instant: %v", err)
		}
		wantCode(t, "TakeSeats of a full pool", take(p, 1, t0), allot.ECONFLICT)
		if n := used(t, s, p.ID); n != 5 {
			t.Errorf("Used = %d after filling the pool, want 5", n)
		}
		if n := used(t, s, other.ID); n != 0 {
			t.Errorf("the other pool's Used = %d, want 0", n)
		}
	})
	t.Run("all at once", func(t *testing.T) {
		if err := take(other, 5, t0); err != nil {
			t.Fatalf("TakeSeats of every seat: %v", err)
		}
		if n := used(t, s, other.ID); n != 5 {
			t.Errorf("Used = %d, want 5", n)
		}
	})
	t.Run("missing pool", func(t *testing.T) {
		err := take(allot.Pool{ID: other.ID + 100}, 1, t0)
		if c := allot.ErrorCode(err); c != allot.ECONFLICT && c != allot.ENOTFOUND {
			t.Errorf("TakeSeats of a missing pool: %v (code %q), want a conflict or not found", err, c)
		}
	})
}

// testUsedWithinQuantity checks the pool's own limit, under the guards (which
// testTakeSeats checks): a pool never holds more seats used than its
// quantity.
func testUsedWithinQuantity(t *testing.T, s Stores) {
	w := seed(t, s)
	var o allot.Order
	err := writeErr(t, s, func(tx allot.Tx) error {
		o = allot.Order{CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 2, TermMonths: 12,
			Status: allot.OrderAssigned, RequestedAt: t0, DecidedAt: t0}
		if err := tx.CreateOrder(&o); err != nil {
			return err
		}
		over := allot.Pool{OrderID: o.ID, CompanyID: w.acme.ID, ProductID: w.premium.ID, Quantity: 2, Used: 3,
			StartsAt: t0.Add(-day), EndsAt: t0.Add(day)}
		return tx.CreatePool(&over)
	})
	wantCode(t, "CreatePool with more used than its quantity", err, allot.ECONFLICT)
	sameIDs(t, "Pools", read(t, s, func(tx allot.Tx) ([]allot.Pool, error) { return tx.Pools(allot.PoolFilter{}) }), poolID)
}
