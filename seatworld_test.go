package allot_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/store"
	"allot/storetest"
)

// seatWorld is one company with learners, a manager and a pool, seen
// through a Service and, for one-statement snapshots, a plain connection.
type seatWorld struct {
	svc      *allot.Service
	plain    *sql.DB
	company  allot.Company
	pool     allot.Pool
	manager  allot.Principal
	learners []int64
}

// newSeatWorld makes the world in the fresh database at url: a company
// without a default product (learners start without seats), its manager,
// invLearners learners and a pool of invQuantity seats.
func newSeatWorld(t *testing.T, url string) *seatWorld {
	t.Helper()
	w := &seatWorld{}
	w.open(t, url)
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := w.svc.CreateProduct(sys, allot.Product{Code: invProduct, Name: "Premium"}); err != nil {
		t.Fatal(err)
	}
	var err error
	if w.company, _, err = w.svc.CreateCompany(sys, allot.NewCompany{Name: "Contended Ltd"}); err != nil {
		t.Fatal(err)
	}
	m, err := w.svc.AddUser(sys, allot.NewUser{Email: "manager@contended.test", Role: allot.RoleCompanyManager, CompanyID: w.company.ID})
	if err != nil {
		t.Fatal(err)
	}
	w.manager = allot.Principal{UserID: m.ID, Email: m.Email, Role: m.Role, CompanyID: m.CompanyID}
	for i := range invLearners {
		u, err := w.svc.AddUser(w.as(), allot.NewUser{Email: fmt.Sprintf("learner%d@contended.test", i), CompanyID: w.company.ID})
		if err != nil {
			t.Fatal(err)
		}
		w.learners = append(w.learners, u.ID)
	}
	o, err := w.svc.RequestOrder(sys, allot.NewOrder{CompanyID: w.company.ID, ProductCode: invProduct, Quantity: invQuantity})
	if err != nil {
		t.Fatal(err)
	}
	if _, w.pool, err = w.svc.AssignOrder(sys, o.ID); err != nil {
		t.Fatal(err)
	}
	if w.pool.Used != 0 || w.pool.Quantity != invQuantity {
		t.Fatalf("new pool: %+v", w.pool)
	}
	return w
}

// findSeatWorld opens the world newSeatWorld made in the database at url.
func findSeatWorld(t *testing.T, url string, companyID, poolID int64) *seatWorld {
	t.Helper()
	w := &seatWorld{}
	w.open(t, url)
	sys := allot.WithPrincipal(context.Background(), allot.System)
	var err error
	if w.company, err = w.svc.Company(sys, companyID); err != nil {
		t.Fatal(err)
	}
	if w.pool, err = w.find(sys, poolID); err != nil {
		t.Fatal(err)
	}
	users, err := w.svc.Users(sys, allot.UserFilter{CompanyID: companyID, Limit: allot.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		switch u.Role {
		case allot.RoleCompanyManager:
			w.manager = allot.Principal{UserID: u.ID, Email: u.Email, Role: u.Role, CompanyID: u.CompanyID}
		case allot.RoleLearner:
			w.learners = append(w.learners, u.ID)
		}
	}
	if w.manager.UserID == 0 || len(w.learners) != invLearners {
		t.Fatalf("company %d: manager %d and %d learners, want one and %d", companyID, w.manager.UserID, len(w.learners), invLearners)
	}
	return w
}

// open opens the store at url (each process its own) and a plain
// connection to the same database.
func (w *seatWorld) open(t *testing.T, url string) {
	t.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	w.svc = allot.NewService(db, allot.NewManualClock(invNow), nil)
	w.plain = storetest.OpenPlain(t, url)
}

// as returns a context acting as the company's manager.
func (w *seatWorld) as() context.Context {
	return allot.WithPrincipal(context.Background(), w.manager)
}

// find returns the pool through the Service.
func (w *seatWorld) find(ctx context.Context, poolID int64) (allot.Pool, error) {
	pools, err := w.svc.Pools(ctx, w.company.ID)
	if err != nil {
		return allot.Pool{}, err
	}
	for _, p := range pools {
		if p.ID == poolID {
			return p, nil
		}
	}
	return allot.Pool{}, fmt.Errorf("pool %d is not among company %d's %d pools", poolID, w.company.ID, len(pools))
}

// live returns the pool's live seats through the Service.
func (w *seatWorld) live(ctx context.Context) ([]allot.Seat, error) {
	held, err := w.svc.Seats(ctx, allot.SeatFilter{CompanyID: w.company.ID, PoolID: w.pool.ID, HeldOnly: true, Limit: allot.MaxLimit})
	var live []allot.Seat
	for _, s := range held {
		if s.Live(invNow) {
			live = append(live, s)
		}
	}
	return live, err
}

// churn makes attempts from up to to with workers goroutines and returns
// what they did. Attempt i draws its operation from a generator seeded with
// i, so a run makes the same choices whatever the interleaving (which seat a
// release picks depends on the seats held at that moment).
func (w *seatWorld) churn(from, to, workers int) seatTally {
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		tallies = make([]seatTally, workers)
	)
	next.Store(int64(from))
	for g := range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(to); i = next.Add(1) - 1 {
				w.attempt(int(i), &tallies[g])
			}
		})
	}
	wg.Wait()
	var tally seatTally
	for _, s := range tallies {
		tally.add(s)
	}
	return tally
}

