package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"allot"
	"allot/jobs"
	"allot/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 30, 0, time.UTC)

// counter counts the runs of each job key.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *counter) handler(ctx context.Context, j allot.Job) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.runs == nil {
		c.runs = map[string]int{}
	}
	c.runs[j.Key]++
	return nil
}

func enqueue(t *testing.T, s allot.Store, j allot.Job) bool {
	t.Helper()
	var added bool
	err := s.Write(context.Background(), func(tx allot.Tx) error {
		var err error
		added, err = tx.Enqueue(&j)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return added
}

func jobsOf(t *testing.T, s allot.Store) map[string]allot.Job {
	t.Helper()
	out := map[string]allot.Job{}
	err := s.Read(context.Background(), func(tx allot.Tx) error {
		js, err := tx.Jobs(allot.JobFilter{Limit: 1000})
		for _, j := range js {
			out[j.Key] = j
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEachJobRunsOnceAcrossWorkers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		url := b.URL(t)
		s := storetest.OpenURL(t, url)
		const n = 120
		for i := range n {
			enqueue(t, s, allot.Job{Kind: "work", Key: fmt.Sprintf("work-%d", i), RunAt: t0, CreatedAt: t0})
		}
		if enqueue(t, s, allot.Job{Kind: "work", Key: "work-0", RunAt: t0, CreatedAt: t0}) {
			t.Error("a job was enqueued twice under one key")
		}
		var c counter
		clock := allot.NewManualClock(t0)
		// Three workers, each on a store of its own as separate processes
		// would be, ticking at once in the same period.
		var wg sync.WaitGroup
		for w := range 3 {
			ws := storetest.OpenURL(t, url)
			worker := &jobs.Worker{Store: ws, Clock: clock, Batch: 7, Periodic: []jobs.Periodic{{Kind: "sweep", Every: time.Minute}},
				Handlers: map[string]jobs.Handler{"work": c.handler, "sweep": c.handler}}
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					ran, err := worker.Tick(context.Background())
					if err != nil {
						t.Errorf("worker %d: %v", w, err)
						return
					}
					if ran == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		for i := range n {
			if got := c.runs[fmt.Sprintf("work-%d", i)]; got != 1 {
				t.Errorf("work-%d ran %d times, want 1", i, got)
			}
		}
		if got := c.runs["sweep@2026-03-02T09:00:00Z"]; got != 1 {
			t.Errorf("the periodic job ran %d times in its period, want 1 (runs: %v)", got, len(c.runs))
		}
		for key, j := range jobsOf(t, s) {
			if j.Status != allot.JobDone || j.Attempts != 1 {
				t.Errorf("%s: %s after %d attempts, want done after 1", key, j.Status, j.Attempts)
			}
		}
	})
}

func TestRetriesWithBackoffThenFails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		clock := allot.NewManualClock(t0)
		fails := errors.New("smtp: 421 try later")
		w := &jobs.Worker{Store: s, Clock: clock, Handlers: map[string]jobs.Handler{
			"mail": func(context.Context, allot.Job) error { return fails },
			"bad":  func(context.Context, allot.Job) error { return jobs.Permanent(errors.New("550 no such user")) },
		}}
		enqueue(t, s, allot.Job{Kind: "mail", Key: "m", RunAt: t0, MaxAttempts: 3, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "bad", Key: "b", RunAt: t0, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "nobody-handles", Key: "n", RunAt: t0, MaxAttempts: 1, CreatedAt: t0})
		enqueue(t, s, allot.Job{Kind: "mail", Key: "later", RunAt: t0.Add(time.Hour), CreatedAt: t0})
		if ran, err := w.Tick(context.Background()); err != nil || ran != 3 {
			t.Fatalf("first tick ran %d (%v), want the 3 due jobs", ran, err)
		}
		js := jobsOf(t, s)
		if j := js["m"]; j.Status != allot.JobPending || !j.RunAt.Equal(t0.Add(30*time.Second)) || j.LastError != fails.Error() {
			t.Errorf("after one failure: %s, run at %s, %q; want pending in 30s with the error", j.Status, j.RunAt, j.LastError)
		}
		if j := js["b"]; j.Status != allot.JobFailed || j.Attempts != 1 {
			t.Errorf("a permanent failure: %s after %d attempts, want failed after 1", j.Status, j.Attempts)
		}
		if j := js["n"]; j.Status != allot.JobFailed {
			t.Errorf("a job nobody handles: %s, want failed", j.Status)
		}
		if ran, _ := w.Tick(context.Background()); ran != 0 {
			t.Errorf("a tick before the retry ran %d jobs", ran)
		}
		clock.Advance(30 * time.Second)
		w.Tick(context.Background())
		if j := jobsOf(t, s)["m"]; j.Attempts != 2 || !j.RunAt.Equal(clock.Now().Add(time.Minute)) {
			t.Errorf("second failure: attempt %d, next at %s; want 2, in a minute", j.Attempts, j.RunAt)
		}
		clock.Advance(time.Minute)
		w.Tick(context.Background())
		if j := jobsOf(t, s)["m"]; j.Status != allot.JobFailed || j.Attempts != 3 {
			t.Errorf("after its last attempt: %s, attempt %d; want failed after 3", j.Status, j.Attempts)
		}
	})
}

func TestLostLease(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		clock := allot.NewManualClock(t0)
		enqueue(t, s, allot.Job{Kind: "work", Key: "k", RunAt: t0, CreatedAt: t0})
		// A worker claims the job and dies before finishing it.
		if claimed, err := s.ClaimJobs(context.Background(), t0, time.Minute, 10); err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %v, %v", claimed, err)
		}
		var c counter
		w := &jobs.Worker{Store: s, Clock: clock, Lease: time.Minute, Handlers: map[string]jobs.Handler{"work": c.handler}}
		if ran, _ := w.Tick(context.Background()); ran != 0 {
			t.Error("a job was run while another worker held its lease")
		}
		clock.Advance(time.Minute)
		if ran, err := w.Tick(context.Background()); err != nil || ran != 1 || c.runs["k"] != 1 {
			t.Errorf("after the lease ran out: ran %d (%v), runs %v; want the job run once", ran, err, c.runs)
		}
		if j := jobsOf(t, s)["k"]; j.Status != allot.JobDone || j.Attempts != 2 {
			t.Errorf("%s after %d attempts, want done after 2", j.Status, j.Attempts)
		}
	})
}

