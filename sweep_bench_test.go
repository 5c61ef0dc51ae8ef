package allot_test

// The sweep's benchmarks run on the million-seat ledger, on every backend:
//
//	go test -run '^$' -bench 'BenchmarkSweep' -benchtime 3x -v .
//	go test -run '^$' -bench 'CheckWhileSweeping' -benchtime 30s -v .
//
// BenchmarkSweep sweeps the ledger once its pools have ended, each sweep
// from the ledger as seeded; a few sweeps are enough.
// BenchmarkCheckWhileSweeping decides entitlements idle, then while another
// goroutine sweeps the ledger again and again: a sweep takes seconds, so
// the checks need a long benchtime to run across several.

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"allot"
	"allot/loadtest"
	"allot/store"
	"allot/storetest"
)

// sweepAt is an hour after the ledger's pools and seats end: a sweep then
// closes every held seat and records every pool's end.
var sweepAt = benchNow.AddDate(0, 11, 0).Add(time.Hour)

// The sweep at sweepAt closes the held seats, one per learner but the
// released ones, and ends every company's pool.
const (
	sweptSeats = loadtest.Learners - loadtest.Learners/loadtest.ReleasedEvery
	sweptPools = loadtest.Companies
)

// unsweep are the statements that undo a sweep at sweepAt of the ledger as
// seeded: a seat is held unless it was released, no pool is recorded as
// ended or reminded, and there are no jobs and no events.
var unsweep = []string{
	`UPDATE seats SET held = true WHERE NOT held AND released_at = 0`,
	`UPDATE pools SET expired_at = 0, reminded_due = 0 WHERE expired_at <> 0 OR reminded_due <> 0`,
	`DELETE FROM jobs`,
	`DELETE FROM events`,
}

// BenchmarkSweep measures Service.Sweep over the million-seat ledger once
// every seat and pool has ended: it closes 950,000 held seats with one
// statement, then records the end of 10,000 pools, each with an audit
// event, a lapse event and a mail to the company's manager. Each sweep
// starts from the ledger as seeded: on SQLite a new copy of the cached file,
// on PostgreSQL the ledger seeded once and unswept (then vacuumed) before
// each sweep, outside the timer.
func BenchmarkSweep(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		fresh := sweepLedger(b, be)
		b.Run("ended", func(b *testing.B) {
			ctx := context.Background()
			for range b.N {
				b.StopTimer()
				db := fresh()
				svc := allot.NewService(db, allot.NewManualClock(sweepAt), nil)
				b.StartTimer()
				res, err := svc.Sweep(ctx)
				b.StopTimer()
				if err != nil {
					b.Fatal(err)
				}
				if res.SeatsClosed != sweptSeats || res.PoolsEnded != sweptPools {
					b.Fatalf("the sweep closed %d seats and ended %d pools, want %d and %d",
						res.SeatsClosed, res.PoolsEnded, sweptSeats, sweptPools)
				}
				db.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(sweptSeats*b.N)/b.Elapsed().Seconds(), "seats/s")
			b.ReportMetric(float64(sweptPools*b.N)/b.Elapsed().Seconds(), "pools/s")
		})
	})
}

// sweepLedger returns a function that opens a store of kind be holding the
// ledger as seeded, for one sweep; the caller closes it. On SQLite each
// store is a new copy of the cached ledger; on PostgreSQL the ledger is
// seeded once, and unswept, vacuumed and checkpointed before each store.
func sweepLedger(b *testing.B, be storetest.Backend) func() *store.DB {
	b.Helper()
	if be.Name == "sqlite" {
		cached := cachedLedger(b)
		path := be.URL(b)
		return func() *store.DB {
			for _, suffix := range []string{"-wal", "-shm"} {
				if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
					b.Fatal(err)
				}
			}
			copyFile(b, cached, path)
			return openSwept(b, path)
		}
	}
	url := ledgerURL(b, be)
	raw := storetest.OpenPlain(b, url)
	return func() *store.DB {
		ctx := context.Background()
		if err := unsweepLedger(ctx, raw, be.Name); err != nil {
			b.Fatal(err)
		}
		// Write out what seeding, unsweeping and vacuuming dirtied, so that
		// the sweep does not pay for it; only a superuser may.
		if _, err := raw.ExecContext(ctx, `CHECKPOINT`); err != nil {
			b.Logf("no checkpoint before the sweep: %v", err)
		}
		return openSwept(b, url)
	}
}

// openSwept opens the store at url for one sweep; the caller closes it.
func openSwept(b *testing.B, url string) *store.DB {
	b.Helper()
	db, err := store.Open(context.Background(), url)
	if err != nil {
		b.Fatal(err)
	}
	return db
}

