package allot_test

// The benchmarks run on every backend, PostgreSQL when ALLOT_TEST_POSTGRES
// is set:
//
//	go test -run '^$' -bench . -benchtime 2s -v .
//
// -v shows how long seeding took. BenchmarkCheck seeds a million seats: the
// first run on SQLite leaves the seeded file in the OS's temporary
// directory for the next runs; PostgreSQL is seeded on every run.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"allot/store"
	"allot/storetest"
)

// The ledger BenchmarkCheck decides against: benchCompanies companies of
// benchPerCompany learners, each learner with one seat of the company's pool,
// so a million learners and a million seats, plus a manager per company and
// the vendor admin. Every benchReleasedEvery-th learner's seat is released.
const (
	benchPartners      = 100
	benchCompanies     = 10_000
	benchPerCompany    = 100
	benchLearners      = benchCompanies * benchPerCompany
	benchReleasedEvery = 20
	benchSeedVersion   = 1 // bump when the seed changes, to stop using cached SQLite ledgers
	benchPicks         = 1 << 17
)

// benchNow is the time of the benchmarks' clock; the seeded pools run from a
// month before it to eleven months after.
var benchNow = time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)

// BenchmarkCheck measures the entitlement decision, Service.Check, against
// the million-seat ledger: by e-mail and by id for learners with a live seat
// picked at random, in parallel, and refused (a released seat, which adds
// the lookup of whom to contact).
func BenchmarkCheck(b *testing.B) {
	for _, be := range storetest.Backends {
		b.Run(be.Name, func(b *testing.B) {
			svc := openLedger(b, be)
			ctx := allot.WithPrincipal(context.Background(), allot.System) // the product's integration
			check := func(q allot.EntitlementQuery) (allot.Decision, error) { return svc.Check(ctx, q) }
			allowed, denied := ledgerPicks(false), ledgerPicks(true)
			byEmail := func(i int64) allot.EntitlementQuery {
				return allot.EntitlementQuery{Email: learnerEmail(i), ProductCode: "premium"}
			}
			byID := func(i int64) allot.EntitlementQuery {
				return allot.EntitlementQuery{UserID: i, ProductCode: "premium"}
			}
			b.Run("email", func(b *testing.B) { checkSerial(b, check, allowed, byEmail, true) })
			b.Run("id", func(b *testing.B) { checkSerial(b, check, allowed, byID, true) })
			b.Run("email-parallel", func(b *testing.B) { checkParallel(b, check, allowed, byEmail, true) })
			b.Run("id-parallel", func(b *testing.B) { checkParallel(b, check, allowed, byID, true) })
			b.Run("refused", func(b *testing.B) { checkSerial(b, check, denied, byEmail, false) })
		})
	}
}

// decider is Service.Check as some principal.
type decider func(allot.EntitlementQuery) (allot.Decision, error)

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
	rng := rand.New(rand.NewPCG(benchSeedVersion, 7))
	out := make([]int64, 0, benchPicks)
	for len(out) < benchPicks {
		i := 1 + rng.Int64N(benchLearners)
		if (i%benchReleasedEvery == 0) == released {
			out = append(out, i)
		}
	}
	return out
}

func learnerEmail(i int64) string {
	return fmt.Sprintf("learner%d@company%d.test", i, (i-1)/benchPerCompany+1)
}

