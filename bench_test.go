package allot_test

// The benchmarks run on every backend, PostgreSQL when ALLOT_TEST_POSTGRES
// is set:
//
//	go test -run '^$' -bench . -benchtime 2s -v .
//
// -v shows how long seeding took. BenchmarkCheck seeds a million seats: the
// first run on SQLite leaves the seeded file in the OS's temporary
// directory for the next runs; PostgreSQL is seeded on every run. On
// PostgreSQL the check goes through pgx on the store's own connections;
// go run ./cmd/allot-load -postgres URL compares it with pgbench.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/loadtest"
	"allot/store"
	"allot/storetest"
)

// benchPicks is how many learners BenchmarkCheck draws to check.
const benchPicks = 1 << 17

// benchNow is the time of the benchmarks' clock and of the seeded ledger,
// whose pools run from a month before it to eleven months after.
var benchNow = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// BenchmarkCheck measures the entitlement decision, Service.Check, against
// the million-seat ledger: by e-mail and by id for learners with a live seat
// picked at random, in parallel, and refused (a released seat, which adds
// the lookup of whom to contact).
func BenchmarkCheck(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		check := asIntegration(openLedger(b, be))
		allowed, denied := ledgerPicks(false), ledgerPicks(true)
		byID := func(i int64) allot.EntitlementQuery {
			return allot.EntitlementQuery{UserID: i, ProductCode: loadtest.Product}
		}
		b.Run("email", func(b *testing.B) { checkSerial(b, check, allowed, byEmail, true) })
		b.Run("id", func(b *testing.B) { checkSerial(b, check, allowed, byID, true) })
		b.Run("email-parallel", func(b *testing.B) { checkParallel(b, check, allowed, byEmail, true) })
		b.Run("id-parallel", func(b *testing.B) { checkParallel(b, check, allowed, byID, true) })
		b.Run("refused", func(b *testing.B) { checkSerial(b, check, denied, byEmail, false) })
	})
}

// decider is Service.Check as some principal.
type decider func(allot.EntitlementQuery) (allot.Decision, error)

// asIntegration is svc's Check as the product's integration asks it.
func asIntegration(svc *allot.Service) decider {
	ctx := allot.WithPrincipal(context.Background(), allot.System)
	return func(q allot.EntitlementQuery) (allot.Decision, error) { return svc.Check(ctx, q) }
}

// byEmail is the check of learner i of the ledger by e-mail.
func byEmail(i int64) allot.EntitlementQuery {
	return allot.EntitlementQuery{Email: loadtest.LearnerEmail(i), ProductCode: loadtest.Product}
}

// checkSerial decides for the picked learners one after the other, failing
// unless each decision is allowed as expected.
func checkSerial(b *testing.B, check decider, picks []int64, query func(int64) allot.EntitlementQuery, allowed bool) {
	qs := make([]allot.EntitlementQuery, len(picks))
	for i, p := range picks {
		qs[i] = query(p)
	}
	i := 0
	for b.Loop() {
		d, err := check(qs[i%len(qs)])
		if err != nil || d.Allowed != allowed {
			b.Fatalf("check %+v: %+v, %v", qs[i%len(qs)], d, err)
		}
		i++
	}
}

// checkParallel is checkSerial from GOMAXPROCS goroutines.
func checkParallel(b *testing.B, check decider, picks []int64, query func(int64) allot.EntitlementQuery, allowed bool) {
	qs := make([]allot.EntitlementQuery, len(picks))
	for i, p := range picks {
		qs[i] = query(p)
	}
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		i := int(next.Add(int64(len(qs) / 16)))
		for pb.Next() {
			q := qs[i%len(qs)]
			d, err := check(q)
			if err != nil || d.Allowed != allowed {
				b.Errorf("check %+v: %+v, %v", q, d, err)
				return
			}
			i++
		}
	})
}

// ledgerPicks returns benchPicks learners' ids drawn at random with a fixed
// seed: learners whose seat was released when released is set, learners
// with a live seat otherwise.
func ledgerPicks(released bool) []int64 {
	rng := rand.New(rand.NewPCG(loadtest.Version, 7))
	out := make([]int64, 0, benchPicks)
	for len(out) < benchPicks {
		i := 1 + rng.Int64N(loadtest.Learners)
		if loadtest.Released(i) == released {
			out = append(out, i)
		}
	}
	return out
}

// openLedger returns a Service over a store of kind be holding the seeded
// ledger, at the ledger's time.
func openLedger(b *testing.B, be storetest.Backend) *allot.Service {
	b.Helper()
	return allot.NewService(openStore(b, ledgerURL(b, be)), allot.NewManualClock(benchNow), nil)
}