// rivals opens a store on backend b holding a job of kind "work" due at t0
// for each key, and returns it with a manual clock at t0 and another
// worker, with a lease of a minute, that runs those jobs with handler
// through its own connection to the same database.
func rivals(t *testing.T, b storetest.Backend, handler jobs.Handler, keys ...string) (allot.Store, *allot.ManualClock, *jobs.Worker) {
	t.Helper()
	url := b.URL(t)
	s := storetest.OpenURL(t, url)
	for _, key := range keys {
		enqueue(t, s, allot.Job{Kind: "work", Key: key, RunAt: t0, CreatedAt: t0})
	}
	clock := allot.NewManualClock(t0)
	return s, clock, &jobs.Worker{Store: storetest.OpenURL(t, url), Clock: clock, Lease: time.Minute,
		Handlers: map[string]jobs.Handler{"work": handler}}
}

// TestLeaseRunsOutDuringABatch checks that a worker whose lease ran out
// while it ran the first jobs of a batch leaves the rest to the worker that
// claimed them since, instead of running them a second time.
func TestLeaseRunsOutDuringABatch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		var c counter
		s, clock, other := rivals(t, b, c.handler, "first", "second")
		// The first job outlasts the lease; meanwhile the other worker
		// claims both jobs and runs them.
		slow := func(ctx context.Context, j allot.Job) error {
			c.handler(ctx, j)
			if j.Key == "first" {
				clock.Advance(time.Minute)
				if ran, err := other.Tick(ctx); err != nil || ran != 2 {
					t.Errorf("the other worker ran %d jobs (%v), want both, their lease having run out", ran, err)
				}
			}
			return nil
		}
		w := &jobs.Worker{Store: s, Clock: clock, Lease: time.Minute, Batch: 2, Handlers: map[string]jobs.Handler{"work": slow}}
		if ran, err := w.Tick(context.Background()); err != nil || ran != 1 {
			t.Errorf("the slow worker ran %d jobs (%v), want the first only", ran, err)
		}
		if c.runs["second"] != 1 {
			t.Errorf("the second job ran %d times, want once: by the worker holding its lease", c.runs["second"])
		}
		for key, j := range jobsOf(t, s) {
			if j.Status != allot.JobDone {
				t.Errorf("%s: %s, want done", key, j.Status)
			}
		}
	})
}

