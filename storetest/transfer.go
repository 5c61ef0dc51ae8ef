package storetest

import (
	"sync"
	"testing"
	"time"

	"allot"
)

var transferTests = []test{
	{"ShrinkPool", testShrinkPool},
	{"ShrinkPoolConcurrently", testShrinkPoolConcurrently},
}

// quantity returns how many seats pool id has.
func quantity(t *testing.T, s allot.Store, id int64) int {
	t.Helper()
	return read(t, s, func(tx allot.Tx) (allot.Pool, error) { return tx.Pool(id) }).Quantity
}

// testShrinkPool checks the guard of seats leaving a pool: only free seats
// of a live pool leave, and used never passes quantity.
func testShrinkPool(t *testing.T, s Stores) {
	w := seed(t, s)
	p := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(day))
	other := addPool(t, s, w.acme, w.premium, 5, t0.Add(-day), t0.Add(day))
	write(t, s, func(tx allot.Tx) error { return tx.TakeSeats(p.ID, 2, t0) })
	shrink := func(n int, at time.Time) error {
		return writeErr(t, s, func(tx allot.Tx) error { return tx.ShrinkPool(p.ID, n, at) })
	}
	for _, tc := range []struct {
		name string
		n    int
		at   time.Time
	}{
		{"more than free", 4, t0},
		{"before the start", 1, p.StartsAt.Add(-time.Microsecond)},
		{"at the end", 1, p.EndsAt},
	} {
		wantCode(t, "ShrinkPool "+tc.name, shrink(tc.n, tc.at), allot.ECONFLICT)
		if n := quantity(t, s, p.ID); n != 5 {
			t.Errorf("quantity %d after a refused ShrinkPool %s, want 5", n, tc.name)
		}
	}
	if err := shrink(3, t0); err != nil {
		t.Fatalf("ShrinkPool of the 3 free: %v", err)
	}
	if n, u := quantity(t, s, p.ID), used(t, s, p.ID); n != 2 || u != 2 {
		t.Errorf("quantity %d, used %d after moving 3 seats, want 2, 2", n, u)
	}
	wantCode(t, "ShrinkPool of a full pool", shrink(1, t0), allot.ECONFLICT)
	wantCode(t, "TakeSeats of a full pool", writeErr(t, s, func(tx allot.Tx) error { return tx.TakeSeats(p.ID, 1, t0) }), allot.ECONFLICT)
	if n := quantity(t, s, other.ID); n != 5 {
		t.Errorf("the other pool's quantity %d, want 5", n)
	}
	wantCode(t, "ShrinkPool of a missing pool", writeErr(t, s, func(tx allot.Tx) error { return tx.ShrinkPool(other.ID+100, 1, t0) }),
		allot.ECONFLICT)
}

// testShrinkPoolConcurrently races seats leaving a pool against seats
// given from it: together they never pass what it has.
func testShrinkPoolConcurrently(t *testing.T, s Stores) {
	w := seed(t, s)
	p := addPool(t, s, w.acme, w.premium, 20, t0.Add(-day), t0.Add(day))
	var (
		wg           sync.WaitGroup
		mu           sync.Mutex
		moved, taken int
		unexpected   []error
	)
	for i := range 24 {
		wg.Go(func() {
			var err error
			if i%2 == 0 {
				err = s.Write(t.Context(), func(tx allot.Tx) error { return tx.ShrinkPool(p.ID, 2, t0) })
			} else {
				err = s.Write(t.Context(), func(tx allot.Tx) error { return tx.TakeSeats(p.ID, 1, t0) })
			}
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && i%2 == 0:
				moved += 2
			case err == nil:
				taken++
			case allot.ErrorCode(err) != allot.ECONFLICT:
				unexpected = append(unexpected, err)
			}
		})
	}
	wg.Wait()
	for _, err := range unexpected {
		t.Errorf("unexpected: %v", err)
	}
	n, u := quantity(t, s, p.ID), used(t, s, p.ID)
	if n != 20-moved || u != taken || u > n {
		t.Errorf("quantity %d, used %d after moving %d and taking %d of 20", n, u, moved, taken)
	}
	// Free seats only ever fall: a writer refused found too few, and so
	// would now.
	if free := n - u; (free >= 1 && taken < 12) || (free >= 2 && moved < 24) {
		t.Errorf("%d seats left free while writers were refused", free)
	}
}