// unsweepLedger undoes a sweep at sweepAt in one transaction; on PostgreSQL
// it then vacuums the ledger's tables, as autovacuum soon would (and so
// autovacuum, after a seeding or a sweep, does not run during the next).
func unsweepLedger(ctx context.Context, raw *sql.DB, dialect string) error {
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range unsweep {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if dialect == "postgres" {
		_, err = raw.ExecContext(ctx, `VACUUM ANALYZE seats, pools, jobs, events, users, companies, orders, partners`)
	}
	return err
}

// BenchmarkCheckWhileSweeping measures Service.Check on the million-seat
// ledger idle, then while another goroutine sweeps the same ledger over and
// over: the checks decide at the ledger's time, where every picked learner
// is allowed (access is computed from the time, so what the sweep records
// changes no decision), while the sweeper sweeps at sweepAt, where the whole
// ledger has ended, then undoes its sweep with unsweep, and sweeps again.
// The sweeping benchmarks report their idle counterpart's time per check
// and the ratio of the two, and how many sweeps ended while they ran.
func BenchmarkCheckWhileSweeping(b *testing.B) {
	storetest.Each(b, func(b *testing.B, be storetest.Backend) {
		url := ledgerURL(b, be)
		raw := storetest.OpenPlain(b, url)
		// On PostgreSQL, vacuum the new ledger before checking idle:
		// autovacuum would do it while the checks run.
		if err := unsweepLedger(context.Background(), raw, be.Name); err != nil {
			b.Fatal(err)
		}
		db := openStore(b, url)
		check := asIntegration(allot.NewService(db, allot.NewManualClock(benchNow), nil))
		allowed := ledgerPicks(false)
		modes := []struct {
			name string
			run  func(*testing.B)
		}{
			{"serial", func(b *testing.B) { checkSerial(b, check, allowed, byEmail, true) }},
			{"parallel", func(b *testing.B) { checkParallel(b, check, allowed, byEmail, true) }},
		}
		idle := map[string]float64{} // ns per check
		for _, m := range modes {
			b.Run("idle-"+m.name, func(b *testing.B) {
				m.run(b)
				idle[m.name] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			})
		}
		sw := startSweeper(b, be, db, raw)
		for _, m := range modes {
			b.Run("sweeping-"+m.name, func(b *testing.B) {
				sweeps := sw.sweeps.Load()
				m.run(b)
				b.ReportMetric(float64(sw.sweeps.Load()-sweeps), "sweeps")
				if idle[m.name] > 0 { // not when -bench leaves the idle benchmark out
					ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
					b.ReportMetric(idle[m.name], "idle-ns/op")
					b.ReportMetric(ns/idle[m.name], "x-idle")
				}
			})
		}
		sw.stop(b)
	})
}

// sweeper sweeps a ledger at sweepAt and undoes the sweep, again and again,
// until stopped.
type sweeper struct {
	sweeps  atomic.Int64 // sweeps done
	swept   atomic.Int64 // nanoseconds spent in them
	unswept atomic.Int64 // nanoseconds spent undoing them
	cancel  context.CancelFunc
	done    sync.WaitGroup
}

// startSweeper starts sweeping the ledger in db, undoing each sweep on
// raw.
func startSweeper(b *testing.B, be storetest.Backend, db allot.Store, raw *sql.DB) *sweeper {
	b.Helper()
	svc := allot.NewService(db, allot.NewManualClock(sweepAt), nil)
	ctx, cancel := context.WithCancel(context.Background())
	sw := &sweeper{cancel: cancel}
	sw.done.Go(func() {
		for ctx.Err() == nil {
			start := time.Now()
			res, err := svc.Sweep(ctx)
			if ctx.Err() != nil {
				return
			}
			if err != nil || res.SeatsClosed != sweptSeats {
				b.Errorf("sweep: %+v, %v", res, err)
				return
			}
			sw.swept.Add(int64(time.Since(start)))
			sw.sweeps.Add(1)
			start = time.Now()
			if err := unsweepLedger(ctx, raw, be.Name); err != nil {
				if ctx.Err() == nil {
					b.Errorf("unsweep: %v", err)
				}
				return
			}
			sw.unswept.Add(int64(time.Since(start)))
		}
	})
	return sw
}

// stop stops the sweeper and logs how long its sweeps and their undoing
// took.
func (sw *sweeper) stop(b *testing.B) {
	b.Helper()
	sw.cancel()
	sw.done.Wait()
	if n := time.Duration(sw.sweeps.Load()); n > 0 {
		b.Logf("%d sweeps of %s on average, each undone in %s", n, (time.Duration(sw.swept.Load()) / n).Round(time.Millisecond),
			(time.Duration(sw.unswept.Load()) / n).Round(time.Millisecond))
	}
}