// attempt allocates (half the time), releases (a fifth) or reallocates a
// seat. Allocations outpace releases, so the pool fills up and stays near
// full: allocations then compete for its last seats.
func (w *seatWorld) attempt(i int, tally *seatTally) {
	rng := rand.New(rand.NewPCG(invSeed, uint64(i)))
	ctx := w.as()
	var (
		op  string
		err error
	)
	switch n := rng.IntN(10); {
	case n < 5:
		op = "allocate"
		poolID := w.pool.ID
		if n%2 == 1 {
			poolID = 0 // the pool that expires first
		}
		_, err = w.svc.Allocate(ctx, w.learners[rng.IntN(len(w.learners))], invProduct, poolID)
	default:
		var seats []allot.Seat
		if seats, err = w.live(ctx); err != nil {
			tally.Errors++
			tally.fail("attempt %d: list seats: %v", i, err)
			return
		}
		if len(seats) == 0 {
			tally.Idle++
			return
		}
		seat := seats[rng.IntN(len(seats))]
		if n < 7 {
			op = "release"
			_, err = w.svc.Release(ctx, seat.ID, allot.ReleaseReasons[rng.IntN(len(allot.ReleaseReasons))])
		} else {
			op = "reallocate"
			j := rng.IntN(len(w.learners))
			if w.learners[j] == seat.UserID {
				j = (j + 1) % len(w.learners)
			}
			_, err = w.svc.Reallocate(ctx, seat.ID, w.learners[j])
		}
	}
	switch allot.ErrorCode(err) {
	case allot.ECONFLICT:
		tally.Conflicts++
		return
	case "":
	default:
		tally.Errors++
		tally.fail("attempt %d: %s: %v", i, op, err)
		return
	}
	switch op {
	case "allocate":
		tally.Allocated++
	case "release":
		tally.Released++
	case "reallocate":
		tally.Reallocated++
	}
	w.check(ctx, tally)
}