// openLedger returns a Service over a store of kind be holding the seeded
// ledger. A SQLite ledger is seeded once into the OS's temporary directory,
// under a name that changes with the schema and the seed, and copied for
// each run; a PostgreSQL ledger is seeded into the run's own schema.
func openLedger(b *testing.B, be storetest.Backend) *allot.Service {
	b.Helper()
	ctx := context.Background()
	url := be.URL(b)
	if be.Name == "sqlite" {
		cached := cachedLedger(b)
		start := time.Now()
		copyFile(b, cached, url)
		b.Logf("copied the cached ledger %s in %s", filepath.Base(cached), time.Since(start).Round(time.Millisecond))
	} else {
		db, err := store.Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
		seedLedger(b, url, "postgres")
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return allot.NewService(db, allot.NewManualClock(benchNow), nil)
}

// cachedLedger returns the path of the seeded SQLite ledger in the OS's
// temporary directory, seeding it first when it is not there.
func cachedLedger(b *testing.B) string {
	b.Helper()
	h := sha256.New()
	migrations, err := filepath.Glob(filepath.Join("store", "migrations", "sqlite", "*.sql"))
	if err != nil || len(migrations) == 0 {
		b.Fatalf("find the SQLite migrations: %v", err)
	}
	for _, m := range migrations {
		body, err := os.ReadFile(m)
		if err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(h, "%s\n%s\n", filepath.Base(m), body)
	}
	for _, q := range seedStatements("sqlite") {
		fmt.Fprintln(h, q)
	}
	path := filepath.Join(os.TempDir(), "allot-bench-ledger-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	tmp := filepath.Join(b.TempDir(), "ledger.db")
	db, err := store.Open(context.Background(), tmp)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	seedLedger(b, tmp, "sqlite")
	// The temporary directory may be on another file system than b.TempDir:
	// copy next to the cache, then rename, so no reader sees half a file.
	partial := path + fmt.Sprintf(".%d.partial", os.Getpid())
	copyFile(b, tmp, partial)
	if err := os.Rename(partial, path); err != nil {
		os.Remove(partial)
		b.Fatal(err)
	}
	return path
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

// seedLedger fills the migrated, empty database at url in one transaction
// on a plain connection.
func seedLedger(b *testing.B, url, dialect string) {
	b.Helper()
	start := time.Now()
	db := openPlain(b, url)
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	if dialect == "sqlite" {
		// Nobody else has the file open: no journal, no syncing, a big cache.
		for _, q := range []string{"PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -1048576"} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				b.Fatalf("%s: %v", q, err)
			}
		}
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	for _, q := range seedStatements(dialect) {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			b.Fatalf("seed: %v\n%s", err, q)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if dialect == "postgres" {
		// What autovacuum would soon do on a real server.
		if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
			b.Fatal(err)
		}
	} else if _, err := db.ExecContext(ctx, "PRAGMA journal_mode = DELETE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d learners and seats on %s in %s", benchLearners, dialect, time.Since(start).Round(time.Millisecond))
}

// seedStatements returns the statements that fill the ledger, with rows
// made by the database from a series of numbers n.i.
func seedStatements(dialect string) []string {
	series := func(n int) string {
		if dialect == "postgres" {
			return fmt.Sprintf("generate_series(1, %d) AS n(i)", n)
		}
		return fmt.Sprintf("(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT i FROM s) AS n", n)
	}
	var (
		created  = benchNow.AddDate(0, -2, 0).UnixMicro()
		starts   = benchNow.AddDate(0, -1, 0).UnixMicro()
		ends     = benchNow.AddDate(0, 11, 0).UnixMicro()
		released = benchNow.AddDate(0, 0, -7).UnixMicro()
		company  = fmt.Sprintf("((n.i - 1) / %d + 1)", benchPerCompany)
		admin    = benchLearners + benchCompanies + 1
	)
	qs := []string{
		fmt.Sprintf(`INSERT INTO products (id, code, name, term_months, created_at) VALUES (1, 'premium', 'Premium', 12, %d)`, created),
		fmt.Sprintf(`INSERT INTO partners (id, name, account_manager_id, created_at)
			SELECT n.i, 'Partner ' || n.i, 0, %d FROM %s`, created, series(benchPartners)),
		fmt.Sprintf(`INSERT INTO companies (id, partner_id, name, account_manager_id, default_product_id, suspended, created_at)
			SELECT n.i, n.i %% %d + 1, 'Company ' || n.i, 0, 1, false, %d FROM %s`, benchPartners, created, series(benchCompanies)),
		fmt.Sprintf(`INSERT INTO orders (id, company_id, partner_id, product_id, quantity, term_months, status,
				requested_by, requested_at, decided_by, decided_at)
			SELECT n.i, n.i, n.i %% %d + 1, 1, %d, 12, 'assigned', %d, %d, %d, %d FROM %s`,
			benchPartners, benchPerCompany, admin, starts, admin, starts, series(benchCompanies)),
		fmt.Sprintf(`INSERT INTO pools (id, order_id, company_id, product_id, quantity, used, starts_at, ends_at)
			SELECT n.i, n.i, n.i, 1, %d, %d, %d, %d FROM %s`,
			benchPerCompany, benchPerCompany-benchPerCompany/benchReleasedEvery, starts, ends, series(benchCompanies)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, company_id, created_at)
			SELECT n.i, 'learner' || n.i || '@company' || %[1]s || '.test', 'Learner', 'No. ' || n.i, 'learner', %[1]s, %[2]d
			FROM %[3]s`, company, created, series(benchLearners)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, company_id, created_at)
			SELECT %d + n.i, 'manager@company' || n.i || '.test', 'Manager', 'of ' || n.i, 'company_manager', n.i, %d
			FROM %s`, benchLearners, created, series(benchCompanies)),
		fmt.Sprintf(`INSERT INTO users (id, email, first_name, last_name, role, created_at)
			VALUES (%d, 'admin@vendor.test', 'Vendor', 'Admin', 'vendor_admin', %d)`, admin, created),
		fmt.Sprintf(`INSERT INTO seats (id, pool_id, company_id, product_id, user_id, starts_at, ends_at, created_at,
				released_at, release_reason, held)
			SELECT n.i, %[1]s, %[1]s, 1, n.i, %[2]d, %[3]d, %[2]d,
				CASE WHEN n.i %% %[4]d = 0 THEN %[5]d ELSE 0 END,
				CASE WHEN n.i %% %[4]d = 0 THEN 'left_company' ELSE '' END,
				n.i %% %[4]d <> 0
			FROM %[6]s`, company, starts, ends, benchReleasedEvery, released, series(benchLearners)),
	}
	if dialect == "postgres" {
		// Rows were given their ids: move the identity sequences past them.
		for _, table := range []string{"products", "partners", "companies", "orders", "pools", "users", "seats"} {
			qs = append(qs, fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT MAX(id) FROM %[1]s))`, table))
		}
	}
	return qs
}

// BenchmarkAllocate measures allocation on one pool, each operation
// allocating a seat to a learner and releasing it again so the pool never
// runs dry: one at a time, and from 8 goroutines per CPU contending for the
// pool.
func BenchmarkAllocate(b *testing.B) {
	const parallelism = 8
	for _, be := range storetest.Backends {
		b.Run(be.Name, func(b *testing.B) {
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