// TestRenewedLeaseHolds checks that a job renewing its lease as it goes
// keeps it for as long as it runs: no other worker runs it meanwhile.
func TestRenewedLeaseHolds(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		var c counter
		s, clock, other := rivals(t, b, c.handler, "long")
		long := func(ctx context.Context, j allot.Job) error {
			for range 4 { // three minutes in all, renewing every 45 seconds
				clock.Advance(45 * time.Second)
				if err := allot.RenewLease(ctx); err != nil {
					return err
				}
				if ran, err := other.Tick(ctx); err != nil || ran != 0 {
					t.Errorf("at %s the other worker ran %d jobs (%v), want none: the lease was renewed", clock.Now().Sub(t0), ran, err)
				}
			}
			return nil
		}
		w := &jobs.Worker{Store: s, Clock: clock, Lease: time.Minute, Handlers: map[string]jobs.Handler{"work": long}}
		if ran, err := w.Tick(context.Background()); err != nil || ran != 1 {
			t.Errorf("ran %d jobs (%v), want 1", ran, err)
		}
		if j := jobsOf(t, s)["long"]; j.Status != allot.JobDone || j.Attempts != 1 || c.runs["long"] != 0 {
			t.Errorf("%s after %d attempts, %d runs by the other worker; want done after 1, none", j.Status, j.Attempts, c.runs["long"])
		}
	})
}

// failingRenewals is a store whose leases cannot be renewed, as when the
// database is unreachable for a moment.
type failingRenewals struct{ allot.Store }

func (failingRenewals) RenewLease(context.Context, allot.Job, time.Time) error {
	return errors.New("database is locked")
}

// TestFailedRenewalGoesOn checks that a job whose lease could not be renewed,
// for another reason than a new claim, goes on: its lease holds until it
// runs out.
func TestFailedRenewalGoesOn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		enqueue(t, s, allot.Job{Kind: "work", Key: "k", RunAt: t0, CreatedAt: t0})
		renewed := func(ctx context.Context, j allot.Job) error { return allot.RenewLease(ctx) }
		w := &jobs.Worker{Store: failingRenewals{s}, Clock: allot.NewManualClock(t0), Handlers: map[string]jobs.Handler{"work": renewed}}
		if ran, err := w.Tick(context.Background()); err != nil || ran != 1 {
			t.Errorf("ran %d jobs (%v), want 1", ran, err)
		}
		if j := jobsOf(t, s)["k"]; j.Status != allot.JobDone || j.LastError != "" {
			t.Errorf("%s, last error %q; want done: a failed renewal does not fail the job", j.Status, j.LastError)
		}
	})
}

// TestLostClaimRecordsNothing checks that a worker whose job outlasted its
// lease learns it when it renews the lease, and that what it then records
// does not overwrite the outcome of the worker that claimed the job since.
func TestLostClaimRecordsNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, b storetest.Backend) {
		s, clock, other := rivals(t, b, func(context.Context, allot.Job) error {
			return jobs.Permanent(errors.New("the other worker's outcome"))
		}, "k")
		slow := func(ctx context.Context, j allot.Job) error {
			clock.Advance(time.Minute)
			if ran, err := other.Tick(ctx); err != nil || ran != 1 {
				t.Errorf("the other worker ran %d jobs (%v), want the one whose lease ran out", ran, err)
			}
			err := allot.RenewLease(ctx)
			if !errors.Is(err, allot.ErrTakenOver) {
				t.Errorf("renewing a lost lease: %v, want ErrTakenOver", err)
			}
			return err
		}
		w := &jobs.Worker{Store: s, Clock: clock, Lease: time.Minute, Handlers: map[string]jobs.Handler{"work": slow}}
		if _, err := w.Tick(context.Background()); err != nil {
			t.Errorf("the slow worker's tick: %v, want no error: the job is the other worker's to record", err)
		}
		if j := jobsOf(t, s)["k"]; j.Status != allot.JobFailed || j.Attempts != 2 || j.LastError != "the other worker's outcome" {
			t.Errorf("%s after %d attempts, last error %q; want the other worker's outcome", j.Status, j.Attempts, j.LastError)
		}
	})
}

func TestBackoff(t *testing.T) {
	for attempts, want := range map[int]time.Duration{1: 30 * time.Second, 2: time.Minute, 3: 2 * time.Minute, 8: 64 * time.Minute, 20: time.Hour} {
		if got := allot.Backoff(attempts); got != min(want, time.Hour) {
			t.Errorf("Backoff(%d) = %s, want %s", attempts, got, min(want, time.Hour))
		}
	}
}