// check looks at the pool twice. Through the Service, the pool and its
// seats are read in separate transactions, so each may only be within the
// pool's size. In one statement on the plain connection, which sees one
// snapshot on both databases, the seats counted used must also be exactly
// the live seats.
func (w *seatWorld) check(ctx context.Context, tally *seatTally) {
	tally.Checks++
	pool, err := w.find(ctx, w.pool.ID)
	if err != nil {
		tally.fail("check: %v", err)
		return
	}
	seats, err := w.live(ctx)
	if err != nil {
		tally.fail("check: %v", err)
		return
	}
	holders := map[int64]bool{}
	for _, s := range seats {
		if holders[s.UserID] {
			tally.fail("check: learner %d holds two live seats of pool %d", s.UserID, pool.ID)
		}
		holders[s.UserID] = true
	}
	if pool.Used < 0 || pool.Used > pool.Quantity || len(seats) > pool.Quantity {
		tally.fail("check: pool %d of %d seats counts %d used and has %d live seats", pool.ID, pool.Quantity, pool.Used, len(seats))
	}
	var quantity, used, live int
	err = w.plain.QueryRowContext(ctx, `SELECT p.quantity, p.used,
			(SELECT COUNT(*) FROM seats s WHERE s.pool_id = p.id AND s.released_at = 0 AND s.ends_at > $2)
		FROM pools p WHERE p.id = $1`, w.pool.ID, invNow.UnixMicro()).Scan(&quantity, &used, &live)
	switch {
	case err != nil:
		tally.fail("check: snapshot: %v", err)
	case used != live || live > quantity:
		tally.fail("check: snapshot of pool %d of %d seats: %d used, %d live seats", w.pool.ID, quantity, used, live)
	case used == quantity:
		tally.Full++
	}
}

// sample starts checking the pool again and again in a goroutine of its
// own. The function it returns stops the checks, after at least one, and
// returns their tally; the test's end stops them too.
func (w *seatWorld) sample(t *testing.T) func() seatTally {
	t.Helper()
	var (
		done    = make(chan struct{})
		stop    = sync.OnceFunc(func() { close(done) })
		sampled = make(chan seatTally, 1)
	)
	t.Cleanup(stop)
	go func() {
		var tally seatTally
		ctx := w.as()
		for {
			w.check(ctx, &tally)
			select {
			case <-done:
				sampled <- tally
				return
			case <-time.After(time.Millisecond):
			}
		}
	}()
	return func() seatTally {
		stop()
		return <-sampled
	}
}

// verify asserts the invariant after a run: the pool's count equals its live
// seats and the successful allocations less the releases, within its size;
// nothing but conflicts failed; and the run did what it was meant to.
func (w *seatWorld) verify(t *testing.T, tally seatTally) {
	t.Helper()
	t.Logf("%d allocated, %d released, %d reallocated, %d conflicts, %d idle; %d checks, %d found the pool full",
		tally.Allocated, tally.Released, tally.Reallocated, tally.Conflicts, tally.Idle, tally.Checks, tally.Full)
	for _, f := range tally.Failures {
		t.Error(f)
	}
	ctx := w.as()
	pool, err := w.find(ctx, w.pool.ID)
	if err != nil {
		t.Fatal(err)
	}
	seats, err := w.live(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if net := tally.Allocated - tally.Released; int64(pool.Used) != net || len(seats) != pool.Used || pool.Used > pool.Quantity {
		t.Errorf("pool %d of %d seats counts %d used and has %d live seats; %d allocations less %d releases is %d",
			pool.ID, pool.Quantity, pool.Used, len(seats), tally.Allocated, tally.Released, net)
	}
	holders := map[int64]bool{}
	for _, s := range seats {
		if holders[s.UserID] {
			t.Errorf("learner %d holds two live seats", s.UserID)
		}
		holders[s.UserID] = true
	}
	if attempts := tally.Allocated + tally.Released + tally.Reallocated + tally.Conflicts + tally.Idle + tally.Errors; attempts != invAttempts {
		t.Errorf("%d attempts accounted for, want %d", attempts, invAttempts)
	}
	if tally.Allocated == 0 || tally.Released == 0 || tally.Reallocated == 0 || tally.Conflicts == 0 {
		t.Errorf("the run did not exercise every outcome: %+v", tally)
	}
	if tally.Full == 0 {
		t.Errorf("no check found the pool full: the run never tested its limit")
	}
}