// ledgerURL returns the URL of a database of kind be holding the seeded
// ledger, for this run alone. A SQLite ledger is seeded once into the OS's
// temporary directory, under a name that changes with the schema and the
// seed, and copied for each run; a PostgreSQL ledger is seeded into the
// run's own schema.
func ledgerURL(b *testing.B, be storetest.Backend) string {
	b.Helper()
	url := be.URL(b)
	start := time.Now()
	if be.Name == "sqlite" {
		cached := cachedLedger(b)
		start = time.Now()
		copyFile(b, cached, url)
		b.Logf("copied the cached ledger %s in %s", filepath.Base(cached), time.Since(start).Round(time.Millisecond))
		return url
	}
	if err := loadtest.Seed(context.Background(), url, benchNow); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d learners and seats on %s in %s", loadtest.Learners, be.Name, time.Since(start).Round(time.Millisecond))
	return url
}

// cachedLedger returns the path of the SQLite ledger cached in the OS's
// temporary directory, seeding it first when it is not there. Copy it
// before opening it.
func cachedLedger(b *testing.B) string {
	b.Helper()
	start := time.Now()
	cached, seeded, err := loadtest.Cached(context.Background(), os.TempDir(), "allot-bench-ledger", benchNow)
	if err != nil {
		b.Fatal(err)
	}
	if seeded {
		b.Logf("seeded %d learners and seats on sqlite in %s", loadtest.Learners, time.Since(start).Round(time.Millisecond))
	}
	return cached
}

// openStore opens the store at url, closed when the benchmark ends.
func openStore(b *testing.B, url string) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

func copyFile(b *testing.B, from, to string) {
	b.Helper()
	src, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		b.Fatal(err)
	}
	if err := dst.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAllocate measures allocation on one pool, each operation
// allocating a seat to a learner and releasing it again so the pool never
// runs dry: one at a time, and from 8 goroutines per CPU contending for the
// pool.
func BenchmarkAllocate(b *testing.B) {
	const parallelism = 8
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		w := newAllocWorld(b, be.URL(b), parallelism*runtime.GOMAXPROCS(0))
		b.Run("serial", func(b *testing.B) {
			for b.Loop() {
				if err := w.cycle(w.learners[0]); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocs/s")
		})
		b.Run("parallel", func(b *testing.B) {
			var next atomic.Int64
			b.SetParallelism(parallelism)
			b.RunParallel(func(pb *testing.PB) {
				learner := w.learners[int(next.Add(1)-1)%len(w.learners)]
				for pb.Next() {
					if err := w.cycle(learner); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "allocs/s")
		})
	})
}

// allocWorld is a company whose manager allocates seats of one pool.
type allocWorld struct {
	svc      *allot.Service
	ctx      context.Context // as the company's manager
	pool     allot.Pool
	learners []int64
}

// newAllocWorld makes a company with n learners and a pool of n seats.
func newAllocWorld(b *testing.B, url string, n int) *allocWorld {
	b.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	w := &allocWorld{svc: allot.NewService(db, allot.NewManualClock(benchNow), nil)}
	sys := allot.WithPrincipal(context.Background(), allot.System)
	if _, err := w.svc.CreateProduct(sys, allot.Product{Code: "premium", Name: "Premium"}); err != nil {
		b.Fatal(err)
	}
	c, _, err := w.svc.CreateCompany(sys, allot.NewCompany{Name: "Busy Ltd"})
	if err != nil {
		b.Fatal(err)
	}
	m, err := w.svc.AddUser(sys, allot.NewUser{Email: "manager@busy.test", Role: allot.RoleCompanyManager, CompanyID: c.ID})
	if err != nil {
		b.Fatal(err)
	}
	w.ctx = allot.WithPrincipal(context.Background(), allot.Principal{UserID: m.ID, Email: m.Email, Role: m.Role, CompanyID: c.ID})
	for i := range n {
		u, err := w.svc.AddUser(w.ctx, allot.NewUser{Email: fmt.Sprintf("learner%d@busy.test", i), CompanyID: c.ID})
		if err != nil {
			b.Fatal(err)
		}
		w.learners = append(w.learners, u.ID)
	}
	o, err := w.svc.RequestOrder(sys, allot.NewOrder{CompanyID: c.ID, ProductCode: "premium", Quantity: n})
	if err != nil {
		b.Fatal(err)
	}
	if _, w.pool, err = w.svc.AssignOrder(sys, o.ID); err != nil {
		b.Fatal(err)
	}
	return w
}

// cycle allocates a seat of the pool to the learner and releases it.
func (w *allocWorld) cycle(learner int64) error {
	seat, err := w.svc.Allocate(w.ctx, learner, "premium", w.pool.ID)
	if err != nil {
		return fmt.Errorf("allocate: %w", err)
	}
	if _, err := w.svc.Release(w.ctx, seat.ID, allot.ReasonOther); err != nil {
		return fmt.Errorf("release: %w", err)
	}
	return nil
}
